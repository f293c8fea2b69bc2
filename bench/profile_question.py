"""Profile the question page in-process: where one GET of a question goes, and what it asks the database.

    .venv/bin/python bench/profile_question.py [--requests 300] [--top 30] [--post]

Migrates a throw-away SQLite database, starts an anonymous run with the test client (as a citizen
would: start page, Commencer), then measures N GETs of the first question (or N repeats of its
answer POST with --post). Prints the SQL statements one request runs, whether the response sends a
cookie back, the CPU time per request without the profiler (process CPU, best of five batches: the
machine is shared, wall-clock time is not a fair measure there), then the cProfile top functions
(wall clock: a CPU-time timer costs a system call per event). `--top 0` for the figures alone.
To compare two trees, run it from each, alternately.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Throw-away servers with generated secrets: development mode, as under `make bench`, even when the
# script is run by hand (production mode refuses to start without its secrets).
os.environ.setdefault("PARCOURS_ENV", "development")

# bench/http.py would shadow the standard library's `http` package: run from the project root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--journey", default="devenir-parent")
    parser.add_argument("--post", action="store_true", help="profile the answer POST instead of the GET")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--database-url", help="e.g. a throw-away PostgreSQL database (SQLite file by default)")
    parser.add_argument("--catalog-refresh", type=float, default=None,
                        help="seconds between the catalogue's freshness checks (0: one query per request)")
    options = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import event

    from app import create_app
    from app.core.db import db

    work = Path(tempfile.mkdtemp(prefix="parcours-profile-"))
    overrides = {"SQLALCHEMY_DATABASE_URI": options.database_url or f"sqlite:///{work / 'profile.db'}",
                 "SECRET_KEY": "profile-" + os.urandom(8).hex()}
    if options.catalog_refresh is not None:
        overrides["CATALOG_REFRESH_SECONDS"] = options.catalog_refresh
    app = create_app(overrides)
    with app.app_context():
        upgrade()
        from app.catalog.cli import journeys

        app.test_cli_runner().invoke(journeys, ["load"])  # as `make run`: the journeys come from the database
    client = app.test_client()
    client.get(f"/parcours/{options.journey}")
    page = client.post(f"/parcours/{options.journey}/commencer",
                       data={"csrf_token": _csrf(client.get(f"/parcours/{options.journey}").text)})
    url = page.headers["Location"]
    html = client.get(url).text
    token = _csrf(html)
    first_value = re.search(r'type="radio"[^>]*value="([^"]+)"', html)
    field = re.search(r'type="radio"[^>]*name="([a-z_]+)"', html).group(1)
    body = {"csrf_token": token, field: first_value.group(1) if first_value else "1"}

    def one():
        response = client.post(url, data=body) if options.post else client.get(url)
        assert response.status_code in (200, 302, 303), response.status_code
        return response

    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(statement):
        statements.append(" ".join(statement.split()[:8]))

    # SQLite's own trace: it also sees the run store's reads, which go straight to the DB-API cursor.
    def trace(dbapi_connection, *_):
        dbapi_connection.set_trace_callback(record)

    def untrace(dbapi_connection, *_):
        dbapi_connection.set_trace_callback(None)

    one()  # the first answer POST really changes the run; the statements shown are those of a repeat
    tracing = engine.dialect.name == "sqlite"
    if tracing:
        event.listen(engine, "checkout", trace)
        event.listen(engine, "checkin", untrace)
    response = one()
    if tracing:
        event.remove(engine, "checkout", trace)
        event.remove(engine, "checkin", untrace)
    print(f"{'POST' if options.post else 'GET'} {url}: {response.status_code}")
    print(f"SQL statements in one request: {len(statements)}")
    for statement in statements:
        print("   ", statement)
    print(f"Set-Cookie on the response: {response.headers.getlist('Set-Cookie') or 'none'}")

    for _ in range(50):  # warm up
        one()
    batches = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(options.requests // 5):
            one()
        batches.append((time.process_time() - started) / (options.requests // 5))
    print(f"{options.requests} requests: {min(batches) * 1000:.3f} ms each CPU without the profiler (best batch), "
          f"{statistics.median(batches) * 1000:.3f} ms median")

    if options.top:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(options.requests):
            one()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(options.sort).print_stats(options.top)
    shutil.rmtree(work, ignore_errors=True)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


if __name__ == "__main__":
    main()
