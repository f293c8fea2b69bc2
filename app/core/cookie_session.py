"""The session cookie: Flask's signed cookie session, with its serializer built once per secret key.

Flask builds a new `URLSafeTimedSerializer` for every request, twice (to read the cookie and to
write it), and each one signs a sample value to learn its type: about 15 % of a question page's
time went there (bench/profile_question.py). The serializer depends only on the secret keys, so it
is kept until they change.
"""
from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface


class CookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializer = None
        self._keys: tuple | None = None

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys != self._keys:
            self._serializer = super().get_signing_serializer(app)
            self._keys = keys
        return self._serializer


def init_app(app) -> None:
    app.session_interface = CookieSessionInterface()
