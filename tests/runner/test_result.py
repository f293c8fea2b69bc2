"""Votre parcours: grouped steps, real dates, urgent and overdue tags, the reasons, print and calendar."""
from __future__ import annotations

from bs4 import BeautifulSoup
from runner_helpers import JOURNEY, answer_all, question_url


def result_page(client):
    response = client.post(f"/parcours/{JOURNEY}/verifier")
    assert response.headers["Location"].endswith(f"/parcours/{JOURNEY}/resultat")
    response = client.get(f"/parcours/{JOURNEY}/resultat")
    assert response.status_code == 200
    html = response.get_data(as_text=True).replace("\u00a0", " ").replace("\u202f", " ")
    return BeautifulSoup(html, "html.parser")


def step_ids(section) -> list[str]:
    return [li["id"].removeprefix("step-") for li in section.select("li.parcours-step")]


def test_steps_are_grouped_with_real_dates(rclient):
    answer_all(rclient, day="2026-02-25")  # today is pinned to 2026-03-01
    page = result_page(rclient)
    assert page.h1.get_text(strip=True).startswith("Votre parcours")
    headings = [s.h2.get_text(strip=True) for s in page.select("section.parcours-plan-group")]
    assert headings == ["Avant", "Ce mois-ci", "Dans les premiers mois", "Plus tard"]
    assert step_ids(page.find(id="plan-avant")) == ["preparer-arrivee"]
    assert step_ids(page.find(id="plan-ce-mois-ci")) == ["declarer-naissance"]
    assert step_ids(page.find(id="plan-premiers-mois")) == ["carte-soleil"]
    assert step_ids(page.find(id="plan-plus-tard")) == ["place-garderie"]

    declare = page.find(id="step-declarer-naissance")
    assert "Date limite : 27 mars 2026" in declare.get_text(" ", strip=True)
    assert "Directeur de l'état civil" in declare.get_text()
    assert declare.find("a", href="https://www.etatcivil.gouv.qc.ca/fr/naissance.html") is not None
    assert "En ligne." in declare.get_text()
    assert declare.find(class_="parcours-tag") is None  # 26 days left: not urgent

    # organisation's site when the step has no page of its own
    card = page.find(id="step-carte-soleil")
    assert card.find("a", href="https://www.ramq.gouv.qc.ca/fr") is not None
    # a suggested date is labelled as such, never as a deadline
    assert "Date suggérée : 25 mai 2026" in card.get_text(" ", strip=True)
    assert "Date limite" not in card.get_text(" ", strip=True)


def test_a_suggested_date_that_has_passed_is_neither_urgent_nor_overdue(rclient):
    answer_all(rclient, day="2025-11-01")  # the card's suggested date, 2026-02-01, has passed
    page = result_page(rclient)
    card = page.find(id="step-carte-soleil")
    assert card.find(class_="parcours-tag") is None
    assert "La date suggérée était le 1er février 2026" in card.get_text(" ", strip=True)


def test_because_line_names_the_answers_that_made_the_step_apply(rclient):
    answer_all(rclient)
    page = result_page(rclient)
    because = page.find(id="step-declarer-naissance").find(class_="parcours-because").get_text(" ", strip=True)
    assert because.startswith("Parce que vous avez répondu :")
    assert "« Une naissance » à « Quel événement vivez-vous? »" in because
    assert "« Oui » à « L'enfant est-il né au Québec? »" in because
    daycare = page.find(id="step-place-garderie").find(class_="parcours-because").get_text(" ", strip=True)
    assert "« Une place en garderie » à « De quoi avez-vous besoin? »" in daycare
    assert page.find(id="step-carte-soleil").find(class_="parcours-because") is None


