"""Look-ups: ask a partner registry what it holds about the citizen (contract: POST <org>/v1/lookups).

Only called after the citizen's explicit consent (see views). The answer is always one of three
things, never confused: the registry sent data (`found`), it answered that it holds nothing about
this person (`not_found`), or it could not be reached or answered badly in time (`unavailable`:
down, timeout, 5xx, bad signature, malformed body). Nothing personal is logged.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from app.core.db import utcnow
from app.forms.models import FOUND, NOT_FOUND, UNAVAILABLE
from app.partners import signing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LookupResult:
    organisation: str
    status: str
    data: dict[str, Any] = field(default_factory=dict)
    read_at: datetime | None = None


def look_up(organisation: str, partner_api: str, subject: dict, fields: list[str], *, base_url: str,
            secret: str, timeout: float, transport: httpx.BaseTransport | None = None) -> LookupResult:
    """Ask one registry for `fields` about `subject` ({sin, birth_date, family_name})."""
    body = json.dumps({"subject": subject, "fields": fields}, separators=(",", ":")).encode()
    path = f"/{partner_api}/v1/lookups"
    # Signed like the declarations (timestamp, nonce, method, path under the registries' root, raw body).
    headers = {"Content-Type": "application/json", signing.HEADER: signing.sign(secret, "POST", path, body)}
    url = base_url.rstrip("/") + path
    try:
        with httpx.Client(timeout=timeout, transport=transport) as client:
            response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        log.warning("look-up %s unavailable: %s", organisation, type(error).__name__)
        return LookupResult(organisation, UNAVAILABLE)
    return _interpret(organisation, response, fields)


def _interpret(organisation: str, response: httpx.Response, fields: list[str]) -> LookupResult:
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if response.status_code == 404 and isinstance(payload, dict) and payload.get("found") is False:
        return LookupResult(organisation, NOT_FOUND, read_at=utcnow())
    if response.status_code == 200 and isinstance(payload, dict) and payload.get("found") is True \
            and isinstance(payload.get("data"), dict):
        # Keep only what we asked for: a registry sending more must not widen what we store.
        data = {name: payload["data"][name] for name in fields if name in payload["data"]}
        return LookupResult(organisation, FOUND, data, _parse_time(payload.get("read_at")))
    log.warning("look-up %s unavailable: HTTP %s", organisation, response.status_code)
    return LookupResult(organisation, UNAVAILABLE)


def _parse_time(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=utcnow().tzinfo)
        except ValueError:
            pass
    return utcnow()
