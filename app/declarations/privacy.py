"""Law 25 for declarations: what a citizen's export shows of them, and their deletion with the account.

Registered as Mon dossier hooks (see app/dossier/privacy.py). Deleting an account also deletes its
declarations and any delivery not yet sent (nothing more goes out on behalf of a deleted account).
"""
from __future__ import annotations

import json

from sqlalchemy import delete, select

from app.core.db import db
from app.declarations import outbox
from app.declarations.models import Declaration, Delivery


def _iso(moment):
    return moment.isoformat() if moment is not None else None


def export_section(user) -> tuple[str, list]:
    declarations = db.session.execute(
        select(Declaration).filter_by(user_id=user.id).order_by(Declaration.created_at)).scalars().all()
    return "declarations", [{
        "number": declaration.number,
        "journey_id": declaration.journey_id,
        "kind": declaration.kind,
        "created_at": _iso(declaration.created_at),
        "consent": declaration.consent,
        "deliveries": [{
            "organisation": delivery.organisation,
            "status": delivery.status,
            "reference": delivery.reference,
            "delivered_at": _iso(delivery.delivered_at),
            "data": _sent_data(delivery),
        } for delivery in declaration.deliveries],
    } for declaration in declarations]


def _sent_data(delivery: Delivery):
    try:
        return json.loads(outbox.unseal(delivery.payload_encrypted, delivery.idempotency_key))["data"]
    except Exception:  # noqa: BLE001 - an unreadable payload is reported as such, not hidden
        return None


def delete_for_user(user_id: int) -> None:
    """Inside the caller's transaction (the account deletion commits or rolls back everything)."""
    ids = select(Declaration.id).where(Declaration.user_id == user_id)
    db.session.execute(delete(Delivery).where(Delivery.declaration_id.in_(ids)))
    db.session.execute(delete(Declaration).where(Declaration.user_id == user_id))


def init_app(app) -> None:
    app.extensions.setdefault("dossier_export_sections", []).append(export_section)
    app.extensions.setdefault("user_deletion_hooks", []).append(delete_for_user)
