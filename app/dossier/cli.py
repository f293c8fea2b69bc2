"""Commands: `flask reminders send`, `flask retention purge|run`, `flask dossier reencrypt`."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

reminders_cli = AppGroup("reminders", help="Deadline reminders by email.")
retention_cli = AppGroup("retention", help="Law 25 retention of anonymous data.")
dossier_cli = AppGroup("dossier", help="Mon dossier maintenance.")


@reminders_cli.command("send")
@click.option("--today", "today_text", default=None, help="Pretend today is this date (YYYY-MM-DD).")
def send_command(today_text: str | None):
    """Mail each opted-in citizen a digest of their open steps due in the next 7 days (once per step)."""
    from app.dossier.reminders import send_reminders
    from app.runner.clock import today

    counts = send_reminders(date.fromisoformat(today_text) if today_text else today())
    click.echo(f"reminders: {counts['mails']} mail(s), {counts['steps']} step(s), {counts['failed']} failure(s)")
    if counts["failed"]:
        raise SystemExit(1)


@retention_cli.command("purge")
@click.option("--days", type=int, default=None, help="Override RETENTION_DAYS.")
def purge_command(days: int | None):
    """Delete anonymous runs (and their progress) untouched for RETENTION_DAYS days."""
    from app.dossier.privacy import purge_anonymous_runs

    click.echo(f"retention: {purge_anonymous_runs(days)} anonymous run(s) deleted")


@retention_cli.command("run")
def run_command():
    """Purge now, then every RETENTION_PURGE_INTERVAL_SECONDS until SIGTERM/SIGINT: the purge as a
    process of its own (`make run` starts it beside the portal, whose gunicorn workers run no
    background service)."""
    import signal
    import threading

    from flask import current_app

    from app.dossier.retention import retention_service

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo("retention: purging every "
               f"{current_app.config['RETENTION_PURGE_INTERVAL_SECONDS']} s", err=True)
    retention_service(current_app._get_current_object(), stop)


@dossier_cli.command("reencrypt")
def reencrypt_command():
    """Re-encrypt every encrypted field (profiles, form drafts, government reads) with the current key
    (FIELD_ENCRYPTION_KEY_ID)."""
    from app.core.db import db
    from app.dossier.profile import reencrypt_all
    from app.forms import government

    moved = government.reencrypt_all()
    db.session.commit()
    moved += reencrypt_all()
    click.echo(f"reencrypt: {moved} value(s) moved to the current key")
