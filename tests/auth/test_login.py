"""Login, lockout, session rotation, idle timeout and logout that really ends the session."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import g
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from app.auth.decorators import role_required
from app.auth.models import LoginSession, User
from app.auth.testing import STRONG_PASSWORD, create_user, login
from app.core.audit import AuditEvent
from app.core.db import db, utcnow
from app.runner.models import Run


def test_login_sends_to_mon_dossier_and_a_wrong_password_gets_a_clear_message(client, user):
    wrong = login(client, password="pas le bon mot de passe")
    assert wrong.status_code == 200
    assert "L’adresse courriel ou le mot de passe n’est pas le bon." in wrong.get_data(as_text=True)
    assert client.get("/mon-dossier").status_code == 302
    right = login(client, email="ANA@example.ca")
    assert right.status_code == 302 and right.location.endswith("/mon-dossier")
    assert client.get("/mon-dossier").status_code == 200


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, user):
    page = login(client, email="personne@example.ca")
    assert "L’adresse courriel ou le mot de passe n’est pas le bon." in page.get_data(as_text=True)


def test_login_returns_to_the_page_asked_but_never_to_another_site(client, user):
    page = client.get("/mon-dossier/profil")
    assert page.status_code == 302 and "/connexion?next=" in page.location
    response = client.post("/connexion", data={"email": user.email, "password": STRONG_PASSWORD,
                                                "next": "/mon-dossier/profil"})
    assert response.location.endswith("/mon-dossier/profil")
    client.post("/deconnexion")
    response = client.post("/connexion", data={"email": user.email, "password": STRONG_PASSWORD,
                                                "next": "https://evil.example/steal"})
    assert response.location.endswith("/mon-dossier")


def test_an_account_is_locked_after_five_failures_even_with_the_right_password(app, client, user):
    for _ in range(5):
        assert login(client, password="mauvais mot de passe").status_code == 200
    locked = login(client)
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.get_data(as_text=True)
    # Another account from the same address is not locked by this one.
    with app.app_context():
        create_user("bea@example.ca")
    assert login(client, email="bea@example.ca").status_code == 302


def test_successful_logins_do_not_count_towards_the_lockout(client, user):
    for _ in range(8):
        assert login(client).status_code == 302
        client.post("/deconnexion")


def test_one_address_is_blocked_after_twenty_failures_across_accounts(client, user):
    for number in range(20):
        login(client, email=f"essai{number}@example.ca", password="mauvais mot de passe")
    assert login(client).status_code == 429


def test_login_gives_a_fresh_session_and_keeps_the_visitor_runs(app, client, user):
    with app.app_context():
        run = Run(journey_id="devenir-parent", journey_version=2, answers={"x": 1})
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    with client.session_transaction() as session:
        session["runs"] = {"devenir-parent": run_id}
        session["planted"] = "by an attacker before login"
    login(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["runs"] == {"devenir-parent": run_id}
        first_token = session["login_token"]
    client.post("/deconnexion")
    login(client)
    with client.session_transaction() as session:
        assert session["login_token"] != first_token
    with app.app_context():
        assert db.session.get(Run, run_id).user_id == user.id


def test_a_run_owned_by_another_account_is_never_claimed(app, client, user):
    with app.app_context():
        other = create_user("bea@example.ca")
        run = Run(journey_id="devenir-parent", journey_version=2, answers={}, user_id=other.id)
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    with client.session_transaction() as session:
        session["runs"] = {"devenir-parent": run_id}
    login(client)
    with app.app_context():
        assert db.session.get(Run, run_id).user_id != user.id
    with client.session_transaction() as session:
        assert run_id not in session["runs"].values()


def test_login_brings_back_the_account_runs_in_progress(app, client, user):
    with app.app_context():
        run = Run(journey_id="demenager", journey_version=2, answers={}, user_id=user.id)
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    login(client)
    with client.session_transaction() as session:
        assert session["runs"]["demenager"] == run_id


def test_logout_really_ends_the_session_even_for_a_copied_cookie(app, client, user):
    login(client)
    with client.session_transaction() as session:
        stolen = dict(session)
    response = client.post("/deconnexion")
    assert response.status_code == 302 and response.location.endswith("/deconnecte")
    assert client.get("/deconnecte").status_code == 200
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(LoginSession)).scalar_one() == 0
    with client.session_transaction() as session:
        session.update(stolen)  # replay the cookie as it was before logout
    page = client.get("/mon-dossier")
    assert page.status_code == 302
    assert client.get("/mon-dossier").location.startswith("/connexion")


def test_logout_is_a_post_and_needs_the_csrf_token(csrf_app, user):
    client = csrf_app.test_client()
    assert client.get("/deconnexion").status_code == 404
    assert client.post("/deconnexion").status_code == 400


def _age_session(app, minutes: int) -> None:
    with app.app_context():
        for row in db.session.execute(select(LoginSession)).scalars():
            row.last_seen_at = utcnow() - timedelta(minutes=minutes)
        db.session.commit()


def test_idle_for_thirty_minutes_ends_the_session_with_an_explanation(app, client, user):
    login(client)
    _age_session(app, 29)
    assert client.get("/mon-dossier").status_code == 200
    _age_session(app, 31)
    expired = client.get("/mon-dossier")
    assert expired.status_code == 302 and expired.location.endswith("/session/expiree")
    page = client.get("/session/expiree")
    assert "Votre session a expiré" in page.get_data(as_text=True)
    assert "30 minutes" in page.get_data(as_text=True)
    assert client.get("/mon-dossier").location.startswith("/connexion")
    with client.session_transaction() as session:
        assert "runs" not in session and "login_token" not in session


def test_the_warning_page_lets_the_citizen_stay_signed_in(app, client, user):
    login(client)
    _age_session(app, 26)
    page = client.get("/session/avertissement?next=/mon-dossier/profil")
    assert "Votre session va bientôt expirer" in page.get_data(as_text=True)
    stay = client.post("/session/prolonger", data={"next": "/mon-dossier/profil"})
    assert stay.location.endswith("/mon-dossier/profil")
    _age_session(app, 0)
    assert client.get("/mon-dossier").status_code == 200


def test_signed_in_pages_carry_the_session_timeout_script_and_logout_button(client, user):
    login(client)
    html = client.get("/mon-dossier").get_data(as_text=True)
    assert "session-timeout.js" in html and 'action="/deconnexion"' in html
    assert "Se déconnecter" in html


def test_login_and_failures_are_audited_without_personal_data(app, client, user):
    login(client, password="mauvais mot de passe")
    login(client)
    with app.app_context():
        events = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        assert [e.action for e in events] == ["account.login_failed", "account.login"]
        assert all("ana" not in str(e.details) for e in events)


@pytest.mark.parametrize("roles, expected", [(["citizen"], 403), (["staff_editor"], 200), (["admin", "citizen"], 403)])
def test_role_required_lets_only_the_listed_roles_in(app, roles, expected):
    @role_required("staff_editor", "staff_publisher")
    def studio():
        return "ok", 200

    with app.test_request_context("/studio"):
        g._login_user = User(id=1, email="x@example.ca", password_hash="-", roles=roles)
        from werkzeug.exceptions import Forbidden
        try:
            status = studio()[1]
        except Forbidden:
            status = 403
        assert status == expected


def test_role_required_sends_anonymous_visitors_to_the_login_page(app):
    @role_required("admin")
    def admin_only():
        return "ok"

    with app.test_request_context("/admin"):
        g._login_user = AnonymousUserMixin()
        response = admin_only()
        assert response.status_code == 302 and "/connexion" in response.location


def test_security_headers_and_cookie_flags(app, client, user):
    response = login(client)
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/connexion")
    headers = page.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"] and "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert client.get("/mon-dossier").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example", "https://evil.example", "/\t/evil.example"])
def test_no_open_redirect_after_login(client, user, target):
    response = client.post("/connexion", data={"email": user.email, "password": STRONG_PASSWORD, "next": target})
    assert response.location == "/mon-dossier"


def test_a_hash_made_with_weaker_argon2_parameters_is_upgraded_at_login(app, client, user):
    app.config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST_KIB=16, ARGON2_PARALLELISM=1)
    assert login(client).status_code == 302
    with app.app_context():
        assert "t=2" in db.session.get(User, user.id).password_hash
