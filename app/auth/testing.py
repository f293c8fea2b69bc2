"""Helpers for tests (any package's): create an account and sign a test client in through the real form."""
from __future__ import annotations

from app.auth.models import CITIZEN, User
from app.auth.passwords import hash_password
from app.core.db import db, utcnow

STRONG_PASSWORD = "violon orange tempête 42"


def create_user(email: str = "ana@example.ca", password: str = STRONG_PASSWORD, roles=(CITIZEN,),
                verified: bool = True) -> User:
    user = User(email=email.lower(), password_hash=hash_password(password), roles=list(roles),
                email_verified_at=utcnow() if verified else None)
    db.session.add(user)
    db.session.commit()
    return user


def login(client, email: str = "ana@example.ca", password: str = STRONG_PASSWORD):
    """POST the login form (CSRF off in tests); returns the response (302 to Mon dossier on success)."""
    return client.post("/connexion", data={"email": email, "password": password})
