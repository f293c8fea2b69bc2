"""Each of the five forms, end to end through the web app: prefill from every source (profile, answers,
a registry read with consent), the PDF read back with pypdf, a tampered read-only value ignored,
and a registry that times out leaving the form usable."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import httpx
import pytest
from pypdf import PdfReader

from app.core.db import db
from app.forms.models import FormDraft
from tests.forms.conftest import start_run
from tests.forms.test_review import BIRTH_ANSWERS, form_data, input_value, soup_of, source_of


@dataclass
class Case:
    form: str
    journey: str
    answers: dict
    lookups: list[str]
    from_profile: tuple[str, str]            # field, expected value in the page
    from_answers: tuple[str, str]
    from_registry: tuple[str, str, str]      # field, expected shown text, expected PDF value
    tamper: dict                              # posted names -> values that must be ignored
    pdf_expected: dict = field(default_factory=dict)  # AcroForm field -> value
    editable_when_down: str = ""                      # a registry-filled field the citizen fills when it is down


CASES = [
    Case("declaration-naissance", "devenir-parent", BIRTH_ANSWERS, ["revenu-quebec"],
         ("parent_prenoms", "Ana"), ("enfant_prenoms", "Léa"),
         ("parent_adresse", "1200, rue Saint-Denis", "1200, rue Saint-Denis"),
         {"parent_adresse.street": "1, rue Fausse", "date_declaration": "2000-01-01"},
         {"enfant_prenoms": "Léa", "enfant_nom_famille": "Tremblay", "enfant_sexe": "Féminin",
          "parent_prenoms": "Ana", "parent_adresse_city": "Montréal", "date_declaration": "2026-03-01"}),
    Case("allocation-famille", "devenir-parent",
         {**BIRTH_ANSWERS, "type_evenement": "adoption", "date_arrivee": "2026-02-25", "autre_parent": True},
         ["retraite-quebec", "ramq"],
         ("nas", "130 692 544"), ("enfant_prenoms", "Léa"),
         ("numero_assurance_maladie", "TREM 9004 1212", "TREM 9004 1212"),
         {"numero_assurance_maladie": "ABCD12345678", "deja_prestataire": "oui"},
         {"nas": "130 692 544", "numero_assurance_maladie": "TREM 9004 1212", "date_arrivee": "2026-02-25",
          "deja_prestataire": "/no"}),
    Case("changement-adresse", "demenager",
         {"date_demenagement": "2026-02-15", "provenance": "quebec", "destination": "quebec",
          "nouvelle_adresse": {"street": "4500, rue Saint-Denis", "city": "Montréal", "province": "QC",
                               "postal_code": "H2J 2L3"},
          "seul": True, "locataire": False, "electricite": False, "vehicule": False,
          "declarations_produites": True, "prestations_federales": False, "citoyen": True, "majeur": True,
          "reacheminement": False},
         ["revenu-quebec", "ramq"],
         ("prenoms", "Ana"), ("nouvelle_adresse", "Montréal"),
         ("expiration_carte", "31 mai 2027", "2027-05-31"),
         {"expiration_carte": "2030-01-01", "ancienne_adresse.city": "Gatineau"},
         {"nouvelle_adresse_city": "Montréal", "ancienne_adresse_street": "1200, rue Saint-Denis",
          "expiration_carte": "2027-05-31", "date_effective": "2026-02-15"}, "ancienne_adresse"),
    Case("prestation-deces-rrq", "deces-proche",
         {"defunt": {"given_names": "Jean", "family_name": "Gagnon", "birth_date": "1950-04-02"},
          "date_deces": "2026-02-10", "lieu_deces": "quebec", "transport_hors_quebec": False, "coroner": "non",
          "lien": "conjoint", "conjoint_survivant": True, "enfant_mineur": False, "rqap": False,
          "cotisait_rrq": "oui", "prestations": [], "permis_conduire": False, "liquidateur": True},
         ["retraite-quebec"],
         ("nom_famille", "Tremblay"), ("defunt_prenoms", "Jean"),
         ("deja_prestataire", "Non", "/no"),
         {"deja_prestataire": "oui"},
         {"defunt_prenoms": "Jean", "date_deces": "2026-02-10", "lien": "Conjoint ou conjointe", "nas": "130 692 544"}),
    Case("immatriculation-entreprise", "demarrer-entreprise",
         {"date_debut_activites": "2026-02-01", "forme_juridique": "individuelle", "nom_personnel": False,
          "activites": [], "lieu": "chez_clients", "ventes_30000": False, "employes": False},
         ["revenu-quebec"],
         ("courriel", "ana@example.ca"), ("date_debut", "2026-02-01"),
         ("adresse_domicile", "1200, rue Saint-Denis", "1200, rue Saint-Denis"),
         {"adresse_domicile.city": "Gatineau"},
         {"prenoms": "Ana", "date_debut": "2026-02-01", "adresse_domicile_city": "Montréal",
          "nom_entreprise": "Rénovations Tremblay"}),
]
IDS = [case.form for case in CASES]


def consult(client, case: Case):
    url = f"/formulaires/{case.form}/consultation?parcours={case.journey}"
    page = client.get(url)
    assert page.status_code == 200
    # explicit consent: nothing is ticked in advance
    assert soup_of(page).find("input", attrs={"name": "organisations", "checked": True}) is None
    return client.post(url, data={"organisations": case.lookups, "action": "consult"})


def review_url(case: Case) -> str:
    return f"/formulaires/{case.form}?parcours={case.journey}"


def registry_text(page, field_id: str) -> str:
    block = page.find(id=f"{field_id}-readonly")
    return block.get_text(" ", strip=True) if block else ""


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_prefill_from_each_source(app, signed_in, citizen, registries, case):
    start_run(app, signed_in, citizen.id, case.journey, case.answers)
    assert consult(signed_in, case).status_code == 302
    page = soup_of(signed_in.get(review_url(case)))

    name, expected = case.from_profile
    assert input_value(page, name) == expected
    assert "D'après votre profil" in source_of(page, name)

    name, expected = case.from_answers
    shown = input_value(page, name) or input_value(page, f"{name}.city")
    assert shown == expected
    assert "D'après vos réponses" in source_of(page, name)

    name, text, _ = case.from_registry
    assert page.find(attrs={"name": name}) is None and page.find(attrs={"name": f"{name}.street"}) is None
    assert text in registry_text(page, name)
    assert "D'après" in registry_text(page, name) and "ne peut pas être modifiée" in registry_text(page, name)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_pdf_holds_the_values_and_tampering_is_ignored(app, signed_in, citizen, registries, case):
    start_run(app, signed_in, citizen.id, case.journey, case.answers)
    consult(signed_in, case)
    page = soup_of(signed_in.get(review_url(case)))
    extra = {}
    if case.form == "immatriculation-entreprise":
        extra = {"nom_entreprise": "Rénovations Tremblay", "activite": "Rénovation résidentielle"}
    if case.form == "allocation-famille":
        extra = {"garde_partagee": "non", "conjoint_prenoms": "Sam", "conjoint_nom_famille": "Roy"}
    if case.form == "changement-adresse":
        extra = {"adresse_postale_differente": "non"}
    if case.form == "prestation-deces-rrq":
        extra = {"a_paye_funerailles": "oui", "montant_funerailles": "4 200"}
    if case.form == "declaration-naissance":
        extra = {}
    data = form_data(page, **extra, **case.tamper, action="pdf")
    response = signed_in.post(review_url(case), data=data)
    assert response.status_code == 302, soup_of(response).find(id="error-summary")
    pdf = signed_in.get(response.headers["Location"])
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"

    reader = PdfReader(io.BytesIO(pdf.data))
    values = {name: f.get("/V") for name, f in reader.get_fields().items()}
    for name, expected in case.pdf_expected.items():
        assert values.get(name) == expected, (name, values.get(name))
    # the registry value, not the tampered one
    _, _, registry_value = case.from_registry
    registry_field = case.from_registry[0]
    key = registry_field if registry_field in values else f"{registry_field}_street"
    assert values[key] == registry_value
    # text extractable, in French, with the footer, the organisation and the title
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Prérempli par Parcours — vérifiez avant d'envoyer" in text
    assert "Rempli le 1 mars 2026" in text or "Rempli le 1er mars 2026" in text
    with app.app_context():
        draft = db.session.query(FormDraft).one()
        assert draft.status == "ready"
        title = draft.form_id
    assert reader.metadata.title and reader.metadata.title in text
    assert title


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_registry_timeout_still_renders_the_form(app, signed_in, citizen, case):
    def timeout(request: httpx.Request):
        raise httpx.ReadTimeout("simulated", request=request)

    app.extensions["forms_lookup_transport"] = httpx.MockTransport(timeout)
    start_run(app, signed_in, citizen.id, case.journey, case.answers)
    consult(signed_in, case)
    response = signed_in.get(review_url(case))
    page = soup_of(response)
    if case.form == "prestation-deces-rrq":  # its look-up is required: a clear message and a way back
        assert page.h1.get_text(strip=True) == "Ce formulaire ne peut pas être rempli pour le moment"
        assert "ne répond pas" in page.find(id="blocked-reason").get_text()
        assert page.find(id="retry-link") is not None
        assert page.find(id="back-link")["href"] == "/parcours/deces-proche/resultat"
        return
    assert response.status_code == 200
    for org in case.lookups:
        assert "n'a pas répondu" in page.find(id=f"lookup-{org}").get_text()
    # the fields the registry would have filled are now the citizen's to fill (profile fallback or empty)
    name = case.editable_when_down or case.from_registry[0]
    assert page.find(attrs={"name": name}) is not None or page.find(attrs={"name": f"{name}.street"}) is not None
    name, expected = case.from_profile
    assert input_value(page, name) == expected
