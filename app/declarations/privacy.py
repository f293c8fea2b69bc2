"""Law 25 for declarations: what a citizen's export shows of them, and their deletion with the account.

Registered as Mon dossier hooks (see app/dossier/privacy.py). Deleting an account deletes its
declarations, except those with a delivery still pending: the citizen consented to them and was
told before deleting (`pending_for_user`), so they are detached from the account (user_id NULL) and
still delivered; the retention purge deletes them once every delivery is final.
"""
from __future__ import annotations

import json

from sqlalchemy import delete, select, update

from app.core.db import db
from app.declarations import outbox
from app.declarations.models import PENDING, Declaration, Delivery


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


def _with_pending(*where):
    pending = select(Delivery.declaration_id).where(Delivery.status == PENDING)
    return select(Declaration).where(Declaration.id.in_(pending), *where).order_by(Declaration.created_at)


def pending_for_user(user_id: int) -> list[dict]:
    """Declarations still being delivered: shown before the account is deleted, and after."""
    return [{"number": declaration.number,
             "organisations": sorted({d.organisation for d in declaration.deliveries if d.status == PENDING})}
            for declaration in db.session.execute(_with_pending(Declaration.user_id == user_id)).scalars()]


def delete_for_user(user_id: int) -> None:
    """Inside the caller's transaction (the account deletion commits or rolls back everything)."""
    kept = [declaration.id for declaration in db.session.execute(
        _with_pending(Declaration.user_id == user_id)).scalars()]
    if kept:
        db.session.execute(update(Declaration).where(Declaration.id.in_(kept)).values(user_id=None))
    ids = select(Declaration.id).where(Declaration.user_id == user_id)
    db.session.execute(delete(Delivery).where(Delivery.declaration_id.in_(ids)))
    db.session.execute(delete(Declaration).where(Declaration.user_id == user_id))


def purge_delivered_detached() -> int:
    """Retention: detached declarations whose deliveries are all final are deleted; returns how many."""
    pending = select(Delivery.declaration_id).where(Delivery.status == PENDING)
    ids = list(db.session.execute(select(Declaration.id).where(
        Declaration.user_id.is_(None), Declaration.id.not_in(pending))).scalars())
    if ids:
        db.session.execute(delete(Delivery).where(Delivery.declaration_id.in_(ids)))
        db.session.execute(delete(Declaration).where(Declaration.id.in_(ids)))
    return len(ids)


def init_app(app) -> None:
    app.extensions.setdefault("dossier_export_sections", []).append(export_section)
    app.extensions.setdefault("user_deletion_hooks", []).append(delete_for_user)
    app.extensions.setdefault("pending_before_deletion", []).append(pending_for_user)
    app.extensions.setdefault("retention_hooks", []).append(purge_delivered_detached)
