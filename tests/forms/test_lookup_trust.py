"""Registry look-ups never disclose someone else's file (issue 9, section 1): the portal sends NAS,
family name and birth date or nothing, only for a confirmed address, reads exactly the fields the
consent page listed, keeps a good read through an outage, and masks the numbers it got back."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.auth.testing import create_user, login
from app.core.db import db
from app.dossier.profile import save_profile
from app.forms import government
from app.forms.models import FOUND, GovernmentRead
from tests.forms.conftest import TREMBLAY, set_faults
from tests.forms.test_review import soup_of

GOVERNMENT_PAGE = "/mon-dossier/informations-gouvernementales"
GAGNON_NAS = "193456787"  # someone else's NAS: the registries hold Gagnon's RAMQ file under it


def citizen_with(app, client, email="mallory@example.ca", verified=True, **profile):
    with app.app_context():
        user = create_user(email=email, verified=verified)
        save_profile(user, {**TREMBLAY, **profile})
        db.session.commit()
        user_id = user.id
    assert login(client, email).status_code == 302
    return user_id


def sent_subjects(app, registries):
    """Every subject the portal sent to the registries (the look-up client, spied on at the transport)."""
    import httpx

    sent = []
    inner = app.extensions["forms_lookup_transport"]

    class Spy(httpx.BaseTransport):
        def handle_request(self, request):
            sent.append(json.loads(request.content))
            return inner.handle_request(request)

    app.extensions["forms_lookup_transport"] = Spy()
    return sent


@pytest.mark.parametrize("blank", ["family_name", "birth_date"])
def test_a_nas_alone_never_reads_someone_elses_file(app, client, registries, blank):
    """Issue 9: a profile holding only another person's NAS read their RAMQ file (health number and all)."""
    user_id = citizen_with(app, client, sin=GAGNON_NAS, **{blank: None})
    sent = sent_subjects(app, registries)
    response = client.post(GOVERNMENT_PAGE, data={"organisations": ["ramq", "retraite-quebec"], "action": "consult"})
    assert response.status_code == 400
    assert sent == []  # nothing left the portal
    page = soup_of(response)
    summary = page.find(id="error-summary").get_text(" ", strip=True)
    assert {"family_name": "votre nom de famille", "birth_date": "votre date de naissance"}[blank] in summary
    assert page.find(id="identity-gaps").find("a")["href"] == "/mon-dossier/profil"
    with app.app_context():
        assert db.session.execute(select(GovernmentRead).filter_by(user_id=user_id)).first() is None
    assert "GAGR" not in client.get(GOVERNMENT_PAGE).get_data(as_text=True)


def test_subject_always_carries_all_three_identifiers():
    assert government.subject_of({"sin": GAGNON_NAS}) is None
    assert government.subject_of({"sin": GAGNON_NAS, "family_name": " ", "birth_date": "1948-09-30"}) is None
    assert government.subject_of({"sin": "1", "family_name": "G", "birth_date": "d"}) == {
        "sin": "1", "family_name": "G", "birth_date": "d"}
    assert government.missing_identity({"family_name": "G"}) == ["sin", "birth_date"]


def test_a_form_needing_a_registry_says_what_to_add_to_the_profile(app, client, registries):
    citizen_with(app, client, birth_date=None)
    page = soup_of(client.get("/formulaires/prestation-deces-rrq"))
    reason = page.find(id="blocked-reason").get_text(" ", strip=True)
    assert "votre date de naissance" in reason
    assert page.find(id="profile-link")["href"] == "/mon-dossier/profil"
    consent = soup_of(client.get("/formulaires/prestation-deces-rrq/consultation"))
    assert "votre date de naissance" in consent.find(id="identity-gaps").get_text()


def test_the_whole_identity_is_sent(app, client, registries):
    citizen_with(app, client)
    sent = sent_subjects(app, registries)
    client.post(GOVERNMENT_PAGE, data={"organisations": ["ramq"], "action": "consult"})
    assert [s["subject"] for s in sent] == [{"sin": "130692544", "family_name": "Tremblay", "birth_date": "1990-04-12"}]


