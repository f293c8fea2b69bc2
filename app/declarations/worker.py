"""The delivery worker: claims due deliveries, sends them to the partner registries, saves the result.

Claiming pushes a row's `next_attempt_at` forward by a lease and stamps a claim token, in one
UPDATE whose inner SELECT uses `FOR UPDATE SKIP LOCKED` on PostgreSQL: concurrent workers never
claim the same row, and a worker that dies simply lets its lease run out (the row becomes due
again). Results are saved only where the claim token still matches. Re-sending is harmless: the
payload and idempotency key never change, so the registry answers with the same reference.

Outcomes: 2xx -> delivered (reference and receipt kept); timeout, connection error, 408/425/429,
5xx -> retried with exponential backoff and jitter until `max_attempts`; any other 4xx -> refused
for good (status `failed`), with the reason (no retry). Before giving up on a delivery the worker
asks the registry whether it already holds the Idempotency-Key (the answer to an earlier attempt may
have been lost): only when it does not is the delivery dead-lettered. An attempt is counted when it
is saved, so a worker that crashed mid-batch costs the delivery nothing. Refusals and dead letters
are mailed to the operations mailbox (OPS_MAILBOX) when one is configured.
"""
from __future__ import annotations

import logging
import random
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Optional

import httpx
from sqlalchemy import bindparam, select, update

from app.core.db import db, utcnow
from app.declarations import outbox
from app.declarations.models import DEAD, DELIVERED, FAILED, PENDING, Delivery
from app.partners import signing

log = logging.getLogger(__name__)
deliveries = Delivery.__table__
TRANSIENT_STATUSES = {408, 425, 429}


