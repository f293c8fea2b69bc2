"""Runner fixtures: an app whose catalogue is the runner's own test journey (every question type, a
repeating group, steps in every plan group), with today's date pinned so deadlines are predictable."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from app.core.db import db

# The tests import their helpers from runner_helpers.py next to this file (pytest runs with
# --import-mode=importlib, which does not put test folders on sys.path).
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def runner_app(app, new_database_url):
    from runner_helpers import TODAY

    checked_client_class = app.test_client_class  # the shared page checker (tests/conftest.py)
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "runner-test-secret",
        "SQLALCHEMY_DATABASE_URI": new_database_url("runner"),
        "WTF_CSRF_ENABLED": False,
        "JOURNEYS_DIR": str(Path(__file__).parent / "journeys"),
        "TODAY": TODAY,
    })
    app.test_client_class = checked_client_class
    with app.app_context():
        upgrade(revision="heads")
    yield app


@pytest.fixture
def rclient(runner_app):
    """A checked client on the test journey, French by default; tables emptied afterwards."""
    client = runner_app.test_client()
    client.get("/langue/fr")
    yield client
    with runner_app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
