"""Faults a registry can be told to simulate, so tests and benchmarks can drive failures.

Per registry: `latency_ms` added to every answer, `error_rate` (0..1) of answers that fail with
`error_status` (500 or 503), `fail_next` answers that fail for sure (then it recovers), `timeout_seconds`
to hang before answering (the client times out), `down` (every call answers 503 at once), and
`delay_after_store_ms`: store the record, then wait before answering (a crash window for the sender).
The state lives in the registries' database (table `partner_faults`), so it applies to a registry as a
whole, whichever process or gunicorn worker answers; set it at start-up (config `FAULTS`) or through
the admin API. `fail_next` is counted down by one atomic UPDATE, so N failures mean N, across processes.
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass, fields

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from app.partners.store import faults as table


@dataclass
class Faults:
    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 503
    fail_next: int = 0
    timeout_seconds: float = 0.0
    down: bool = False
    delay_after_store_ms: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


FIELD_NAMES = tuple(f.name for f in fields(Faults))
# Faults simulate an unwell registry, not a hung one: no setting may tie a worker up for long.
LIMITS = {"latency_ms": 60_000, "timeout_seconds": 120, "delay_after_store_ms": 60_000, "fail_next": 1_000_000}


class FaultError(ValueError):
    """A fault setting that makes no sense (unknown name, wrong type, out of range)."""


def parse(settings: dict) -> dict:
    """Check a partial fault setting from config or the admin API; returns the clean values."""
    if not isinstance(settings, dict):
        raise FaultError("faults must be a JSON object")
    known = {f.name: f.type for f in fields(Faults)}
    clean = {}
    for name, value in settings.items():
        if name not in known:
            raise FaultError(f"unknown fault {name!r}; known: {', '.join(sorted(known))}")
        if name == "down":
            if not isinstance(value, bool):
                raise FaultError("down must be true or false")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise FaultError(f"{name} must be a number >= 0")
        clean[name] = value
    for name, ceiling in LIMITS.items():
        if name in clean and clean[name] > ceiling:
            raise FaultError(f"{name} must be at most {ceiling}")
    if "error_rate" in clean and clean["error_rate"] > 1:
        raise FaultError("error_rate must be between 0 and 1")
    if "error_status" in clean and clean["error_status"] not in (500, 502, 503, 504):
        raise FaultError("error_status must be 500, 502, 503 or 504")
    for name in ("latency_ms", "fail_next", "delay_after_store_ms", "error_status"):
        if name in clean:
            clean[name] = int(clean[name])
    return clean


class FaultBoard:
    """The current faults of every registry, kept in the registries' database."""

    def __init__(self, engine: Engine, initial: dict[str, dict] | None = None):
        self.engine = engine
        for organisation, settings in (initial or {}).items():
            self.update(organisation, settings)

    def _row(self, connection, organisation: str) -> Faults:
        found = connection.execute(select(table).where(table.c.organisation == organisation)).mappings().first()
        if found is None:
            return Faults()
        return Faults(**{name: found[name] for name in FIELD_NAMES})

    def get(self, organisation: str) -> Faults:
        with self.engine.connect() as connection:
            return self._row(connection, organisation)

    def update(self, organisation: str, settings: dict) -> Faults:
        clean = parse(settings)
        with self.engine.begin() as connection:
            current = self._row(connection, organisation).as_dict()
            current.update(clean)
            self._write(connection, organisation, current)
            return Faults(**current)

    def reset(self, organisation: str) -> Faults:
        with self.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.organisation == organisation))
        return Faults()

    def _write(self, connection, organisation: str, values: dict) -> None:
        changed = connection.execute(update(table).where(table.c.organisation == organisation).values(**values))
        if not changed.rowcount:
            try:
                with connection.begin_nested():
                    connection.execute(insert(table).values(organisation=organisation, **values))
            except IntegrityError:  # another process inserted it meanwhile
                connection.execute(update(table).where(table.c.organisation == organisation).values(**values))

    def should_fail(self, organisation: str) -> int | None:
        """The error status to answer with now, if any (consumes one `fail_next`, atomically)."""
        faults = self.get(organisation)
        if faults.down:
            return 503
        if faults.fail_next > 0:
            with self.engine.begin() as connection:
                taken = connection.execute(update(table).where(
                    table.c.organisation == organisation, table.c.fail_next > 0
                ).values(fail_next=table.c.fail_next - 1)).rowcount
            if taken:
                return faults.error_status
        if faults.error_rate and random.random() < faults.error_rate:
            return faults.error_status
        return None
