"""The partner API signature: HMAC-SHA256 over a timestamp, a nonce, the method, the registry path,
the Idempotency-Key and the raw body.

    X-Parcours-Signature: t=1764540000,n=<nonce>,v1=<hex digest>

Binding the path means a body signed for one registry cannot be sent to another; binding the key
means a captured body cannot be sent again under a new key (a duplicate declaration). The
timestamp and the nonce make every request single use: the registries refuse a request signed
more than `WINDOW_SECONDS` away from their clock, or whose nonce they have already seen (they keep
nonces for the window, see app/partners/store.py). The portal's delivery worker and look-up client
sign with `sign`, once per attempt; the registries check with `verify` (constant-time compare).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

HEADER = "X-Parcours-Signature"
VERSION = "v1"
WINDOW_SECONDS = 300
NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_HEADER_VALUE = re.compile(r"^t=(\d{1,12}),n=([A-Za-z0-9_-]{16,64}),v1=([0-9a-f]{64})$")


@dataclass(frozen=True)
class Signed:
    """What a valid signature header carried: when it was made and its single-use nonce."""
    timestamp: int
    nonce: str


def _digest(secret: str, timestamp: int, nonce: str, method: str, path: str, idempotency_key: str,
            body: bytes) -> str:
    head = f"{VERSION}\n{timestamp}\n{nonce}\n{method.upper()}\n{path}\n{idempotency_key}\n".encode()
    return hmac.new(secret.encode(), head + body, hashlib.sha256).hexdigest()


def sign(secret: str, method: str, path: str, body: bytes = b"", idempotency_key: str = "", *,
         timestamp: int | None = None, nonce: str | None = None) -> str:
    """The header value for one request to `path` (relative to the registries' root, e.g.
    /ramq/v1/declarations). Call it for every attempt: a signature is good for one request only."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    nonce = nonce or secrets.token_urlsafe(24)
    return f"t={timestamp},n={nonce},{VERSION}={_digest(secret, timestamp, nonce, method, path, idempotency_key, body)}"


def verify(secret: str, method: str, path: str, body: bytes, idempotency_key: str,
           header_value: str | None) -> Signed | None:
    """The signed timestamp and nonce when the header is a valid signature of this very request, else None.
    The caller still checks the time window and that the nonce is new (`fresh`)."""
    if not header_value or not secret:
        return None
    match = _HEADER_VALUE.match(header_value.strip())
    if match is None:
        return None
    timestamp, nonce, digest = int(match[1]), match[2], match[3]
    expected = _digest(secret, timestamp, nonce, method, path, idempotency_key, body)
    if not hmac.compare_digest(expected, digest):
        return None
    return Signed(timestamp, nonce)


def fresh(signed: Signed, now: float | None = None, window: int = WINDOW_SECONDS) -> bool:
    """Signed within `window` seconds of now (either way: clocks of two hosts differ a little)."""
    now = time.time() if now is None else now
    return abs(now - signed.timestamp) <= window
