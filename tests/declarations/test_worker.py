"""The outbox and the delivery worker against the registries: guarantees 1, 4 and 5 of issue 4,
backoff, dead letters and replay, leases, timeouts and refused connections."""
from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from app.core.db import db
from app.declarations.models import Declaration, Delivery
from app.declarations.worker import Settings, backoff_seconds
from tests.declarations.conftest import deliveries_of, queue_declaration


def stats(registry_api, org="ramq"):
    return registry_api.get(f"/{org}/v1/admin/stats").get_json()


def production_retry_settings(app) -> dict:
    config = Settings.from_config(app.config)
    return {"max_attempts": config.max_attempts, "backoff_base": config.backoff_base,
            "backoff_max": config.backoff_max}


def work_until_settled(app, worker, clock, *, step=timedelta(minutes=5), limit=2000):
    """Run the worker, moving the fake clock on, until no delivery is pending any more."""
    with app.app_context():
        for _ in range(limit):
            worker.run_once()
            pending = db.session.query(Delivery).filter_by(status="pending").count()
            if not pending:
                return
            clock.now += step
    raise AssertionError("deliveries still pending")


def test_submission_writes_the_declaration_and_one_delivery_per_partner(app, clock):
    declaration_id = queue_declaration(app, partners=("ramq", "dec", "rqap"), clock=clock)
    rows = deliveries_of(app, declaration_id)
    assert [row.partner for row in rows] == ["ramq", "dec", "rqap"]
    assert all(row.status == "pending" and row.attempts == 0 for row in rows)
    assert len({row.idempotency_key for row in rows}) == 3
    # The NAS never sits in the outbox in clear.
    assert all("130692544" not in row.payload_encrypted for row in rows)


def test_guarantee_1_three_503_then_201_is_delivered_once(app, make_worker, registry_api, clock):
    registry_api.put("/ramq/v1/admin/faults", {"fail_next": 3, "error_status": 503})
    declaration_id = queue_declaration(app, clock=clock)
    worker = make_worker()
    work_until_settled(app, worker, clock)
    [delivery] = deliveries_of(app, declaration_id)
    assert delivery.status == "delivered" and delivery.attempts == 4
    assert delivery.reference.startswith("RAMQ-")
    assert stats(registry_api) == {"declarations": 1, "distinct_idempotency_keys": 1}
    assert registry_api.get(f"/ramq/v1/declarations/{delivery.reference}").status_code == 200


def test_retries_back_off_exponentially_with_jitter(app, make_worker, registry_api, clock):
    registry_api.put("/ramq/v1/admin/faults", {"down": True})
    declaration_id = queue_declaration(app, clock=clock)
    worker = make_worker(backoff_base=30, backoff_max=3600)
    delays = []
    with app.app_context():
        for _ in range(5):
            before = clock.now
            assert worker.run_once() == 1
            [delivery] = deliveries_of(app, declaration_id)
            delays.append((delivery.next_attempt_at.replace(tzinfo=None) - before.replace(tzinfo=None)).total_seconds())
            clock.now = clock.now + timedelta(seconds=delays[-1])
    # rng fixed at 0.5 -> 3/4 of 30, 60, 120, 240, 480 seconds
    assert delays == [22.5, 45.0, 90.0, 180.0, 360.0]
    settings = Settings(base_url="x", secret="s", backoff_base=30, backoff_max=3600)
    assert backoff_seconds(20, settings, lambda: 0.0) == 1800.0
    assert backoff_seconds(20, settings, lambda: 1.0) == 3600.0


def test_guarantee_4_a_long_outage_loses_nothing(app, make_worker, registry_api, clock):
    registry_api.put("/ramq/v1/admin/faults", {"down": True})
    registry_api.put("/dec/v1/admin/faults", {"down": True})
    ids = [queue_declaration(app, partners=("ramq", "dec"), clock=clock) for _ in range(5)]
    worker = make_worker(**production_retry_settings(app))
    with app.app_context():
        for _ in range(48 * 6):  # 48 hours of outage, the worker polling every 10 minutes all along
            clock.advance(minutes=10)
            while worker.run_once():
                pass
    rows = [row for declaration_id in ids for row in deliveries_of(app, declaration_id)]
    assert all(row.status == "pending" for row in rows)
    assert stats(registry_api)["declarations"] == 0
    registry_api.request("DELETE", "/ramq/v1/admin/faults")
    registry_api.request("DELETE", "/dec/v1/admin/faults")
    work_until_settled(app, worker, clock, step=timedelta(minutes=30))
    rows = [row for declaration_id in ids for row in deliveries_of(app, declaration_id)]
    assert all(row.status == "delivered" for row in rows)
    assert stats(registry_api, "ramq")["declarations"] == 5
    assert stats(registry_api, "dec")["declarations"] == 5


