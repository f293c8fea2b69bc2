"""The entreprises home filters business journeys and their obligations by sector and by phase."""
from __future__ import annotations

from bs4 import BeautifulSoup


def _journeys(client, query=""):
    page = BeautifulSoup(client.get(f"/entreprises{query}").get_data(as_text=True), "html.parser")
    return {section.h3.get_text(strip=True): [li.get_text(" ", strip=True) for li in section.select("li")]
            for section in page.select("section.parcours-segment")}


def test_all_business_journeys_are_listed_without_a_filter(client):
    found = _journeys(client)
    assert {"Embaucher un premier employé", "Déménager l'entreprise", "Fermer l'entreprise",
            "Démarrer une entreprise"} <= set(found)
    assert "Devenir parent" not in found


def test_sector_keeps_only_the_obligations_that_can_apply(client):
    construction = _journeys(client, "?secteur=construction")["Embaucher un premier employé"]
    restaurant = _journeys(client, "?secteur=restauration")["Embaucher un premier employé"]
    assert any("industrie de la construction" in step for step in construction)
    assert not any("industrie de la construction" in step for step in restaurant)
    moving = _journeys(client, "?secteur=services_professionnels")["Déménager l'entreprise"]
    assert not any("permis alimentaire" in step for step in moving)


def test_phase_keeps_only_the_steps_of_that_phase(client):
    found = _journeys(client, "?phase=avant-d-ouvrir")
    assert any("permis alimentaire" in step for step in found["Déménager l'entreprise"])
    assert "Fermer l'entreprise" not in found  # no step before opening
    for steps in found.values():
        assert all("Avant d’ouvrir" in step for step in steps)


def test_an_unknown_filter_is_ignored(client):
    assert _journeys(client, "?secteur=<script>&phase=x") == _journeys(client)
