"""Forgotten password: a signed link valid one hour, single use, that signs out every device."""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import func, select

from app.auth.models import LoginSession
from app.auth.testing import STRONG_PASSWORD, login
from app.core.db import db

NEW_PASSWORD = "girafe bleue sous la pluie"


def ask_link(client, mailbox, email="ana@example.ca") -> str:
    page = client.post("/mot-de-passe/oublie", data={"email": email})
    assert "Si un compte existe pour cette adresse" in page.get_data(as_text=True)
    links = mailbox.links()
    return urlsplit(links[-1]).path if links else ""


def test_unknown_address_gets_the_same_answer_and_the_same_work(app, client, mailbox, user, monkeypatch):
    """Same page, and one mail either way (rendering and sending it is the work that takes time), so
    neither the answer nor its timing tells whether an account exists."""
    from app.core import mail

    sent = []
    real_send = mail.send
    monkeypatch.setattr(mail, "send", lambda *args, **kwargs: (sent.append(args[0]), real_send(*args, **kwargs)))
    known = client.post("/mot-de-passe/oublie", data={"email": user.email})
    unknown = client.post("/mot-de-passe/oublie", data={"email": "personne@example.ca"})
    assert (known.status_code, known.get_data()) == (unknown.status_code, unknown.get_data())
    assert sent == [user.email, "personne@example.ca"]
    to_known, to_unknown = mailbox.messages()
    assert to_known["Subject"] == to_unknown["Subject"]
    text = to_unknown.get_body(("plain",)).get_content()
    assert "Aucun compte Parcours n’utilise cette adresse" in text
    assert "/mot-de-passe/nouveau/" not in text and "/inscription" in text


def test_reset_changes_the_password_and_signs_out_every_device(app, client, mailbox, user):
    other_device = app.test_client()
    login(other_device)
    path = ask_link(client, mailbox)
    assert client.get(path).status_code == 200
    weak = client.post(path, data={"password": "motdepasse123"})
    assert "trop facile à deviner" in weak.get_data(as_text=True)
    done = client.post(path, data={"password": NEW_PASSWORD})
    assert done.location.endswith("/mot-de-passe/modifie")
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(LoginSession)).scalar_one() == 0
    assert other_device.get("/mon-dossier").status_code == 302
    assert login(client, password=STRONG_PASSWORD).status_code == 200
    assert login(client, password=NEW_PASSWORD).status_code == 302


def test_a_reset_link_works_only_once(client, mailbox, user):
    path = ask_link(client, mailbox)
    client.post(path, data={"password": NEW_PASSWORD})
    again = client.get(path)
    assert again.status_code == 400
    assert "Ce lien n’est pas valide" in again.get_data(as_text=True)


def test_altered_and_expired_reset_links_are_refused(app, client, mailbox, user):
    path = ask_link(client, mailbox)
    altered = client.get(path.replace("/nouveau/", "/nouveau/x"))
    assert altered.status_code == 400 and "Ce lien n’est pas valide" in altered.get_data(as_text=True)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        expired = client.get(path)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert expired.status_code == 400 and "Ce lien a expiré" in expired.get_data(as_text=True)
    assert "Demander un nouveau lien" in expired.get_data(as_text=True)


def test_the_mail_log_names_no_one(app, client, mailbox, user, caplog):
    caplog.set_level("INFO")
    ask_link(client, mailbox)
    assert "ana@example.ca" not in caplog.text
    assert "/mot-de-passe/nouveau/" in caplog.text  # the link is logged in development


def test_mail_links_use_the_public_address_when_it_is_set(app, client, mailbox, user):
    # A forged Host header never gets this far: tests/core/test_production.py (trusted hosts).
    app.config["PUBLIC_BASE_URL"] = "https://parcours.example"
    try:
        client.post("/mot-de-passe/oublie", data={"email": user.email})
    finally:
        app.config["PUBLIC_BASE_URL"] = None
    [link] = mailbox.links()
    assert link.startswith("https://parcours.example/mot-de-passe/nouveau/")


def test_a_failed_registration_logs_no_email_address(app, client, mailbox, monkeypatch, caplog):
    from sqlalchemy.exc import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("INSERT INTO users (email) VALUES (?)", ("ana@example.ca",), Exception("locked"))

    monkeypatch.setattr("app.core.audit.record", broken)
    caplog.set_level("INFO")
    client.post("/inscription", data={"email": "ana@example.ca", "password": STRONG_PASSWORD})
    assert "registration failed" in caplog.text and "ana@example.ca" not in caplog.text
