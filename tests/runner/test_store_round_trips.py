"""A question page asks PostgreSQL one question: no ping, no BEGIN, no ROLLBACK around the run's
SELECT (counted on the wire with libpq's protocol trace), and a connection the server dropped
costs the citizen nothing."""
from __future__ import annotations

import tempfile

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text

from app import create_app
from app.core.db import db
from tests.declarations.test_postgres import pg_database  # noqa: F401  (fixture)

pytestmark = pytest.mark.postgres
QUESTION = "/parcours/devenir-parent/questions/type_evenement"


@pytest.fixture
def pg_client(pg_database):  # noqa: F811
    app = create_app({"TESTING": True, "SECRET_KEY": "pg-trips", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": pg_database()})
    with app.app_context():
        upgrade()
    client = app.test_client()
    assert client.post("/parcours/devenir-parent/commencer").status_code == 302
    yield app, client
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _round_trips(app, request) -> list[str]:
    """Messages that wait for the server (simple queries and extended-protocol Syncs) during `request()`."""
    trace = tempfile.TemporaryFile("w+")
    with app.app_context():
        engine = db.engine

    def start(dbapi_connection, record, proxy):
        dbapi_connection.pgconn.trace(trace.fileno())

    def stop(dbapi_connection, record):
        if dbapi_connection is not None:
            dbapi_connection.pgconn.untrace()

    event.listen(engine, "checkout", start, insert=True)  # before the idle check, to see its ping
    event.listen(engine, "checkin", stop)
    try:
        assert request().status_code in (200, 302)
    finally:
        event.remove(engine, "checkout", start)
        event.remove(engine, "checkin", stop)
    trace.seek(0)
    sent = []
    for line in trace.read().splitlines():  # [timestamp] F|B length message details
        fields = line.split("\t")
        if "F" in fields[:2] and fields[fields.index("F") + 2] in ("Query", "Sync"):
            sent.append(line.split("\t", fields.index("F") + 3)[-1].strip())
    return sent


def test_a_question_page_makes_one_round_trip(pg_client):
    app, client = pg_client
    client.get(QUESTION)  # warm: the pool has its connection, the page its caches
    sent = _round_trips(app, lambda: client.get(QUESTION))
    assert len(sent) == 1, sent


def test_a_changed_answer_is_one_read_and_one_write(pg_client):
    app, client = pg_client
    client.get(QUESTION)
    for value in ("adoption", "naissance"):
        sent = _round_trips(app, lambda: client.post(QUESTION, data={"type_evenement": value}))
        assert len(sent) == 2, sent
    assert 'value="naissance" checked' in client.get(QUESTION).get_data(as_text=True)


def test_the_server_dropping_connections_costs_no_page(pg_client):
    import psycopg

    app, client = pg_client
    client.get(QUESTION)
    with app.app_context():
        database = db.engine.url.database
    # What a PostgreSQL restart does to every pooled connection, from outside the pool.
    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={database}", autocommit=True) as admin:
        killed = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
    assert killed >= 1
    page = client.get(QUESTION)
    assert page.status_code == 200
    assert 'id="question-form"' in page.get_data(as_text=True)


def test_a_connection_idle_for_long_is_checked_before_use(pg_client, monkeypatch):
    app, client = pg_client
    client.get(QUESTION)
    # The catalogue's "anything published?" check reads the same clock: keep it out of this count.
    monkeypatch.setattr(app.extensions["catalog_state"], "refresh_seconds", 10**12)
    monkeypatch.setattr("app.core.db.time.monotonic", lambda: 10**9)  # as if hours went by
    sent = _round_trips(app, lambda: client.get(QUESTION))
    assert sent[:2] == ['"BEGIN"', '"SELECT 1"'] and len(sent) == 4, sent  # ping, rollback, then the read


def test_a_connection_that_lost_its_prepared_statements_still_reads_runs(pg_client):
    """psycopg sends DEALLOCATE ALL after some DDL on a connection: the run's prepared read goes too."""
    app, client = pg_client
    client.get(QUESTION)  # the read is prepared on the pooled connection
    with app.app_context():
        with db.engine.connect() as connection:
            connection.exec_driver_sql("DEALLOCATE ALL")
            connection.commit()
    page = client.get(QUESTION)
    assert page.status_code == 200
    assert 'id="question-form"' in page.get_data(as_text=True)


def test_a_signed_in_citizens_run_reads_back_with_its_account_and_answers(pg_client):
    """The prepared read decodes every column as the ORM would: numbers, text, JSON, NULL."""
    from app.runner import store
    from app.runner.models import Run

    app, _client = pg_client
    with app.app_context():
        run = Run(journey_id="devenir-parent", journey_version=3, status="completed", user_id=42,
                  answers={"date_naissance": "2026-11-02", "enfants": [{"prenom": "Léa"}], "nombre": 2})
        anonymous = Run(journey_id="demenager", journey_version=1, status="in_progress", user_id=None, answers={})
        db.session.add_all([run, anonymous])
        db.session.commit()
        assert store._read_row(db.engine, run.id) == (
            run.id, "devenir-parent", 3, {"date_naissance": "2026-11-02", "enfants": [{"prenom": "Léa"}], "nombre": 2},
            "completed", 42)
        assert store._read_row(db.engine, anonymous.id) == (anonymous.id, "demenager", 1, {}, "in_progress", None)
        assert store._read_row(db.engine, "00000000-0000-0000-0000-000000000000") is None
