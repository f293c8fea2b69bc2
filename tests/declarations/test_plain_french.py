"""Plain French on the declaration pages (issue 11): consent names the organisation with its article
("transmis au Directeur de l'état civil", never "à Directeur"), and a colon has its no-break space."""
from __future__ import annotations

from bs4 import BeautifulSoup

from tests.declarations.test_views import ORGANISATIONS, URL, review_form


def test_consent_labels_use_the_organisations_article(citizen):
    page = BeautifulSoup(citizen.client.get(URL).get_data(as_text=True), "html.parser")
    text = page.get_text(" ", strip=True)
    assert "transmis au Directeur de l'état civil" in text
    assert "transmis à la Régie de l'assurance maladie du Québec" in text
    assert "transmis à Retraite Québec" in text
    assert "à Directeur" not in text and "à Régie" not in text


def test_a_status_line_has_a_no_break_space_before_its_colon(citizen):
    form = review_form(citizen.client) | {f"consent-{o}": "oui" for o in ORGANISATIONS} | {"attestation": "oui"}
    citizen.client.post(URL, data=form)
    listing = citizen.client.get("/mon-dossier/declarations").get_data(as_text=True)
    assert "civil\u00a0: " in listing and "civil: " not in listing
