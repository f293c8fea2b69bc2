"""Where a citizen's runs live: rows in the database, found through the signed session cookie.

`session['runs']` maps journey id -> run id, so an anonymous run survives a server restart.
A run that belongs to an account is only found while that account is signed in.

Reads return a `RunRecord` (a plain snapshot) and writes are single UPDATE statements on the
SQLAlchemy Core table: every questionnaire page reads its run, and the ORM's identity map, unit of
work and session teardown cost about five times the query for that one row (measured by
bench/profile_question.py). The `Run` model stays the schema and serves the account pages.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any
from weakref import WeakKeyDictionary

from flask import session
from flask_login import current_user
from psycopg import errors
from psycopg.pq import DiagnosticField, ExecStatus
from sqlalchemy import JSON, Integer, String, bindparam, select, update

from app.core.db import db
from app.runner import mode
from app.runner.models import Run

MAX_REMEMBERED_RUNS = 20

_runs = Run.__table__


@dataclass(frozen=True)
class RunRecord:
    """A run as one request sees it."""

    id: str
    journey_id: str
    journey_version: int
    answers: dict[str, Any]
    status: str
    user_id: int | None


_COLUMNS = [field.name for field in fields(RunRecord)]  # a row is read in the record's field order
_ANSWERS = _COLUMNS.index("answers")
_READ = select(*(_runs.c[name] for name in _COLUMNS)).where(_runs.c.id == bindparam("run_id"))
_readers: WeakKeyDictionary = WeakKeyDictionary()  # engine -> how that engine's database is read
PREPARED_NAME = b"parcours_read_run"
PREPARED_FLAG = "parcours_read_run_prepared"  # in a pooled connection's `info`: lives as long as it does
UNDEFINED_PREPARED_STATEMENT = b"26000"


def current_run(journey_id: str) -> RunRecord | None:
    run_id = session.get("runs", {}).get(mode.session_key(journey_id))
    if not isinstance(run_id, str):
        return None
    row = _read_row(db.engine, run_id)
    if row is None:
        return None
    run = RunRecord(*row)
    if run.journey_id != journey_id or (run.user_id is not None and run.user_id != _signed_in_user_id()):
        return None
    return run


def _read_row(engine, run_id: str) -> tuple | None:
    """The run's row, read through the engine's pool straight with the driver.

    Every questionnaire page does this, and SQLAlchemy's statement execution (cache key, result
    objects, connection events) cost twice the query itself. The SQL is still compiled by
    SQLAlchemy for the engine's dialect. A connection found broken (the server restarted) is
    thrown away and the read, which changes nothing, is tried once more on a new one."""
    reader = _readers.get(engine)
    if reader is None:
        reader = _readers[engine] = (PreparedReader if engine.dialect.name == "postgresql" else CursorReader)(engine)
    for attempt in (1, 2):
        connection = engine.raw_connection()
        try:
            return reader.read(connection, run_id)
        except engine.dialect.loaded_dbapi.Error as error:
            if attempt == 2 or not engine.dialect.is_disconnect(error, connection.dbapi_connection, None):
                raise
            connection.invalidate(error)
            engine.dispose()  # the other pooled connections went with the server too
        finally:
            connection.close()
    return None  # not reached: the second attempt returns or raises


class CursorReader:
    """Any DB-API driver (SQLite): a cursor, with the JSON column decoded by its SQLAlchemy type."""

    def __init__(self, engine):
        compiled = _READ.compile(dialect=engine.dialect)
        self.sql, self.positional = str(compiled), compiled.positional
        self.decode = _runs.c.answers.type.result_processor(engine.dialect, None)  # None: the driver decodes

    def read(self, connection, run_id: str) -> tuple | None:
        cursor = connection.cursor()
        try:
            cursor.execute(self.sql, (run_id,) if self.positional else {"run_id": run_id})
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is None or self.decode is None:
            return row
        values = list(row)
        values[_ANSWERS] = self.decode(values[_ANSWERS])
        return tuple(values)


class PreparedReader:
    """PostgreSQL: the SELECT is prepared once per connection and run with libpq's PQexecPrepared
    (psycopg's documented `pgconn` wrapper): one round trip, in no transaction (nothing to begin or
    roll back), without a cursor. A cursor's execute spent twice the CPU time of the query itself on
    adapting, generators and result objects (bench/profile_question.py); here each text value is
    decoded by the column's Python type.

    psycopg drops every prepared statement of a connection after some DDL (`DEALLOCATE ALL`):
    a statement found missing is prepared again, once."""

    def __init__(self, engine):
        compiled = _READ.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
        # psycopg's "%(run_id)s" placeholder becomes libpq's "$1"
        self.sql = str(compiled).replace("%(run_id)s", "$1").encode()
        if b"$1" not in self.sql:
            raise RuntimeError(f"unexpected SQL for the run read: {compiled}")
        loads = engine.dialect._json_deserializer or json.loads
        self.decoders = [_decoder(_runs.c[name].type, loads) for name in _COLUMNS]

    def read(self, connection, run_id: str) -> tuple | None:
        pgconn = connection.driver_connection.pgconn
        for attempt in (1, 2):
            if not connection.info.get(PREPARED_FLAG):
                prepared = pgconn.prepare(PREPARED_NAME, self.sql)
                if prepared.status != ExecStatus.COMMAND_OK:
                    raise errors.error_from_result(prepared)
                connection.info[PREPARED_FLAG] = True
            result = pgconn.exec_prepared(PREPARED_NAME, [run_id.encode()])
            if result.status == ExecStatus.TUPLES_OK:
                break
            missing = result.error_field(DiagnosticField.SQLSTATE) == UNDEFINED_PREPARED_STATEMENT
            if attempt == 2 or not missing:
                raise errors.error_from_result(result)
            connection.info.pop(PREPARED_FLAG, None)
        if result.ntuples == 0:
            return None
        return tuple(None if (value := result.get_value(0, column)) is None else decode(value)
                     for column, decode in enumerate(self.decoders))


def _decoder(column_type, loads):
    """How a column's value in libpq's text format becomes the Python value SQLAlchemy would give."""
    if isinstance(column_type, JSON):
        return loads
    if isinstance(column_type, Integer):
        return int
    if isinstance(column_type, String):
        return bytes.decode
    raise TypeError(f"no decoder for a {column_type} column of runs")


def _signed_in_user_id() -> int | None:
    return current_user.id if current_user and current_user.is_authenticated else None


def start_run(journey) -> RunRecord:
    preview = mode.is_preview()
    # A preview run belongs to no account (it must never show in Mon dossier): the session finds it.
    run = Run(journey_id=journey.id, journey_version=mode.PREVIEW_VERSION if preview else journey.version,
              answers={}, status="in_progress", user_id=None if preview else _signed_in_user_id())
    db.session.add(run)
    db.session.commit()
    key = mode.session_key(journey.id)
    remembered = {k: v for k, v in session.get("runs", {}).items() if k != key}
    remembered = dict(list(remembered.items())[-(MAX_REMEMBERED_RUNS - 1):])
    remembered[key] = run.id
    session["runs"] = remembered
    return RunRecord(id=run.id, journey_id=run.journey_id, journey_version=run.journey_version,
                     answers={}, status=run.status, user_id=run.user_id)


def restart(run: RunRecord) -> None:
    """Start the same run again from the first question: its answers are erased."""
    _update(run.id, {"answers": {}, "status": "in_progress"})


def save_answers(run: RunRecord, answers: dict, complete: bool) -> None:
    """Store the answers; a changed run that is no longer complete is no longer completed either."""
    values: dict[str, Any] = {}
    if answers != run.answers:
        values["answers"] = dict(answers)
    if run.status == "completed" and not complete:
        values["status"] = "in_progress"
    if values:  # the same answer posted again changes nothing, not even `updated_at`
        _update(run.id, values)


def mark_completed(run: RunRecord) -> None:
    if run.status != "completed":
        _update(run.id, {"status": "completed"})


def _update(run_id: str, values: dict) -> None:
    """One UPDATE, atomic on its own: sent in autocommit, one round trip where BEGIN and COMMIT
    would make three (`updated_at` follows from the column's `onupdate`)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(update(_runs).where(_runs.c.id == run_id).values(**values))
