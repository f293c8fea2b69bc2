"""The mail service: .eml files in development and tests, SMTP from configuration in production."""
from __future__ import annotations

import pytest

from app.core import mail


class FakeSMTP:
    sent = []

    def __init__(self, host, port, timeout):
        self.calls = [("connect", host, port)]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        FakeSMTP.sent.append(self.calls)

    def starttls(self, context):
        self.calls.append(("starttls",))

    def login(self, username, password):
        self.calls.append(("login", username))

    def send_message(self, message):
        self.calls.append(("send", message["To"], message["Subject"]))


def test_smtp_backend_uses_starttls_and_credentials_from_config(app, monkeypatch):
    monkeypatch.setattr("app.core.mail.smtplib.SMTP", FakeSMTP)
    app.config.update(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="smtp.example", MAIL_SMTP_USERNAME="parcours",
                      MAIL_SMTP_PASSWORD="from-env")
    try:
        with app.test_request_context():
            mail.send("ana@example.ca", "Sujet", "Texte", "<p>Texte</p>")
    finally:
        app.config.update(MAIL_BACKEND="file", MAIL_SMTP_HOST="localhost", MAIL_SMTP_USERNAME=None,
                          MAIL_SMTP_PASSWORD=None)
    assert FakeSMTP.sent[-1] == [("connect", "smtp.example", 587), ("starttls",), ("login", "parcours"),
                                 ("send", "ana@example.ca", "Sujet")]


def test_eml_files_hold_text_and_html_parts(app, mailbox):
    with app.test_request_context():
        mail.send("ana@example.ca", "Sujet", "Texte brut", "<p>Texte HTML</p>")
    [message] = mailbox.messages()
    assert message.get_body(preferencelist=("plain",)).get_content().strip() == "Texte brut"
    assert "Texte HTML" in message.get_body(preferencelist=("html",)).get_content()


def test_an_unknown_backend_is_refused(app):
    app.config["MAIL_BACKEND"] = "pigeon"
    try:
        with app.test_request_context(), pytest.raises(RuntimeError):
            mail.send("ana@example.ca", "Sujet", "Texte")
    finally:
        app.config["MAIL_BACKEND"] = "file"
