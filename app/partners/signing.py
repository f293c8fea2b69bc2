"""The partner API signature: HMAC-SHA256 over the method, the registry path and the raw body.

Binding the path means a body signed for one registry cannot be replayed at another. The portal's
delivery worker signs with `sign`; the registries check with `verify` (constant-time compare).
"""
from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Parcours-Signature"
PREFIX = "sha256="


def _message(method: str, path: str, body: bytes) -> bytes:
    return f"{method.upper()}\n{path}\n".encode() + body


def sign(secret: str, method: str, path: str, body: bytes = b"") -> str:
    """The header value for a request to `path` (relative to the registries' root, e.g. /ramq/v1/declarations)."""
    digest = hmac.new(secret.encode(), _message(method, path, body), hashlib.sha256).hexdigest()
    return PREFIX + digest


def verify(secret: str, method: str, path: str, body: bytes, header_value: str | None) -> bool:
    if not header_value or not secret:
        return False
    return hmac.compare_digest(sign(secret, method, path, body), header_value.strip())
