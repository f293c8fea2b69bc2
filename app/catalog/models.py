"""Journey versions: the published definitions (immutable, kept forever) and the staff's drafts.

One table holds both. A published row (`status == "published"`) is the exact definition runs are
pinned to: it is only ever inserted, never changed (`_refuse_changes_to_published` below), so the
newest published id tells every process whether the catalogue changed. A draft (`"draft"`, or
`"review"` once an editor asked for publication) has no version number until it is published; each
journey has at most one. The organisations file is versioned the same way under the id
`ORGANISATIONS_ID`, which no journey can take (journey ids are slugs, without underscores).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import db, utcnow

ORGANISATIONS_ID = "_organisations"
PUBLISHED = "published"
DRAFT = "draft"
REVIEW = "review"  # a draft whose editor asked a publisher to publish it
DRAFT_STATUSES = (DRAFT, REVIEW)


class JourneyVersion(db.Model):
    __tablename__ = "journey_versions"
    __table_args__ = (UniqueConstraint("journey_id", "version"),
                      Index("ix_journey_versions_status_id", "status", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    journey_id: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=PUBLISHED, server_default=PUBLISHED)
    definition: Mapped[dict] = mapped_column(JSON)
    # The YAML text as staff wrote it (comments and order kept); None for rows older than the studio.
    source: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    # The journey's test scenarios kept with the draft: {name: YAML text}.
    scenarios: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON, nullable=True)
    checksum: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(254), default="journeys/")
    based_on: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    note: Mapped[Optional[str]] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    review_requested_by: Mapped[Optional[str]] = mapped_column(String(254), nullable=True)
    review_requested_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    published_by: Mapped[Optional[str]] = mapped_column(String(254), nullable=True)
    published_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED


class PublishedVersionChanged(RuntimeError):
    """Raised when code tries to change or delete a published version: publish a new one instead."""


@event.listens_for(JourneyVersion, "before_update")
def _refuse_changes_to_published(mapper, connection, target) -> None:
    history = inspect(target).attrs.status.history
    was = history.deleted[0] if history.deleted else target.status
    if was == PUBLISHED:
        raise PublishedVersionChanged(f"{target.journey_id} v{target.version} is published and cannot change")


@event.listens_for(JourneyVersion, "before_delete")
def _refuse_deleting_published(mapper, connection, target) -> None:
    if target.status == PUBLISHED:
        raise PublishedVersionChanged(f"{target.journey_id} v{target.version} is published and cannot be deleted")
