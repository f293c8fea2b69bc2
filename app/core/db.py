"""Database: the SQLAlchemy 2 declarative base, the Flask-SQLAlchemy handle and Alembic migrations."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
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


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
