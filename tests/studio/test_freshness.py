"""Every process notices a publication made by another one within CATALOG_REFRESH_SECONDS, with one
indexed query at most per period; between checks the question page asks nothing about the catalogue."""
from __future__ import annotations

import time

import yaml
from sqlalchemy import event, insert

from app.catalog import get_catalog
from app.catalog.models import JourneyVersion
from app.catalog.publishing import checksum
from app.core.config import PROJECT_ROOT
from app.core.db import db

SOURCE = (PROJECT_ROOT / "journeys" / "demenager.yaml").read_text(encoding="utf-8")
FIRST = yaml.safe_load(SOURCE)["version"]  # the version `flask journeys load` stores


def publish_elsewhere(title: str) -> None:
    """As another process would: a row inserted straight into the table, this process not told."""
    following = FIRST + 1
    text = SOURCE.replace(f"version: {FIRST}", f"version: {following}", 1).replace("  fr: Déménager\n", f"  fr: {title}\n")
    with db.engine.begin() as connection:
        connection.execute(insert(JourneyVersion.__table__).values(
            journey_id="demenager", version=following, status="published", source=text,
            definition={"v": following}, checksum=checksum({"v": following}), author="autre-processus",
            created_at=db.func.now()))


def test_another_process_publication_is_seen_after_the_refresh_delay(app, loaded):
    state = app.extensions["catalog_state"]
    previous = state.refresh_seconds
    state.refresh_seconds = 0.3
    try:
        with app.app_context():
            assert get_catalog().get("demenager").version == FIRST
            publish_elsewhere("Déménager (nouvelle version)")
            assert get_catalog().get("demenager").version == FIRST  # within the delay: the cached catalogue
            time.sleep(0.35)
            assert get_catalog().get("demenager").title["fr"] == "Déménager (nouvelle version)"
            assert get_catalog().get("demenager").version == FIRST + 1
    finally:
        state.refresh_seconds = previous


def test_between_checks_the_catalogue_costs_no_query(app, loaded):
    state = app.extensions["catalog_state"]
    previous = state.refresh_seconds
    state.refresh_seconds = 60
    statements = []
    try:
        with app.app_context():
            get_catalog()  # the check of this period
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                for _ in range(50):
                    get_catalog()
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
    finally:
        state.refresh_seconds = previous
    assert statements == []
