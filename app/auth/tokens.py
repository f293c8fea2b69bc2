"""Signed, expiring links for email verification and password reset (itsdangerous).

Each purpose has its own salt, so a verification token is not a reset token. A reset token also
carries a fingerprint of the current password hash: once the password changes, the link is dead
(single use) even before it expires.
"""
from __future__ import annotations

import hashlib
from enum import Enum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_SALT = "parcours.email-verification"
RESET_SALT = "parcours.password-reset"


class LinkProblem(Enum):
    EXPIRED = "expired"
    INVALID = "invalid"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def verification_token(user) -> str:
    return _serializer(VERIFY_SALT).dumps({"uid": user.id, "email": _fingerprint(user.email)})


def reset_token(user) -> str:
    return _serializer(RESET_SALT).dumps({"uid": user.id, "ph": _fingerprint(user.password_hash)})


def _load(salt: str, token: str, max_age: int) -> dict | LinkProblem:
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        return LinkProblem.EXPIRED
    except BadSignature:
        return LinkProblem.INVALID
    return data if isinstance(data, dict) and isinstance(data.get("uid"), int) else LinkProblem.INVALID


def user_for_verification(token: str, load_user):
    """The user a verification link is for, or a LinkProblem."""
    data = _load(VERIFY_SALT, token, current_app.config["EMAIL_VERIFICATION_MAX_AGE"])
    if isinstance(data, LinkProblem):
        return data
    user = load_user(data["uid"])
    if user is None or data.get("email") != _fingerprint(user.email):
        return LinkProblem.INVALID
    return user


def user_for_reset(token: str, load_user):
    """The user a reset link is for, or a LinkProblem (an already used link is INVALID)."""
    data = _load(RESET_SALT, token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    if isinstance(data, LinkProblem):
        return data
    user = load_user(data["uid"])
    if user is None or data.get("ph") != _fingerprint(user.password_hash):
        return LinkProblem.INVALID
    return user
