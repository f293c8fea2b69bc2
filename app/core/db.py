"""Database: the SQLAlchemy 2 declarative base, the Flask-SQLAlchemy handle, Alembic migrations, how
pooled connections are checked before use, and what a database error may say."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event, exc
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)


def harden(app) -> None:
    """Whatever instance/config.py or the environment set: engines hide SQL parameters from errors and
    logs, and a SQLite database file (and instance/) is private to Parcours' user from the start."""
    from app.core.files import private_dir, private_sqlite_file

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
                                               "hide_parameters": True}
    private_dir(app.instance_path, narrow=True)
    private_sqlite_file(str(app.config["SQLALCHEMY_DATABASE_URI"]))


def withhold_server_details(engine) -> None:
    """PostgreSQL quotes the row in its error messages ("Key (email)=(…) already exists", "Failing row
    contains (…)", "invalid input syntax for type date: "…""): `hide_parameters` does not reach them,
    and the message ends up in every log line and traceback of the error. The driver's error keeps
    its SQLSTATE and `diag` for code that needs them; its message names the schema only."""
    if engine.dialect.name != "postgresql":  # SQLite's messages name columns, never values
        return

    @event.listens_for(engine, "handle_error")
    def _withhold(context):
        error = context.original_exception
        diag = getattr(error, "diag", None)
        if diag is None:
            return
        where = ", ".join(f"{label} {value}" for label, value in (
            ("table", diag.table_name), ("column", diag.column_name), ("constraint", diag.constraint_name)) if value)
        error.args = (f"{type(error).__name__} (SQLSTATE {diag.sqlstate})" + (f" on {where}" if where else "")
                      + "; the server's message is withheld: it can quote personal data",)
        wrapped = context.sqlalchemy_exception  # its message was built from the driver's, already
        if wrapped is not None and wrapped.args:
            kind = type(error)
            wrapped.args = (f"({kind.__module__}.{kind.__name__}) {error.args[0]}", *wrapped.args[1:])


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# A connection back in the pool for longer than this is checked (one round trip) before it is
# handed out again; a busy connection is not: SQLAlchemy's `pool_pre_ping` checked every one, a
# round trip for every page. A server or proxy that drops connections does so to idle ones; a
# connection that breaks while in use raises a disconnect error, which makes SQLAlchemy throw the
# whole pool's connections away (and the run read retries once, app/runner/store.py).
IDLE_CHECK_SECONDS = 10.0


def check_idle_connections(engine, idle_seconds: float = IDLE_CHECK_SECONDS) -> None:
    """Ping a pooled connection before use only when it sat idle for `idle_seconds` or more."""
    if engine.dialect.name == "sqlite":  # a file never drops a connection
        return

    @event.listens_for(engine, "checkin")
    def _idle_from(dbapi_connection, record):
        if dbapi_connection is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy):
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool replaces the connection and tries again (SQLAlchemy's documented pattern).
            raise exc.DisconnectionError() from error
