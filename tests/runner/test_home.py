"""The home page on the real catalogue: life events by audience and an accent-insensitive search."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

JOURNEYS_DIR = Path(__file__).resolve().parents[2] / "journeys"


def audiences_in_files() -> dict[str, str]:
    """Journey id -> audience, read from journeys/*.yaml (organisations.yaml is no journey).

    The home page is checked against the files, not a list copied here: a hand-kept list broke this
    test each time a branch added journeys (8 listed, 11 after the business journeys were merged)."""
    found = {}
    for path in sorted(JOURNEYS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "id" in data:
            found[data["id"]] = data.get("audience", "citoyens")
    return found


REAL_JOURNEYS = set(audiences_in_files())
# Journeys that must stay in the catalogue whatever is added to it.
KNOWN_JOURNEYS = {"devenir-parent", "demenager", "deces-proche", "demarrer-entreprise",
                  "s-installer-au-quebec", "perdre-son-autonomie", "se-marier", "se-separer",
                  "embaucher-premier-employe", "demenager-entreprise", "fermer-entreprise"}


def page_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True).replace("\u00a0", " "), "html.parser")


def journey_links(section) -> set[str]:
    return {a["id"].removeprefix("journey-") for a in section.select("a[id^=journey-]")}


def test_home_lists_life_events_for_citizens_and_businesses(client):
    client.get("/langue/fr")
    page = page_of(client.get("/"))
    assert page.h1.get_text(strip=True) == "Que se passe-t-il dans votre vie?"
    citizens, businesses = page.find(id="section-citoyens"), page.find(id="section-entreprises")
    assert citizens.h2.get_text(strip=True) == "Citoyens"
    assert businesses.h2.get_text(strip=True) == "Entreprises"
    audiences = audiences_in_files()
    assert KNOWN_JOURNEYS <= set(audiences)
    assert journey_links(citizens) == {j for j, audience in audiences.items() if audience == "citoyens"}
    assert journey_links(businesses) == {j for j, audience in audiences.items() if audience == "entreprises"}
    assert "demarrer-entreprise" in journey_links(businesses)
    assert page.find(id="journey-devenir-parent")["href"] == "/parcours/devenir-parent"


def test_search_ignores_accents_and_case(client):
    client.get("/langue/fr")
    page = page_of(client.get("/?q=deces"))
    results = page.find(id="search-results")
    assert journey_links(results) == {"deces-proche"}
    assert "Décès" in results.get_text()
    assert page.find(id="q")["value"] == "deces"
    assert journey_links(page_of(client.get("/?q=D%C3%89C%C3%88S")).find(id="search-results")) == {"deces-proche"}


def test_search_in_english_still_matches_french_words(client):
    client.get("/langue/en")
    page = page_of(client.get("/?q=deces"))
    assert journey_links(page.find(id="search-results")) == {"deces-proche"}
    assert page.html["lang"] == "en"


def test_search_without_match_says_so(client):
    client.get("/langue/fr")
    page = page_of(client.get("/?q=zzzzqqq"))
    assert "Aucun événement de vie ne correspond" in page.find(id="search-results").get_text()


def test_every_journey_has_a_start_page_and_a_first_question(client):
    client.get("/langue/fr")
    for journey_id in REAL_JOURNEYS:
        page = page_of(client.get(f"/parcours/{journey_id}"))
        assert page.find(id="start-button") is not None
        response = client.post(f"/parcours/{journey_id}/commencer")
        assert response.status_code == 302
        question = client.get(response.headers["Location"])
        assert question.status_code == 200
        assert len(question.get_data()) < 30_000


def test_first_visit_budget(client):
    """HTML + CSS + preloaded fonts + logos of a first visit stay under 400 KB."""
    response = client.get("/")
    page = page_of(response)
    total = len(response.get_data())
    assets = [link["href"] for link in page.find_all("link", href=True) if link["href"].startswith("/static/")]
    assets += [img["src"] for img in page.find_all("img", src=True)]
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        total += len(asset.get_data())
        asset.close()
    # The kit's CSS names more fonts than the page uses; browsers fetch only the used ones,
    # which are the two preloaded ones plus at most two more weights (~20 KB each).
    assert total + 2 * 21_000 < 400_000
