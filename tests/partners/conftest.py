"""Fixtures for the partner registries: the registries' WSGI app alone, on a throw-away SQLite file."""
from __future__ import annotations

import json

import pytest

from app.partners import create_partners_app, signing

SECRET = "registry-test-secret"


class SignedClient:
    """Calls a registry the way the portal does: JSON body, HMAC signature, optional idempotency key."""

    def __init__(self, app, secret: str = SECRET):
        self.client = app.test_client()
        self.secret = secret

    def request(self, method: str, path: str, payload=None, *, key: str | None = None,
                secret: str | None = None, raw: bytes | None = None, headers: dict | None = None):
        body = raw if raw is not None else (json.dumps(payload).encode() if payload is not None else b"")
        all_headers = {"Content-Type": "application/json",
                       signing.HEADER: signing.sign(secret or self.secret, method, path, body, key or "")}
        if key:
            all_headers["Idempotency-Key"] = key
        all_headers.update(headers or {})
        return self.client.open(path, method=method, data=body, headers=all_headers)

    def post(self, path, payload=None, **kwargs):
        return self.request("POST", path, payload, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def put(self, path, payload=None, **kwargs):
        return self.request("PUT", path, payload, **kwargs)


@pytest.fixture
def registries(tmp_path):
    return create_partners_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'partners.db'}", "HMAC_SECRET": SECRET})


@pytest.fixture
def api(registries):
    return SignedClient(registries)


def birth(declaration_id: str = "DU-TEST-0001", **data) -> dict:
    return {"kind": "naissance", "schema_version": 1, "declaration_id": declaration_id,
            "data": {"child_given_names": "Léa", "child_family_name": "Tremblay",
                     "child_birth_date": "2026-02-20", **data}}
