"""The review page: each value prefilled from its source and credited, drafts, errors, tampering."""
from __future__ import annotations

from bs4 import BeautifulSoup

from app.core.db import db
from app.forms.models import FormDraft
from tests.forms.conftest import start_run

BIRTH_ANSWERS = {
    "type_evenement": "naissance", "lieu_naissance": "quebec", "endroit_naissance": "Hôpital Saint-Sacrement",
    "date_naissance": "2026-02-20",
    "enfants": [{"prenoms": "Léa", "nom_famille": "Tremblay", "sexe": "feminin", "handicap": False}],
    "adresse_domicile": {"street": "12, rue Principale", "city": "Lévis", "province": "QC", "postal_code": "G6V 1A1"},
    "travail_parent": True, "autre_parent": False, "besoins": [],
}


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def input_value(page: BeautifulSoup, name: str) -> str | None:
    field = page.find(attrs={"name": name})
    if field is None:
        return None
    if field.name == "textarea":
        return field.get_text()
    if field.get("type") == "radio":
        checked = page.find("input", attrs={"name": name, "checked": True})
        return checked["value"] if checked else None
    if field.name == "select":
        chosen = field.find("option", selected=True)
        return chosen["value"] if chosen else None
    return field.get("value")


def source_of(page: BeautifulSoup, field_id: str) -> str:
    hint = page.find(id=f"{field_id}-hint") or page.find(id=f"{field_id}-source")
    return hint.get_text(" ", strip=True) if hint else ""


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/formulaires/declaration-naissance")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_unknown_form_is_404(signed_in):
    assert signed_in.get("/formulaires/formulaire-inconnu").status_code == 404


def test_birth_declaration_prefilled_from_answers_and_profile(app, signed_in, citizen):
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    response = signed_in.get("/formulaires/declaration-naissance?parcours=devenir-parent")
    assert response.status_code == 200
    page = soup_of(response)
    assert page.h1.get_text(strip=True) == "Déclaration de naissance"
    # from the answers (the first child of the group)
    assert input_value(page, "enfant_prenoms") == "Léa"
    assert input_value(page, "enfant_sexe") == "feminin"
    assert input_value(page, "enfant_date_naissance") == "2026-02-20"
    assert input_value(page, "lieu_naissance") == "Hôpital Saint-Sacrement"
    assert "D'après vos réponses" in source_of(page, "enfant_prenoms")
    # from the profile
    assert input_value(page, "parent_prenoms") == "Ana"
    assert input_value(page, "parent_date_naissance") == "1990-04-12"
    assert "D'après votre profil" in source_of(page, "parent_prenoms")
    # a list of sources: no registry consulted, so the journey's answer comes first
    assert input_value(page, "parent_adresse.city") == "Lévis"
    assert "D'après vos réponses" in source_of(page, "parent_adresse")
    # a computed, always read-only value: not an input
    assert page.find(attrs={"name": "date_declaration"}) is None
    assert "1 mars 2026" in page.find(id="date_declaration-readonly").get_text() or \
        "2026-03-01" in page.find(id="date_declaration-readonly").get_text()
    # a show_if field stays hidden while its condition is false
    assert page.find(attrs={"name": "autre_parent_prenoms"}) is None
    # the optional look-up is offered, never done without consent
    assert "Revenu Québec" in page.find(id="lookup-revenu-quebec").get_text()


def test_english_page(app, signed_in, citizen):
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    signed_in.get("/langue/en")
    page = soup_of(signed_in.get("/formulaires/declaration-naissance?parcours=devenir-parent"))
    assert page.h1.get_text(strip=True) == "Declaration of birth"
    assert "From your answers" in source_of(page, "enfant_prenoms")


def form_data(page: BeautifulSoup, **changes) -> dict:
    """What the browser would post: every input of the review form, with `changes` applied."""
    data = {}
    form = page.find("form", id="prefilled-form")
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") == "submit":
            continue
        if field.get("type") == "radio":
            if field.has_attr("checked"):
                data[name] = field["value"]
            continue
        data[name] = input_value(page, name)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_save_draft_then_listed_in_my_forms(app, signed_in, citizen):
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    url = "/formulaires/declaration-naissance?parcours=devenir-parent"
    page = soup_of(signed_in.get(url))
    response = signed_in.post(url, data=form_data(page, enfant_prenoms="Léa-Rose", action="save"))
    assert response.status_code == 302
    page = soup_of(signed_in.get(url))
    assert input_value(page, "enfant_prenoms") == "Léa-Rose"
    assert "D'après" not in source_of(page, "enfant_prenoms")  # the citizen's own correction
    listing = signed_in.get("/mon-dossier/formulaires")
    assert "Déclaration de naissance" in listing.get_data(as_text=True)
    with app.app_context():
        draft = db.session.query(FormDraft).one()
        assert draft.field_values["enfant_prenoms"] == "Léa-Rose"
        assert draft.status == "draft" or draft.status == "ready"


