"""Passwords: argon2id hashing (argon2-cffi) and the strength rule.

The rule is length (at least PASSWORD_MIN_LENGTH characters) plus zxcvbn's guessability score of 3 or
more, with the email address given as a personal word. zxcvbn (the maintained Python port of Dropbox's
estimator) catches what a length rule alone lets through: "motdepasse123", "aaaaaaaaaaaa",
"azertyuiop12" or the email itself.
"""
from __future__ import annotations

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext
from zxcvbn import zxcvbn

MIN_SCORE = 3
MAX_LENGTH = 128  # zxcvbn is slow on very long inputs; a passphrase needs far less.


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    # A real hash to verify against when the account does not exist, so both cases take the same time.
    return hasher, hasher.hash("parcours-dummy-password")


def _hasher() -> tuple[PasswordHasher, str]:
    """argon2id with the parameters from config (RFC 9106 defaults; tests may use cheaper ones).
    A hash made with other parameters is upgraded at the next login (`needs_rehash`)."""
    config = current_app.config
    return _hasher_for(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST_KIB"], config["ARGON2_PARALLELISM"])


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher()[0].check_needs_rehash(password_hash)


def password_problem(password: str, email: str = "") -> str | None:
    """Why this password is refused, in the user's language; None when it is strong enough."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return gettext("Your password must have at least %(min)d characters.", min=minimum)
    if len(password) > MAX_LENGTH:
        return gettext("Your password must have at most %(max)d characters.", max=MAX_LENGTH)
    personal = [part for part in re.split(r"[@._+-]", email.lower()) if len(part) > 2]
    if email and email.lower() in password.lower():
        return gettext("Your password must not contain your email address.")
    if zxcvbn(password, user_inputs=personal)["score"] < MIN_SCORE:
        return gettext(
            "This password is too easy to guess. Use a few unrelated words, for example "
            "a short sentence that only you would think of."
        )
    return None
