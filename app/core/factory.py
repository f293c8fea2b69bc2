"""The application factory: configuration, extensions, the journey catalogue and every capability's blueprint."""
from __future__ import annotations

import sys
from functools import lru_cache
from inspect import iscoroutinefunction

from flask import Flask
from flask_wtf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app.core import (assets, config, cookie_session, errors, fragments, i18n, redaction, security, serve,
                      shared_pages, template_tests)
from app.core.db import check_idle_connections, db, harden, migrate, withhold_server_details
from app.core.config import PROJECT_ROOT

csrf = CSRFProtect()


class Parcours(Flask):
    """Flask, with each view and hook checked for `async def` once rather than at every call.

    Flask asks `inspect.iscoroutinefunction` of every hook and view at every request, a dozen
    times per page (about 10 µs of a question page, bench/profile_question.py); whether a
    function is a coroutine function never changes."""

    def ensure_sync(self, func):
        try:
            asynchronous = _is_coroutine_function(func)
        except TypeError:  # a callable that cannot be a dictionary key
            return super().ensure_sync(func)
        return self.async_to_sync(func) if asynchronous else func


@lru_cache(maxsize=1024)  # views, hooks and error handlers: a fixed set of a few hundred
def _is_coroutine_function(func) -> bool:
    return iscoroutinefunction(func)


class DatabaseInteger(IntegerConverter):
    """`<int:…>` in every URL: a number an INTEGER column can hold (at most 2³¹ − 1). A larger one
    matches no route, so the visitor gets 404 rather than an error where the database (SQLite
    cannot even take the parameter) refuses the number."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def create_app(overrides: dict | None = None) -> Flask:
    # INSTANCE_PATH (tests, or two processes on one machine) moves instance/: config.py, dev secrets.
    instance_path = (overrides or {}).get("INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    app = Parcours(
        "app",
        instance_path=str(instance_path),
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder="core/templates",
    )
    app.url_map.converters["int"] = DatabaseInteger  # before any route is added
    config.configure(app, overrides)
    harden(app)
    hops = int(app.config.get("PROXY_FIX_HOPS") or 0)
    if hops > 0:
        # Only as many proxies as configured are believed: a client cannot forge its IP or scheme.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    cookie_session.init_app(app)
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            check_idle_connections(engine)
            withhold_server_details(engine)
    migrate.init_app(app, db)
    csrf.init_app(app)
    i18n.init_app(app)
    fragments.init_app(app)
    shared_pages.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    template_tests.init_app(app)
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
    from app import studio

    studio.init_app(app)
    redaction.init_app(app)  # after every blueprint: it reads the routes that carry a token
    # Last of the app's before_request hooks: a refused token is handled (the page shown again with
    # what was typed) with the visitor's language and login session already known.
    security.check_csrf_on_unsafe_methods_only(app, csrf)
    assets.init_app(app)  # last: it reads every blueprint's static folder
    return app


def exit_with(message: str) -> None:
    """Refuse to start with a readable message rather than a traceback."""
    print(message, file=sys.stderr)
    raise SystemExit(1)
