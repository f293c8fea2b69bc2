"""The review: what each partner would receive, computed from the run and the profile.

The same computation serves the review page and the submission, so what is sent is exactly what
was shown; nothing posted by the browser is ever used as a value. `fingerprint` lets the submit
tell whether the citizen saw the current values.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext

from app.declarations.labels import field_label, source_label
from app.declarations.outbox import PartnerPayload
from app.journeys.sources import parse_source, resolve
from app.partners.schemas import required_fields
from app.runner.display import human_answer, localized, long_date


@dataclass(frozen=True)
class Row:
    field: str
    label: str
    shown: str
    source: str  # where it comes from, in words
    source_kind: str = "answers"  # answers | profile | lookup
    missing: bool = False


@dataclass
class Offer:
    organisation: Any  # the Organisation from organisations.yaml
    partner: str
    purpose: dict
    rows: list[Row] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    # Fields the registry requires that we do not have: it would refuse, so it is not offered.
    blocked: list[str] = field(default_factory=list)

    @property
    def can_send(self) -> bool:
        return bool(self.data) and not self.blocked

    @property
    def blocked_labels(self) -> list[str]:
        return [field_label(name) for name in self.blocked]

    @property
    def id(self) -> str:
        return self.organisation.id

    def payload(self) -> PartnerPayload:
        return PartnerPayload(organisation=self.organisation.id, partner=self.partner, data=self.data)


def build_offers(journey, organisations: dict, answers: dict, profile: dict, today) -> list[Offer]:
    """One offer per declaration partner whose send_if holds for the answers (only its own fields:
    least data). `answers` are the current-route answers; the submit computes this again."""
    kind = journey.declaration.kind
    offers = []
    for partner in journey.partners_to_send(answers, today):
        organisation = organisations[partner.organisation]
        offer = Offer(organisation=organisation, partner=organisation.partner_api or organisation.id,
                      purpose=partner.purpose)
        for name, text in partner.fields.items():
            source = parse_source(text)
            value = clean(resolve(source, answers, profile, {}))
            if value is None:
                offer.missing.append(name)
                shown = gettext("Not provided: not sent")
            else:
                offer.data[name] = value
                shown = display(journey, source, name, value)
            offer.rows.append(Row(field=name, label=field_label(name), shown=shown,
                                  source=source_label(source.kind), source_kind=source.kind, missing=value is None))
        offer.blocked = [name for name in required_fields(offer.partner, kind) if name not in offer.data]
        offers.append(offer)
    return offers


@dataclass(frozen=True)
class NotSent:
    """A partner left out because of the answers, and where the citizen does it instead."""
    organisation: Any
    note: dict


def not_sent(journey, organisations: dict, answers: dict, today) -> list[NotSent]:
    """The partners whose send_if fails and that say where to go instead (e.g. the funeral home)."""
    sent = {p.organisation for p in journey.partners_to_send(answers, today)}
    return [NotSent(organisations[p.organisation], p.not_sent_note) for p in journey.declaration.partners
            if p.organisation not in sent and p.not_sent_note]


def profile_gaps(offers: list[Offer]) -> bool:
    """Whether some value would come from the profile but the profile does not hold it."""
    return any(row.missing and row.source_kind == "profile" for offer in offers for row in offer.rows)


def clean(value):
    """Trimmed values; empty strings, empty lists and empty addresses count as missing."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        kept = {k: clean(v) for k, v in value.items()}
        kept = {k: v for k, v in kept.items() if v is not None}
        return kept or None
    if isinstance(value, list):
        kept = [clean(v) for v in value]
        kept = [v for v in kept if v is not None]
        return kept or None
    return value


def fingerprint(offers: list[Offer]) -> str:
    canonical = json.dumps([[o.id, o.data] for o in offers], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def display(journey, source, name: str, value) -> str:
    """A value as the citizen reads it on the review page."""
    if name.endswith("sin") or (source.kind == "profile" and source.name in ("sin", "health_number")):
        # Enough to recognise it, not enough to copy it from a shoulder.
        return gettext("Number ending in %(digits)s", digits=str(value)[-3:])
    if source.kind == "answers":
        question = journey.question(source.name)
        if question is not None:
            if source.each:
                item = next((q for q in question.questions if q.id == source.sub), None)
                if item is not None:
                    return ", ".join(human_answer(item, v) for v in value)
            elif source.sub:
                return long_date(value) if source.sub == "birth_date" else str(value)
            else:
                return human_answer(question, value)
    if isinstance(value, dict):
        return _address(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name.endswith("date") and isinstance(value, str):
        try:
            return long_date(value)
        except ValueError:
            return value
    return str(value)


def _address(value: dict) -> str:
    city_line = " ".join(filter(None, (value.get("city"), f"({value['province']})" if value.get("province") else None,
                                       value.get("postal_code"))))
    return ", ".join(filter(None, (value.get("street"), city_line)))


def organisation_name(organisation) -> str:
    return localized(organisation.name)
