"""Error pages (400, 403, 404, 500) in the user's language; a missing CSRF token is a 400 page; an
encrypted value this process cannot read is a 503 page that says so."""
from __future__ import annotations

import logging

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from app.core.crypto import DecryptionError

log = logging.getLogger(__name__)


def init_app(app) -> None:
    def render_error(code: int):
        return render_template(f"errors/{code}.html"), code

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400)

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host header outside TRUSTED_HOSTS: no URL can be built for it, so no page either.
        return app.response_class("Bad Request: unknown host.\n", status=400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code in (400, 403, 404, 405, 413):
            return render_error(404 if code == 405 else (400 if code == 413 else code))
        return error

    @app.errorhandler(DecryptionError)
    def unreadable(error):
        # A key missing here (processes sharing a database with different FIELD_ENCRYPTION_KEYS) or an
        # altered value: the citizen gets a plain explanation, the operator the key id (never data).
        log.error("encrypted value cannot be read: %s", error)
        return render_template("errors/unreadable.html"), 503

    @app.errorhandler(500)
    def server_error(error):
        return render_error(500)
