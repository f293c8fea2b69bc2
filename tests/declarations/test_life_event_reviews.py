"""The declaration pages of the new life events say whose data is sent and on what basis (text from
the journey file), show a caregiver's basis among the values sent, keep the quick exit on the
separation journey, and send nothing about a relative without a basis."""
from __future__ import annotations

from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from tests.declarations.conftest import make_citizen, make_run

SCENARIOS = Path(__file__).resolve().parents[2] / "journeys" / "tests"


def notices(page: BeautifulSoup) -> str:
    """The declaration notices the page shows (texts from the journey file), as one text."""
    return " ".join(n.get_text(" ", strip=True) for n in page.select("[id^=declaration-notice-]"))


def review_page(app, client, journey_id: str, scenario: str) -> BeautifulSoup:
    from app.auth.testing import login

    data = yaml.safe_load((SCENARIOS / journey_id / f"{scenario}.yaml").read_text(encoding="utf-8"))
    app.config["TODAY"] = str(data["today"])
    user_id = make_citizen(app)
    run_id = make_run(app, user_id, answers=data["answers"], journey_id=journey_id)
    login(client)
    with client.session_transaction() as session:
        session["runs"] = {journey_id: run_id}
    client.get("/langue/fr")
    response = client.get(f"/parcours/{journey_id}/declaration")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_a_caregiver_sees_whose_data_is_sent_and_on_what_basis(app, client):
    page = review_page(app, client, "perdre-son-autonomie", "01-fille-pour-sa-mere-vers-chsld")
    notice = notices(page)
    assert "Cette déclaration porte sur votre proche" in notice
    assert "autorisation de votre proche" in notice
    basis = page.find(id="partner-cisss-declarant_basis").get_text(" ", strip=True)
    assert "mandataire ou son tuteur" in basis
    name = page.find(id="partner-cisss-person_family_name").get_text(" ", strip=True)
    assert "Gagnon" in name


def test_without_a_basis_nothing_about_the_relative_is_offered(app, client):
    page = review_page(app, client, "perdre-son-autonomie", "03-proche-sans-autorisation-vers-rpa")
    assert not page.select("input[name^=consent-]")
    assert "Gagnon" not in page.get_text()
    not_sent = page.find(id="not-sent-cisss")
    assert not_sent is not None and "nous n'envoyons rien" in not_sent.get_text()


def test_the_separation_declaration_keeps_the_quick_exit_and_names_no_one_else(app, client):
    page = review_page(app, client, "se-separer", "01-mariee-en-danger-enfants")
    assert page.find(id="quick-exit-link")["href"] == "https://meteo.gc.ca/"
    assert "ne nomme pas votre ex-conjoint" in notices(page)
    offered = sorted(box["name"] for box in page.select("input[name^=consent-]"))
    assert offered == ["consent-arc", "consent-ramq", "consent-retraite-quebec", "consent-revenu-quebec"]


def test_the_union_declaration_says_it_carries_the_spouses_data(app, client):
    page = review_page(app, client, "se-marier", "03-apres-la-celebration")
    assert "ceux de votre conjoint" in notices(page)
    assert "Roy" in page.find(id="partner-ramq-spouse_family_name").get_text()


def test_the_union_declaration_waits_for_the_ceremony(app, client):
    page = review_page(app, client, "se-marier", "01-mariage-notaire-juin")
    assert not page.select("input[name^=consent-]")
    assert "Revenez après la célébration" in page.find(id="not-sent-ramq").get_text()
