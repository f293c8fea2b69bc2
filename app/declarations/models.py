"""The déclaration unique's storage: a `Declaration` and its outbox of `Delivery` rows, one per partner.

Both are written in one transaction at submission; delivery workers then work through the outbox.
A delivery's payload holds personal data (e.g. the NAS), so it is stored encrypted (app.core.crypto)
and only decrypted by the worker that sends it.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import db, utcnow

# Delivery statuses. A retried delivery stays PENDING with a later next_attempt_at. FAILED means the
# registry refused it (a 4xx: sending again cannot help); DEAD means it could not be reached before
# the retry limit (and it does not hold the declaration either: the worker asks before giving up).
PENDING, DELIVERED, FAILED, DEAD = "pending", "delivered", "failed", "dead"
STATUSES = (PENDING, DELIVERED, FAILED, DEAD)


class Declaration(db.Model):
    __tablename__ = "declarations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    # What the citizen quotes on the phone, e.g. DU-2026-7KQ4-M2XD.
    number: Mapped[str] = mapped_column(String(24), unique=True)
    # NULL once the account is deleted while deliveries were pending: they still go out, then the
    # retention purge removes the declaration (app/declarations/privacy.py).
    user_id: Mapped[Optional[int]] = mapped_column(Integer, index=True, nullable=True)
    # One declaration per run: submitting twice (double click, back button) finds the first one.
    run_id: Mapped[str] = mapped_column(String(36), unique=True)
    journey_id: Mapped[str] = mapped_column(String(80))
    journey_version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    # What the citizen was offered and agreed to: {"offered": [...], "consented": [...], "attested": true}.
    consent: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    deliveries: Mapped[list["Delivery"]] = relationship(
        back_populates="declaration", order_by="Delivery.id", cascade="all, delete-orphan")


class Delivery(db.Model):
    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[str] = mapped_column(
        ForeignKey("declarations.id", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(String(40))  # key in journeys/organisations.yaml
    partner: Mapped[str] = mapped_column(String(40))  # the registry id (partner_api)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True,
                                                 default=lambda: str(uuid.uuid4()))
    payload_encrypted: Mapped[str] = mapped_column(Text)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)  # partner field names sent (no values)
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    # Attempts that got an answer or a network error; a worker that crashed mid-batch does not count.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claims: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set when a worker claims the row; the result is saved only by the worker holding this token.
    claim_token: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)
    reference: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    receipt: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON, nullable=True)
    # Never personal data: an HTTP status, the partner's error code and the names of rejected fields.
    last_error: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    rejected_fields: Mapped[Optional[list[str]]] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    delivered_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    # When the operations mailbox (OPS_MAILBOX) was told about this refusal or dead letter; the
    # citizen is told "our team has been told" only when this is set.
    ops_notified_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)

    declaration: Mapped[Declaration] = relationship(back_populates="deliveries")
