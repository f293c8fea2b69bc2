"""Mon dossier test fixtures: a citizen's answers, profile and runs (mail and users: tests/auth/fixtures.py)."""
from __future__ import annotations

import pytest

from tests.browser.browser_flows import load_scenarios

# Scenario 01 of journeys/tests/devenir-parent: declare the birth before 2026-03-22.
BIRTH_ANSWERS = load_scenarios("devenir-parent")[0].answers
TODAY = "2026-03-01"

VALID_PROFILE = {
    "given_names": "Ana", "family_name": "Tremblay", "birth_date": "14/03/1985",
    "address.street": "123, rue Principale", "address.city": "Montréal", "address.province": "QC",
    "address.postal_code": "h2x1y4", "phone": "(514) 555-1234", "language": "fr",
    "sin": "130 692 544", "health_number": "trem 8001 0112", "reminders_opt_in": "1",
}


@pytest.fixture
def birth_answers():
    """Answers of a completed Devenir parent run (birth on 2026-02-20)."""
    return dict(BIRTH_ANSWERS)


@pytest.fixture
def valid_profile():
    """A complete, valid profile form (a valid NAS and RAMQ number)."""
    return dict(VALID_PROFILE)


@pytest.fixture
def today(app):
    """Pin the questionnaire's today (the runner reads config TODAY)."""
    previous = app.config.get("TODAY")
    app.config["TODAY"] = TODAY
    yield TODAY
    app.config["TODAY"] = previous


@pytest.fixture
def make_run(app):
    """Create a run directly: make_run(user_id, answers=..., status=..., journey_id=...) -> run id."""
    from app.core.db import db
    from app.runner.models import Run

    def make(user_id, answers=None, status="completed", journey_id="devenir-parent", version=2, updated_at=None):
        with app.app_context():
            run = Run(journey_id=journey_id, journey_version=version,
                      answers=BIRTH_ANSWERS if answers is None else answers, status=status, user_id=user_id)
            if updated_at is not None:
                run.created_at = run.updated_at = updated_at
            db.session.add(run)
            db.session.commit()
            return run.id

    return make


@pytest.fixture
def signed_in(client, user):
    from app.auth.testing import login

    assert login(client).status_code == 302
    return client
