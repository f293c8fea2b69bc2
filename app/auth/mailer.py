"""The account emails (verification, password reset), rendered in the user's current language."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext

from app.core import mail


def _send(user, subject: str, template: str, link: str, purpose: str, **context) -> None:
    _send_to(user.email, subject, template, link, purpose, **context)


def _send_to(address: str, subject: str, template: str, link: str, purpose: str, **context) -> None:
    text = render_template(f"auth/mail/{template}.txt", link=link, **context)
    html = render_template(f"auth/mail/{template}.html", link=link, subject=subject, **context)
    mail.send(address, subject, text, html)
    mail.log_link(purpose, link)


def _external(endpoint: str, **values) -> str:
    """An absolute link for a mail. Built from PUBLIC_BASE_URL when set, never trusting the request's Host
    header in production (a forged Host would otherwise send reset links to another site)."""
    # In development the Host header is one of TRUSTED_HOSTS (any other gets a 400 before this); in
    # production PUBLIC_BASE_URL is required (app/core/config.py).
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + url_for(endpoint, **values)


def send_verification(user, token: str) -> None:
    link = _external("auth.verify_email", token=token)
    _send(user, gettext("Confirm your email address for Parcours"), "verify", link, "email verification")


def send_reset(user, token: str) -> None:
    link = _external("auth.reset_password", token=token)
    _send(user, gettext("Choose a new Parcours password"), "reset", link, "password reset")


def send_account_exists(user) -> None:
    """Someone tried to register this address again: tell its owner, not the visitor."""
    _send(user, gettext("Someone tried to create a Parcours account with your address"), "account_exists",
          _external("auth.login"), "existing account notice", reset_link=_external("auth.forgot_password"))


def send_no_account(address: str) -> None:
    """A password reset was asked for an address no account uses: the same work as a real reset."""
    _send_to(address, gettext("Choose a new Parcours password"), "no_account", _external("auth.register"),
             "no account notice")
