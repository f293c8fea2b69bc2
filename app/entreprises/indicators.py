"""Indicators of the business space, for the studio's dashboard: businesses created, and business
journeys completed, by sector. Counts only: no names, no NEQ, nothing about a person.

Call inside an application context:

    from app.entreprises.indicators import business_indicators
    data = business_indicators(since=datetime(2026, 1, 1, tzinfo=timezone.utc))
    data.businesses_created            # 12
    data.businesses_by_sector          # {"restauration": 5, "construction": 7}
    data.journeys_completed_by_sector  # {"restauration": {"embaucher-premier-employe": 3}, ...}
    data.as_dict()                     # the same, JSON-ready
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from app.core.db import db
from app.entreprises.models import Business, BusinessRun


@dataclass(frozen=True)
class BusinessIndicators:
    since: datetime | None
    businesses_created: int
    businesses_by_sector: dict[str, int] = field(default_factory=dict)
    journeys_completed_by_sector: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["since"] = self.since.isoformat() if self.since else None
        return data


def business_indicators(since: datetime | None = None) -> BusinessIndicators:
    """Businesses created since `since` (all time when None), by sector; completed business
    journeys (runs attached to a business, status completed, last changed since `since`) by the
    business's sector and journey id."""
    from app.runner.models import Run

    created = select(Business.sector, func.count()).group_by(Business.sector)
    if since is not None:
        created = created.where(Business.created_at >= since)
    by_sector = {sector: count for sector, count in db.session.execute(created)}

    completed = (select(Business.sector, BusinessRun.journey_id, func.count())
                 .join(BusinessRun, BusinessRun.business_id == Business.id)
                 .join(Run, Run.id == BusinessRun.run_id)
                 .where(Run.status == "completed")
                 .group_by(Business.sector, BusinessRun.journey_id))
    if since is not None:
        completed = completed.where(Run.updated_at >= since)
    journeys: dict[str, dict[str, int]] = {}
    for sector, journey_id, count in db.session.execute(completed):
        journeys.setdefault(sector, {})[journey_id] = count
    return BusinessIndicators(since, sum(by_sector.values()), by_sector, journeys)
