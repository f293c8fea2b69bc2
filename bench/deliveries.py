"""Benchmark: deliveries per second with 1, 2 and 4 worker processes, on PostgreSQL.

The registries run under gunicorn on 127.0.0.1 with their own PostgreSQL database. For each
scenario the delivery workers (`flask deliveries work`, with its default batch size and
concurrency) are started and polling, then the outbox is filled in one commit with déclarations
uniques of the Déménager journey (its declaration partners and fields, the first scenario's
answers, a complete profile: what a citizen moving house sends), sized to keep the workers busy for
at least --seconds. The rate is the deliveries saved within --seconds of that commit, which the
first claim follows within one poll (0.1 s), divided by --seconds. The workers then drain the rest,
and the benchmark checks at the registries that every declaration arrived exactly once.

When the registries die, a delivery is missing or doubled, or the outbox does not drain, it
prints what went wrong, no rate, and exits 1. Throw-away databases are dropped at the end.

    .venv/bin/python bench/deliveries.py [--seconds 30] [--workers 1,2,4] [--backends pg]

The last line printed is one JSON object, e.g. {"pg_4_workers_per_s": 250.0, ...}.
"""
from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package: drop this folder from the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from datetime import timedelta

# Throw-away servers with generated secrets: development mode, as under `make bench`, even when the
# script is run by hand (production mode refuses to start without its secrets).
os.environ.setdefault("PARCOURS_ENV", "development")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.core.db import db, utcnow  # noqa: E402
from app.declarations import outbox  # noqa: E402
from app.declarations.models import Declaration, Delivery  # noqa: E402

BIN = Path(sys.executable).parent
LOGS = tempfile.TemporaryDirectory(prefix="parcours-bench-logs-")  # one log file per worker process
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
SECRET = secrets.token_hex(16)
JOURNEY = "demenager"
PROFILE = {"given_names": "Camille", "family_name": "Tremblay", "birth_date": "1988-04-12", "sin": "046454286"}


def postgres_available() -> bool:
    import psycopg

    try:
        psycopg.connect(PG_SERVER + " dbname=postgres", connect_timeout=3).close()
        return True
    except psycopg.OperationalError:
        return False


class Databases:
    """Throw-away PostgreSQL databases and SQLite files, removed on close."""

    def __init__(self):
        self.names, self.tmp = [], tempfile.TemporaryDirectory(prefix="parcours-bench-")

    def postgres(self) -> str:
        import psycopg

        name = f"parcours_bench_{secrets.token_hex(4)}"
        with psycopg.connect(PG_SERVER + " dbname=postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    def sqlite(self) -> str:
        return f"sqlite:///{self.tmp.name}/{secrets.token_hex(4)}.db"

    def close(self) -> None:
        import psycopg

        if self.names:
            with psycopg.connect(PG_SERVER + " dbname=postgres", autocommit=True) as admin:
                for name in self.names:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.tmp.cleanup()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_registries(database_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PARCOURS_PARTNERS_DATABASE_URL": database_url, "PARCOURS_PARTNER_HMAC_SECRET": SECRET}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "-k", "gthread", "--threads", "16", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "app.partners.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/partenaires"
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/").status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the registries did not start: " + server.stderr.read().decode()[-2000:])


def portal(database_url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "PARTNER_HMAC_SECRET": SECRET})
    with app.app_context():
        upgrade()
    return app


def realistic_offers(app) -> list:
    """What one citizen moving house sends: the journey's partners and fields, built by the app itself."""
    from app.catalog import get_catalog
    from app.declarations.review import build_offers
    from app.journeys.scenarios import load_scenarios

    answers = load_scenarios(ROOT / "journeys" / "tests", JOURNEY)[0].answers
    with app.test_request_context():  # the offers' labels are translated
        catalog = get_catalog()
        journey = catalog.journeys[JOURNEY]
        offers = [o for o in build_offers(journey, catalog.organisations, answers, PROFILE) if o.can_send]
        kind = journey.declaration.kind
    if not offers:
        raise SystemExit(f"the {JOURNEY} journey offers no declaration partner for its first scenario")
    return kind, [offer.payload() for offer in offers]