@dataclass(frozen=True)
class Settings:
    base_url: str
    secret: str
    max_attempts: int = 100
    backoff_base: float = 30.0
    backoff_max: float = 3600.0
    lease_seconds: float = 120.0
    http_timeout: float = 10.0
    batch_size: int = 20
    poll_seconds: float = 1.0
    concurrency: int = 1
    ops_mailbox: Optional[str] = None

    @classmethod
    def from_config(cls, config, **overrides) -> "Settings":
        values = dict(
            base_url=config["PARTNERS_BASE_URL"].rstrip("/"), secret=config["PARTNER_HMAC_SECRET"],
            max_attempts=int(config["DELIVERY_MAX_ATTEMPTS"]),
            backoff_base=float(config["DELIVERY_BACKOFF_BASE_SECONDS"]),
            backoff_max=float(config["DELIVERY_BACKOFF_MAX_SECONDS"]),
            lease_seconds=float(config["DELIVERY_LEASE_SECONDS"]),
            http_timeout=float(config["DELIVERY_HTTP_TIMEOUT_SECONDS"]),
            batch_size=int(config["DELIVERY_BATCH_SIZE"]), poll_seconds=float(config["DELIVERY_POLL_SECONDS"]),
            ops_mailbox=config.get("OPS_MAILBOX") or None,
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass(frozen=True)
class Claim:
    id: int
    partner: str
    idempotency_key: str
    payload_encrypted: str
    attempts: int  # the attempt this claim makes (1 for the first)
    token: str


@dataclass(frozen=True)
class Outcome:
    kind: str  # delivered | transient | permanent
    reference: Optional[str] = None
    receipt: Optional[dict] = None
    error: Optional[str] = None
    rejected_fields: Optional[list] = None


def backoff_seconds(attempts: int, settings: Settings, rng: Callable[[], float] = random.random) -> float:
    """Exponential backoff with equal jitter: between half and all of min(max, base * 2^(n-1))."""
    ceiling = min(settings.backoff_max, settings.backoff_base * (2 ** max(attempts - 1, 0)))
    return ceiling / 2 + rng() * ceiling / 2


class DeliveryWorker:
    def __init__(self, settings: Settings, *, clock: Callable[[], datetime] = utcnow,
                 http: httpx.Client | None = None, rng: Callable[[], float] = random.random):
        self.settings, self.clock, self.rng = settings, clock, rng
        # One keep-alive connection pool for the worker's whole life.
        limits = httpx.Limits(max_connections=max(settings.concurrency, 1) * 2,
                              max_keepalive_connections=max(settings.concurrency, 1) * 2)
        self.http = http or httpx.Client(timeout=settings.http_timeout, limits=limits)
        self._pool = ThreadPoolExecutor(settings.concurrency) if settings.concurrency > 1 else None

    def close(self) -> None:
        if self._pool:
            self._pool.shutdown()
        self.http.close()

    # -- claiming ----------------------------------------------------------------------------------

    def claim(self) -> list[Claim]:
        now = self.clock()
        token = secrets.token_hex(16)
        due = (select(deliveries.c.id)
               .where(deliveries.c.status == PENDING, deliveries.c.next_attempt_at <= now)
               .order_by(deliveries.c.next_attempt_at)
               .limit(self.settings.batch_size)
               .with_for_update(skip_locked=True))  # ignored by SQLite, whose UPDATE holds the write lock
        statement = (update(deliveries)
                     .where(deliveries.c.id.in_(due.scalar_subquery()))
                     .values(claim_token=token, claims=deliveries.c.claims + 1, updated_at=now,
                             next_attempt_at=now + timedelta(seconds=self.settings.lease_seconds))
                     .returning(deliveries.c.id, deliveries.c.partner, deliveries.c.idempotency_key,
                                deliveries.c.payload_encrypted, deliveries.c.attempts))
        rows = db.session.execute(statement).all()
        db.session.commit()
        return [Claim(row.id, row.partner, row.idempotency_key, row.payload_encrypted, row.attempts + 1, token)
                for row in sorted(rows, key=lambda r: r.id)]

    # -- sending -----------------------------------------------------------------------------------

    def open_payload(self, claim: Claim) -> bytes | Outcome:
        """The bytes to send (decrypted in the app context), or a permanent failure if unreadable."""
        try:
            return outbox.unseal(claim.payload_encrypted, claim.idempotency_key)
        except Exception:  # noqa: BLE001 - a payload we cannot read can never be sent
            return Outcome("permanent", error="payload cannot be decrypted (encryption key missing?)")

    def send(self, claim: Claim, body: bytes) -> Outcome:
        """POST one delivery; thread-safe (no database or app context needed)."""
        path = f"/{claim.partner}/v1/declarations"
        headers = {"Content-Type": "application/json", "Idempotency-Key": claim.idempotency_key,
                   # Signed anew for every attempt: a signature (timestamp, nonce) is good for one request.
                   signing.HEADER: signing.sign(self.settings.secret, "POST", path, body, claim.idempotency_key)}
        try:
            response = self.http.post(self.settings.base_url + path, content=body, headers=headers)
        except httpx.TimeoutException:
            return Outcome("transient", error="timeout")
        except httpx.TransportError as error:
            return Outcome("transient", error=f"connection error: {type(error).__name__}")
        return classify(response)

    def deliver(self, claim: Claim, body: bytes) -> Outcome:
        """Send; on the last allowed attempt, a transient failure first asks the registry for a receipt."""
        outcome = self.send(claim, body)
        if outcome.kind == "transient" and claim.attempts >= self.settings.max_attempts:
            return self.receipt(claim) or outcome
        return outcome

    def receipt(self, claim: Claim) -> Optional[Outcome]:
        """The registry's receipt for this Idempotency-Key, as a delivered outcome; None if it holds
        nothing or cannot say (thread-safe, like `send`)."""
        path = f"/{claim.partner}/v1/receipts/{claim.idempotency_key}"
        headers = {signing.HEADER: signing.sign(self.settings.secret, "GET", path, b"")}
        try:
            response = self.http.get(self.settings.base_url + path, headers=headers)
        except httpx.TransportError:
            return None
        outcome = classify(response)
        return outcome if outcome.kind == "delivered" else None

    # -- recording ---------------------------------------------------------------------------------

    def result_values(self, claim: Claim, outcome: Outcome) -> dict:
        """The row's new values for this outcome (always the same keys, so results save in one executemany)."""
        now = self.clock()
        values = {"claimed_id": claim.id, "claimed_token": claim.token, "claim_token": None, "updated_at": now,
                  "attempts": claim.attempts, "reference": None, "receipt": None, "delivered_at": None, "rejected_fields": None,
                  "last_error": outcome.error, "next_attempt_at": now}
        if outcome.kind == "delivered":
            values.update(status=DELIVERED, reference=outcome.reference, receipt=outcome.receipt, delivered_at=now)
        elif outcome.kind == "permanent":
            values.update(status=FAILED, rejected_fields=outcome.rejected_fields)
        elif claim.attempts >= self.settings.max_attempts:
            values.update(status=DEAD, last_error=f"{outcome.error} (gave up after {claim.attempts} attempts)")
        else:
            delay = backoff_seconds(claim.attempts, self.settings, self.rng)
            values.update(status=PENDING, next_attempt_at=now + timedelta(seconds=delay))
        return values

    def save(self, results: list[tuple[Claim, Outcome]]) -> None:
        """Save results where the claim is still ours (a worker whose lease ran out saves nothing)."""
        if not results:
            return
        statement = update(deliveries).where(deliveries.c.id == bindparam("claimed_id"),
                                             deliveries.c.claim_token == bindparam("claimed_token"))
        rows = [self.result_values(claim, outcome) for claim, outcome in results]
        db.session.execute(statement, rows)
        for claim, row in zip((claim for claim, _ in results), rows):
            # Ids and outcome only: never the payload. Dead letters are a warning for whoever watches the logs.
            level = logging.WARNING if row["status"] in (DEAD, FAILED) else logging.INFO
            log.log(level, "delivery %s to %s: %s (attempt %s)%s", claim.id, claim.partner, row["status"],
                    claim.attempts, f": {row['last_error']}" if row["status"] != DELIVERED else "")

    def record(self, claim: Claim, outcome: Outcome) -> str:
        self.save([(claim, outcome)])
        return self.result_values(claim, outcome)["status"]

    def release(self, claims: list[Claim]) -> None:
        """Give back claims not attempted (their lease would run out before we reach them)."""
        for claim in claims:
            db.session.execute(update(deliveries)
                               .where(deliveries.c.id == claim.id, deliveries.c.claim_token == claim.token)
                               .values(claim_token=None, claims=deliveries.c.claims - 1,
                                       next_attempt_at=self.clock()))

    def notify_operations(self) -> int:
        """Mail the operations mailbox about refusals and dead letters not yet reported (ids, registry
        and reason only: never personal data); returns how many were reported."""
        if not self.settings.ops_mailbox:
            return 0
        from app.declarations import operations  # mail templates need the app; the worker core does not

        return operations.report_unreported(self.settings.ops_mailbox, self.clock())

    # -- loop --------------------------------------------------------------------------------------

    def run_once(self) -> int:
        """Claim one batch, send it, save every result in one commit; returns how many were claimed."""
        claims = self.claim()
        if not claims:
            return 0
        outcomes = self._send_all(claims)
        self.save([(claim, outcome) for claim, outcome in zip(claims, outcomes) if outcome is not None])
        self.release([claim for claim, outcome in zip(claims, outcomes) if outcome is None])
        db.session.commit()
        if any(outcome is not None and outcome.kind != "delivered" for outcome in outcomes):
            self.notify_operations()
        return len(claims)

    def _send_all(self, claims: list[Claim]) -> list[Optional[Outcome]]:
        # Stop sending once a lease would be at risk: a slow batch must not overlap another worker's claim.
        lease = self.settings.lease_seconds
        deadline = self.clock() + timedelta(seconds=max(lease - self.settings.http_timeout - 1, lease / 2))
        bodies = [self.open_payload(claim) for claim in claims]

        def send_in_time(pair):
            claim, body = pair
            if isinstance(body, Outcome):
                return body
            return self.deliver(claim, body) if self.clock() < deadline else None

        if self._pool:
            return list(self._pool.map(send_in_time, zip(claims, bodies)))
        return [send_in_time(pair) for pair in zip(claims, bodies)]

    def run(self, stop: threading.Event) -> None:
        """Work until `stop` is set; the batch in hand is always finished and saved first."""
        while not stop.is_set():
            try:
                worked = self.run_once()
            except Exception:  # noqa: BLE001 - a database hiccup must not kill the worker
                log.exception("delivery worker: batch failed, retrying shortly")
                db.session.rollback()
                worked = 0
            if not worked:
                stop.wait(self.settings.poll_seconds)


def classify(response: httpx.Response) -> Outcome:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if 200 <= status < 300:
        if isinstance(body, dict) and body.get("reference"):
            return Outcome("delivered", reference=str(body["reference"])[:64],
                           receipt={"status_code": status, **{k: body[k] for k in ("reference", "status", "received_at")
                                                              if k in body}})
        return Outcome("transient", error=f"HTTP {status} without a reference")
    code = str(body.get("error") or "")[:60] if isinstance(body, dict) else ""
    error = f"HTTP {status}" + (f" {code}" if code else "")
    if status >= 500 or status in TRANSIENT_STATUSES:
        return Outcome("transient", error=error)
    fields = None
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        # Only the names of the refused fields are kept: a registry's messages may quote the values.
        fields = sorted({str(e.get("field", "")).removeprefix("data.")[:60]
                         for e in body["errors"][:50] if isinstance(e, dict)})
        error += ": " + ", ".join(fields)
    return Outcome("permanent", error=error, rejected_fields=fields)


def delivery_service(app, stop: threading.Event) -> None:
    """Background service for `flask serve`: one worker thread inside the web process."""
    with app.app_context():
        worker = DeliveryWorker(Settings.from_config(app.config))
        try:
            worker.run(stop)
        finally:
            worker.close()
            db.session.remove()
