"""The application factory: configuration, extensions, the journey catalogue and every capability's blueprint."""
from __future__ import annotations

import sys

from flask import Flask
from flask_wtf import CSRFProtect

from app.core import config, cookie_session, errors, fragments, i18n, security, serve, shared_pages
from app.core.db import db, migrate
from app.core.config import PROJECT_ROOT

csrf = CSRFProtect()


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        "app",
        instance_path=str(PROJECT_ROOT / "instance"),
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder="core/templates",
    )
    config.configure(app, overrides)
    cookie_session.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    security.check_csrf_on_unsafe_methods_only(app, csrf)
    i18n.init_app(app)
    fragments.init_app(app)
    shared_pages.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    serve.init_app(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from app import catalog, runner

    catalog.init_app(app)
    runner.init_app(app)
    from app import auth, dossier

    auth.init_app(app)
    dossier.init_app(app)
    from app import declarations, partners

    declarations.init_app(app)
    partners.init_app(app)
    from app import forms

    forms.init_app(app)
    from app import entreprises

    entreprises.init_app(app)
    return app


def exit_with(message: str) -> None:
    """Refuse to start with a readable message rather than a traceback."""
    print(message, file=sys.stderr)
    raise SystemExit(1)
