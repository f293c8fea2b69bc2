"""The home page search finds a life event from the words citizens use (issue 11): stemmed French and
English, and the synonyms kept in each journey's data. Each phrase must put its journey first."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from app.runner.search import JourneyIndex, meaningful_words, search

PHRASES = {
    "fr": [
        ("je déménage", "demenager"),
        ("avoir un bébé", "devenir-parent"),
        ("décès de mon père", "deces-proche"),
        ("changer d'adresse", "demenager"),
        ("mon mari est mort", "deces-proche"),
        ("ouvrir un commerce", "demarrer-entreprise"),
        ("je demenage a Longueuil", "demenager"),
        ("nous déménageons en juillet", "demenager"),
        ("nouvelle adresse", "demenager"),
        ("quitter le Québec", "demenager"),
        ("fin de bail", "demenager"),
        ("faire suivre mon courrier", "demenager"),
        ("acheter une maison", "demenager"),
        ("déménagement", "demenager"),
        ("je suis enceinte", "devenir-parent"),
        ("naissance de mon fils", "devenir-parent"),
        ("adopter un enfant", "devenir-parent"),
        ("nous attendons des jumeaux", "devenir-parent"),
        ("congé parental", "devenir-parent"),
        ("bebe", "devenir-parent"),
        ("accouchement", "devenir-parent"),
        ("devenir papa", "devenir-parent"),
        ("ma mère est décédée", "deces-proche"),
        ("ma femme est morte", "deces-proche"),
        ("funérailles", "deces-proche"),
        ("deces", "deces-proche"),
        ("régler une succession", "deces-proche"),
        ("je suis veuve", "deces-proche"),
        ("trouver le testament", "deces-proche"),
        ("mon frère vient de mourir", "deces-proche"),
        ("créer une entreprise", "demarrer-entreprise"),
        ("devenir travailleur autonome", "demarrer-entreprise"),
        ("ouvrir un restaurant", "demarrer-entreprise"),
        ("immatriculer mon entreprise", "demarrer-entreprise"),
        ("numéro de TPS et TVQ", "demarrer-entreprise"),
        ("se lancer en affaires", "demarrer-entreprise"),
        ("embaucher un premier employé", "embaucher-premier-employe"),
        ("embaucher un employé", "embaucher-premier-employe"),
        ("payer les retenues à la source", "embaucher-premier-employe"),
        ("fermer mon entreprise", "fermer-entreprise"),
        ("faillite de ma compagnie", "fermer-entreprise"),
        ("déménager mon entreprise", "demenager-entreprise"),
        ("nouvelle adresse de l'entreprise", "demenager-entreprise"),
        ("j'arrive au Québec", "s-installer-au-quebec"),
        ("immigrer", "s-installer-au-quebec"),
        ("nouvel arrivant", "s-installer-au-quebec"),
        ("ma mère ne peut plus vivre seule", "perdre-son-autonomie"),
        ("proche aidant", "perdre-son-autonomie"),
        ("CHSLD", "perdre-son-autonomie"),
        ("se marier", "se-marier"),
        ("mariage", "se-marier"),
        ("union civile", "se-marier"),
        ("divorce", "se-separer"),
        ("séparation", "se-separer"),
        ("garde partagée", "se-separer"),
    ],
    "en": [
        ("I am moving", "demenager"),
        ("change of address", "demenager"),
        ("having a baby", "devenir-parent"),
        ("my husband died", "deces-proche"),
        ("my father passed away", "deces-proche"),
        ("open a shop", "demarrer-entreprise"),
        ("become self-employed", "demarrer-entreprise"),
        ("I am pregnant", "devenir-parent"),
        ("new address", "demenager"),
        ("moving the business", "demenager-entreprise"),
        ("hire my first employee", "embaucher-premier-employe"),
        ("close my business", "fermer-entreprise"),
        ("immigrate to Québec", "s-installer-au-quebec"),
        ("my father can no longer live alone", "perdre-son-autonomie"),
        ("getting married", "se-marier"),
        ("divorce", "se-separer"),
    ],
}
CASES = [(lang, phrase, expected) for lang, rows in PHRASES.items() for phrase, expected in rows]


def test_the_table_is_large_enough():
    assert len(CASES) >= 40


def first_results(client, lang: str, phrase: str) -> list[str]:
    client.get(f"/langue/{lang}")
    response = client.get("/", query_string={"q": phrase})
    assert response.status_code == 200
    results = BeautifulSoup(response.get_data(as_text=True), "html.parser").find(id="search-results")
    return [a["id"].removeprefix("journey-") for a in results.select("a[id^=journey-]")]


@pytest.mark.parametrize("lang,phrase,expected", CASES, ids=[f"{lang}:{phrase}" for lang, phrase, _ in CASES])
def test_a_phrase_finds_its_life_event_first(client, lang, phrase, expected):
    found = first_results(client, lang, phrase)
    assert found and found[0] == expected, f"{phrase!r} found {found}, expected {expected} first"


def test_little_words_alone_find_nothing_special(client):
    assert meaningful_words("je suis à de la") == []
    assert first_results(client, "fr", "zzzzqqq") == []


def test_stems_meet_whatever_the_accents_and_forms():
    index = JourneyIndex(["Déménagement et décès"])
    for word in ("demenage", "déménager", "DÉMÉNAGEMENTS", "deces", "décès", "demenag"):
        assert all(index.matches(w) for w in meaningful_words(word)), word


class _Journey:
    def __init__(self, title, synonyms=None):
        self.title, self.summary, self.keywords, self.synonyms = {"fr": title}, {"fr": ""}, None, synonyms


def test_synonyms_come_from_the_journey_data():
    plain = _Journey("Se marier")
    with_synonyms = _Journey("Se marier", synonyms={"fr": ["union civile", "épouser"]})
    assert search([plain], "union civile", "fr") == []
    assert search([with_synonyms], "union civile", "fr") == [with_synonyms]


def test_search_results_have_their_own_title(client):
    client.get("/langue/fr")
    home = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser").title.get_text()
    results = BeautifulSoup(client.get("/?q=bebe").get_data(as_text=True), "html.parser").title.get_text()
    assert home != results
    assert "bebe" in results
