"""Storing published versions: the next version number, the checksum, the `version:` line of the text.

Used by `flask journeys load` and by the staff studio, so a version published either way looks the same.
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Optional

from sqlalchemy import func, select

from app.catalog.models import PUBLISHED, JourneyVersion
from app.core.db import db, utcnow

_VERSION_LINE = re.compile(r"^version:[ \t]*[^\n#]*", re.MULTILINE)


def checksum(definition: dict) -> str:
    return hashlib.sha256(json.dumps(definition, sort_keys=True, default=str).encode()).hexdigest()


def text_checksum(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def with_version(text: str, version: int) -> str:
    """The YAML text with its top-level `version:` set (added at the top when missing)."""
    if _VERSION_LINE.search(text):
        return _VERSION_LINE.sub(f"version: {version}", text, count=1)
    return f"version: {version}\n{text}"


def latest_version(journey_id: str) -> Optional[JourneyVersion]:
    return db.session.execute(
        select(JourneyVersion).filter_by(journey_id=journey_id, status=PUBLISHED)
        .order_by(JourneyVersion.version.desc()).limit(1)).scalar_one_or_none()


def next_version_number(journey_id: str) -> int:
    highest = db.session.execute(select(func.max(JourneyVersion.version)).filter_by(journey_id=journey_id)).scalar()
    return (highest or 0) + 1


def add_published(journey_id: str, version: int, text: str, definition: dict, author: str,
                  scenarios: Optional[dict] = None, note: Optional[str] = None,
                  based_on: Optional[int] = None) -> JourneyVersion:
    """Add (the caller commits) one immutable published version."""
    now = utcnow()
    row = JourneyVersion(journey_id=journey_id, version=version, status=PUBLISHED, source=text,
                         definition=definition, checksum=checksum(definition), author=author,
                         scenarios=scenarios, note=note, based_on=based_on, created_at=now,
                         published_by=author, published_at=now)
    db.session.add(row)
    return row
