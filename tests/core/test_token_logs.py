"""Reset and verification tokens never reach an access log (issue 9, section 2): werkzeug's request
lines and gunicorn's access lines (request line and Referer) are redacted, whatever the format."""
from __future__ import annotations

import datetime
import io
import logging
import threading
from types import SimpleNamespace

import httpx
from werkzeug.serving import make_server

from app.auth import tokens
from app.auth.testing import create_user
from app.core.db import db

TOKEN_PATHS = ("/courriel/verifier/{}", "/mot-de-passe/nouveau/{}")


def real_tokens(app):
    with app.app_context():
        user = create_user(email="logs@example.ca", verified=False)
        found = tokens.verification_token(user), tokens.reset_token(user)
        db.session.commit()
    return found


def test_werkzeug_access_log_shows_no_token(app, caplog):
    verify, reset = real_tokens(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            for path, token in zip(TOKEN_PATHS, (reset, verify)):
                response = httpx.get(f"http://127.0.0.1:{server.server_port}" + path.format(token))
                assert response.status_code in (200, 400)
    finally:
        server.shutdown()
        thread.join(timeout=5)
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("/courriel/verifier/[redacted]" in line for line in lines), lines
    assert any("/mot-de-passe/nouveau/[redacted]" in line for line in lines), lines
    assert not any(verify in line or reset in line for line in lines)


def test_gunicorn_access_log_shows_no_token_in_the_request_line_or_the_referer(app):
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    verify, reset = real_tokens(app)
    config = Config()
    config.set("accesslog", "-")
    gunicorn_log = Logger(config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    gunicorn_log.access_log.addHandler(handler)
    try:
        environ = {"REQUEST_METHOD": "GET", "RAW_URI": TOKEN_PATHS[1].format(reset) + "?x=1",
                   "PATH_INFO": TOKEN_PATHS[1].format(reset), "QUERY_STRING": "x=1", "SERVER_PROTOCOL": "HTTP/1.1",
                   "REMOTE_ADDR": "203.0.113.9",
                   "HTTP_REFERER": "https://parcours.example" + TOKEN_PATHS[0].format(verify)}
        request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
        response = SimpleNamespace(status="200 OK", sent=10, headers=[])
        gunicorn_log.access(response, request, environ, datetime.timedelta(milliseconds=3))
    finally:
        gunicorn_log.access_log.removeHandler(handler)
    line = stream.getvalue()
    assert "/mot-de-passe/nouveau/[redacted]" in line and "/courriel/verifier/[redacted]" in line
    assert verify not in line and reset not in line
