"""Registration: a strong password, a unique email, a verification link by email, nothing half-saved."""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.auth.models import LoginSession, User
from app.auth.testing import STRONG_PASSWORD
from app.core.audit import AuditEvent
from app.core.db import db
from app.runner.models import Run


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def register(client, email="Ana@Example.ca ", password=STRONG_PASSWORD):
    return client.post("/inscription", data={"email": email, "password": password})


def test_register_creates_a_verified_later_account_and_signs_in(app, client, mailbox):
    response = register(client)
    assert response.status_code == 302 and response.location.endswith("/inscription/verifiez-vos-courriels")
    with app.app_context():
        user = db.session.execute(select(User)).scalar_one()
        assert user.email == "ana@example.ca"
        assert user.password_hash.startswith("$argon2id$") and STRONG_PASSWORD not in user.password_hash
        assert user.roles == ["citizen"] and user.email_verified_at is None
    assert client.get("/mon-dossier").status_code == 200
    [message] = mailbox.messages()
    assert message["To"] == "ana@example.ca"
    [link] = mailbox.links()
    assert "/courriel/verifier/" in link


def test_verification_link_from_the_email_confirms_the_address(app, client, mailbox):
    register(client)
    [link] = mailbox.links()
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Votre adresse courriel est confirmée" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(User)).scalar_one().email_verified_at is not None


def test_altered_verification_link_is_refused_with_a_clear_message(client, mailbox):
    register(client)
    path = urlsplit(mailbox.links()[0]).path
    page = client.get(path[:-3] + ("abc" if not path.endswith("abc") else "xyz"))
    assert page.status_code == 400
    assert "Ce lien n’est pas valide" in page.get_data(as_text=True) or "Ce lien n'est pas valide" in page.get_data(as_text=True)


def test_expired_verification_link_says_it_expired(app, client, mailbox):
    register(client)
    path = urlsplit(mailbox.links()[0]).path
    app.config["EMAIL_VERIFICATION_MAX_AGE"] = -1
    try:
        page = client.get(path)
    finally:
        app.config["EMAIL_VERIFICATION_MAX_AGE"] = 48 * 3600
    assert page.status_code == 400
    assert "Ce lien a expiré" in page.get_data(as_text=True)


def test_duplicate_email_is_refused_whatever_the_case(app, client, user):
    page = register(client, email="ANA@example.ca")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Un compte existe déjà avec cette adresse courriel" in text
    assert "<title>Erreur" in text
    assert count(app, User) == 1


def test_weak_passwords_are_refused_with_a_reason(app, client):
    cases = {
        "court": "au moins 12 caractères",
        "motdepasse123": "trop facile à deviner",
        "aaaaaaaaaaaaaaaa": "trop facile à deviner",
        "azertyuiop123": "trop facile à deviner",
        "xavier.gagnon@example.ca!": "ne doit pas contenir votre adresse courriel",
    }
    for password, reason in cases.items():
        page = register(client, email="xavier.gagnon@example.ca", password=password)
        assert page.status_code == 200
        assert reason in page.get_data(as_text=True), password
    assert count(app, User) == 0


def test_messages_follow_the_language(client):
    client.get("/langue/en", check_page=False)
    page = register(client, password="short")
    assert "at least 12 characters" in page.get_data(as_text=True)


def test_malformed_email_is_refused(app, client):
    page = register(client, email="ana-at-example")
    assert "Entrez une adresse courriel dans le bon format" in page.get_data(as_text=True)
    assert count(app, User) == 0


def test_a_database_error_mid_registration_leaves_no_orphan_rows(app, client, mailbox, monkeypatch):
    with client.session_transaction() as session:
        with app.app_context():
            run = Run(journey_id="devenir-parent", journey_version=2, answers={"a": 1})
            db.session.add(run)
            db.session.commit()
            session["runs"] = {"devenir-parent": run.id}
            run_id = run.id

    def broken_start(user):
        raise OperationalError("INSERT INTO login_sessions", {}, Exception("disk I/O error"))

    monkeypatch.setattr("app.auth.sessions.start", broken_start)
    page = register(client)
    assert page.status_code == 500
    assert "Rien n’a été enregistré" in page.get_data(as_text=True) or "Rien n'a été enregistré" in page.get_data(as_text=True)
    assert count(app, User) == 0
    assert count(app, LoginSession) == 0
    assert count(app, AuditEvent) == 0
    with app.app_context():
        assert db.session.get(Run, run_id).user_id is None
    assert mailbox.messages() == []
    assert client.get("/mon-dossier").status_code == 302


def test_registration_claims_the_anonymous_run_without_losing_answers(app, client, mailbox):
    with app.app_context():
        run = Run(journey_id="devenir-parent", journey_version=2, answers={"type_evenement": "naissance"})
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    with client.session_transaction() as session:
        session["runs"] = {"devenir-parent": run_id}
    register(client)
    with app.app_context():
        claimed = db.session.get(Run, run_id)
        user = db.session.execute(select(User)).scalar_one()
        assert claimed.user_id == user.id
        assert claimed.answers == {"type_evenement": "naissance"}
    with client.session_transaction() as session:
        assert session["runs"] == {"devenir-parent": run_id}


def test_two_registrations_racing_for_one_email_leave_one_account(app, client, user, monkeypatch):
    # The second request passed the "already exists?" check before the first one committed.
    monkeypatch.setattr("app.auth.views._user_by_email", lambda email: None)
    page = register(client, email="ana@example.ca")
    assert "Un compte existe déjà avec cette adresse courriel" in page.get_data(as_text=True)
    assert count(app, User) == 1 and count(app, LoginSession) == 0