def fill_outbox(app, declarations: int, kind: str, payloads: list):
    """Declarations x partners deliveries, written in bulk in one commit; returns the declaration
    numbers and their `created_at`, which tells this batch from earlier ones."""
    now = utcnow()
    numbers = []
    with app.app_context():
        rows_declarations, rows_deliveries = [], []
        for index in range(declarations):
            declaration_id, number = str(uuid.uuid4()), outbox.new_number(now)
            numbers.append(number)
            rows_declarations.append({"id": declaration_id, "number": number, "user_id": index + 1,
                                      "run_id": str(uuid.uuid4()), "journey_id": JOURNEY, "journey_version": 1,
                                      "kind": kind, "consent": {"offered": [p.organisation for p in payloads],
                                                                "consented": [p.organisation for p in payloads],
                                                                "attested": True},
                                      "created_at": now})
            for payload in payloads:
                key = str(uuid.uuid4())
                rows_deliveries.append({
                    "declaration_id": declaration_id, "organisation": payload.organisation,
                    "partner": payload.partner, "idempotency_key": key, "fields": sorted(payload.data),
                    "status": "pending", "attempts": 0,
                    "payload_encrypted": outbox.seal(outbox.envelope(kind, number, payload.data), key),
                    "next_attempt_at": now, "created_at": now, "updated_at": now})
        db.session.execute(insert(Declaration), rows_declarations)
        db.session.execute(insert(Delivery), rows_deliveries)
        db.session.commit()
    return numbers, now


def start_workers(app, count: int, registries_url: str) -> list[subprocess.Popen]:
    env = {**os.environ,
           "PARCOURS_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
           "PARCOURS_FIELD_ENCRYPTION_KEYS": json.dumps(app.config["FIELD_ENCRYPTION_KEYS"]),
           "PARCOURS_PARTNERS_BASE_URL": registries_url, "PARCOURS_PARTNER_HMAC_SECRET": SECRET,
           "PARCOURS_DELIVERY_POLL_SECONDS": "0.1"}
    command = [str(BIN / "flask"), "--app", "app", "deliveries", "work"]  # its defaults, as deployed
    workers = []
    for index in range(count):
        log = Path(LOGS.name) / f"worker-{len(list(Path(LOGS.name).iterdir()))}.log"
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
        worker.log = log
        workers.append(worker)
    deadline = time.monotonic() + 120
    for worker in workers:  # wait until each one is up and polling, so start-up time is not measured
        while "started" not in worker.log.read_text():
            if worker.poll() is not None or time.monotonic() > deadline:
                stop(workers)
                raise SystemExit("a delivery worker did not start:\n" + worker.log.read_text()[-2000:])
            time.sleep(0.1)
    return workers


class Failed(Exception):
    """The run cannot give an honest rate."""