def test_urgent_and_overdue_steps_are_tagged(rclient):
    answer_all(rclient, day="2026-02-01")  # declaration due 2026-03-03: in 2 days
    page = result_page(rclient)
    declare = page.find(id="step-declarer-naissance")
    assert declare.find(class_="parcours-tag-urgent").get_text(strip=True) == "Urgent"
    overdue = page.find(id="step-preparer-arrivee")  # due 2026-01-22: past
    assert overdue.find(class_="parcours-tag-urgent").get_text(strip=True) == "Urgent"
    assert overdue.find(class_="parcours-tag-overdue").get_text(strip=True) == "En retard"
    # the step says what to do now, not "as soon as possible"
    text = overdue.get_text(" ", strip=True)
    assert "La date était le 22 janvier 2026. Si l'enfant est déjà arrivé, apportez les documents" in text
    assert "dès que possible" not in text


def test_count_of_group_items_can_make_a_step_apply(rclient):
    answer_all(rclient, children=("Léa", "Noé"))
    page = result_page(rclient)
    twins = page.find(id="step-jumeaux")
    assert twins is not None
    assert "« Léa, Noé » à « Les enfants »" in twins.find(class_="parcours-because").get_text(" ", strip=True)


def test_change_print_and_calendar_links_work_without_javascript(rclient):
    answer_all(rclient)
    page = result_page(rclient)
    assert page.find(id="change-answers")["href"] == f"/parcours/{JOURNEY}/verifier"
    printable = rclient.get(page.find(id="print-link")["href"])
    assert printable.status_code == 200
    printable_page = BeautifulSoup(printable.get_data(as_text=True), "html.parser")
    assert printable_page.find("link", href=lambda h: h and h.endswith("print.css"))["media"] == "all"
    assert printable_page.find(id="print-help") is not None
    assert page.find("link", href=lambda h: h and h.endswith("print.css"))["media"] == "print"
    assert page.find(id="calendar-link")["href"] == f"/parcours/{JOURNEY}/resultat.ics"


def test_calendar_file_holds_the_dated_steps(rclient):
    answer_all(rclient, day="2026-02-25")
    rclient.post(f"/parcours/{JOURNEY}/verifier")
    response = rclient.get(f"/parcours/{JOURNEY}/resultat.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="parcours-essai-parcours.ics"' in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 3  # the three dated steps; undated ones are left out
    assert "DTSTART;VALUE=DATE:20260327\r\n" in body
    assert "DTEND;VALUE=DATE:20260328\r\n" in body
    assert "SUMMARY:Déclarer la naissance (Date limite)\r\n" in body
    assert "SUMMARY:Inscrire l'enfant à la RAMQ (Date suggérée)" in body.replace("\r\n ", "")
    assert "DESCRIPTION:Date limite : 27 mars 2026" in body.replace("\r\n ", "")
    assert "Garderie" not in body and "garderie" not in body


def test_result_in_english(rclient):
    answer_all(rclient, day="2026-02-25")
    rclient.get("/langue/en")
    page = result_page(rclient)
    assert page.h1.get_text(strip=True) == "Your plan: Test journey"
    declare = page.find(id="step-declarer-naissance").get_text(" ", strip=True)
    assert "Deadline: March 27, 2026" in declare
    assert "Because you answered:" in declare
    assert [s.h2.get_text(strip=True) for s in page.select("section.parcours-plan-group")][0] == "Before"


def test_changing_answers_after_the_plan_updates_it(rclient):
    answer_all(rclient)
    result_page(rclient)
    rclient.post(question_url("type_evenement", retour="verifier"), data={"type_evenement": "adoption"})
    page = result_page(rclient)
    assert page.find(id="step-declarer-naissance") is None


def test_a_step_can_lead_to_another_journey(rclient):
    answer_all(rclient)
    page = result_page(rclient)
    link = page.find(id="step-place-garderie").find(class_="parcours-step-journey").a
    assert link["href"] == f"/parcours/{JOURNEY}"
    assert link.get_text(strip=True) == "Poursuivre avec le parcours « Parcours d'essai »"
