"""The citizen's side: review grouped by organisation, consent per organisation, attestation, submit
once, declaration number and each organisation's status; guarantee 6 (tampered form -> nothing queued)."""
from __future__ import annotations

from datetime import datetime, timezone

import json

from bs4 import BeautifulSoup
from sqlalchemy import func, select, update

from app.core.db import db
from app.declarations import outbox
from app.declarations.models import Declaration, Delivery
from tests.declarations.conftest import CITIZEN_SIN, make_citizen

URL = "/parcours/devenir-parent/declaration"
ORGANISATIONS = ["dec", "ramq", "retraite-quebec", "rqap"]


def review_form(client) -> dict:
    page = BeautifulSoup(client.get(URL).get_data(as_text=True), "html.parser")
    return {"fingerprint": page.find("input", attrs={"name": "fingerprint"})["value"]}


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Declaration)),
                db.session.scalar(select(func.count()).select_from(Delivery)))


def payloads(app) -> dict:
    with app.app_context():
        return {d.partner: json.loads(outbox.unseal(d.payload_encrypted, d.idempotency_key))
                for d in db.session.scalars(select(Delivery))}


def test_the_review_needs_a_signed_in_citizen(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_review_groups_each_organisation_with_its_values_and_nothing_ticked(citizen):
    response = citizen.client.get(URL)
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.h1.get_text(strip=True) == "Votre déclaration unique"
    sections = page.select("section.parcours-declaration-partner")
    assert [section["id"] for section in sections] == [f"partner-{o}" for o in ORGANISATIONS]
    ramq = page.find(id="partner-ramq")
    assert "Inscrire l'enfant au régime d'assurance maladie" in ramq.get_text()
    assert "Léa" in ramq.get_text() and "20 février 2026" in ramq.get_text()
    # Least data: the RAMQ is not shown the NAS; Retraite Québec is, masked.
    assert ramq.find(id="partner-ramq-parent_sin") is None
    assert "544" in page.find(id="partner-retraite-quebec-parent_sin").get_text()
    assert CITIZEN_SIN not in response.get_data(as_text=True)
    boxes = page.select("input[type=checkbox]")
    assert [box["name"] for box in boxes] == [f"consent-{o}" for o in ORGANISATIONS] + ["attestation"]
    assert not any(box.has_attr("checked") for box in boxes)


def test_submit_queues_one_delivery_per_consented_organisation_with_only_its_fields(app, citizen):
    form = review_form(citizen.client) | {"consent-dec": "oui", "consent-retraite-quebec": "oui", "attestation": "oui"}
    response = citizen.client.post(URL, data=form)
    assert response.status_code == 302
    page = citizen.client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    with app.app_context():
        declaration = db.session.scalars(select(Declaration)).one()
        assert declaration.user_id == citizen.id and declaration.run_id == citizen.run_id
        assert [d.partner for d in declaration.deliveries] == ["dec", "retraite-quebec"]
        assert declaration.consent == {"offered": ORGANISATIONS, "consented": ["dec", "retraite-quebec"],
                                       "attested": True}
        number = declaration.number
    assert number in text and "En attente" in text
    sent = payloads(app)
    assert sent["dec"]["data"] == {
        "child_given_names": ["Léa"], "child_family_name": ["Tremblay"], "child_birth_date": "2026-02-20",
        "child_sex": ["feminin"], "birth_place": "CHU Sainte-Justine", "parent_given_names": "Ana",
        "parent_family_name": "Tremblay",
        "parent_address": {"street": "123, rue Principale", "city": "Montréal", "province": "QC",
                           "postal_code": "H2X 1Y4"}}
    assert "parent_sin" not in sent["dec"]["data"]
    assert sent["retraite-quebec"]["data"]["parent_sin"] == CITIZEN_SIN
    assert sent["dec"] | {"data": None} == {"kind": "naissance", "schema_version": 1, "declaration_id": number,
                                             "data": None}
    # Submitting again (back button, double click) sends nothing more.
    again = citizen.client.post(URL, data=form)
    assert again.status_code == 302
    assert counts(app) == (1, 2)
    assert citizen.client.get(URL).status_code == 302


def test_consent_and_attestation_are_required(app, citizen):
    response = citizen.client.post(URL, data=review_form(citizen.client))
    assert response.status_code == 400
    text = BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text()
    assert "Choisissez au moins un organisme" in text and "Confirmez que les renseignements" in text
    assert counts(app) == (0, 0)
    only_consent = review_form(citizen.client) | {"consent-ramq": "oui"}
    response = citizen.client.post(URL, data=only_consent)
    assert response.status_code == 400 and counts(app) == (0, 0)
    # What the citizen ticked stays ticked.
    assert BeautifulSoup(response.get_data(as_text=True), "html.parser").find(id="consent-ramq-oui").has_attr("checked")


def test_guarantee_6_tampered_forms_are_rejected_and_nothing_is_queued(app, citizen):
    valid = review_form(citizen.client) | {"consent-ramq": "oui", "attestation": "oui"}
    tampered = [
        valid | {"consent-saaq": "oui"},  # an organisation this journey does not offer
        valid | {"consent-elections-quebec": "oui"},
        valid | {"child_given_names": "Zoé"},  # a field value slipped in
        valid | {"parent_sin": "193456787"},
        valid | {"consent-ramq": "all-fields"},
        valid | {"attestation": "maybe"},
    ]
    for form in tampered:
        response = citizen.client.post(URL, data=form)
        assert response.status_code == 400, form
        assert "rien n'a été transmis" in BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text()
    edited = valid | {"fingerprint": "0" * 64}  # the values shown were not these
    assert citizen.client.post(URL, data=edited).status_code == 409
    assert counts(app) == (0, 0)


def test_values_are_recomputed_at_submit_never_taken_from_the_page(app, citizen):
    form = review_form(citizen.client) | {"consent-ramq": "oui", "attestation": "oui"}
    # The answers change after the review was shown: the old review no longer matches.
    with app.app_context():
        from app.runner.models import Run

        run = db.session.get(Run, citizen.run_id)
        run.answers = {**run.answers, "date_naissance": "2026-02-21"}
        db.session.commit()
    assert citizen.client.post(URL, data=form).status_code == 409
    assert counts(app) == (0, 0)
    fresh = review_form(citizen.client) | {"consent-ramq": "oui", "attestation": "oui"}
    assert citizen.client.post(URL, data=fresh).status_code == 302
    assert payloads(app)["ramq"]["data"]["child_birth_date"] == "2026-02-21"


def test_without_a_run_the_citizen_goes_to_the_journey(app, client, today):
    from app.auth.testing import login

    make_citizen(app)
    login(client)
    response = client.get(URL)
    assert response.status_code == 302 and response.headers["Location"].endswith("/parcours/devenir-parent")
    assert client.get("/parcours/demarrer-entreprise/declaration").status_code == 404


def test_statuses_per_organisation_with_what_to_do_on_failure(app, citizen):
    form = review_form(citizen.client) | {f"consent-{o}": "oui" for o in ORGANISATIONS} | {"attestation": "oui"}
    location = citizen.client.post(URL, data=form).headers["Location"]
    changes = {"dec": {"status": "delivered", "reference": "DEC-12345"},
               "ramq": {"status": "failed", "rejected_fields": ["child_birth_date"],
                        "last_error": "HTTP 422 invalid_declaration: child_birth_date"},
               "rqap": {"status": "dead"},
               "retraite-quebec": {"attempts": 2, "last_error": "HTTP 503"}}
    with app.app_context():
        for partner, values in changes.items():
            db.session.execute(update(Delivery).where(Delivery.partner == partner).values(**values))
        db.session.commit()
        ids = {partner: id_ for partner, id_ in db.session.execute(select(Delivery.partner, Delivery.id))}
    page = BeautifulSoup(citizen.client.get(location).get_data(as_text=True), "html.parser")
    items = {li["id"]: li.get_text(" ", strip=True) for li in page.select("li.parcours-delivery")}
    dec, ramq, retraite, rqap = (items[f"delivery-{ids[p]}"] for p in ("dec", "ramq", "retraite-quebec", "rqap"))
    assert "Transmise" in dec and "DEC-12345" in dec
    # Refused (a 4xx) and unreachable (a dead letter) are told apart, in different words.
    assert "Refusée" in ramq and "Date de naissance de l'enfant" in ramq and "1 800 561-9749" in ramq
    assert page.find("a", href="https://www.ramq.gouv.qc.ca/fr") is not None
    assert "En attente" in retraite and "réessa" in retraite
    assert "Non transmise" in rqap and "1 888 610-7727" in rqap and "n'a pas reçu" in rqap
    # Nobody was told (no operations mailbox): the page does not pretend otherwise.
    assert "équipe" not in rqap and "équipe" not in ramq
    listing = citizen.client.get("/mon-dossier/declarations").get_data(as_text=True)
    assert "DEC-12345" in listing


def test_another_citizen_cannot_see_a_declaration(app, citizen):
    from app.auth.testing import login

    form = review_form(citizen.client) | {"consent-ramq": "oui", "attestation": "oui"}
    location = citizen.client.post(URL, data=form).headers["Location"]
    make_citizen(app, email="bob@example.ca", sin="193456787")
    other = app.test_client()
    login(other, email="bob@example.ca")
    assert other.get(location).status_code == 404
    assert "DU-" not in other.get("/mon-dossier/declarations").get_data(as_text=True)
    assert other.get("/mon-dossier/declarations/not-a-uuid").status_code == 404


def test_the_review_reads_in_english_too(citizen):
    citizen.client.get("/langue/en")
    page = BeautifulSoup(citizen.client.get(URL).get_data(as_text=True), "html.parser")
    assert page.h1.get_text(strip=True) == "Your single declaration"
    assert "Child's date of birth" in page.find(id="partner-ramq").get_text()


def test_a_post_without_csrf_token_is_refused(app, csrf_app):
    response = csrf_app.test_client().post(URL, data={"consent-ramq": "oui", "attestation": "oui"})
    assert response.status_code == 400
    assert counts(app) == (0, 0)


def test_missing_profile_values_are_not_sent_and_the_profile_is_suggested(app, client, today):
    from app.auth.testing import create_user, login
    from tests.declarations.conftest import make_run

    with app.app_context():
        user_id = create_user(email="zoe@example.ca").id  # no profile at all
    run_id = make_run(app, user_id)
    login(client, email="zoe@example.ca")
    with client.session_transaction() as session:
        session["runs"] = {"devenir-parent": run_id}
    response = client.get(URL)
    assert response.headers["Cache-Control"] == "no-store"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Non fourni" in page.find(id="partner-retraite-quebec-parent_sin").get_text()
    assert page.find(id="profile-gaps").find("a")["href"] == "/mon-dossier/profil"
    form = review_form(client) | {"consent-retraite-quebec": "oui", "attestation": "oui"}
    assert client.post(URL, data=form).status_code == 302
    assert "parent_sin" not in payloads(app)["retraite-quebec"]["data"]


def test_the_plan_offers_the_single_declaration_and_mon_dossier_links_to_mine(app, citizen):
    page = BeautifulSoup(citizen.client.get("/parcours/devenir-parent/resultat").get_data(as_text=True), "html.parser")
    link = page.find(id="declaration-link")
    assert link["href"] == URL and link.get_text(strip=True) == "Faire ma déclaration unique"
    printable = citizen.client.get("/parcours/devenir-parent/resultat?imprimer=1").get_data(as_text=True)
    assert 'id="declaration-link"' not in printable
    home = BeautifulSoup(citizen.client.get("/mon-dossier").get_data(as_text=True), "html.parser")
    assert home.find(id="my-declarations-link")["href"] == "/mon-dossier/declarations"


def test_our_team_has_been_told_only_when_the_operations_mailbox_was_mailed(app, citizen):
    form = review_form(citizen.client) | {f"consent-{o}": "oui" for o in ORGANISATIONS} | {"attestation": "oui"}
    location = citizen.client.post(URL, data=form).headers["Location"]
    with app.app_context():
        db.session.execute(update(Delivery).where(Delivery.partner == "rqap").values(status="dead"))
        db.session.execute(update(Delivery).where(Delivery.partner == "dec").values(
            status="dead", ops_notified_at=datetime(2026, 3, 1, tzinfo=timezone.utc)))
        db.session.commit()
        ids = {partner: id_ for partner, id_ in db.session.execute(select(Delivery.partner, Delivery.id))}
    page = BeautifulSoup(citizen.client.get(location).get_data(as_text=True), "html.parser")
    items = {li["id"]: li.get_text(" ", strip=True) for li in page.select("li.parcours-delivery")}
    assert "Notre équipe a été avisée" in items[f"delivery-{ids['dec']}"]
    assert "équipe" not in items[f"delivery-{ids['rqap']}"]
