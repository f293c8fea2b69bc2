"""The account forms (Flask-WTF). Messages are English msgids translated by Flask-Babel."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from app.core.validators import no_control_characters

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(value: str | None) -> str:
    return (value or "").strip().lower()


def valid_email(form, field) -> None:
    if field.data and not EMAIL.match(normalize_email(field.data)):
        raise ValidationError(_l("Enter an email address in the right format, like nom@exemple.ca"))


def email_field():
    return StringField(
        _l("Email address"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(_l("Enter your email address")), Length(max=254, message=_l(
            "Your email address must have at most 254 characters")), no_control_characters, valid_email],
    )


class RegisterForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Create a password")), no_control_characters])


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password")), no_control_characters])
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Create a password")), no_control_characters])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that post (logout, resend, stay signed in)."""
