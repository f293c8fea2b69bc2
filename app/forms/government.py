"""Mes informations gouvernementales: consulting the registries with consent, and what they answered.

`consult(user_id, profile, organisations)` asks each registry (the fields every form reads there),
keeps the latest answer per organisation in `GovernmentRead` (data encrypted), and records an audit
event per organisation with the status only. `reads_of(user_id)` gives back what was read and when.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.core import audit, crypto
from app.core.db import db, utcnow
from app.forms.lookups import LookupResult, look_up
from app.forms.models import FOUND, UNAVAILABLE, GovernmentRead
from app.forms.registry import all_forms, organisation

NO_IDENTITY = "no_identity"  # the profile lacks what a registry needs to find the person (NAS)


@dataclass(frozen=True)
class Read:
    organisation: str
    status: str
    read_at: datetime | None
    data: dict[str, Any] = field(default_factory=dict)


def lookup_fields() -> dict[str, dict[str, dict]]:
    """Organisation -> {registry field -> localized label}, over every form that reads there."""
    fields: dict[str, dict[str, dict]] = {}
    for form in all_forms().values():
        for lookup in form.definition.lookups:
            fields.setdefault(lookup.organisation, {}).update(lookup.fields)
    return fields


def subject_of(profile: dict) -> dict | None:
    """What identifies the citizen to a registry, or None when the profile has no NAS."""
    if not profile.get("sin"):
        return None
    subject = {"sin": profile["sin"]}
    for name in ("birth_date", "family_name"):
        if profile.get(name):
            subject[name] = profile[name]
    return subject


def _associated(user_id: int, org: str) -> str:
    return f"government_reads:{user_id}:{org}"


def reads_of(user_id: int) -> dict[str, Read]:
    rows = db.session.execute(select(GovernmentRead).filter_by(user_id=user_id)).scalars()
    reads = {}
    for row in rows:
        data = {}
        if row.status == FOUND and row.data_encrypted:
            try:
                data = json.loads(crypto.decrypt(row.data_encrypted, _associated(user_id, row.organisation)))
            except crypto.DecryptionError:
                data = {}
        reads[row.organisation] = Read(row.organisation, row.status, row.read_at, data)
    return reads


def found_data(reads: dict[str, Read]) -> dict[str, dict]:
    """organisation -> data, for the registries that answered with data (the `lookup.*` sources)."""
    return {org: read.data for org, read in reads.items() if read.status == FOUND}


def consult(user_id: int, profile: dict, organisations: list[str]) -> dict[str, str]:
    """Ask each registry now (the citizen just consented); organisation -> status. Commits."""
    subject = subject_of(profile)
    if subject is None:
        return {org: NO_IDENTITY for org in organisations}
    wanted = lookup_fields()
    config = current_app.config
    recent = _recently_read(user_id, config["FORMS_LOOKUP_MIN_INTERVAL_SECONDS"])
    statuses = {}
    for org in organisations:
        partner = organisation(org)
        if partner is None or not getattr(partner, "partner_api", None) or org not in wanted:
            continue
        if org in recent:  # a double click or a reload must not hammer the registry: keep the fresh answer
            statuses[org] = recent[org]
            continue
        result = look_up(org, partner.partner_api, subject, sorted(wanted[org]),
                         base_url=config["PARTNERS_BASE_URL"], secret=config["PARTNER_HMAC_SECRET"],
                         timeout=config["FORMS_LOOKUP_TIMEOUT"],
                         transport=current_app.extensions.get("forms_lookup_transport"))
        _store(user_id, result)
        audit.record("government_lookup", user_id, organisation=org, status=result.status)
        statuses[org] = result.status
    db.session.commit()
    return statuses


def _recently_read(user_id: int, seconds: float) -> dict[str, str]:
    """organisation -> status of the reads (with data or "holds nothing") made less than `seconds` ago."""
    since = utcnow() - timedelta(seconds=seconds)
    rows = db.session.execute(select(GovernmentRead).filter_by(user_id=user_id)).scalars()
    return {row.organisation: row.status for row in rows
            if row.status != UNAVAILABLE and _aware(row.consented_at) >= since}


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _store(user_id: int, result: LookupResult) -> None:
    row = db.session.execute(
        select(GovernmentRead).filter_by(user_id=user_id, organisation=result.organisation)
    ).scalar_one_or_none()
    if row is None:
        row = GovernmentRead(user_id=user_id, organisation=result.organisation)
        db.session.add(row)
    now = utcnow()
    row.status = result.status
    row.data_encrypted = (crypto.encrypt(json.dumps(result.data), _associated(user_id, result.organisation))
                          if result.status == FOUND else None)
    row.read_at = result.read_at or now
    row.consented_at = now


def forget(user_id: int) -> None:
    """Delete what the registries said about this citizen (they can consult again)."""
    for row in db.session.execute(select(GovernmentRead).filter_by(user_id=user_id)).scalars():
        db.session.delete(row)
