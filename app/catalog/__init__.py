"""The journey catalogue inside the web app: loaded and validated once at start-up, cached per process.

Runs pin the version they started on: the current files answer for their own version, and older
published versions come from the `journey_versions` table (stored by `flask journeys load`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app

from app.core.factory import exit_with
from app.journeys.errors import DefinitionErrors
from app.journeys.loader import load_catalog


def init_app(app) -> None:
    from app.catalog import models  # noqa: F401  (registers the table)

    try:
        app.extensions["catalog"] = load_catalog(Path(app.config["JOURNEYS_DIR"]))
    except DefinitionErrors as errors:
        exit_with(errors.format(app.config["BABEL_DEFAULT_LOCALE"]))


def get_catalog():
    return current_app.extensions["catalog"]


def get_journey(journey_id: str, version: int | None = None):
    """The compiled journey for (id, version); None when unknown. Current files first, then the archive."""
    journey = get_catalog().get(journey_id)
    if journey is not None and (version is None or journey.version == version):
        return journey
    if version is None:
        return None
    return _archived_journey(current_app.config["JOURNEYS_DIR"], journey_id, version)


@lru_cache(maxsize=64)
def _archived_journey(journeys_dir: str, journey_id: str, version: int):
    from sqlalchemy import select

    from app.catalog.models import JourneyVersion
    from app.core.db import db
    from app.journeys.loader import compile_definition

    row = db.session.execute(
        select(JourneyVersion).filter_by(journey_id=journey_id, version=version)
    ).scalar_one_or_none()
    if row is None:
        return None
    return compile_definition(row.definition, get_catalog())
