"""Se séparer shows "Quitter rapidement" on every page a citizen meets (start, each question, check
answers, plan, print, form and declaration pages), in both languages, without JavaScript and
without a referrer; other journeys do not show it. The SOS violence conjugale line is on the start
page and in the plan of a person who does not feel safe."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.runner.test_real_journeys import complete

EXIT = {"fr": "https://meteo.gc.ca/", "en": "https://weather.gc.ca/"}


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def assert_quick_exit(page: BeautifulSoup, lang: str, where: str) -> None:
    link = page.find(id="quick-exit-link")
    assert link is not None, f"no quick exit on {where}"
    assert link["href"] == EXIT[lang]
    assert "noreferrer" in link["rel"] and link["referrerpolicy"] == "no-referrer"
    assert link.get_text(strip=True) == {"fr": "Quitter rapidement", "en": "Leave quickly"}[lang]
    # First thing in the page's content, before the back link and the heading.
    main = page.find("main")
    assert main.find("a") is link, f"the quick exit is not the first link of the content on {where}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_of_se_separer_offers_a_quick_exit(client, lang):
    client.get(f"/langue/{lang}")
    start = soup(client.get("/parcours/se-separer"))
    assert_quick_exit(start, lang, "start")
    assert "1 800 363-9010" in start.get_text()
    location = client.post("/parcours/se-separer/commencer").headers["Location"]
    assert_quick_exit(soup(client.get(location)), lang, location)
    check = complete(client, "se-separer")
    assert_quick_exit(soup(client.get(check)), lang, check)
    result = client.post(check).headers["Location"]
    assert_quick_exit(soup(client.get(result)), lang, result)
    assert_quick_exit(soup(client.get(result + "?imprimer=1")), lang, "print")


def test_each_question_page_of_se_separer_has_the_quick_exit(client):
    client.get("/langue/fr")
    location = client.post("/parcours/se-separer/commencer").headers["Location"]
    page = soup(client.get(location))
    assert_quick_exit(page, "fr", location)
    assert "911" in page.get_text()


@pytest.mark.parametrize("journey_id", ["demenager", "perdre-son-autonomie", "se-marier"])
def test_other_journeys_have_no_quick_exit(client, journey_id):
    client.get("/langue/fr")
    assert soup(client.get(f"/parcours/{journey_id}")).find(id="quick-exit") is None
    assert soup(client.get("/")).find(id="quick-exit") is None
