"""Mes informations gouvernementales: consulting the registries with consent, and what they answered.

`consult(user_id, profile, wanted)` asks each registry for exactly the fields the citizen consented
to (the consent page listed them), identifying the citizen by NAS, family name and birth date, all
three (a profile missing one cannot look up). It keeps the latest answer per organisation in
`GovernmentRead` (data encrypted, with the fields asked), except that an outage never erases a good
read: the previous values stay, with their date. One audit event per organisation, status only.
`reads_of(user_id)` gives back what was read and when.
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
from app.forms.models import FOUND, UNAVAILABLE, FormDraft, GovernmentRead
from app.forms.registry import all_forms, organisation

NO_IDENTITY = "no_identity"  # the profile lacks what a registry needs to find the person
IDENTIFIERS = ("sin", "family_name", "birth_date")  # a registry finds a person only when all three match


@dataclass(frozen=True)
class Read:
    organisation: str
    status: str
    read_at: datetime | None
    data: dict[str, Any] = field(default_factory=dict)
    fields: tuple[str, ...] | None = None  # what was asked (None: rows from before it was recorded)
    failed_at: datetime | None = None  # a later consultation failed; `data` is the last good read

    def covers(self, wanted) -> bool:
        """Whether this read asked for every field in `wanted` (else the citizen must consent again)."""
        return self.fields is None or set(wanted) <= set(self.fields)


def lookup_fields() -> dict[str, dict[str, dict]]:
    """Organisation -> {registry field -> localized label}, over every form that reads there."""
    fields: dict[str, dict[str, dict]] = {}
    for form in all_forms().values():
        for lookup in form.definition.lookups:
            fields.setdefault(lookup.organisation, {}).update(lookup.fields)
    return fields


def missing_identity(profile: dict) -> list[str]:
    """The identifiers the profile lacks for a look-up (sin, family_name, birth_date), in that order."""
    return [name for name in IDENTIFIERS if not str(profile.get(name) or "").strip()]


def subject_of(profile: dict) -> dict | None:
    """NAS, family name and birth date, or None when any is missing: never a partial identity, which
    could match someone else's file."""
    if missing_identity(profile):
        return None
    return {name: str(profile[name]).strip() for name in IDENTIFIERS}


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
        reads[row.organisation] = Read(row.organisation, row.status, row.read_at, data,
                                       tuple(row.fields) if row.fields is not None else None, row.failed_at)
    return reads


def found_data(reads: dict[str, Read]) -> dict[str, dict]:
    """organisation -> data, for the registries that answered with data (the `lookup.*` sources)."""
    return {org: read.data for org, read in reads.items() if read.status == FOUND}


def consult(user_id: int, profile: dict, wanted: dict[str, list[str]]) -> dict[str, str]:
    """Ask each registry now for the fields the citizen just consented to (organisation -> fields,
    exactly as the consent page listed them); organisation -> status. Commits."""
    subject = subject_of(profile)
    if subject is None:
        return {org: NO_IDENTITY for org in wanted}
    config = current_app.config
    recent = _recently_read(user_id, config["FORMS_LOOKUP_MIN_INTERVAL_SECONDS"])
    statuses = {}
    for org, fields in wanted.items():
        partner = organisation(org)
        if partner is None or not getattr(partner, "partner_api", None) or not fields:
            continue
        if org in recent and recent[org].covers(fields):
            # a double click or a reload must not hammer the registry: keep the fresh answer
            statuses[org] = recent[org].status
            continue
        result = look_up(org, partner.partner_api, subject, sorted(set(fields)),
                         base_url=config["PARTNERS_BASE_URL"], secret=config["PARTNER_HMAC_SECRET"],
                         timeout=config["FORMS_LOOKUP_TIMEOUT"],
                         transport=current_app.extensions.get("forms_lookup_transport"))
        _store(user_id, result, sorted(set(fields)))
        audit.record("government_lookup", user_id, organisation=org, status=result.status)
        statuses[org] = result.status
    db.session.commit()
    return statuses


def _recently_read(user_id: int, seconds: float) -> dict[str, "_RecentRead"]:
    """organisation -> the reads (with data or "holds nothing") made less than `seconds` ago."""
    since = utcnow() - timedelta(seconds=seconds)
    rows = db.session.execute(select(GovernmentRead).filter_by(user_id=user_id)).scalars()
    return {row.organisation: _RecentRead(row.status, tuple(row.fields) if row.fields is not None else None)
            for row in rows
            if row.status != UNAVAILABLE and row.failed_at is None and _aware(row.consented_at) >= since}


@dataclass(frozen=True)
class _RecentRead:
    status: str
    fields: tuple[str, ...] | None

    def covers(self, wanted) -> bool:
        return self.fields is not None and set(wanted) <= set(self.fields)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _store(user_id: int, result: LookupResult, fields: list[str]) -> None:
    row = db.session.execute(
        select(GovernmentRead).filter_by(user_id=user_id, organisation=result.organisation)
    ).scalar_one_or_none()
    now = utcnow()
    if row is not None and row.status == FOUND and result.status == UNAVAILABLE:
        # An outage never erases a good read: its values, date and locked fields stay; note the failure.
        row.failed_at = now
        return
    if row is None:
        row = GovernmentRead(user_id=user_id, organisation=result.organisation)
        db.session.add(row)
    row.fields = fields
    row.failed_at = None
    row.status = result.status
    row.data_encrypted = (crypto.encrypt(json.dumps(result.data), _associated(user_id, result.organisation))
                          if result.status == FOUND else None)
    row.read_at = result.read_at or now
    row.consented_at = now


def forget(user_id: int) -> None:
    """Delete what the registries said about this citizen (they can consult again)."""
    for row in db.session.execute(select(GovernmentRead).filter_by(user_id=user_id)).scalars():
        db.session.delete(row)


def reencrypt_all() -> int:
    """Move every government read and sensitive draft value to the current key; returns how many moved."""
    moved = 0
    for row in db.session.execute(select(GovernmentRead)).scalars():
        if row.data_encrypted and crypto.needs_rotation(row.data_encrypted):
            associated = _associated(row.user_id, row.organisation)
            row.data_encrypted = crypto.encrypt(crypto.decrypt(row.data_encrypted, associated), associated)
            moved += 1
    for draft in db.session.execute(select(FormDraft)).scalars():
        moved += draft.reencrypt()
    if moved:
        audit.record("forms.keys_rotated", None, values=moved)
    return moved
