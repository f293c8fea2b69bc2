"""With several children, the check page shows each child's answers with its own Change link, a
change made from there comes back to it, and the plan's reason names the child it is about."""
from __future__ import annotations

from bs4 import BeautifulSoup
from runner_helpers import JOURNEY, answer_all, item_url


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True).replace("\u00a0", " "), "html.parser")


def test_the_check_page_shows_each_childs_answers_and_each_can_be_changed(rclient):
    answer_all(rclient, children=("Léa", "Noé"))
    check = page(rclient, f"/parcours/{JOURNEY}/verifier")
    second = check.find(id="answer-enfants-1-sexe")
    assert second.dt.get_text(strip=True) == "Noé : Quel est le sexe de l'enfant?"
    assert second.find(class_="parcours-summary-answer").get_text(strip=True) == "Féminin"
    change = check.find(id="change-enfants-1-sexe")["href"]
    assert change == f"/parcours/{JOURNEY}/questions/enfants/1/sexe?retour=verifier"
    assert check.find(id="answer-enfants-0-prenom").find(class_="parcours-summary-answer").get_text(strip=True) == "Léa"

    response = rclient.post(change, data={"sexe": "m"})
    assert response.headers["Location"].endswith(f"/parcours/{JOURNEY}/verifier")
    check = page(rclient, f"/parcours/{JOURNEY}/verifier")
    assert check.find(id="answer-enfants-1-sexe").find(class_="parcours-summary-answer").get_text(strip=True) == "Masculin"
    assert check.find(id="answer-enfants-0-sexe").find(class_="parcours-summary-answer").get_text(strip=True) == "Féminin"


def test_the_reason_names_the_child_it_is_about(rclient):
    answer_all(rclient, children=("Léa", "Noé"))
    rclient.post(item_url("enfants", 1, "sexe") + "?retour=verifier", data={"sexe": "m"})
    rclient.post(f"/parcours/{JOURNEY}/verifier")
    result = page(rclient, f"/parcours/{JOURNEY}/resultat")
    because = result.find(id="step-vetements-garcon").find(class_="parcours-because").get_text(" ", strip=True)
    assert "« Masculin » à « Quel est le sexe de l'enfant? » pour Noé" in because
    assert "Léa" not in because