def test_errors_in_the_users_language_and_nothing_saved(app, signed_in, citizen):
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    url = "/formulaires/declaration-naissance?parcours=devenir-parent"
    page = soup_of(signed_in.get(url))
    response = signed_in.post(url, data=form_data(page, enfant_date_naissance="31/02/2026", enfant_prenoms="",
                                                  parent_telephone="123", action="pdf"))
    assert response.status_code == 200
    page = soup_of(response)
    assert page.title.get_text().startswith("Erreur")
    summary = page.find(id="error-summary").get_text(" ", strip=True)
    assert "Remplissez ce champ." not in summary  # the message names the field (issue 11)
    assert "Remplissez le champ « Prénom" in summary
    assert "date" in summary.lower()
    assert "téléphone" in summary.lower() or "10 chiffres" in summary
    assert input_value(page, "enfant_date_naissance") == "31/02/2026"  # what was typed, to fix it
    with app.app_context():
        assert db.session.query(FormDraft).count() == 0


def test_show_if_field_appears_and_is_required(app, signed_in, citizen):
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    url = "/formulaires/declaration-naissance?parcours=devenir-parent"
    page = soup_of(signed_in.get(url))
    response = signed_in.post(url, data=form_data(page, autre_parent="oui", action="pdf"))
    page = soup_of(response)
    assert page.find(attrs={"name": "autre_parent_prenoms"}) is not None
    assert page.find(id="autre_parent_prenoms-error") is not None


def test_tampered_readonly_field_is_ignored(app, signed_in, citizen):
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    url = "/formulaires/declaration-naissance?parcours=devenir-parent"
    page = soup_of(signed_in.get(url))
    response = signed_in.post(url, data=form_data(page, date_declaration="1999-01-01", action="save"))
    assert response.status_code == 302
    with app.app_context():
        draft = db.session.query(FormDraft).one()
        assert draft.field_values["date_declaration"] == "2026-03-01"


def test_tampered_field_readonly_by_condition_is_recomputed(app, signed_in, citizen):
    """nom_entreprise is read-only while nom_personnel is yes: its value is the owner's name."""
    start_run(app, signed_in, citizen.id, "demarrer-entreprise",
              {"date_debut_activites": "2026-02-01", "forme_juridique": "individuelle", "nom_personnel": True,
               "activites": ["tabac"], "lieu": "domicile", "ventes_30000": False, "employes": False})
    url = "/formulaires/immatriculation-entreprise?parcours=demarrer-entreprise"
    page = soup_of(signed_in.get(url))
    assert page.find(attrs={"name": "nom_entreprise"}) is None  # shown read-only
    data = form_data(page, nom_entreprise="Faux nom inc.", activite="Dépanneur", action="save")
    assert signed_in.post(url, data=data).status_code == 302
    with app.app_context():
        assert db.session.query(FormDraft).one().field_values["nom_entreprise"] == "Ana Tremblay"
    # the same field becomes the citizen's own once the condition no longer holds
    page = soup_of(signed_in.get(url))
    data = form_data(page, nom_personnel="non", nom_entreprise="Dépanneur Tremblay", action="save")
    assert signed_in.post(url, data=data).status_code == 302
    with app.app_context():
        assert db.session.query(FormDraft).one().field_values["nom_entreprise"] == "Dépanneur Tremblay"
    # and flipping the condition back in a tampered post recomputes it again
    page = soup_of(signed_in.get(url))
    data = form_data(page, nom_personnel="oui", nom_entreprise="Encore faux", action="save")
    assert signed_in.post(url, data=data).status_code == 302
    with app.app_context():
        assert db.session.query(FormDraft).one().field_values["nom_entreprise"] == "Ana Tremblay"


def test_someone_elses_draft_is_404(app, signed_in, citizen):
    from tests.forms.conftest import make_citizen

    other = make_citizen(app, email="autre@example.ca")
    with app.app_context():
        draft = FormDraft(user_id=other.id, form_id="declaration-naissance", form_version=1, field_values={},
                          origins={}, status="draft")
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
    assert signed_in.get(f"/formulaires/brouillons/{draft_id}/pdf").status_code == 404
    assert signed_in.post(f"/formulaires/brouillons/{draft_id}/supprimer").status_code == 404


def test_required_readonly_value_missing_says_what_to_do(app, client):
    from app.auth.testing import login
    from tests.forms.conftest import make_citizen

    user = make_citizen(app, email="sansnom@example.ca", given_names=None, family_name=None)
    login(client, "sansnom@example.ca")
    start_run(app, client, user.id, "demarrer-entreprise", {"forme_juridique": "individuelle", "nom_personnel": True})
    url = "/formulaires/immatriculation-entreprise?parcours=demarrer-entreprise"
    page = soup_of(client.get(url))
    response = client.post(url, data=form_data(page, action="pdf"))
    page = soup_of(response)
    link = page.find(id="error-summary").find("a", href="#nom_entreprise-readonly")
    assert "Complétez votre profil" in link.get_text()
    assert page.find(id="nom_entreprise-readonly") is not None
