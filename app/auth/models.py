"""Accounts: the `User` (email, argon2 password hash, roles) and the server-side login sessions.

A login session row exists for every signed-in browser; the signed cookie only carries a random
token whose SHA-256 is the row id. Logging out, resetting the password or deleting the account
deletes the rows, so a copied cookie stops working at once (a signed cookie alone cannot be revoked).
"""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import db, utcnow

CITIZEN = "citizen"
BUSINESS_MEMBER = "business_member"
STAFF_EDITOR = "staff_editor"
STAFF_PUBLISHER = "staff_publisher"
ADMIN = "admin"
ROLES = (CITIZEN, BUSINESS_MEMBER, STAFF_EDITOR, STAFF_PUBLISHER, ADMIN)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Always stored lower-cased and stripped, so "Ana@Example.ca" and "ana@example.ca" are one account.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]] = mapped_column(JSON, default=lambda: [CITIZEN])
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminders_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def has_role(self, *roles: str) -> bool:
        return any(role in (self.roles or []) for role in roles)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class LoginSession(db.Model):
    __tablename__ = "login_sessions"

    # SHA-256 (hex) of the random token kept in the signed cookie: a database leak gives no cookie.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
