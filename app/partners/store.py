"""The registries' own storage, apart from the portal's: its own metadata, engine and tables.

`partner_declarations` holds what each registry received; the unique constraint on
(organisation, idempotency_key) is what makes a retried or concurrent delivery land once.
`partner_records` holds the few files the registries already know, for the prefill look-ups.
`partner_nonces` holds the nonce of every signed request until its signature window has passed
(a replayed request is refused). `partner_faults` holds each registry's simulated faults, so they
apply to the registry as a whole, whatever process serves the request.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import (JSON, Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, UniqueConstraint,
                        create_engine, delete, event, func, insert, select)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from app.core.db import withhold_server_details

metadata = MetaData()

declarations = Table(
    "partner_declarations", metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation", String(40), nullable=False),
    Column("reference", String(40), nullable=False, unique=True),
    Column("idempotency_key", String(100), nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("declaration_id", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("status", String(20), nullable=False, default="received"),
    Column("received_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("organisation", "idempotency_key", name="uq_partner_declarations_key"),
)

records = Table(
    "partner_records", metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation", String(40), nullable=False),
    Column("sin", String(9), nullable=False),
    Column("data", JSON, nullable=False),
    UniqueConstraint("organisation", "sin", name="uq_partner_records_sin"),
)

nonces = Table(
    "partner_nonces", metadata,
    Column("nonce", String(64), primary_key=True),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

faults = Table(
    "partner_faults", metadata,
    Column("organisation", String(40), primary_key=True),
    Column("latency_ms", Integer, nullable=False, default=0),
    Column("error_rate", Float, nullable=False, default=0.0),
    Column("error_status", Integer, nullable=False, default=503),
    Column("fail_next", Integer, nullable=False, default=0),
    Column("timeout_seconds", Float, nullable=False, default=0.0),
    Column("down", Boolean, nullable=False, default=False),
    Column("delay_after_store_ms", Integer, nullable=False, default=0),
)

# Fictitious people (valid-checksum test NAS): what a registry "already knows" about them.
SEED_RECORDS = [
    ("ramq", "130692544", {"family_name": "Tremblay", "birth_date": "1990-04-12",
                           "health_number": "TREM90041212", "health_card_expiry": "2027-05-31"}),
    ("revenu-quebec", "130692544", {"family_name": "Tremblay", "birth_date": "1990-04-12",
                                    "address_on_file": {"street": "1200, rue Saint-Denis", "city": "Montréal",
                                                        "province": "QC", "postal_code": "H2X 3K4"},
                                    "last_assessment_year": 2025}),
    ("retraite-quebec", "130692544", {"family_name": "Tremblay", "birth_date": "1990-04-12",
                                      "contributor": True, "benefits_paid": False}),
    ("retraite-quebec", "193456787", {"family_name": "Gagnon", "birth_date": "1948-09-30",
                                      "contributor": True, "benefits_paid": True,
                                      "monthly_pension_amount": "1024.37"}),
    ("ramq", "193456787", {"family_name": "Gagnon", "birth_date": "1948-09-30",
                           "health_number": "GAGR48093018", "health_card_expiry": "2026-09-30"}),
]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def make_engine(url: str) -> Engine:
    # hide_parameters: a failing statement's error (and log line) must not carry the NAS or names it held.
    if url.startswith("sqlite"):
        from app.core.files import private_sqlite_file

        private_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):
            # WAL lets readers and the one writer overlap under a threaded server.
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=True)
    withhold_server_details(engine)
    return engine


def prepare(engine: Engine) -> None:
    """Create the tables if needed and seed the look-up records once."""
    metadata.create_all(engine)
    try:
        with engine.begin() as connection:
            if connection.execute(select(func.count()).select_from(records)).scalar_one() == 0:
                connection.execute(insert(records), [
                    {"organisation": org, "sin": sin, "data": data} for org, sin, data in SEED_RECORDS
                ])
    except IntegrityError:
        pass  # another process seeded them at the same moment


def remember_nonce(engine: Engine, nonce: str, window_seconds: int, now: datetime | None = None) -> bool:
    """Keep a request's nonce for twice its signature window; False when it was already seen (a replay)."""
    now = now or utcnow()
    try:
        with engine.begin() as connection:
            connection.execute(insert(nonces), {"nonce": nonce, "expires_at": now + timedelta(seconds=2 * window_seconds)})
    except IntegrityError:
        return False
    return True


def forget_expired_nonces(engine: Engine, now: datetime | None = None) -> int:
    with engine.begin() as connection:
        return connection.execute(delete(nonces).where(nonces.c.expires_at < (now or utcnow()))).rowcount
