"""Errors a citizen can act on (issue 11): every message names its field, a person or an address
reports all its problems at once, and the error summary takes the focus when the page loads."""
from __future__ import annotations

from bs4 import BeautifulSoup
from runner_helpers import JOURNEY, answer_all, question_url


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True).replace("\u00a0", " "), "html.parser")


def summary_links(page) -> dict[str, str]:
    return {a["href"]: a.get_text(" ", strip=True) for a in page.find(id="error-summary").find_all("a")}


def test_a_person_reports_every_problem_at_once_each_naming_its_field(rclient):
    answer_all(rclient)
    page = soup(rclient.post(question_url("parent"), data={"parent.given_names": "Marie", "parent.family_name": "",
                                                            "parent.birth_date": "31/02/1990"}))
    links = summary_links(page)
    assert list(links) == ["#parent-family_name", "#parent-birth_date"]
    assert links["#parent-family_name"] == "Indiquez le nom de famille."
    assert links["#parent-birth_date"].startswith("Date de naissance :")
    assert page.find(id="parent-family_name")["aria-invalid"] == "true"
    assert page.find(id="parent-birth_date")["aria-invalid"] == "true"
    assert not page.find(id="parent-given_names").has_attr("aria-invalid")
    message = page.find(id="parent-error").get_text(" ", strip=True)
    assert "Indiquez le nom de famille." in message and "Date de naissance :" in message


def test_an_address_reports_every_missing_part(rclient):
    answer_all(rclient)
    page = soup(rclient.post(question_url("nouvelle_adresse"), data={
        "nouvelle_adresse.street": "1 rue Principale", "nouvelle_adresse.city": "",
        "nouvelle_adresse.province": "QC", "nouvelle_adresse.postal_code": ""}))
    assert summary_links(page) == {"#nouvelle_adresse-city": "Indiquez la ville ou la municipalité.",
                                   "#nouvelle_adresse-postal_code": "Indiquez le code postal."}


def test_no_message_says_only_fill_in_this_field(rclient):
    answer_all(rclient)
    page = soup(rclient.post(question_url("parent"), data={"parent.given_names": "Marie"}))
    text = page.find(id="error-summary").get_text(" ", strip=True)
    assert "Remplissez ce champ" not in text
    assert "Indiquez le nom de famille." in text


def test_a_missing_answer_names_the_question(rclient):
    rclient.post(f"/parcours/{JOURNEY}/commencer")
    page = soup(rclient.post(question_url("type_evenement"), data={}))
    assert summary_links(page) == {
        "#type_evenement-naissance": "Choisissez une réponse à la question « Quel événement vivez-vous? »."}
    rclient.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    page = soup(rclient.post(question_url("date_evenement"), data={"date_evenement": ""}))
    assert list(summary_links(page).values())[0].startswith("Répondez à la question « Quelle est la date")


def test_the_error_summary_takes_the_focus_without_javascript(rclient):
    rclient.post(f"/parcours/{JOURNEY}/commencer")
    summary = soup(rclient.post(question_url("type_evenement"), data={})).find(id="error-summary")
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"


def test_a_date_hint_gives_one_example_only(client):
    """The journey's hint already shows a date: the field adds no second example (issue 11, plain French)."""
    from app.core.template_tests import with_date_example

    assert with_date_example("Par exemple, 14/03/2026.") and not with_date_example("Indiquez la date.")
    client.get("/langue/fr")
    client.post("/parcours/deces-proche/commencer")
    hint = soup(client.get("/parcours/deces-proche/questions/date_deces")).find(id="date_deces-hint").get_text(" ", strip=True)
    assert hint.count("exemple") == 1, hint
