"""In a real browser: plan -> prefilled form -> correct a value -> PDF download, with axe at zero
violations on every forms page (consent, review, errors, Mes formulaires, Mes informations
gouvernementales). Uses the shared browser fixtures (tests/browser/fixtures.py: live server, Chromium,
`assert_page_ok`)."""
from __future__ import annotations

import io

import httpx
import pytest
from pypdf import PdfReader

from app.partners import create_partners_app
from tests.browser.browser_flows import Citizen, load_scenarios
from tests.forms.conftest import SECRET, make_citizen

pytestmark = pytest.mark.browser


@pytest.fixture
def registries_for_live_server(live_server, tmp_path):
    app = live_server.app
    saved = app.config.get("PARTNER_HMAC_SECRET"), app.config.get("PARTNERS_BASE_URL")
    partners = create_partners_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'partners.db'}", "HMAC_SECRET": SECRET})
    app.config.update(PARTNER_HMAC_SECRET=SECRET, PARTNERS_BASE_URL="http://registries")
    app.extensions["forms_lookup_transport"] = httpx.WSGITransport(app=partners)
    yield partners
    app.extensions.pop("forms_lookup_transport", None)
    app.config.update(PARTNER_HMAC_SECRET=saved[0], PARTNERS_BASE_URL=saved[1])


def sign_in(page, live_server, email: str) -> None:
    page.goto(live_server("/connexion"))
    page.fill("#email", email)
    page.fill("#password", "violon orange tempête 42")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def test_plan_to_form_to_pdf(page, live_server, registries_for_live_server, assert_page_ok):
    make_citizen(live_server.app, email="navigateur@example.ca")
    from app.catalog import get_catalog

    with live_server.app.app_context():
        journey = get_catalog().get("devenir-parent")
    scenario = next(s for s in load_scenarios("devenir-parent") if "declarer-naissance" in
                    [step for step, _ in s.expected_steps])
    sign_in(page, live_server, "navigateur@example.ca")
    citizen = Citizen(page, live_server.url, journey)
    citizen.complete(scenario.answers)

    # plan -> form
    with page.expect_navigation():
        page.locator("#form-link-declarer-naissance").click()
    assert "/formulaires/declaration-naissance" in page.url
    assert page.locator("h1").inner_text() == "Déclaration de naissance"
    assert_page_ok(page)

    # consult Revenu Québec with consent, back on the form with the address read-only
    with page.expect_navigation():
        page.locator("#lookup-revenu-quebec a").click()
    assert_page_ok(page)
    page.check("#organisations-revenu-quebec")
    with page.expect_navigation():
        page.click("#consult")
    assert "1200, rue Saint-Denis" in page.locator("#parent_adresse-readonly").inner_text()

    # a mistake first: the error summary, in French, axe-clean
    page.fill("#enfant_date_naissance", "31/02/2026")
    with page.expect_navigation():
        page.click("#download-pdf")
    assert page.title().startswith("Erreur")
    assert_page_ok(page)

    # correct the values, then download the PDF
    prenoms = page.locator("#enfant_prenoms")
    prenoms.fill("Léa-Rose")
    page.fill("#enfant_date_naissance", scenario.answers["date_naissance"] if isinstance(
        scenario.answers["date_naissance"], str) else scenario.answers["date_naissance"].isoformat())
    if page.locator("#enfant_nom_famille").input_value() == "":
        page.fill("#enfant_nom_famille", "Tremblay")
    if page.locator("#lieu_naissance").input_value() == "":
        page.fill("#lieu_naissance", "Hôpital Saint-Sacrement")
    if page.locator("#autre_parent_prenoms").count():
        page.fill("#autre_parent_prenoms", "Sam")
        page.fill("#autre_parent_nom_famille", "Roy")
    if not page.locator("input[name=enfant_sexe]:checked").count():
        page.check("#enfant_sexe-feminin")
    with page.expect_download() as download_info:
        page.click("#download-pdf")
    download = download_info.value
    assert download.suggested_filename == "declaration-naissance.pdf"
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    fields = {name: field.get("/V") for name, field in reader.get_fields().items()}
    assert fields["enfant_prenoms"] == "Léa-Rose"
    assert fields["parent_adresse_street"] == "1200, rue Saint-Denis"
    assert fields["parent_prenoms"] == "Ana"
    assert "Prérempli par Parcours" in reader.pages[0].extract_text()

    # the draft is in Mes formulaires; the registry read in Mes informations gouvernementales
    page.goto(live_server("/mon-dossier/formulaires"))
    assert "Déclaration de naissance" in page.locator("#drafts").inner_text()
    assert_page_ok(page)
    page.goto(live_server("/mon-dossier/informations-gouvernementales"))
    assert "1200, rue Saint-Denis" in page.locator("#read-revenu-quebec").inner_text()
    assert_page_ok(page)


def test_required_lookup_pages_are_accessible(page, live_server, registries_for_live_server, assert_page_ok):
    make_citizen(live_server.app, email="deces@example.ca", sin="046454286")
    sign_in(page, live_server, "deces@example.ca")
    page.goto(live_server("/formulaires/prestation-deces-rrq"))
    assert "/consultation" in page.url
    assert_page_ok(page)
    with page.expect_navigation():
        page.click("#consult")  # nothing ticked: an error
    assert page.title().startswith("Erreur")
    assert_page_ok(page)
    page.check("#organisations-retraite-quebec")
    with page.expect_navigation():
        page.click("#consult")
    assert page.locator("h1").inner_text() == "Ce formulaire ne peut pas être rempli pour le moment"
    assert_page_ok(page)
