"""Personal data out of logs and caches (issue 9, section 2): database errors never carry their SQL
parameters, pages with personal data are `no-store`, and what Parcours writes under instance/ is
private to its user (files 0600, directories 0700)."""
from __future__ import annotations

import logging
import stat

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app import create_app
from app.auth.testing import create_user
from app.core.db import db
from app.partners.store import make_engine
from tests.declarations.test_postgres import pg_app, pg_database  # noqa: F401 (fixtures)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_failing_statement_logs_no_value(app, caplog):
    with app.app_context():
        create_user(email="marie.curie@example.ca")
        with caplog.at_level(logging.DEBUG):
            with pytest.raises(IntegrityError) as raised:
                db.session.execute(text("INSERT INTO users (email, password_hash, roles) VALUES (:e, :p, '[]')"),
                                   {"e": "marie.curie@example.ca", "p": "secret-hash-1234"})
            logging.getLogger("app").exception("database error")
        db.session.rollback()
    logged = str(raised.value) + caplog.text
    assert "marie.curie" not in logged and "secret-hash-1234" not in logged
    assert "hidden" in str(raised.value)  # SQLAlchemy says the parameters were hidden


def test_instance_config_cannot_turn_hidden_parameters_off(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": False}})
    with app.app_context():
        assert db.engine.hide_parameters is True


def test_the_registries_engine_hides_parameters(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    assert engine.hide_parameters is True
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (sin TEXT UNIQUE)"))
        connection.execute(text("INSERT INTO t VALUES (:s)"), {"s": "130692544"})
    with pytest.raises(IntegrityError) as raised, engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (:s)"), {"s": "130692544"})
    assert "130692544" not in str(raised.value)


@pytest.mark.postgres
@pytest.mark.parametrize("statement, values", [
    # a unique key quoted back ("Key (email)=(...) already exists")
    ("INSERT INTO users (email, password_hash, roles) VALUES (:e, :p, '[]')",
     {"e": "marie.curie@example.ca", "p": "secret-hash-1234"}),
    # the failing row quoted back ("Failing row contains (..., marie.curie@example.ca, ...)")
    ("INSERT INTO users (id, email, password_hash, roles) VALUES (NULL, :e, :p, '[]')",
     {"e": "marie.curie@example.ca", "p": "secret-hash-1234"}),
    # the typed value quoted back ("invalid input syntax for type integer: "...")
    ("SELECT * FROM users WHERE id = CAST(:e AS INTEGER)", {"e": "marie.curie@example.ca"}),
])
def test_postgresql_errors_quote_no_row_values(pg_app, caplog, statement, values):
    """PostgreSQL's own messages quote values, which hide_parameters does not reach."""
    with pg_app.app_context():
        create_user(email="marie.curie@example.ca")
        with caplog.at_level(logging.DEBUG):
            with pytest.raises(DBAPIError) as raised:
                db.session.execute(text(statement), values)
            logging.getLogger("app").exception("database error")
        db.session.rollback()
    logged = str(raised.value) + caplog.text
    assert "marie.curie" not in logged and "secret-hash-1234" not in logged
    assert "SQLSTATE" in str(raised.value)  # what went wrong is still said, in terms of the schema
    assert raised.value.orig.diag.sqlstate  # and code can still tell the errors apart


@pytest.mark.postgres
def test_the_registries_postgresql_errors_quote_no_value(pg_database):
    engine = make_engine(pg_database())
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (sin TEXT UNIQUE)"))
        connection.execute(text("INSERT INTO t VALUES (:s)"), {"s": "130692544"})
    with pytest.raises(IntegrityError) as raised, engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (:s)"), {"s": "130692544"})
    engine.dispose()
    assert "130692544" not in str(raised.value)


@pytest.mark.parametrize("url", [
    "/formulaires/changement-adresse",
    "/mon-dossier/formulaires",
    "/mon-dossier/informations-gouvernementales",
])
def test_forms_pages_are_never_cached(app, client, url):
    from app.auth.testing import login

    with app.app_context():
        create_user()
    login(client)
    response = client.get(url)
    assert response.status_code in (200, 302)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_check_answers_page_is_never_cached(app, client):
    from app.auth.testing import login
    from tests.forms.conftest import start_run
    from tests.forms.test_review import BIRTH_ANSWERS

    with app.app_context():
        user_id = create_user().id
    login(client)
    start_run(app, client, user_id, "devenir-parent", BIRTH_ANSWERS)
    response = client.get("/parcours/devenir-parent/verifier")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_mails_keys_and_databases_under_instance_are_private(tmp_path, monkeypatch):
    import os

    previous = os.umask(0o022)  # a typical umask: files would be 0644 and directories 0755
    try:
        _check_instance_modes(tmp_path, monkeypatch)
    finally:
        os.umask(previous)


def _check_instance_modes(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setattr("app.core.factory.PROJECT_ROOT", tmp_path)
    app = create_app({"TESTING": True, "MAIL_BACKEND": "file"})
    assert app.instance_path == str(instance)
    with app.app_context():
        from app.core.mail import send

        send("ana@example.ca", "Lien", "https://parcours.example/courriel/verifier/abc")
        db.engine.connect().close()
    assert mode(instance) == 0o700
    for name in ("secret_key", "field_keys.json", "partner_hmac_secret", "parcours.db"):
        assert mode(instance / name) == 0o600, name
    [mail] = (instance / "mail").iterdir()
    assert mode(instance / "mail") == 0o700 and mode(mail) == 0o600
    make_engine(f"sqlite:///{instance / 'partners.db'}").connect().close()
    assert mode(instance / "partners.db") == 0o600


def test_an_existing_shared_directory_is_left_alone(tmp_path):
    from app.core import files

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    files.private_sqlite_file(f"sqlite:///{shared / 'x.db'}")
    assert mode(shared) == 0o755 and mode(shared / "x.db") == 0o600
