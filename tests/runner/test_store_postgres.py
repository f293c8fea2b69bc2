"""A citizen's run read and written on PostgreSQL for real (app/runner/store.py reads through the
DB-API cursor with SQL compiled for the engine's dialect, so each database is tried)."""
from __future__ import annotations

import pytest
from flask_migrate import upgrade

from app import create_app
from app.core.db import db
from app.runner.models import Run
from tests.declarations.test_postgres import pg_database  # noqa: F401  (fixture)

pytestmark = pytest.mark.postgres


def test_answers_survive_on_postgresql(pg_database):  # noqa: F811
    app = create_app({"TESTING": True, "SECRET_KEY": "pg-runs", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": pg_database()})
    with app.app_context():
        upgrade()
    client = app.test_client()
    try:
        assert client.post("/parcours/devenir-parent/commencer").status_code == 302
        answered = client.post("/parcours/devenir-parent/questions/type_evenement",
                               data={"type_evenement": "adoption"})
        assert answered.status_code == 302
        page = client.get("/parcours/devenir-parent/questions/type_evenement").get_data(as_text=True)
        assert 'value="adoption" checked' in page
        with app.app_context():
            assert db.session.execute(db.select(Run.answers)).scalar_one() == {"type_evenement": "adoption"}
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
