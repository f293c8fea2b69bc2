"""The session cookie (app/core/cookie_session.py): its serializer is kept, and follows a key rotation."""
from __future__ import annotations

from app import create_app


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
