"""Fixtures for the prefilled forms: a signed-in citizen with a profile, their runs, and the partner
registries answering look-ups in-process (WSGI transport, no sockets) with the test secret."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import httpx
import pytest

from app.auth.limits import limiter
from app.auth.testing import create_user, login
from app.core.db import db
from app.dossier.profile import save_profile
from app.partners import create_partners_app
from app.runner.models import Run

SECRET = "forms-test-secret"
TODAY = date(2026, 3, 1)
# The fictitious person the registries know (seeded in app/partners/store.py).
TREMBLAY = {
    "given_names": "Ana", "family_name": "Tremblay", "birth_date": date(1990, 4, 12), "phone": "514 555-0123",
    "language": "fr", "street": "55, rue des Érables", "city": "Québec", "province": "QC",
    "postal_code": "G1R 2B5", "sin": "130692544", "health_number": "TREM90041299",
}


@pytest.fixture(autouse=True)
def forms_config(request):
    """Pin today's date and the registries' secret for the forms tests; reset login rate limits."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    saved = {key: app.config.get(key) for key in ("TODAY", "PARTNER_HMAC_SECRET", "PARTNERS_BASE_URL")}
    app.config.update(TODAY=TODAY, PARTNER_HMAC_SECRET=SECRET, PARTNERS_BASE_URL="http://registries")
    with app.app_context():
        limiter.reset()
    yield
    app.config.update(saved)
    app.extensions.pop("forms_lookup_transport", None)


@pytest.fixture
def registries(app, tmp_path):
    """The partner registries, reached by the portal's look-up client through WSGI."""
    partners = create_partners_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'partners.db'}", "HMAC_SECRET": SECRET})
    app.extensions["forms_lookup_transport"] = httpx.WSGITransport(app=partners)
    return partners


def set_faults(registries, org: str, **faults) -> None:
    registries.extensions["partners"].faults.update(org, faults)


def make_citizen(app, email="ana@example.ca", **profile):
    with app.app_context():
        user = create_user(email=email)
        values = {**TREMBLAY, **profile}
        save_profile(user, values)
        db.session.commit()
        return SimpleNamespace(id=user.id, email=user.email)


@pytest.fixture
def citizen(app):
    return make_citizen(app)


@pytest.fixture
def signed_in(client, citizen):
    """The test client signed in as the citizen (through the real login form)."""
    response = login(client, citizen.email)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def start_run(app, client, user_id: int, journey_id: str, answers: dict, *, remember: bool = True) -> str:
    """A completed run of `journey_id` owned by the user, remembered in the browser session."""
    with app.app_context():
        from app.catalog import get_journey

        run = Run(journey_id=journey_id, journey_version=get_journey(journey_id).version, answers=answers,
                  status="completed", user_id=user_id)
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    if remember:
        with client.session_transaction() as session:
            runs = dict(session.get("runs", {}))
            runs[journey_id] = run_id
            session["runs"] = runs
    return run_id
