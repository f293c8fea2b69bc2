"""Recurring deadlines: yearly fixed dates and per-period filings at a frequency chosen in the answers."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.journeys import build_plan, load_catalog
from app.journeys.loader import compile_definition
from app.journeys.recurring import due_dates, next_due, period_of, upcoming
from app.journeys.schema import Recurrence

CATALOG = load_catalog(Path(__file__).parent / "fixtures" / "catalog")


def _text(fr, en=None):
    return {"fr": fr, "en": en or fr}


def _journey():
    return compile_definition({
        "id": "obligations", "version": 1, "audience": "entreprises", "languages": ["fr", "en"],
        "title": _text("Obligations"), "summary": _text("Obligations récurrentes"),
        "questions": [
            {"id": "date_debut", "type": "date", "label": _text("Début")},
            {"id": "inscrit_taxes", "type": "yesno", "label": _text("Inscrit")},
            {"id": "frequence", "type": "choice", "label": _text("Fréquence"), "show_if": "inscrit_taxes",
             "options": [{"value": v, "label": _text(v)} for v in ("mensuelle", "trimestrielle", "annuelle")]},
        ],
        "steps": [
            {"id": "mise-a-jour-annuelle", "organisation": "dec", "title": _text("Mise à jour"),
             "description": _text("Chaque année."), "when": "plus-tard",
             "deadline": {"kind": "legal", "recurring": {"every": "year", "on": {"month": 6, "day": 15}}}},
            {"id": "declaration-taxes", "organisation": "ramq", "title": _text("Taxes"),
             "description": _text("Chaque période."), "applies_if": "inscrit_taxes", "when": "premiers-mois",
             "deadline": [
                 {"if": "frequence == 'annuelle'", "of": "date_debut", "kind": "legal",
                  "recurring": {"every_from": "frequence", "months_after": 3}},
                 {"of": "date_debut", "kind": "legal", "recurring": {"every_from": "frequence", "months_after": 1,
                                                    "next_business_day": True}},
             ]},
            {"id": "sans-echeance", "organisation": "dec", "title": _text("Rien"), "description": _text("Rien."),
             "when": "plus-tard"},
        ],
    }, CATALOG.organisations)


JOURNEY = _journey()


def _dates(recurrence, period, reference, count, begins=None):
    return [due for due, _ in due_dates(recurrence, period, reference, count, begins)]


def test_yearly_fixed_date_gives_this_year_then_the_next_ones():
    rule = Recurrence(every="year", on={"month": 6, "day": 15})
    assert _dates(rule, "year", date(2026, 3, 1), 3) == [date(2026, 6, 15), date(2027, 6, 15), date(2028, 6, 15)]
    assert _dates(rule, "year", date(2026, 6, 16), 1) == [date(2027, 6, 15)]
    assert _dates(rule, "year", date(2026, 6, 15), 1) == [date(2026, 6, 15)]  # due today is still due


def test_yearly_date_not_due_before_the_obligation_begins():
    rule = Recurrence(every="year", on={"month": 6, "day": 15})
    assert _dates(rule, "year", date(2026, 1, 1), 1, begins=date(2026, 9, 1)) == [date(2027, 6, 15)]


def test_yearly_date_with_year_offset_counts_from_the_start_year():
    # Year-end slips: due on the last day of February of the year after the first pay.
    rule = Recurrence(every="year", on={"month": 2, "day": 29, "year_offset": 1}, next_business_day=True)
    assert _dates(rule, "year", date(2026, 3, 1), 2, begins=date(2026, 3, 2)) == [date(2027, 3, 1), date(2028, 2, 29)]
    assert _dates(rule, "year", date(2026, 1, 5), 1, begins=date(2026, 1, 5)) == [date(2027, 3, 1)]
    assert _dates(rule, "year", date(2028, 1, 5), 1, begins=date(2026, 1, 5)) == [date(2028, 2, 29)]


def test_monthly_returns_due_one_month_after_each_month_end():
    rule = Recurrence(every="month", months_after=1)
    assert _dates(rule, "month", date(2026, 1, 15), 3) == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    pairs = due_dates(rule, "month", date(2026, 2, 1), 1)
    assert pairs == [(date(2026, 2, 28), date(2026, 1, 31))]  # January's return, due end of February


def test_quarterly_and_yearly_periods_follow_the_calendar():
    quarterly = Recurrence(every="quarter", months_after=1)
    assert _dates(quarterly, "quarter", date(2026, 5, 1), 3) == [date(2026, 7, 31), date(2026, 10, 31), date(2027, 1, 31)]
    yearly = Recurrence(every="year", months_after=3)
    assert _dates(yearly, "year", date(2026, 5, 1), 2) == [date(2027, 3, 31), date(2028, 3, 31)]
    assert _dates(yearly, "year", date(2026, 2, 1), 1) == [date(2026, 3, 31)]


def test_next_business_day_matches_revenu_quebec_calendar():
    # Revenu Québec's 2025 calendar: April 2025's monthly return is due 2025-06-02 (31 May is a Saturday).
    rule = Recurrence(every="month", months_after=1, next_business_day=True)
    assert _dates(rule, "month", date(2025, 5, 15), 2) == [date(2025, 6, 2), date(2025, 6, 30)]


def test_days_after_period_end():
    rule = Recurrence(every="quarter", days_after=30)
    assert _dates(rule, "quarter", date(2026, 1, 1), 2) == [date(2026, 1, 30), date(2026, 4, 30)]


def test_periods_ending_before_the_start_are_not_due():
    rule = Recurrence(every="quarter", months_after=1)
    assert _dates(rule, "quarter", date(2026, 1, 1), 1, begins=date(2026, 5, 10)) == [date(2026, 7, 31)]


def test_no_period_or_no_count_gives_nothing():
    rule = Recurrence(every_from="frequence", months_after=1)
    assert due_dates(rule, None, date(2026, 1, 1), 3) == []
    assert due_dates(Recurrence(every="month", months_after=1), "month", date(2026, 1, 1), 0) == []


def test_period_chosen_in_the_answers():
    rule = Recurrence(every_from="frequence", months_after=1)
    assert period_of(rule, {"frequence": "trimestrielle"}) == "quarter"
    assert period_of(rule, {"frequence": "mensuelle"}) == "month"
    assert period_of(rule, {}) is None
    assert period_of(Recurrence(every="year", months_after=3), {}) == "year"


def test_plan_shows_the_next_due_date_of_a_recurring_step():
    answers = {"date_debut": "2026-01-10", "inscrit_taxes": True, "frequence": "trimestrielle"}
    plan = build_plan(JOURNEY, answers, date(2026, 2, 1))
    by_id = {s.id: s for s in plan.steps}
    assert by_id["mise-a-jour-annuelle"].deadline == date(2026, 6, 15)
    assert by_id["declaration-taxes"].deadline == date(2026, 4, 30)
    assert by_id["sans-echeance"].deadline is None


def test_annual_filers_get_the_three_month_rule():
    answers = {"date_debut": "2026-01-10", "inscrit_taxes": True, "frequence": "annuelle"}
    plan = build_plan(JOURNEY, answers, date(2026, 2, 1))
    assert {s.id: s.deadline for s in plan.steps}["declaration-taxes"] == date(2027, 3, 31)


def test_upcoming_lists_every_recurring_step_soonest_first():
    answers = {"date_debut": "2026-01-10", "inscrit_taxes": True, "frequence": "mensuelle"}
    found = upcoming(JOURNEY, answers, date(2026, 2, 1), count=3)
    assert [(o.step.id, o.due) for o in found] == [
        ("declaration-taxes", date(2026, 3, 2)),   # January, 28 Feb 2026 is a Saturday
        ("declaration-taxes", date(2026, 3, 31)),
        ("declaration-taxes", date(2026, 4, 30)),
        ("mise-a-jour-annuelle", date(2026, 6, 15)),
        ("mise-a-jour-annuelle", date(2027, 6, 15)),
        ("mise-a-jour-annuelle", date(2028, 6, 15)),
    ]
    assert found[0].period_end == date(2026, 1, 31)
    assert found[0].organisation.id == "ramq"


def test_steps_that_do_not_apply_have_no_occurrences():
    found = upcoming(JOURNEY, {"date_debut": "2026-01-10", "inscrit_taxes": False}, date(2026, 2, 1), count=1)
    assert [o.step.id for o in found] == ["mise-a-jour-annuelle"]


def test_next_due_is_none_for_a_step_without_a_recurring_rule():
    steps = {s.id: s for s in JOURNEY.compiled_steps}
    assert next_due(steps["sans-echeance"], {}, date(2026, 1, 1)) is None


@pytest.mark.parametrize("recurring, code", [
    ({"months_after": 1}, "recurring_period_count"),
    ({"every": "month", "every_from": "frequence", "months_after": 1}, "recurring_period_count"),
    ({"every": "month"}, "recurring_rule_count"),
    ({"every": "month", "on": {"month": 1, "day": 1}}, "recurring_on_not_yearly"),
    ({"every_from": "inscrit_taxes", "months_after": 1}, "not_a_frequency_question"),
    ({"every_from": "inconnue", "months_after": 1}, "unknown_question"),
])
def test_loader_refuses_broken_recurrences(recurring, code):
    from app.journeys import DefinitionErrors

    data = JOURNEY.journey.model_dump(by_alias=True, exclude_none=True)
    data["steps"][0]["deadline"] = {"recurring": recurring, "kind": "legal"}
    with pytest.raises(DefinitionErrors) as raised:
        compile_definition(data, CATALOG.organisations)
    assert code in [e.code for e in raised.value.errors]


def test_recurring_start_must_be_a_date_question():
    from app.journeys import DefinitionErrors

    data = JOURNEY.journey.model_dump(by_alias=True, exclude_none=True)
    data["steps"][0]["deadline"] = {"of": "inscrit_taxes", "kind": "legal", "recurring": {"every": "year", "on": {"month": 6, "day": 15}}}
    with pytest.raises(DefinitionErrors) as raised:
        compile_definition(data, CATALOG.organisations)
    assert [e.code for e in raised.value.errors] == ["not_a_date_question"]
