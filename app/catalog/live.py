"""The catalogue one process serves: compiled from the newest published rows, refreshed when they change.

Every citizen page asks for the catalogue, so the check must cost nothing most of the time: the
process looks at the database at most once every `refresh_seconds` (one indexed query for the
newest published row id, `ix_journey_versions_status_id`), and rebuilds only when that changed.
Published rows are only ever inserted (models.py), so a new id means a new publication.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from app.catalog.models import ORGANISATIONS_ID, PUBLISHED, JourneyVersion
from app.core.db import db
from app.journeys.loader import Catalog, check_journey_text, check_organisations_text, compile_definition

log = logging.getLogger(__name__)
_versions = JourneyVersion.__table__
_NEWEST = (select(_versions.c.id, _versions.c.checksum).where(_versions.c.status == PUBLISHED)
           .order_by(_versions.c.id.desc()).limit(1))


class CatalogState:
    def __init__(self, files: Catalog, refresh_seconds: float):
        self.files = files
        self.refresh_seconds = float(refresh_seconds)
        self._catalog = files
        self._stamp: object = None
        self._checked_at = float("-inf")
        self._archive: dict[tuple[str, int], object] = {}
        self._lock = threading.Lock()

    def current(self) -> Catalog:
        if time.monotonic() - self._checked_at < self.refresh_seconds:
            return self._catalog
        with self._lock:
            if time.monotonic() - self._checked_at >= self.refresh_seconds:
                self._refresh()
        return self._catalog

    def invalidate(self) -> None:
        self._checked_at = float("-inf")

    def _refresh(self) -> None:
        try:
            with db.engine.connect() as connection:
                stamp = tuple(connection.execute(_NEWEST).first() or ())
        except SQLAlchemyError:  # no table yet (before `flask db upgrade`): the files serve
            stamp = ()
        if stamp != self._stamp:
            self._catalog = self._build() if stamp else self.files
            self._archive.clear()
            self._stamp = stamp
        self._checked_at = time.monotonic()

    def _build(self) -> Catalog:
        """The newest published version of each journey, compiled against the newest organisations.

        A stored version that no longer compiles (e.g. the schema changed under it) is reported in the
        log and the journey served from its file, so one bad row never takes the site down."""
        rows = latest_published()
        organisations = self.files.organisations
        stored = rows.pop(ORGANISATIONS_ID, None)
        if stored is not None:
            parsed, errors = check_organisations_text(stored_text(stored))
            if parsed is None:
                log.error("organisations v%s no longer loads: %s", stored.version, errors[0].format("en"))
            else:
                organisations = parsed
        journeys = dict(self.files.journeys)
        for journey_id, row in rows.items():
            compiled = compile_row(row, organisations)
            if compiled is None:
                log.error("%s v%s no longer loads; serving journeys/ instead", journey_id, row.version)
            else:
                journeys[journey_id] = compiled
        return Catalog(journeys, organisations, self.files.forms)

    def archived(self, journey_id: str, version: int):
        """An older published version, compiled once per process (published rows never change)."""
        key = (journey_id, version)
        if key not in self._archive:
            row = db.session.execute(select(JourneyVersion).filter_by(
                journey_id=journey_id, version=version, status=PUBLISHED)).scalar_one_or_none()
            if row is not None:
                self._archive[key] = compile_row(row, self.current().organisations)
            else:  # a run started on the files before `flask journeys load` stored them
                from_files = self.files.get(journey_id)
                self._archive[key] = from_files if from_files is not None and from_files.version == version else None
        return self._archive[key]


def latest_published() -> dict[str, JourneyVersion]:
    newest = (select(func.max(JourneyVersion.id)).where(JourneyVersion.status == PUBLISHED)
              .group_by(JourneyVersion.journey_id))
    rows = db.session.execute(select(JourneyVersion).where(JourneyVersion.id.in_(newest))).scalars()
    return {row.journey_id: row for row in rows}


def stored_text(row: JourneyVersion) -> str:
    """The row's YAML: as staff wrote it, or dumped from the definition for rows older than the studio."""
    if row.source:
        return row.source
    import yaml

    return yaml.safe_dump(row.definition, allow_unicode=True, sort_keys=False)


def compile_row(row: JourneyVersion, organisations) -> Optional[object]:
    if row.source:
        compiled, _ = check_journey_text(row.source, f"{row.journey_id}@v{row.version}", organisations)
        return compiled
    try:
        return compile_definition(row.definition, organisations)
    except Exception:  # noqa: BLE001 - any failure means "cannot serve this row"
        return None
