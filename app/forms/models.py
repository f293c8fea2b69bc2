"""Forms storage: the citizen's `FormDraft`s and `GovernmentRead`s (what a registry held about them, when read).

A draft keeps the values the citizen reviewed, already checked and with read-only values recomputed
on the server, so the PDF is built from it as it is. Its sensitive values (NAS, health insurance
number) are kept apart, encrypted with `app.core.crypto` like the profile's: `field_values` gives
them back merged, `store_values` splits them again. A government read keeps the latest answer of
one registry for one citizen (found, holds nothing, or unavailable); its data is personal, so it is
stored encrypted with `app.core.crypto` like the NAS in the profile.
"""
from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any, Iterable, Optional

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core import crypto
from app.core.db import db, utcnow

# Government read statuses: the registry answered with data, answered that it holds nothing about
# the citizen, or did not answer in time (down, timeout, error). The last two must never be confused.
FOUND = "found"
NOT_FOUND = "not_found"
UNAVAILABLE = "unavailable"
READ_STATUSES = (FOUND, NOT_FOUND, UNAVAILABLE)
# A NAS (9 digits, spaced or not) or a health insurance number (4 letters, 8 digits) inside a value.
SENSITIVE_VALUE = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{3}(?!\d)|\b[A-Za-z]{4}[ -]?\d{4}[ -]?\d{4}\b")


class FormDraft(db.Model):
    __tablename__ = "form_drafts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The run whose answers prefilled the form (no foreign key, like every reference to runs).
    run_id: Mapped[Optional[str]] = mapped_column(String(36), index=True, nullable=True)
    form_id: Mapped[str] = mapped_column(String(80))
    form_version: Mapped[int] = mapped_column(Integer)
    # field id -> canonical value (str, bool, number) of every field that exists after conditions,
    # except the sensitive ones: those are in `sensitive_encrypted` (one encrypted JSON object)
    plain_values: Mapped[dict[str, Any]] = mapped_column("field_values", JSON, default=dict)
    sensitive_encrypted: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    # field id -> the source that gave the value ("profile.sin", "lookup.ramq.x", "citizen", ...)
    origins: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # "draft" while something required is missing, "ready" once the whole form is valid
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def _associated(self) -> str:
        # Ties the ciphertext to this draft: copied onto another draft, it does not decrypt.
        return f"form_drafts.sensitive:{self.id}"

    @property
    def field_values(self) -> dict[str, Any]:
        """Every value, the sensitive ones decrypted (setting it is `store_values` with no named field)."""
        values = dict(self.plain_values or {})
        if self.sensitive_encrypted:
            values.update(json.loads(crypto.decrypt(self.sensitive_encrypted, self._associated())))
        return values

    @field_values.setter
    def field_values(self, values: dict[str, Any]) -> None:
        self.store_values(values)

    def store_values(self, values: dict[str, Any], sensitive: Iterable[str] = ()) -> None:
        """Keep `values`, encrypting the fields named in `sensitive` (NAS and health insurance number
        fields) and any value shaped like one, wherever it was typed: none sits in clear in the table."""
        if self.id is None:
            self.id = str(uuid.uuid4())
        sensitive = set(sensitive)
        secret = {name: value for name, value in values.items()
                  if value not in (None, "") and (name in sensitive or _looks_sensitive(value))}
        self.plain_values = {name: value for name, value in values.items() if name not in secret}
        self.sensitive_encrypted = crypto.encrypt(json.dumps(secret), self._associated()) if secret else None

    def reencrypt(self) -> bool:
        """Move the sensitive values to the current key; True when they moved."""
        if not self.sensitive_encrypted or not crypto.needs_rotation(self.sensitive_encrypted):
            return False
        plain = crypto.decrypt(self.sensitive_encrypted, self._associated())
        self.sensitive_encrypted = crypto.encrypt(plain, self._associated())
        return True


def _looks_sensitive(value: Any) -> bool:
    return isinstance(value, str) and bool(SENSITIVE_VALUE.search(value))


class GovernmentRead(db.Model):
    __tablename__ = "government_reads"
    __table_args__ = (UniqueConstraint("user_id", "organisation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))
    # Encrypted JSON object of the fields read (None unless found).
    data_encrypted: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    # When the registry itself says it read the data (its read_at), else when we asked.
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    consented_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The registry fields the citizen consented to and that were asked (None for rows read before).
    fields: Mapped[Optional[list[str]]] = mapped_column(JSON, nullable=True)
    # When a later consultation failed (registry down): the values above are the last good ones.
    failed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
