"""The journey catalogue inside the web app: the published versions in the database, cached per process.

The database is the source of truth (see models.py): `flask journeys load` stores the files of
`journeys/` as the first version of each journey, and the staff studio publishes the next ones.
The files are still loaded and checked at start-up (a broken file stops the app, as before) and
serve a journey the database does not hold yet. Each process keeps the compiled catalogue and asks
the database at most every `CATALOG_REFRESH_SECONDS` whether anything was published since
(`live.CatalogState`). Runs pin the version they started on: older versions come from the table,
compiled once per process by (id, version).
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from app.core.factory import exit_with
from app.journeys.errors import DefinitionErrors
from app.journeys.loader import load_catalog

STATE = "catalog_state"


def init_app(app) -> None:
    from app.catalog import models  # noqa: F401  (registers the table)
    from app.catalog.live import CatalogState

    app.config.setdefault("CATALOG_REFRESH_SECONDS", 2.0)
    try:
        files = load_catalog(Path(app.config["JOURNEYS_DIR"]))
    except DefinitionErrors as errors:
        exit_with(errors.format(app.config["BABEL_DEFAULT_LOCALE"]))
    app.extensions["catalog"] = files  # the files as loaded at start-up
    app.extensions[STATE] = CatalogState(files, app.config["CATALOG_REFRESH_SECONDS"])


def get_catalog():
    """The catalogue citizens see now: the newest published version of each journey."""
    return current_app.extensions[STATE].current()


def get_journey(journey_id: str, version: int | None = None):
    """The compiled journey for (id, version); the newest published one without a version; None when unknown."""
    state = current_app.extensions[STATE]
    journey = state.current().get(journey_id)
    if journey is not None and (version is None or journey.version == version):
        return journey
    if version is None:
        return None
    return state.archived(journey_id, version)


def catalog_changed() -> None:
    """Call after publishing: this process sees the new version at once, the others within the refresh delay."""
    current_app.extensions[STATE].invalidate()
