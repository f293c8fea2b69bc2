"""The session cookie: Flask's signed cookie session, with its serializer built once per secret key
and the cookies it has already checked remembered for a while.

Flask builds a new `URLSafeTimedSerializer` for every request, twice (to read the cookie and to
write it), and each one signs a sample value to learn its type; then it checks the signature, and
decompresses and decodes the cookie, even when the browser sends back the very cookie it checked a
moment ago. Together that was about a quarter of a question page's time (bench/profile_question.py).

So the serializer is kept until the secret keys change, an unchanged session is not written back
(as in Flask, without working out the cookie's settings first), and a cookie that passed the check is
remembered (bounded, least recently used first) with what it holds and when it was signed: the
same cookie again skips the signature and decoding, but still expires at the same moment, and
each request gets its own copy of the data. A cookie that fails the check is never remembered.
"""
from __future__ import annotations

import time

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from app.core.lru import LRU

MAX_REMEMBERED_COOKIES = 4096


class CookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializer = None
        self._keys: tuple | None = None
        self._checked = LRU(MAX_REMEMBERED_COOKIES)

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys != self._keys:
            self._serializer = super().get_signing_serializer(app)
            self._checked.clear()
            self._keys = keys
        return self._serializer

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        checked = self._checked.get(value)
        if checked is None:
            try:
                data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            checked = (data, signed_at.timestamp())
            self._checked.put(value, checked)
        data, signed_at = checked
        if time.time() - signed_at > max_age:
            return self.session_class()
        return self.session_class(_copy(data))

    def save_session(self, app, session, response):
        if self.should_set_cookie(app, session):  # modified, or refreshed at every request
            return super().save_session(app, session, response)
        # Unchanged: no cookie to send, only the Vary header Flask would add (without its cookie settings).
        if session.accessed:
            response.vary.add("Cookie")
        return None


def _copy(value):
    """A copy of a session's data that no change to the copy can reach back to: what the session
    serializer gives (dicts, lists and tuples of str, bytes, numbers, dates, UUIDs, Markup, all
    immutable) copied container by container, at a third of `copy.deepcopy`'s cost."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_copy(item) for item in value)
    return value


def init_app(app) -> None:
    app.session_interface = CookieSessionInterface()