def test_guarantee_5_a_422_is_not_retried_and_keeps_its_reason(app, make_worker, registry_api, clock):
    declaration_id = queue_declaration(app, data={"child_birth_date": "20 février", "parent_sin": "12"}, clock=clock)
    worker = make_worker()
    with app.app_context():
        assert worker.run_once() == 1
        clock.advance(days=3)
        assert worker.run_once() == 0  # nothing due: a refusal is final
    [delivery] = deliveries_of(app, declaration_id)
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.rejected_fields == ["child_birth_date", "parent_sin"]
    assert "422" in delivery.last_error and "20 février" not in delivery.last_error
    result = app.test_cli_runner().invoke(args=["deliveries", "list", "--failed"])
    assert result.exit_code == 0
    assert f"{delivery.id}" in result.output and "failed" in result.output
    assert "HTTP 422 invalid_declaration: child_birth_date, parent_sin" in result.output


def test_dead_letter_after_the_limit_then_replay_delivers(app, make_worker, registry_api, clock):
    registry_api.put("/ramq/v1/admin/faults", {"down": True})
    declaration_id = queue_declaration(app, clock=clock)
    worker = make_worker(max_attempts=3)
    work_until_settled(app, worker, clock)
    [delivery] = deliveries_of(app, declaration_id)
    assert delivery.status == "dead" and delivery.attempts == 3
    assert "gave up after 3 attempts" in delivery.last_error
    runner = app.test_cli_runner()
    assert "dead" in runner.invoke(args=["deliveries", "list", "--failed"]).output

    registry_api.request("DELETE", "/ramq/v1/admin/faults")
    result = runner.invoke(args=["deliveries", "replay", str(delivery.id)])
    assert result.exit_code == 0 and "queued again" in result.output
    clock.now = datetime.now(timezone.utc) + timedelta(seconds=1)  # replay queues at the real time
    work_until_settled(app, worker, clock)
    [delivery] = deliveries_of(app, declaration_id)
    assert delivery.status == "delivered"
    assert stats(registry_api)["declarations"] == 1
    again = runner.invoke(args=["deliveries", "replay", str(delivery.id)])
    assert again.exit_code != 0 and "only failed or dead" in again.output
    assert runner.invoke(args=["deliveries", "replay", "999999"]).exit_code != 0


def test_timeouts_and_refused_connections_are_retried(app, make_worker, clock):
    def time_out(request):
        raise httpx.ReadTimeout("slow registry", request=request)

    declaration_id = queue_declaration(app, clock=clock)
    worker = make_worker(transport=httpx.MockTransport(time_out))
    with app.app_context():
        worker.run_once()
    [delivery] = deliveries_of(app, declaration_id)
    assert delivery.status == "pending" and delivery.last_error == "timeout"

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    clock.advance(hours=1)
    refused = make_worker(transport=httpx.HTTPTransport(), base_url=f"http://127.0.0.1:{closed_port}")
    with app.app_context():
        refused.run_once()
    [delivery] = deliveries_of(app, declaration_id)
    assert delivery.status == "pending" and delivery.last_error.startswith("connection error")


def test_a_worker_that_died_lets_its_lease_run_out_and_its_late_result_is_ignored(
        app, make_worker, registry_api, clock):
    declaration_id = queue_declaration(app, clock=clock)
    crashed, survivor = make_worker(lease_seconds=120), make_worker(lease_seconds=120)
    with app.app_context():
        [claim] = crashed.claim()  # ...and the process dies before sending
        assert survivor.claim() == []  # claimed rows are not claimed twice
        clock.advance(seconds=121)
        assert survivor.run_once() == 1
        # The dead worker's stale result must not overwrite the delivered row.
        from app.declarations.worker import Outcome

        crashed.record(claim, Outcome("transient", error="late"))
        db.session.commit()
    [delivery] = deliveries_of(app, declaration_id)
    assert delivery.status == "delivered" and delivery.last_error is None
    # The crash cost the delivery nothing: one attempt, the survivor's.
    assert delivery.attempts == 1
    assert stats(registry_api)["declarations"] == 1


def test_a_crash_mid_batch_is_not_counted_as_an_attempt(app, make_worker, registry_api, clock):
    registry_api.put("/ramq/v1/admin/faults", {"down": True})
    declaration_id = queue_declaration(app, clock=clock)
    worker = make_worker(max_attempts=2, lease_seconds=60)
    with app.app_context():
        for _ in range(5):  # five workers in a row die holding the claim
            assert len(worker.claim()) == 1
            clock.advance(seconds=61)
        assert worker.run_once() == 1  # then one really tries: its first attempt
    [delivery] = deliveries_of(app, declaration_id)
    assert delivery.status == "pending" and delivery.attempts == 1


