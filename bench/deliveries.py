"""Benchmark: deliveries per second with 1, 2 and 4 worker processes, on SQLite and PostgreSQL.

The registries run under gunicorn on 127.0.0.1 (their own database: PostgreSQL when the server is
there, SQLite otherwise). For each (database, workers) pair the outbox is filled with declarations
x 3 partners, `flask deliveries work` processes are started, and the rate is the number of deliveries
over the time between the first and the last receipt saved (process start-up is not counted).
Every scenario is bounded in time (--seconds). Throw-away databases are dropped at the end.

    .venv/bin/python bench/deliveries.py [--declarations 1000] [--seconds 60] [--concurrency 4]

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
PARTNERS = ("dec", "ramq", "retraite-quebec")
SECRET = secrets.token_hex(16)
DATA = {"child_given_names": ["Léa"], "child_family_name": ["Tremblay"], "child_birth_date": "2026-02-20",
        "parent_given_names": "Ana", "parent_family_name": "Tremblay"}


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


def fill_outbox(app, declarations: int) -> int:
    """Declarations x partners deliveries, written in bulk (what the web app would have queued)."""
    now = utcnow()
    with app.app_context():
        rows_declarations, rows_deliveries = [], []
        for index in range(declarations):
            declaration_id, number = str(uuid.uuid4()), outbox.new_number(now)
            rows_declarations.append({"id": declaration_id, "number": number, "user_id": 1, "run_id": str(uuid.uuid4()),
                                      "journey_id": "devenir-parent", "journey_version": 1, "kind": "naissance",
                                      "consent": {"offered": list(PARTNERS), "consented": list(PARTNERS),
                                                  "attested": True},
                                      "created_at": now})
            for partner in PARTNERS:
                key = str(uuid.uuid4())
                rows_deliveries.append({
                    "declaration_id": declaration_id, "organisation": partner, "partner": partner,
                    "idempotency_key": key, "fields": sorted(DATA), "status": "pending", "attempts": 0,
                    "payload_encrypted": outbox.seal(outbox.envelope("naissance", number, DATA), key),
                    "next_attempt_at": now, "created_at": now, "updated_at": now})
        db.session.execute(insert(Declaration), rows_declarations)
        db.session.execute(insert(Delivery), rows_deliveries)
        db.session.commit()
    return len(rows_deliveries)


def start_workers(app, count: int, registries_url: str, args) -> list[subprocess.Popen]:
    env = {**os.environ,
           "PARCOURS_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
           "PARCOURS_FIELD_ENCRYPTION_KEYS": json.dumps(app.config["FIELD_ENCRYPTION_KEYS"]),
           "PARCOURS_PARTNERS_BASE_URL": registries_url, "PARCOURS_PARTNER_HMAC_SECRET": SECRET,
           "PARCOURS_DELIVERY_POLL_SECONDS": "0.1"}
    command = [str(BIN / "flask"), "--app", "app", "deliveries", "work", "--batch-size", str(args.batch_size),
               "--concurrency", str(args.concurrency)]
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


def measure(app, total: int, seconds: float) -> tuple[float, int]:
    deadline = time.monotonic() + seconds
    with app.app_context():
        while time.monotonic() < deadline:
            done = db.session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "delivered"))
            db.session.commit()
            if done >= total:
                break
            time.sleep(0.2)
        done, first, last = db.session.execute(
            select(func.count(), func.min(Delivery.delivered_at), func.max(Delivery.delivered_at))
            .where(Delivery.status == "delivered")).one()
        db.session.remove()
    if not done or first == last:
        return 0.0, done or 0
    return done / (last - first).total_seconds(), done


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
    parser.add_argument("--declarations", type=int, default=1000, help="per scenario (x 3 partners)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per scenario")
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=4, help="parallel HTTP calls per worker process")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--backends", default="sqlite,pg")
    args = parser.parse_args()

    has_pg = postgres_available()
    backends = [b for b in args.backends.split(",") if b == "sqlite" or (b == "pg" and has_pg)]
    if "pg" in args.backends and not has_pg:
        print("PostgreSQL is not running on 127.0.0.1:5432: PostgreSQL scenarios skipped", file=sys.stderr)
    databases, figures = Databases(), {}
    registries = None
    try:
        registries, registries_url = start_registries(databases.postgres() if has_pg else databases.sqlite())
        print(f"registries: gunicorn 2 processes x 16 threads, {'PostgreSQL' if has_pg else 'SQLite'}; "
              f"workers: batch {args.batch_size}, {args.concurrency} HTTP calls in parallel each")
        for backend in backends:
            for count in (int(n) for n in args.workers.split(",")):
                app = portal(databases.postgres() if backend == "pg" else databases.sqlite())
                workers = start_workers(app, count, registries_url, args)
                total = fill_outbox(app, args.declarations)
                try:
                    rate, done = measure(app, total, args.seconds)
                finally:
                    stop(workers)
                if done < total:
                    print(f"only {done}/{total} delivered; last lines of a worker's log:\n"
                          + "\n".join(workers[0].log.read_text().splitlines()[-15:]), file=sys.stderr)
                with app.app_context():
                    db.engine.dispose()
                figures[f"{backend}_{count}_workers_per_s"] = round(rate, 1)
                print(f"{backend:6} {count} worker(s): {done}/{total} delivered, {rate:7.1f} deliveries/s", flush=True)
    finally:
        if registries is not None:
            stop([registries])
        databases.close()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
