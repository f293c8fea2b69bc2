"""Fixtures for the déclaration unique: registries served in-process, a fake clock, workers and
declarations put straight into the outbox."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from werkzeug.serving import make_server

from app.core.db import db
from app.declarations import outbox
from app.declarations.models import Declaration, Delivery
from app.declarations.worker import DeliveryWorker, Settings
from app.partners import create_partners_app
from tests.browser.browser_flows import load_scenarios
from tests.partners.conftest import SECRET, SignedClient

BIRTH = {"child_given_names": "Léa", "child_family_name": "Tremblay", "child_birth_date": "2026-02-20",
         "parent_sin": "130692544"}


class FakeClock:
    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def registries(tmp_path):
    return create_partners_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'partners.db'}", "HMAC_SECRET": SECRET})


@pytest.fixture
def registry_api(registries):
    """The signed admin/test client of the in-process registries."""
    return SignedClient(registries)


@pytest.fixture
def make_worker(app, registries, clock):
    """A worker that talks to the registries through WSGI (no sockets), on the fake clock."""
    workers = []

    def build(transport=None, base_url="http://registries", **settings):
        worker = DeliveryWorker(
            Settings(base_url=base_url, secret=SECRET, **settings), clock=clock, rng=lambda: 0.5,
            http=httpx.Client(transport=transport or httpx.WSGITransport(app=registries), timeout=5))
        workers.append(worker)
        return worker

    yield build
    for worker in workers:
        worker.close()


@pytest.fixture
def live_registries(tmp_path):
    """The registries on a real 127.0.0.1 port (for worker subprocesses)."""
    with served(create_partners_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'live-partners.db'}",
                                     "HMAC_SECRET": SECRET})) as registries:
        yield registries


@contextmanager
def served(registries):
    """The registries on a free 127.0.0.1 port; their address in config BASE_URL."""
    server = make_server("127.0.0.1", 0, registries, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    registries.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    try:
        yield registries
    finally:
        server.shutdown()
        thread.join(timeout=5)


def queue_declaration(app, *, partners=("ramq",), data=None, user_id=1, run_id=None, clock=None) -> str:
    """Put a declaration with one delivery per registry straight into the outbox; returns its id.
    Without `data`, each registry gets the BIRTH fields it receives (only the RRQ and the RQAP take a NAS)."""
    import uuid

    from app.partners.schemas import accepted_fields

    def data_for(partner):
        return dict(data) if data else {k: v for k, v in BIRTH.items() if k in accepted_fields(partner, "naissance")}

    with app.app_context():
        declaration, _ = outbox.submit(
            user_id=user_id, run_id=run_id or str(uuid.uuid4()), journey_id="devenir-parent", journey_version=1,
            kind="naissance", payloads=[outbox.PartnerPayload(p, p, data_for(p)) for p in partners],
            now=clock() if clock else None)
        return declaration.id


def deliveries_of(app, declaration_id: str) -> list[Delivery]:
    with app.app_context():
        declaration = db.session.get(Declaration, declaration_id)
        rows = list(declaration.deliveries)
        for row in rows:
            db.session.expunge(row)
        return rows


# -- citizens, profiles and completed runs ---------------------------------------------------------

# Scenario 01 of journeys/tests/devenir-parent (a birth in Québec, one child).
BIRTH_ANSWERS = load_scenarios("devenir-parent")[0].answers
TODAY = "2026-03-01"
CITIZEN_SIN = "130692544"


@pytest.fixture(autouse=True)
def _fresh_login_limits(request):
    if "app" in request.fixturenames:
        from app.auth.limits import limiter

        with request.getfixturevalue("app").app_context():
            limiter.reset()
    yield


@pytest.fixture
def today(app):
    previous = app.config.get("TODAY")
    app.config["TODAY"] = TODAY
    yield TODAY
    app.config["TODAY"] = previous


def make_citizen(app, email="ana@example.ca", sin=CITIZEN_SIN) -> int:
    from datetime import date

    from app.auth.testing import create_user
    from app.dossier.profile import save_profile

    with app.app_context():
        user = create_user(email=email)
        save_profile(user, {"given_names": "Ana", "family_name": "Tremblay", "birth_date": date(1990, 4, 12),
                            "street": "123, rue Principale", "city": "Montréal", "province": "QC",
                            "postal_code": "H2X 1Y4", "sin": sin})
        db.session.commit()
        return user.id


def make_run(app, user_id, answers=None, journey_id="devenir-parent", status="completed") -> str:
    from app.catalog import get_journey
    from app.runner.models import Run

    from app.catalog import get_journey

    with app.app_context():
        run = Run(journey_id=journey_id, journey_version=get_journey(journey_id).version,
                  answers=dict(answers or BIRTH_ANSWERS),
                  status=status, user_id=user_id)
        db.session.add(run)
        db.session.commit()
        return run.id


@pytest.fixture
def citizen(app, client, today):
    """A signed-in citizen with a profile and a completed *Devenir parent* run in their session."""
    from types import SimpleNamespace

    from app.auth.testing import login

    user_id = make_citizen(app)
    run_id = make_run(app, user_id)
    assert login(client).status_code == 302
    with client.session_transaction() as session:
        session["runs"] = {"devenir-parent": run_id}
    return SimpleNamespace(id=user_id, run_id=run_id, client=client)