def lost_answers(registries):
    """A network where every declaration reaches the registry but its answer never comes back."""
    inner = httpx.WSGITransport(app=registries)

    def handler(request):
        response = inner.handle_request(request)
        if request.method == "POST":
            response.read()
            raise httpx.ReadTimeout("answer lost", request=request)
        return response

    return httpx.MockTransport(handler)


def test_before_giving_up_the_worker_asks_the_registry_for_a_receipt(app, make_worker, registries,
                                                                    registry_api, clock):
    declaration_id = queue_declaration(app, clock=clock)
    worker = make_worker(max_attempts=3, transport=lost_answers(registries))
    work_until_settled(app, worker, clock)
    [delivery] = deliveries_of(app, declaration_id)
    # The registry had it all along: delivered, with its reference, never dead-lettered.
    assert delivery.status == "delivered" and delivery.reference.startswith("RAMQ-")
    assert delivery.attempts == 3
    assert stats(registry_api) == {"declarations": 1, "distinct_idempotency_keys": 1}


def test_a_registry_that_holds_nothing_is_dead_lettered(app, make_worker, registry_api, clock):
    registry_api.put("/ramq/v1/admin/faults", {"fail_next": 3, "error_status": 503})
    declaration_id = queue_declaration(app, clock=clock)
    worker = make_worker(max_attempts=2)
    work_until_settled(app, worker, clock)
    [delivery] = deliveries_of(app, declaration_id)
    assert delivery.status == "dead" and stats(registry_api)["declarations"] == 0


def test_refusals_and_dead_letters_are_mailed_to_operations_once(app, make_worker, registry_api, clock, tmp_path):
    app.config.update(OPS_MAILBOX="operations@parcours.example", MAIL_DIR=str(tmp_path / "mail"))
    try:
        registry_api.put("/dec/v1/admin/faults", {"down": True})
        refused = queue_declaration(app, data={"child_birth_date": "20 février", "parent_sin": "130692544"},
                                    clock=clock)
        dead = queue_declaration(app, partners=("dec",), clock=clock)
        worker = make_worker(max_attempts=2, ops_mailbox="operations@parcours.example")
        work_until_settled(app, worker, clock)
        text = "\n".join(mail.read_text() for mail in sorted((tmp_path / "mail").glob("*.eml")))
        assert "To: operations@parcours.example" in text
        numbers = {}
        with app.app_context():
            for declaration_id in (refused, dead):
                numbers[declaration_id] = db.session.get(Declaration, declaration_id).number
        # Each refusal or dead letter is reported exactly once.
        assert text.count(numbers[refused]) == 1 and text.count(numbers[dead]) == 1
        assert "130692544" not in text and "Tremblay" not in text  # never personal data
        assert all(row.ops_notified_at is not None
                   for row in deliveries_of(app, refused) + deliveries_of(app, dead))
        with app.app_context():
            assert worker.notify_operations() == 0
    finally:
        app.config["OPS_MAILBOX"] = None


def test_replay_all_dead_queues_every_dead_letter_and_only_those(app, make_worker, registry_api, clock):
    registry_api.put("/ramq/v1/admin/faults", {"down": True})
    dead = [queue_declaration(app, clock=clock) for _ in range(3)]
    refused = queue_declaration(app, partners=("dec",), data={"child_birth_date": "x"}, clock=clock)
    worker = make_worker(max_attempts=1)
    work_until_settled(app, worker, clock)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["deliveries", "replay", "--all-dead"])
    assert result.exit_code == 0 and result.output.count("queued again") == 3
    assert all(row.status == "pending" and row.attempts == 0
               for declaration_id in dead for row in deliveries_of(app, declaration_id))
    assert [row.status for row in deliveries_of(app, refused)] == ["failed"]
    assert runner.invoke(args=["deliveries", "replay"]).exit_code != 0
    assert "No dead deliveries" in runner.invoke(args=["deliveries", "replay", "--all-dead"]).output


def test_a_second_submission_for_the_same_run_changes_nothing(app, clock):
    first = queue_declaration(app, run_id="11111111-1111-1111-1111-111111111111", clock=clock)
    second = queue_declaration(app, run_id="11111111-1111-1111-1111-111111111111", partners=("dec", "rqap"))
    assert first == second
    assert [row.partner for row in deliveries_of(app, first)] == ["ramq"]


@pytest.mark.parametrize("status, kind", [(500, "transient"), (502, "transient"), (429, "transient"),
                                          (408, "transient"), (400, "permanent"), (401, "permanent"),
                                          (404, "permanent"), (409, "permanent")])
def test_status_codes_are_classified(status, kind):
    from app.declarations.worker import classify

    assert classify(httpx.Response(status, json={"error": "x"})).kind == kind
    assert classify(httpx.Response(201, json={})).kind == "transient"  # a receipt without a reference
