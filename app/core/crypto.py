"""Field encryption at rest: AES-256-GCM with a key id in every token so keys can rotate.

Keys come from configuration: `FIELD_ENCRYPTION_KEYS` maps a key id to a base64 32-byte key and
`FIELD_ENCRYPTION_KEY_ID` names the one used to encrypt. Older keys stay listed until
`flask dossier reencrypt` has moved every value to the current key. In development a key is
generated into instance/ (git-ignored), like the secret key.

A token is "<key id>.<base64url(nonce | ciphertext+tag)>". The associated data ties a token to its
place (e.g. "profiles.sin_encrypted:42"), so a value copied to another row or column will not decrypt.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

NONCE_BYTES = 12
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class DecryptionError(Exception):
    """The token is malformed, altered, bound to another place, or its key is not configured."""


def _keys() -> tuple[str, dict[str, bytes]]:
    config = current_app.config
    raw = config.get("FIELD_ENCRYPTION_KEYS") or {}
    if isinstance(raw, str):
        raw = json.loads(raw)
    keys = {key_id: base64.b64decode(value) for key_id, value in raw.items()}
    current = config.get("FIELD_ENCRYPTION_KEY_ID") or (sorted(keys)[-1] if keys else None)
    if current not in keys:
        raise RuntimeError("FIELD_ENCRYPTION_KEY_ID names no key in FIELD_ENCRYPTION_KEYS")
    for key_id, key in keys.items():
        if not KEY_ID.match(key_id) or len(key) != 32:
            raise RuntimeError(f"field encryption key {key_id!r} must be a 32-byte base64 value with a short id")
    return current, keys


def encrypt(plaintext: str, associated_data: str) -> str:
    key_id, keys = _keys()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(keys[key_id]).encrypt(nonce, plaintext.encode(), associated_data.encode())
    return f"{key_id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str, associated_data: str) -> str:
    _, keys = _keys()
    key_id, _, payload = token.partition(".")
    if not payload:
        raise DecryptionError("malformed token")
    if key_id not in keys:
        raise DecryptionError(f"the value was encrypted with key {key_id!r}, which this process does not have: "
                              "every process sharing a database must share FIELD_ENCRYPTION_KEYS")
    try:
        blob = base64.urlsafe_b64decode(payload.encode())
        plain = AESGCM(keys[key_id]).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated_data.encode())
    except (InvalidTag, ValueError) as error:
        raise DecryptionError("the token does not decrypt with its key") from error
    return plain.decode()


def key_id_of(token: str) -> str:
    return token.partition(".")[0]


def needs_rotation(token: str) -> bool:
    return key_id_of(token) != _keys()[0]


def new_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


def local_dev_keys(instance: Path) -> dict[str, str]:
    """Development only: a key file kept in instance/ (git-ignored, mode 600) so data survives restarts.

    The key id carries the key's fingerprint ("dev-1a2b3c4d"): two development processes sharing one
    database with different instance/ keys can never silently mix their data; a value written by
    the other one names a key this one lacks (a clear `DecryptionError`, see app/core/errors.py).
    """
    from app.core.files import write_private

    key_file = instance / "field_keys.json"
    if not key_file.exists():
        key = new_key()
        try:
            write_private(key_file, json.dumps({dev_key_id(key): key}), exclusive=True)
        except FileExistsError:
            pass  # another process made it first: use theirs
    return json.loads(key_file.read_text())


def dev_key_id(key: str) -> str:
    return "dev-" + hashlib.sha256(base64.b64decode(key)).hexdigest()[:8]
