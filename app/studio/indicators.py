"""Service indicators computed from the database: journeys, satisfaction, accounts, deliveries.

Preview runs (`journey_version == 0`) are never counted. Each indicator has a key; staff set a target
for any key (IndicatorTarget) and the dashboard says whether it is met. Other packages add rows with
`register_source(app, function)`: the function returns `Indicator`s (e.g. the business space).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from typing import Callable, Optional

from flask import current_app
from sqlalchemy import func, select

from app.core.db import db

SOURCES = "studio_indicator_sources"


@dataclass
class Indicator:
    key: str  # stable, e.g. "journey.demenager.completion_rate"
    group: str  # a journey id, "service", "partner:<id>"…
    name: str  # already translated
    value: Optional[float]
    unit: str = ""  # "%", "h", "" …
    higher_is_better: bool = True
    target: Optional[float] = None

    @property
    def met(self) -> Optional[bool]:
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


def register_source(app, source: Callable[[], list[Indicator]]) -> None:
    app.extensions.setdefault(SOURCES, []).append(source)


def percentile(values: list[float], share: float) -> Optional[float]:
    """Nearest-rank percentile (share in 0..1); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))  # ceil(share * n), at least 1
    return ordered[min(rank, len(ordered)) - 1]


def _hours(delta) -> float:
    return delta.total_seconds() / 3600


def journey_rows(gettext) -> list[Indicator]:
    from app.catalog import get_journey
    from app.journeys.engine import next_question
    from app.runner.mode import PREVIEW_VERSION
    from app.runner.models import Run

    rows = []
    runs = db.session.execute(select(Run).where(Run.journey_version != PREVIEW_VERSION)
                              .order_by(Run.journey_id)).scalars().all()
    by_journey: dict[str, list] = {}
    for run in runs:
        by_journey.setdefault(run.journey_id, []).append(run)
    today = date.today()
    for journey_id, items in sorted(by_journey.items()):
        starts = len(items)
        completed = [r for r in items if r.status == "completed"]
        times = [_hours(r.updated_at - r.created_at) for r in completed if r.updated_at and r.created_at]
        rows += [
            Indicator(f"journey.{journey_id}.starts", journey_id, gettext("Starts"), starts),
            Indicator(f"journey.{journey_id}.completions", journey_id, gettext("Completions"), len(completed)),
            Indicator(f"journey.{journey_id}.completion_rate", journey_id, gettext("Completion rate"),
                      round(100 * len(completed) / starts, 1) if starts else None, "%"),
            Indicator(f"journey.{journey_id}.median_hours", journey_id, gettext("Median time to complete"),
                      round(statistics.median(times), 2) if times else None, "h", higher_is_better=False),
        ]
        drops: dict[str, int] = {}
        for run in items:
            if run.status == "completed":
                continue
            journey = get_journey(journey_id, run.journey_version)
            if journey is None:
                continue
            stopped = next_question(journey, run.answers or {}, today)
            if stopped is not None:
                drops[stopped.id] = drops.get(stopped.id, 0) + 1
        for question_id, count in sorted(drops.items(), key=lambda kv: -kv[1]):
            rows.append(Indicator(f"journey.{journey_id}.dropped_at.{question_id}", journey_id,
                                  gettext("Stopped at the question %(id)s", id=question_id), count,
                                  higher_is_better=False))
    return rows


def service_rows(gettext) -> list[Indicator]:
    from app.auth.models import CITIZEN, User
    from app.studio.models import COMPLAINT, HELPFUL, Feedback

    votes = db.session.execute(select(Feedback.helpful, func.count()).where(Feedback.kind == HELPFUL)
                               .group_by(Feedback.helpful)).all()
    yes = sum(count for helpful, count in votes if helpful)
    total = sum(count for _, count in votes)
    accounts = sum(1 for roles in db.session.execute(select(User.roles)).scalars() if CITIZEN in (roles or []))
    complaints = db.session.execute(select(Feedback).where(Feedback.kind == COMPLAINT)).scalars().all()
    handled = [_hours(c.closed_at - c.created_at) for c in complaints if c.closed_at]
    return [
        Indicator("service.satisfaction", "service", gettext("Satisfaction (pages that helped)"),
                  round(100 * yes / total, 1) if total else None, "%"),
        Indicator("service.answers", "service", gettext("Answers to “Did this page help you?”"), total),
        Indicator("service.accounts", "service", gettext("Mon dossier accounts"), accounts),
        Indicator("service.complaints", "service", gettext("Complaints"), len(complaints), higher_is_better=False),
        Indicator("service.complaint_hours", "service", gettext("Median time to close a complaint"),
                  round(statistics.median(handled), 2) if handled else None, "h", higher_is_better=False),
    ]


def partner_rows(gettext) -> list[Indicator]:
    from app.declarations.models import DEAD, DELIVERED, FAILED, Delivery

    rows = []
    deliveries = db.session.execute(select(Delivery).order_by(Delivery.partner)).scalars().all()
    by_partner: dict[str, list] = {}
    for delivery in deliveries:
        by_partner.setdefault(delivery.partner, []).append(delivery)
    for partner, items in sorted(by_partner.items()):
        done = [d for d in items if d.status == DELIVERED]
        settled = [d for d in items if d.status in (DELIVERED, FAILED, DEAD)]
        seconds = [(d.delivered_at - d.created_at).total_seconds() for d in done if d.delivered_at]
        group = f"partner:{partner}"
        rows += [
            Indicator(f"partner.{partner}.deliveries", group, gettext("Deliveries"), len(items)),
            Indicator(f"partner.{partner}.success_rate", group, gettext("Success rate"),
                      round(100 * len(done) / len(settled), 1) if settled else None, "%"),
            Indicator(f"partner.{partner}.median_seconds", group, gettext("Median delivery time"),
                      round(statistics.median(seconds), 1) if seconds else None, "s", higher_is_better=False),
            Indicator(f"partner.{partner}.p95_seconds", group, gettext("95th percentile delivery time"),
                      round(percentile(seconds, 0.95), 1) if seconds else None, "s", higher_is_better=False),
            Indicator(f"partner.{partner}.dead_letters", group, gettext("Dead letters"),
                      sum(1 for d in items if d.status == DEAD), higher_is_better=False),
        ]
    return rows


def all_indicators(gettext) -> list[Indicator]:
    from app.studio.models import IndicatorTarget

    rows = journey_rows(gettext) + service_rows(gettext) + partner_rows(gettext)
    for source in current_app.extensions.get(SOURCES, []):
        rows += source()
    targets = {t.key: t.target for t in db.session.execute(select(IndicatorTarget)).scalars()}
    for row in rows:
        row.target = targets.get(row.key, row.target)
    return rows
