"""Error pages (400, 403, 404, 500) in the user's language; a missing CSRF token is a 400 page."""
from __future__ import annotations

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def init_app(app) -> None:
    def render_error(code: int):
        return render_template(f"errors/{code}.html"), code

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code in (400, 403, 404, 405, 413):
            return render_error(404 if code == 405 else (400 if code == 413 else code))
        return error

    @app.errorhandler(500)
    def server_error(error):
        return render_error(500)
