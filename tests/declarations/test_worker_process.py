"""Guarantee 2 of issue 4 with real processes: a worker killed with SIGKILL after the registry stored
the declaration but before the portal saved the receipt; after a restart, delivered, one record.
Also: `flask deliveries work` stops cleanly on SIGTERM."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.declarations.conftest import deliveries_of, queue_declaration
from tests.partners.conftest import SECRET, SignedClient

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))


def worker_process(app, registries_url: str, **extra_env) -> subprocess.Popen:
    """`flask deliveries work` in its own process; its log goes to a temporary file (`.log_path`)."""
    env = {**os.environ,
           "PARCOURS_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
           "PARCOURS_FIELD_ENCRYPTION_KEYS": json.dumps(app.config["FIELD_ENCRYPTION_KEYS"]),
           "PARCOURS_PARTNERS_BASE_URL": registries_url,
           "PARCOURS_PARTNER_HMAC_SECRET": SECRET,
           "PARCOURS_DELIVERY_LEASE_SECONDS": "3",
           "PARCOURS_DELIVERY_HTTP_TIMEOUT_SECONDS": "10",
           "PARCOURS_DELIVERY_POLL_SECONDS": "0.2",
           **extra_env}
    log = tempfile.NamedTemporaryFile("w+", prefix="delivery-worker-", suffix=".log", delete=False)
    process = subprocess.Popen([FLASK, "--app", "app", "deliveries", "work"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=log, text=True)
    process.log_path = Path(log.name)
    log.close()
    return process


def log_of(process) -> str:
    return process.log_path.read_text()


def wait_for(predicate, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_guarantee_2_sigkill_between_registry_store_and_receipt(app, live_registries):
    api = SignedClient(live_registries)
    # The registry stores the record, then takes 5 s to answer: the window in which we kill the worker.
    api.put("/ramq/v1/admin/faults", {"delay_after_store_ms": 5000})
    declaration_id = queue_declaration(app)
    url = live_registries.config["BASE_URL"]

    first = worker_process(app, url)
    try:
        wait_for(lambda: api.get("/ramq/v1/admin/stats").get_json()["declarations"] == 1 or first.poll() is not None,
                 what="the registry to store the record")
        assert first.poll() is None, log_of(first)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    [delivery] = deliveries_of(app, declaration_id)
    assert delivery.status == "pending" and delivery.reference is None  # the receipt was never saved

    api.request("DELETE", "/ramq/v1/admin/faults")
    second = worker_process(app, url)
    try:
        wait_for(lambda: deliveries_of(app, declaration_id)[0].status == "delivered", what="delivery after restart")
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
    finally:
        if second.poll() is None:
            second.kill()
    assert second.returncode == 0 and "stopped cleanly" in log_of(second)
    [delivery] = deliveries_of(app, declaration_id)
    assert api.get("/ramq/v1/admin/stats").get_json() == {"declarations": 1, "distinct_idempotency_keys": 1}
    assert api.get(f"/ramq/v1/declarations/{delivery.reference}").status_code == 200
    assert delivery.attempts == 1  # the killed worker's attempt is not counted: it saved no outcome
