"""Guarantee 3 of issue 4, on PostgreSQL for real: 4 worker processes, 1 000 declarations x 3 partners
-> every registry holds exactly 1 000 records, none missing, none doubled. Each test gets its own
throw-away databases (parcours_test_<random>), dropped afterwards."""
from __future__ import annotations

import secrets
import signal
import subprocess
import threading
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.core.db import db
from app.declarations import outbox
from app.declarations.models import Delivery
from app.partners import create_partners_app
from tests.declarations.conftest import served
from tests.declarations.test_worker_process import worker_process
from tests.partners.conftest import SECRET, SignedClient

pytestmark = pytest.mark.postgres
SERVER = "host=127.0.0.1 port=5432 user=postgres"
PARTNERS = ("dec", "ramq", "retraite-quebec")


def _admin():
    import psycopg

    try:
        return psycopg.connect(SERVER + " dbname=postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432 (user postgres)")


@pytest.fixture
def pg_database():
    """Create databases on demand; all are dropped at the end of the test."""
    admin, names = _admin(), []

    def create() -> str:
        name = f"parcours_test_{secrets.token_hex(4)}"
        admin.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    yield create
    for name in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def pg_app(pg_database):
    app = create_app({"TESTING": True, "SECRET_KEY": "pg-test", "SQLALCHEMY_DATABASE_URI": pg_database()})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def pg_registries(pg_database):
    with served(create_partners_app({"DATABASE_URL": pg_database(), "HMAC_SECRET": SECRET})) as registries:
        yield registries
    registries.extensions["partners"].engine.dispose()


def test_claims_skip_rows_locked_by_another_worker(pg_app):
    """Two workers claiming at the same moment split the due rows between them."""
    from app.declarations.worker import DeliveryWorker, Settings

    with pg_app.app_context():
        for _ in range(10):
            outbox.submit(user_id=1, run_id=secrets.token_hex(8), journey_id="devenir-parent", journey_version=1,
                          kind="naissance", payloads=[outbox.PartnerPayload("ramq", "ramq", {"child_birth_date": "2026-01-01"})])
    claimed, barrier = [], threading.Barrier(2)

    def claim():
        with pg_app.app_context():
            worker = DeliveryWorker(Settings(base_url="http://unused", secret="s", batch_size=10))
            barrier.wait()
            claimed.append({c.id for c in worker.claim()})
            worker.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert claimed[0].isdisjoint(claimed[1])
    assert len(claimed[0] | claimed[1]) == 10


def test_guarantee_3_four_workers_1000_declarations_3_partners(pg_app, pg_registries):
    with pg_app.app_context():
        for index in range(1000):
            outbox.submit(user_id=1 + index % 50, run_id=f"run-{index:05d}", journey_id="devenir-parent",
                          journey_version=1, kind="naissance",
                          payloads=[outbox.PartnerPayload(p, p, {"child_given_names": f"Enfant {index}",
                                                                 "child_birth_date": "2026-02-20"}) for p in PARTNERS])
        assert db.session.scalar(select(func.count()).select_from(Delivery)) == 3000

    url = pg_registries.config["BASE_URL"]
    workers = [worker_process(pg_app, url, PARCOURS_DELIVERY_LEASE_SECONDS="60") for _ in range(4)]

    def delivered() -> int:
        with pg_app.app_context():
            count = db.session.scalar(select(func.count()).select_from(Delivery).filter_by(status="delivered"))
            db.session.remove()
            return count

    try:
        deadline = time.monotonic() + 240
        while delivered() < 3000 and time.monotonic() < deadline:
            assert all(worker.poll() is None for worker in workers), "a worker process died"
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    assert delivered() == 3000
    assert all(worker.returncode == 0 for worker in workers)

    api = SignedClient(pg_registries)
    for partner in PARTNERS:
        assert api.get(f"/{partner}/v1/admin/stats").get_json() == {
            "declarations": 1000, "distinct_idempotency_keys": 1000}, partner
    from app.partners import store

    with pg_registries.extensions["partners"].engine.connect() as connection:
        per_declaration = connection.execute(
            select(store.declarations.c.organisation, func.count(store.declarations.c.declaration_id.distinct()))
            .group_by(store.declarations.c.organisation)).all()
    assert sorted(per_declaration) == [(partner, 1000) for partner in sorted(PARTNERS)]
    with pg_app.app_context():
        references = db.session.scalars(select(Delivery.reference)).all()
        assert len(set(references)) == 3000 and None not in references
        assert db.session.scalar(select(func.max(Delivery.attempts))) == 1


def test_concurrent_deliveries_with_one_key_store_one_record_on_postgres(pg_database):
    from tests.partners.conftest import birth

    registries = create_partners_app({"DATABASE_URL": pg_database(), "HMAC_SECRET": SECRET})
    results, barrier = [], threading.Barrier(8)

    def send():
        client = SignedClient(registries)
        barrier.wait()
        response = client.post("/ramq/v1/declarations", birth(), key="same-key-everywhere")
        results.append((response.status_code, response.get_json()["reference"]))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _ in results} == {201} and len({ref for _, ref in results}) == 1
    assert SignedClient(registries).get("/ramq/v1/admin/stats").get_json()["declarations"] == 1
    registries.extensions["partners"].engine.dispose()
