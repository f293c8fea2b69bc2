"""The route through the questions, stale answers, the plan and its deadlines."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.journeys import (build_plan, current_answers, is_complete, load_catalog, next_question,
                          unanswered_questions, visible_questions)
from app.journeys.deadlines import add_business_days, add_months, fixed_date, is_business_day
from app.journeys.engine import current_item, visible_item_questions

TODAY = date(2026, 3, 1)
FULL = {
    "type_evenement": "naissance", "date_evenement": "2026-02-20", "hors_quebec": False,
    "travail": True, "revenu": 45000, "besoins": ["garde"], "adresse": None,
    "enfants": [{"prenom": "Léa", "handicap": False}],
}


@pytest.fixture(scope="module")
def journey():
    return load_catalog(Path(__file__).parent / "fixtures" / "catalog").get("exemple")


def ids(questions):
    return [q.id for q in questions]


def test_visible_questions_follow_the_answers(journey):
    assert ids(visible_questions(journey, {}, TODAY)) == [
        "type_evenement", "date_evenement", "travail", "besoins", "adresse", "enfants"]
    assert ids(visible_questions(journey, {"type_evenement": "naissance", "hors_quebec": True,
                                           "travail": True}, TODAY)) == [
        "type_evenement", "date_evenement", "hors_quebec", "pays", "travail", "revenu", "besoins", "adresse",
        "enfants"]


def test_a_changed_answer_drops_the_answers_that_depended_on_it(journey):
    answers = {"type_evenement": "adoption", "hors_quebec": True, "pays": "France", "travail": False,
               "revenu": 3}
    # hors_quebec is hidden now, so its stale answer cannot keep "pays" visible
    assert current_answers(journey, answers, TODAY) == {"type_evenement": "adoption", "travail": False}
    assert "pays" not in ids(visible_questions(journey, answers, TODAY))


def test_group_items_keep_only_answers_on_their_route(journey):
    answers = {"enfants": [{"prenom": "Léa", "handicap": False, "detail_handicap": "vieux"},
                           {"prenom": "Noé", "handicap": True, "detail_handicap": "surdité"}], "autre": 1}
    assert current_answers(journey, answers, TODAY)["enfants"] == [
        {"prenom": "Léa", "handicap": False}, {"prenom": "Noé", "handicap": True, "detail_handicap": "surdité"}]
    group = journey.compiled_questions[-1]
    assert current_item(group, {"handicap": True, "detail_handicap": "x"}, {}, TODAY) == {
        "handicap": True, "detail_handicap": "x"}
    assert ids(visible_item_questions(group, {"prenom": "Léa"}, {}, TODAY)) == ["prenom", "handicap"]
    assert ids(visible_item_questions(journey.question("enfants"), {"handicap": True}, {}, TODAY,
                                      journey=journey)) == ["prenom", "handicap", "detail_handicap"]
    with pytest.raises(TypeError):
        visible_item_questions(journey.question("enfants"), {}, {}, TODAY)


def test_next_question_and_completion(journey):
    assert next_question(journey, {}, TODAY).id == "type_evenement"
    partial = {"type_evenement": "naissance", "date_evenement": "2026-02-20", "hors_quebec": True}
    assert next_question(journey, partial, TODAY).id == "pays"
    # a skipped optional question is stored as None and counts as seen
    assert next_question(journey, {**partial, "pays": None}, TODAY).id == "travail"
    # a required question stored as None is still to answer
    assert next_question(journey, {**partial, "pays": None, "travail": None}, TODAY).id == "travail"
    assert ids(unanswered_questions(journey, partial, TODAY)) == ["pays", "travail", "besoins", "adresse",
                                                                  "enfants"]
    assert not is_complete(journey, partial, TODAY)
    assert is_complete(journey, FULL, TODAY)
    assert next_question(journey, FULL, TODAY) is None


def test_plan_is_grouped_by_phase_in_life_order_then_by_date(journey):
    plan = build_plan(journey, FULL, TODAY)
    summary = [(s.id, s.deadline, s.group, s.kind, s.urgent, s.overdue, s.passed) for s in plan.steps]
    assert summary == [
        # a suggested date that has passed is neither urgent nor overdue
        ("carte", date(2026, 2, 13), "avant", "suggested", False, False, True),
        ("declarer", date(2026, 3, 22), "ce-mois-ci", "legal", False, False, False),
        ("rqap", date(2027, 2, 20), "ce-mois-ci", "legal", False, False, False),
        ("handicap", None, "premiers-mois", None, False, False, False),
        ("impots", date(2027, 4, 30), "plus-tard", "legal", False, False, False),
    ]
    assert plan.steps[1].because == [("type_evenement", "naissance"), ("hors_quebec", False)]
    assert plan.steps[3].because == [("besoins", ["garde"]), ("enfants", [{"prenom": "Léa", "handicap": False}])]
    assert plan.steps[1].organisation.id == "dec"
    assert list(plan.groups) == ["avant", "ce-mois-ci", "premiers-mois", "plus-tard"]
    assert [s.id for s in plan.groups["ce-mois-ci"]] == ["declarer", "rqap"]
    assert plan.anchor == date(2026, 2, 20)


def test_a_legal_deadline_passed_is_overdue_and_urgent_first_in_its_phase(journey):
    # 2026-03-25: the birth declaration (legal, 2026-03-22) is overdue and comes before rqap.
    plan = build_plan(journey, FULL, date(2026, 3, 25))
    declarer = plan.groups["ce-mois-ci"][0]
    assert (declarer.id, declarer.overdue, declarer.urgent, declarer.passed) == ("declarer", True, True, True)


def test_plan_ignores_stale_answers_and_picks_deadline_rules(journey):
    answers = {**FULL, "type_evenement": "adoption", "travail": False, "besoins": None}
    plan = build_plan(journey, answers, TODAY)
    assert [s.id for s in plan.steps] == ["carte", "impots"]  # hors_quebec and revenu are off the route
    assert plan.steps[0].deadline == date(2026, 3, 6)  # adoption: 10 business days
    assert plan.steps[0].urgent and not plan.steps[0].overdue
    assert "revenu" not in plan.answers


def test_plan_without_the_anchor_date(journey):
    plan = build_plan(journey, {"type_evenement": "naissance", "travail": False}, TODAY)
    assert [(s.id, s.deadline, s.group) for s in plan.steps] == [
        ("carte", None, "avant"), ("declarer", None, "ce-mois-ci"), ("impots", None, "plus-tard")]
    assert plan.anchor is None


def test_quebec_business_days_skip_weekends_and_holidays():
    assert add_business_days(date(2026, 6, 22), 3) == date(2026, 6, 26)  # Mon + 3, skipping Saint-Jean (Wed 24)
    assert add_business_days(date(2026, 4, 2), 1) == date(2026, 4, 6)    # Good Friday and the weekend
    assert add_business_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert add_business_days(date(2026, 7, 2), -1) == date(2026, 6, 30)  # Canada Day backwards
    assert add_business_days(date(2026, 5, 17), 1) == date(2026, 5, 19)  # Journée nationale des patriotes
    assert add_business_days(date(2026, 3, 7), 0) == date(2026, 3, 7)
    assert not is_business_day(date(2026, 9, 7)) and is_business_day(date(2026, 9, 8))


def test_months_and_fixed_dates_clamp_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)
    assert fixed_date(date(2027, 6, 1), 2, 29) == date(2027, 2, 28)
    assert fixed_date(date(2026, 6, 1), 4, 30, year_offset=1) == date(2027, 4, 30)


def test_declaration_partners_are_those_whose_send_if_holds(journey):
    assert [p.organisation for p in journey.partners_to_send(FULL, TODAY)] == ["dec", "rqap"]
    no_income = {**FULL, "travail": False}
    assert [p.organisation for p in journey.partners_to_send(no_income, TODAY)] == ["dec"]


def test_a_reason_about_a_group_names_the_items_that_count(journey):
    answers = {**FULL, "besoins": None, "enfants": [{"prenom": "Léa", "handicap": False},
                                                      {"prenom": "Noé", "handicap": True}]}
    step = next(s for s in build_plan(journey, answers, TODAY).steps if s.id == "handicap")
    assert step.because_items == [("enfants", 1, "handicap", True)]
    # a step whose condition reads no item answer names no item
    assert next(s for s in build_plan(journey, answers, TODAY).steps if s.id == "declarer").because_items == []
