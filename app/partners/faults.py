"""Faults a registry can be told to simulate, so tests and benchmarks can drive failures.

Per registry: `latency_ms` added to every answer, `error_rate` (0..1) of answers that fail with
`error_status` (500 or 503), `fail_next` answers that fail for sure (then it recovers), `timeout_seconds`
to hang before answering (the client times out), `down` (every call answers 503 at once), and
`delay_after_store_ms`: store the record, then wait before answering (a crash window for the sender).
The state lives in the registry process; set it at start-up (config `FAULTS`) or through the admin API.
"""
from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields


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
    if "error_rate" in clean and clean["error_rate"] > 1:
        raise FaultError("error_rate must be between 0 and 1")
    if "error_status" in clean and clean["error_status"] not in (500, 502, 503, 504):
        raise FaultError("error_status must be 500, 502, 503 or 504")
    for name in ("latency_ms", "fail_next", "delay_after_store_ms", "error_status"):
        if name in clean:
            clean[name] = int(clean[name])
    return clean


class FaultBoard:
    """The current faults of every registry in this process (thread-safe)."""

    def __init__(self, initial: dict[str, dict] | None = None):
        self._lock = threading.Lock()
        self._faults: dict[str, Faults] = {}
        for organisation, settings in (initial or {}).items():
            self.update(organisation, settings)

    def get(self, organisation: str) -> Faults:
        with self._lock:
            return Faults(**self._faults.get(organisation, Faults()).as_dict())

    def update(self, organisation: str, settings: dict) -> Faults:
        clean = parse(settings)
        with self._lock:
            current = self._faults.get(organisation, Faults()).as_dict()
            current.update(clean)
            self._faults[organisation] = Faults(**current)
            return Faults(**current)

    def reset(self, organisation: str) -> Faults:
        with self._lock:
            self._faults[organisation] = Faults()
            return Faults()

    def should_fail(self, organisation: str) -> int | None:
        """The error status to answer with now, if any (consumes one `fail_next`)."""
        with self._lock:
            faults = self._faults.get(organisation)
            if faults is None:
                return None
            if faults.down:
                return 503
            if faults.fail_next > 0:
                faults.fail_next -= 1
                return faults.error_status
            if faults.error_rate and random.random() < faults.error_rate:
                return faults.error_status
            return None
