"""The account emails (verification, password reset), rendered in the user's current language."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext

from app.core import mail


def _send(user, subject: str, template: str, link: str, purpose: str, **context) -> None:
    text = render_template(f"auth/mail/{template}.txt", link=link, **context)
    html = render_template(f"auth/mail/{template}.html", link=link, subject=subject, **context)
    mail.send(user.email, subject, text, html)
    mail.log_link(purpose, link)


def _external(endpoint: str, **values) -> str:
    """An absolute link for a mail. Built from PUBLIC_BASE_URL when set, never trusting the request's Host
    header in production (a forged Host would otherwise send reset links to another site)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + url_for(endpoint, **values)


def send_verification(user, token: str) -> None:
    link = _external("auth.verify_email", token=token)
    _send(user, gettext("Confirm your email address for Parcours"), "verify", link, "email verification")


def send_reset(user, token: str) -> None:
    link = _external("auth.reset_password", token=token)
    _send(user, gettext("Choose a new Parcours password"), "reset", link, "password reset")
