"""The one mail service: `send(to, subject, text_body, html_body=None)`.

Development and tests write each message as an .eml file under MAIL_DIR (instance/mail/ by default),
so links can be read back; production sends through SMTP from configuration (MAIL_BACKEND = "smtp").
The log line names the file and the subject, never the recipient or the body.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

from app.core.files import private_dir, write_private

log = logging.getLogger(__name__)


def build_message(to: str, subject: str, text_body: str, html_body: str | None = None) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="parcours.local")
    message.set_content(text_body)
    if html_body:
        message.add_alternative(html_body, subtype="html")
    return message


def send(to: str, subject: str, text_body: str, html_body: str | None = None) -> None:
    message = build_message(to, subject, text_body, html_body)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        _send_smtp(message)
    elif backend == "file":
        _write_eml(message)
    else:
        raise RuntimeError(f"unknown MAIL_BACKEND {backend!r}")


def _write_eml(message: EmailMessage) -> Path:
    directory = private_dir(current_app.config["MAIL_DIR"], narrow=True)
    path = write_private(directory / f"{uuid.uuid4().hex}.eml", bytes(message), exclusive=True)
    log.info("mail written to %s (subject: %s)", path, message["Subject"])
    return path


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"], timeout=20) as smtp:
        if config["MAIL_SMTP_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_SMTP_USERNAME"):
            smtp.login(config["MAIL_SMTP_USERNAME"], config["MAIL_SMTP_PASSWORD"])
        smtp.send_message(message)
    log.info("mail sent by SMTP (subject: %s)", message["Subject"])


def log_link(purpose: str, url: str) -> None:
    """Development aid: the link a mail carries, so a developer can follow it without a mail client."""
    if current_app.config["MAIL_BACKEND"] == "file":
        log.info("%s link: %s", purpose, url)
