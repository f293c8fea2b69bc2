"""Studio fixtures: staff accounts signed in through the real login form, and the catalogue reset
after each test (tables are emptied between tests, so no process may keep a published version)."""
from __future__ import annotations

import pytest

from app.auth.models import ADMIN, CITIZEN, STAFF_EDITOR, STAFF_PUBLISHER
from app.auth.testing import create_user, login
from app.catalog.cli import journeys as journeys_cli

EDITOR = "editrice@quebec.ca"
PUBLISHER = "publieur@quebec.ca"
CITIZEN_EMAIL = "ana@example.ca"


@pytest.fixture(autouse=True)
def _fresh_catalog(app):
    app.extensions["catalog_state"].invalidate()
    yield
    app.extensions["catalog_state"].invalidate()


@pytest.fixture
def loaded(app):
    """The journeys/ files stored as their first published version (the files' `version:`), as `make run` does."""
    result = app.test_cli_runner().invoke(journeys_cli, ["load"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def accounts(app):
    with app.app_context():
        create_user(EDITOR, roles=[STAFF_EDITOR])
        create_user(PUBLISHER, roles=[STAFF_EDITOR, STAFF_PUBLISHER])
        create_user("admin@quebec.ca", roles=[STAFF_EDITOR, STAFF_PUBLISHER, ADMIN])
        create_user(CITIZEN_EMAIL, roles=[CITIZEN])


@pytest.fixture
def editor(app, accounts, loaded):
    client = app.test_client()
    assert login(client, EDITOR).status_code == 302
    return client


@pytest.fixture
def publisher(app, accounts, loaded):
    client = app.test_client()
    assert login(client, PUBLISHER).status_code == 302
    return client


@pytest.fixture
def citizen(app, accounts):
    client = app.test_client()
    assert login(client, CITIZEN_EMAIL).status_code == 302
    return client
