"""Every real journey can be completed through the pages with plausible answers, and its plan renders."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from app.catalog import get_journey

REAL_JOURNEYS = ["devenir-parent", "demenager", "deces-proche", "demarrer-entreprise",
                 "s-installer-au-quebec", "perdre-son-autonomie", "se-marier", "se-separer",
                 "embaucher-premier-employe", "demenager-entreprise", "fermer-entreprise"]
QUESTION = re.compile(r"/parcours/(?P<journey>[a-z0-9-]+)/questions/(?P<group>[a-z0-9_]+)(?:/(?P<index>\d+)/(?P<item>[a-z0-9_]+))?")


def plausible(question, attempt: int) -> dict:
    """Form data a citizen could send for this question; later attempts try other dates and numbers."""
    name, kind = question.id, question.type
    if kind == "yesno":
        return {name: "oui" if attempt == 0 else "non"}
    if kind == "choice":
        return {name: question.options[min(attempt, len(question.options) - 1)].value}
    if kind == "multichoice":
        return {name: [question.options[0].value]}
    if kind == "date":
        return {name: ["2026-02-20", "2027-01-15", "1960-05-01"][attempt % 3]}
    if kind == "number":
        low = question.min if question.min is not None else 1
        return {name: str(int(low) if question.integer or float(low).is_integer() else low)}
    if kind == "address":
        return {f"{name}.street": "1000 rue Sherbrooke Ouest", f"{name}.city": "Montréal",
                f"{name}.province": "QC", f"{name}.postal_code": "H3A 3R2"}
    if kind == "person":
        return {f"{name}.given_names": "Camille", f"{name}.family_name": "Tremblay", f"{name}.birth_date": "1950-04-02"}
    return {name: "Essai"}


def complete(client, journey_id: str) -> str:
    with client.application.app_context():
        journey = get_journey(journey_id)
    location = client.post(f"/parcours/{journey_id}/commencer").headers["Location"]
    for _ in range(150):
        if location.endswith("/verifier"):
            return location
        match = QUESTION.search(location)
        assert match, location
        if match["item"]:
            group = journey.question(match["group"])
            question = next(q for q in group.questions if q.id == match["item"])
        else:
            question = journey.question(match["group"])
        if question.type == "group" and not match["item"]:
            page = BeautifulSoup(client.get(location).get_data(as_text=True), "html.parser")
            add = page.find(id="add-item")
            if not page.select(".parcours-item") and add is not None:
                location = add["href"]
                continue
            response = client.post(location, data={})
        else:
            for attempt in range(3):
                response = client.post(location, data=plausible(question, attempt))
                if response.status_code == 302:
                    break
        assert response.status_code == 302, f"{location}: {response.get_data(as_text=True)[:3000]}"
        location = response.headers["Location"]
    raise AssertionError(f"{journey_id}: no end after 150 pages")


@pytest.mark.parametrize("journey_id", REAL_JOURNEYS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_real_journey_can_be_completed(client, journey_id, lang):
    client.get(f"/langue/{lang}")
    check = complete(client, journey_id)
    assert client.get(check).status_code == 200
    result = client.post(check)
    assert result.headers["Location"].endswith(f"/parcours/{journey_id}/resultat")
    page = client.get(result.headers["Location"])
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert soup.select("li.parcours-step")
    assert client.get(f"/parcours/{journey_id}/resultat.ics").status_code == 200
