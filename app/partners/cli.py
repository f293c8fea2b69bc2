"""`flask partners serve`: the registries alone on their own port (threaded werkzeug server)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import run_simple

from app.partners import PREFIX, create_partners_app, partners_config


def standalone_wsgi(config: dict):
    """The registries at /partenaires/..., as when mounted in the portal."""
    def not_here(environ, start_response):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Partner registries live under /partenaires/\n"]

    return DispatcherMiddleware(not_here, {PREFIX: create_partners_app(config)})


@click.group("partners")
def partners_cli():
    """Partner registries (stand-ins for the organisations' systems)."""


@partners_cli.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5001, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Serve the partner registries alone."""
    config = partners_config(current_app)
    click.echo(f"Partner registries: http://{host}:{port}{PREFIX}/ ({len(config['ORGANISATIONS'])} registries)")
    run_simple(host, port, standalone_wsgi(config), threaded=True, use_reloader=False, use_debugger=False)
