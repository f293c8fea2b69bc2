"""From the review page to the registries and back to the citizen: delivered with the registry's
reference, or refused (422) with the reason shown to the citizen and to staff (guarantee 5)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bs4 import BeautifulSoup

from app.core.db import db
from app.partners import schemas
from tests.declarations.test_views import URL, review_form


def submit(citizen, *organisations) -> str:
    form = review_form(citizen.client) | {f"consent-{o}": "oui" for o in organisations} | {"attestation": "oui"}
    response = citizen.client.post(URL, data=form)
    assert response.status_code == 302
    return response.headers["Location"]


def test_delivered_and_refused_as_the_citizen_and_staff_see_them(app, citizen, make_worker, registry_api, clock):
    from app.runner.models import Run

    with app.app_context():  # a place of birth longer than the civil registry accepts (only the DEC receives it)
        run = db.session.get(Run, citizen.run_id)
        run.answers = {**run.answers, "endroit_naissance": "Maison de naissance " * 12}
        db.session.commit()
    location = submit(citizen, "dec", "ramq", "retraite-quebec")
    clock.now = datetime.now(timezone.utc) + timedelta(seconds=1)  # submitted at the real time
    with app.app_context():
        assert make_worker().run_once() == 3

    page = BeautifulSoup(citizen.client.get(location).get_data(as_text=True), "html.parser")
    statuses = {li.h3.get_text(" ", strip=True): li.get_text(" ", strip=True) for li in page.select("li.parcours-delivery")}
    dec = next(text for title, text in statuses.items() if title.startswith("Directeur de l'état civil"))
    ramq = next(text for title, text in statuses.items() if title.startswith("Régie de l'assurance maladie"))
    assert "Refusée" in dec and "Lieu de naissance" in dec and "1 877 644-4545" in dec
    assert "Transmise" in ramq and "RAMQ-" in ramq
    assert registry_api.get("/dec/v1/admin/stats").get_json()["declarations"] == 0
    assert registry_api.get("/ramq/v1/admin/stats").get_json()["declarations"] == 1

    listing = app.test_cli_runner().invoke(args=["deliveries", "list", "--failed"]).output
    assert "dec " in listing and "HTTP 422 invalid_declaration: birth_place" in listing
    assert "ramq" not in listing


def test_a_registry_that_requires_what_we_lack_is_not_offered(app, citizen, monkeypatch):
    # Suppose the RAMQ registry required the parent's NAS, which this journey never sends it.
    monkeypatch.setitem(schemas.EXTRA_REQUIRED, ("ramq", "naissance"), ["parent_sin"])
    page = BeautifulSoup(citizen.client.get(URL).get_data(as_text=True), "html.parser")
    blocked = page.find(id="partner-ramq-blocked").get_text(" ", strip=True)
    assert "Numéro d'assurance sociale du parent" in blocked and "1 800 561-9749" in blocked
    assert page.find(id="consent-ramq-oui") is None
    form = review_form(citizen.client) | {"consent-ramq": "oui", "attestation": "oui"}
    assert citizen.client.post(URL, data=form).status_code == 400  # not offered: a tampered form
