"""The retention purge as a background service: the privacy page promises that anonymous runs are
deleted after RETENTION_DAYS days, so every server process purges on a schedule by itself.

Running it in several processes at once is harmless (each deletes what is old; deleting twice
deletes nothing). Where a system timer runs `flask retention purge` instead, set
RETENTION_IN_PROCESS=False.
"""
from __future__ import annotations

import logging
import threading

from app.core.db import db

log = logging.getLogger(__name__)


def retention_service(app, stop: threading.Event) -> None:
    """Purge now, then every RETENTION_PURGE_INTERVAL_SECONDS until `stop` is set."""
    from app.dossier.privacy import purge_anonymous_runs

    interval = float(app.config["RETENTION_PURGE_INTERVAL_SECONDS"])
    while not stop.is_set():
        with app.app_context():
            try:
                deleted = purge_anonymous_runs()
                if deleted:
                    log.info("retention: %d anonymous run(s) deleted", deleted)
            except Exception:  # noqa: BLE001 - a failed purge is retried at the next tick, never kills the server
                db.session.rollback()
                log.exception("retention purge failed; retrying in %.0f s", interval)
            finally:
                db.session.remove()
        stop.wait(interval)


def init_app(app) -> None:
    if app.config.get("RETENTION_IN_PROCESS", True):
        services = app.extensions.setdefault("background_services", [])
        if retention_service not in services:
            services.append(retention_service)