@pytest.mark.parametrize("url, data", [
    (GOVERNMENT_PAGE, {"organisations": ["ramq"], "action": "consult"}),
    ("/formulaires/changement-adresse/consultation", {"organisations": ["ramq"], "action": "consult"}),
])
def test_an_unconfirmed_address_cannot_look_up(app, client, registries, url, data):
    citizen_with(app, client, verified=False)
    sent = sent_subjects(app, registries)
    response = client.post(url, data=data)
    assert response.status_code == 403
    page = soup_of(response)
    assert page.h1.get_text(strip=True) == "Confirmez d'abord votre adresse courriel"
    assert page.find(id="resend-verification") is not None
    assert sent == []
    assert client.get(url).status_code == 403


def test_an_unconfirmed_address_is_told_before_a_required_look_up(app, client, registries):
    citizen_with(app, client, verified=False)
    response = client.get("/formulaires/prestation-deces-rrq")
    assert response.status_code == 403
    assert soup_of(response).find(id="resend-verification") is not None


def test_consent_reads_exactly_the_fields_the_page_listed(app, client, registries):
    """Issue 9: the citizen saw one field and several were read (every form's fields at that registry)."""
    user_id = citizen_with(app, client)
    sent = sent_subjects(app, registries)
    url = "/formulaires/allocation-famille/consultation"
    listed = soup_of(client.get(url)).find(id="organisations-retraite-quebec-hint").get_text(" ", strip=True)
    assert "Prestation déjà versée" in listed and "cotisé" not in listed
    client.post(url, data={"organisations": ["retraite-quebec"], "action": "consult"})
    [asked] = sent
    assert asked["fields"] == ["benefits_paid"]
    with app.app_context():
        assert set(government.reads_of(user_id)["retraite-quebec"].data) == {"benefits_paid"}  # stored: only that


def test_a_form_needing_more_fields_than_were_read_asks_consent_for_them(app, client, registries):
    citizen_with(app, client)
    client.post("/formulaires/allocation-famille/consultation",
                data={"organisations": ["retraite-quebec", "ramq"], "action": "consult"})
    # the death benefit form needs fields of Retraite Québec the citizen never consented to be read
    response = client.get("/formulaires/prestation-deces-rrq")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/formulaires/prestation-deces-rrq/consultation")


def test_an_outage_never_erases_a_good_read(app, client, registries, monkeypatch):
    citizen_with(app, client)
    monkeypatch.setitem(app.config, "FORMS_LOOKUP_MIN_INTERVAL_SECONDS", 0)
    client.post(GOVERNMENT_PAGE, data={"organisations": ["ramq"], "action": "consult"})
    first = soup_of(client.get(GOVERNMENT_PAGE)).find(id="read-ramq").get_text(" ", strip=True)
    set_faults(registries, "ramq", down=True)
    client.post(GOVERNMENT_PAGE, data={"organisations": ["ramq"], "action": "consult"})
    text = soup_of(client.get(GOVERNMENT_PAGE)).find(id="read-ramq").get_text(" ", strip=True)
    assert "31 mai 2027" in text and "n'a pas répondu" in text  # the values stay, and the failure is told
    assert first.split("Consulté le")[1][:20] in text  # with the date of the good read
    with app.app_context():
        row = db.session.execute(select(GovernmentRead)).scalar_one()
        assert row.status == FOUND and row.failed_at is not None
    # and a form reading the RAMQ keeps the registry's value locked
    page = soup_of(client.get("/formulaires/changement-adresse"))
    assert page.find(attrs={"name": "expiration_carte"}) is None
    assert "31 mai 2027" in page.find(id="expiration_carte-readonly").get_text()


def test_numbers_from_a_registry_are_masked_in_pages(app, client, registries):
    citizen_with(app, client, sin=GAGNON_NAS, family_name="Gagnon", birth_date=__import__("datetime").date(1948, 9, 30))
    client.post(GOVERNMENT_PAGE, data={"organisations": ["ramq"], "action": "consult"})
    text = soup_of(client.get(GOVERNMENT_PAGE)).find(id="read-ramq").get_text(" ", strip=True)
    assert "GAGR •••• 3018" in text
    assert "4809" not in text and "GAGR48093018" not in text and "GAGR 4809" not in text
