"""The transactional outbox: a declaration and one delivery per consented partner, saved together.

Nothing is sent here. The payload each partner will receive is fixed now (a snapshot), encrypted,
and given its idempotency key, so every retry sends the very same bytes under the very same key.
"""
from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core import audit, crypto
from app.core.db import db, utcnow
from app.declarations.models import Declaration, Delivery

SCHEMA_VERSION = 1
# Crockford base32: no I, L, O, U, so a number read over the phone is never ambiguous.
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class PartnerPayload:
    organisation: str  # organisation id (organisations.yaml)
    partner: str  # registry id (partner_api)
    data: dict  # partner field -> value, only the fields this partner receives


def new_number(now: datetime | None = None) -> str:
    code = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"DU-{(now or utcnow()).year}-{code[:4]}-{code[4:]}"


def envelope(kind: str, number: str, data: dict) -> dict:
    """The versioned body a registry receives."""
    return {"kind": kind, "schema_version": SCHEMA_VERSION, "declaration_id": number, "data": data}


def seal(payload: dict, idempotency_key: str) -> str:
    return crypto.encrypt(json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
                          _associated_data(idempotency_key))


def unseal(token: str, idempotency_key: str) -> bytes:
    """The exact bytes to send (the sealed JSON), so a retry sends an identical body."""
    return crypto.decrypt(token, _associated_data(idempotency_key)).encode()


def _associated_data(idempotency_key: str) -> str:
    # Ties the ciphertext to its row: a payload copied onto another delivery does not decrypt.
    return f"delivery:{idempotency_key}"


def submit(*, user_id: int, run_id: str, journey_id: str, journey_version: int, kind: str,
           payloads: list[PartnerPayload], offered: list[str] | None = None,
           now: datetime | None = None) -> tuple[Declaration, bool]:
    """Save the declaration and its deliveries in one transaction.

    Returns (declaration, created). A second submission for the same run returns the first
    declaration untouched (created=False): double clicks and back buttons never send twice.
    """
    existing = declaration_for_run(run_id)
    if existing is not None:
        return existing, False
    now = now or utcnow()
    declaration = Declaration(id=str(uuid.uuid4()), number=new_number(now), user_id=user_id, run_id=run_id, journey_id=journey_id,
                              journey_version=journey_version, kind=kind, created_at=now,
                              consent={"offered": list(offered if offered is not None else
                                                       [p.organisation for p in payloads]),
                                       "consented": [p.organisation for p in payloads], "attested": True})
    for payload in payloads:
        key = str(uuid.uuid4())
        declaration.deliveries.append(Delivery(
            organisation=payload.organisation, partner=payload.partner, idempotency_key=key,
            payload_encrypted=seal(envelope(kind, declaration.number, payload.data), key),
            fields=sorted(payload.data), status="pending", attempts=0, next_attempt_at=now,
            created_at=now, updated_at=now))
    db.session.add(declaration)
    audit.record("declaration.submitted", user_id, declaration_id=declaration.id, journey_id=journey_id,
                 partners=[p.organisation for p in payloads])
    try:
        db.session.commit()
    except IntegrityError:
        # A concurrent twin of this submission won the unique run_id: nothing of ours was saved.
        db.session.rollback()
        existing = declaration_for_run(run_id)
        if existing is None:
            raise
        return existing, False
    return declaration, True


def declaration_for_run(run_id: str) -> Declaration | None:
    return db.session.execute(select(Declaration).filter_by(run_id=run_id)).scalar_one_or_none()
