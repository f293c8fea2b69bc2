"""`flask serve`: the development server of `make run`: the portal, the WSGI apps mounted beside it
(the partner registries under /partenaires) and the background services (the delivery worker),
all in one process."""
from __future__ import annotations

import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import run_simple

from app.core.config import partners_base_url


def build_wsgi(app):
    mounts = app.extensions.get("mounts", {})
    return DispatcherMiddleware(app.wsgi_app, mounts) if mounts else app.wsgi_app


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Serve Parcours with its partner registries and delivery worker in-process."""
    app = current_app._get_current_object()
    if app.config.get("PARTNERS_BASE_URL_FROM_ADDRESS"):  # the registries mounted here, on this port
        app.config["PARTNERS_BASE_URL"] = partners_base_url(host, port)
    stop = threading.Event()
    for service in app.extensions.get("background_services", []):
        threading.Thread(target=service, args=(app, stop), daemon=True, name=service.__name__).start()
    click.echo(f"Parcours: http://{host}:{port}/")
    try:
        run_simple(host, port, build_wsgi(app), threaded=True, use_reloader=False, use_debugger=False)
    finally:
        stop.set()


def init_app(app) -> None:
    app.extensions.setdefault("mounts", {})
    app.extensions.setdefault("background_services", [])
    app.cli.add_command(serve)
    from app.core.supervisor import run_all

    app.cli.add_command(run_all)
