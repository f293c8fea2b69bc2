"""The session cookie (app/core/cookie_session.py): a checked cookie is remembered but still expires, a
changed one is checked again, and the serializer follows a key rotation."""
from __future__ import annotations

from datetime import timedelta

from flask import request

from app import create_app
from app.core import cookie_session


def _rotating_app(tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": "first-key", "WTF_CSRF_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'rotation.db'}"})


def test_a_cookie_signed_with_a_retired_key_is_read_only_while_that_key_is_a_fallback(tmp_path):
    app = _rotating_app(tmp_path)
    client = app.test_client()
    client.get("/langue/en")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)

    app.config.update(SECRET_KEY="second-key", SECRET_KEY_FALLBACKS=["first-key"])
    app.secret_key = "second-key"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)

    app.config["SECRET_KEY_FALLBACKS"] = []
    old_cookie = client.get_cookie("session").value
    client.set_cookie("session", old_cookie)
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_a_remembered_cookie_still_expires(tmp_path, monkeypatch):
    app = _rotating_app(tmp_path)
    client = app.test_client()
    client.get("/langue/en")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)  # checked and remembered
    app.permanent_session_lifetime = timedelta(seconds=60)
    later = cookie_session.time.time() + 120
    monkeypatch.setattr(cookie_session.time, "time", lambda: later)
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_a_tampered_cookie_is_refused_and_one_request_cannot_change_what_the_next_reads(tmp_path):
    app = _rotating_app(tmp_path)
    with app.app_context():
        cookie = app.session_interface.get_signing_serializer(app).dumps({"lang": "en", "runs": {"a": "1"}})

    def opened(value):
        with app.test_request_context("/", headers={"Cookie": f"session={value}"}):
            return app.session_interface.open_session(app, request)

    changed = opened(cookie)  # changed during one request, never saved
    changed["lang"] = "fr"
    changed["runs"]["a"] = "2"
    assert opened(cookie) == {"lang": "en", "runs": {"a": "1"}}
    tampered = cookie[:-2] + ("BB" if cookie.endswith("AA") else "AA")
    assert opened(tampered) == {}
