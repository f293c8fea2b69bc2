"""Partner registries: stand-ins for the organisations' own systems, as a separate WSGI app.

`create_partners_app(config)` builds it (own database, own tables, own secret check, a cap on
request size read before the body, security headers on every answer). The portal
mounts it under /partenaires (`flask serve`); `flask partners serve --port 5001` runs it alone, at
the same /partenaires prefix so `PARTNERS_BASE_URL` only changes host and port.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from app.partners.faults import FaultBoard
from app.partners.store import make_engine, prepare

# Used when journeys/organisations.yaml cannot be read: the registries issue 4 names.
DEFAULT_REGISTRIES = ("dec", "ramq", "retraite-quebec", "revenu-quebec", "arc", "service-canada", "rqap",
                      "saaq", "elections-quebec", "mess", "registraire-entreprises", "cnesst", "cisss")
PREFIX = "/partenaires"
# Declarations and look-ups are a few kilobytes: anything bigger is refused before it is read.
MAX_BODY_BYTES = 64 * 1024
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


@dataclass
class RegistriesState:
    engine: object
    secret: str
    organisations: frozenset[str]
    faults: FaultBoard
    max_body_bytes: int = MAX_BODY_BYTES


def registry_ids(journeys_dir: str | Path | None) -> tuple[str, ...]:
    """Every `partner_api` named in journeys/organisations.yaml (one registry each)."""
    path = Path(journeys_dir or "journeys") / "organisations.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        ids = tuple(sorted({org["partner_api"] for org in data.get("organisations", []) if org.get("partner_api")}))
    except (OSError, yaml.YAMLError, TypeError, KeyError):
        ids = ()
    return ids or DEFAULT_REGISTRIES


def create_partners_app(config: dict) -> Flask:
    """config: DATABASE_URL, HMAC_SECRET (required), ORGANISATIONS (ids), FAULTS ({org: {...}}),
    MAX_BODY_BYTES (64 KiB by default)."""
    if not config.get("HMAC_SECRET"):
        raise ValueError("the partner registries need HMAC_SECRET")
    app = Flask("app.partners")
    app.config["JSON_SORT_KEYS"] = False
    max_body = int(config.get("MAX_BODY_BYTES") or MAX_BODY_BYTES)
    # Werkzeug refuses a bigger Content-Length and stops reading a chunked body one byte past the
    # cap, so the registries can tell "exactly the cap" from "more" (413) without reading further.
    app.config["MAX_CONTENT_LENGTH"] = max_body + 1
    engine = make_engine(config["DATABASE_URL"])
    prepare(engine)
    app.extensions["partners"] = RegistriesState(
        engine=engine,
        secret=config["HMAC_SECRET"],
        organisations=frozenset(config.get("ORGANISATIONS") or DEFAULT_REGISTRIES),
        faults=FaultBoard(engine, config.get("FAULTS")),
        max_body_bytes=max_body,
    )
    from app.partners.api import bp

    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def http_error(error):
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 400: "bad_request"}
        return jsonify({"error": codes.get(error.code, "http_error"), "message": error.description}), error.code

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        return response

    return app


def partners_config(portal_app) -> dict:
    """The registries' config derived from the portal's (same secret, own database)."""
    return {
        "DATABASE_URL": portal_app.config["PARTNERS_DATABASE_URL"],
        "HMAC_SECRET": portal_app.config["PARTNER_HMAC_SECRET"],
        "ORGANISATIONS": registry_ids(portal_app.config.get("JOURNEYS_DIR")),
        "FAULTS": portal_app.config.get("PARTNERS_FAULTS") or {},
    }


class LazyPartnersApp:
    """Builds the registries on first request, so creating the portal never touches their database."""

    def __init__(self, portal_app):
        self._portal_app = portal_app
        self._app = None
        self._lock = threading.Lock()

    @property
    def app(self) -> Flask:
        with self._lock:  # two first requests at once must not build two registries (two fault boards)
            if self._app is None:
                self._app = create_partners_app(partners_config(self._portal_app))
            return self._app

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def init_app(app) -> None:
    from app.partners.cli import partners_cli

    app.cli.add_command(partners_cli)
    if app.config.get("PARTNERS_MOUNT", True):
        app.extensions.setdefault("mounts", {})[PREFIX] = LazyPartnersApp(app)