def registries_alive(registries: subprocess.Popen, url: str) -> bool:
    import httpx

    try:
        return registries.poll() is None and httpx.get(url + "/", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def delivered_counts(app, since, until) -> tuple[int, int]:
    """(delivered by `until`, delivered in all) among the deliveries queued at `since`."""
    with app.app_context():
        ours = (Delivery.status == "delivered", Delivery.created_at == since)
        in_time = db.session.scalar(select(func.count()).select_from(Delivery)
                                    .where(*ours, Delivery.delivered_at <= until))
        total = db.session.scalar(select(func.count()).select_from(Delivery).where(*ours))
        db.session.remove()
    return in_time, total


def measure(app, queued, total: int, seconds: float, registries, registries_url: str) -> tuple[float, bool]:
    """Deliveries per second in the first `seconds` after the outbox commit; True if it was still busy then."""
    started = utcnow()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(min(1.0, max(0.0, end - time.monotonic())))
        if not registries_alive(registries, registries_url):
            raise Failed("the registries stopped answering during the measurement")
    in_time, done = delivered_counts(app, queued, started + timedelta(seconds=seconds))
    return in_time / seconds, done < total


def drain(app, queued, total: int, timeout: float, registries, registries_url: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        _, done = delivered_counts(app, queued, utcnow())
        if done >= total:
            return
        if not registries_alive(registries, registries_url):
            raise Failed(f"the registries died: {done}/{total} delivered")
        if time.monotonic() > deadline:
            raise Failed(f"only {done}/{total} delivered after {timeout:.0f} s")
        time.sleep(0.5)


def check_exactly_once(registries_database: str, numbers: list[str], partners: list[str]) -> None:
    """At the registries: every (declaration, registry) received once, none twice, none missing."""
    from sqlalchemy import create_engine

    from app.partners.store import declarations as received

    engine = create_engine(registries_database)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(received.c.organisation, received.c.declaration_id, func.count())
                .where(received.c.declaration_id.in_(numbers))
                .group_by(received.c.organisation, received.c.declaration_id)).all()
    finally:
        engine.dispose()
    counts = {(org, number): count for org, number, count in rows}
    expected = {(partner, number) for number in numbers for partner in partners}
    missing = expected - set(counts)
    doubled = {key: count for key, count in counts.items() if count != 1}
    unexpected = set(counts) - expected
    if missing or doubled or unexpected:
        raise Failed(f"at the registries: {len(missing)} missing (e.g. {sorted(missing)[:3]}), {len(doubled)} received more than once, "
                     f"{len(unexpected)} unexpected")


def stop(processes) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="measured time per scenario")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--backends", default="pg", help="pg and/or sqlite (SQLite: one worker only)")
    args = parser.parse_args()

    if not postgres_available():
        print("PostgreSQL is needed on 127.0.0.1:5432 (user postgres)", file=sys.stderr)
        print(json.dumps({"error": "PostgreSQL is not running"}))
        sys.exit(1)
    databases, figures = Databases(), {}
    registries = None
    try:
        registries_database = databases.postgres()
        registries, registries_url = start_registries(registries_database)
        print(f"registries: gunicorn 2 processes x 16 threads, PostgreSQL; workers: `flask deliveries work` "
              f"defaults; {args.seconds:.0f} s measured per scenario", flush=True)
        rate_per_worker = None
        for backend in args.backends.split(","):
            for count in (int(n) for n in args.workers.split(",")):
                if backend == "sqlite" and count > 1:
                    continue  # SQLite has no SKIP LOCKED: one worker only
                app = portal(databases.postgres() if backend == "pg" else databases.sqlite())
                kind, payloads = realistic_offers(app)
                partners = [p.partner for p in payloads]
                if rate_per_worker is None:  # a short first batch says how much keeps them busy
                    workers = start_workers(app, 1, registries_url)
                    try:
                        probe, queued = fill_outbox(app, 100, kind, payloads)
                        started = time.monotonic()
                        drain(app, queued, len(probe) * len(partners), 120, registries, registries_url)
                        rate_per_worker = len(probe) * len(partners) / (time.monotonic() - started)
                    finally:
                        stop(workers)
                    check_exactly_once(registries_database, probe, partners)
                busy = True
                declarations = max(50, int(rate_per_worker * count * args.seconds * 1.3 / len(partners)))
                while busy:
                    workers = start_workers(app, count, registries_url)
                    try:
                        numbers, queued = fill_outbox(app, declarations, kind, payloads)
                        total = len(numbers) * len(partners)
                        rate, busy = measure(app, queued, total, args.seconds, registries, registries_url)
                        if busy:
                            drain(app, queued, total, max(120, 3 * args.seconds), registries, registries_url)
                    finally:
                        stop(workers)
                    check_exactly_once(registries_database, numbers, partners)
                    if not busy:  # drained before the end: not a steady rate; again with more
                        declarations *= 2
                        busy = True
                        if declarations > 200_000:
                            raise Failed("the outbox drains faster than it can be filled")
                        continue
                    break
                rate_per_worker = max(rate_per_worker, rate / count)
                with app.app_context():
                    db.engine.dispose()
                figures[f"{backend}_{count}_workers_per_s"] = round(rate, 1)
                print(f"{backend:6} {count} worker(s): {total} deliveries of {len(numbers)} declarations to "
                      f"{len(partners)} registries, each received exactly once; {rate:7.1f} deliveries/s "
                      f"over {args.seconds:.0f} s", flush=True)
    except Failed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        print(json.dumps({"error": str(failure)}))
        sys.exit(1)
    finally:
        if registries is not None:
            stop([registries])
        databases.close()
    rates = [figures[f"pg_{n}_workers_per_s"] for n in (int(n) for n in args.workers.split(","))
             if f"pg_{n}_workers_per_s" in figures]
    figures["scales_monotonically"] = all(a < b for a, b in zip(rates, rates[1:]))
    figures["payload"] = f"{JOURNEY}: {len(partners)} registries per declaration"
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
