"""Date answers stay in a plausible range (declared `min_date` / `max_date`, else 1900 to ten years
ahead), and the engine's date arithmetic never overflows whatever it is given."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from app.journeys import date_bounds
from app.journeys.answers import AnswerError, parse_answer
from app.journeys.deadlines import add_business_days, apply_rule, fixed_date
from app.runner.ics import CalendarEvent, calendar

TODAY = date(2026, 3, 1)


def date_question(**bounds):
    return SimpleNamespace(type="date", required=True, not_in_future=False, not_in_past=False,
                           min_date=bounds.get("min_date"), max_date=bounds.get("max_date"))


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12-31", "2036-03-02"])
def test_implausible_dates_are_refused_by_default_with_the_range(text):
    with pytest.raises(AnswerError) as refused:
        parse_answer(date_question(), text, today=TODAY)
    assert refused.value.code == "date_out_of_range"
    assert refused.value.message("fr") == "Entrez une date entre le 01/01/1900 et le 01/03/2036."
    assert refused.value.message("en") == "Enter a date between 01/01/1900 and 01/03/2036."


def test_the_default_range_accepts_its_edges():
    assert parse_answer(date_question(), "1900-01-01", today=TODAY) == "1900-01-01"
    assert parse_answer(date_question(), "01/03/2036", today=TODAY) == "2036-03-01"


@pytest.mark.parametrize("bound, expected", [
    ("today", TODAY), ("-120y", date(1906, 3, 1)), ("+1y", date(2027, 3, 1)),
    ("+10m", date(2027, 1, 1)), ("-30d", date(2026, 1, 30)), ("2000-02-29", date(2000, 2, 29)),
    (date(2000, 1, 1), date(2000, 1, 1)),
])
def test_bounds_are_iso_dates_today_or_relative(bound, expected):
    assert date_bounds.parse_bound(bound).resolve(TODAY) == expected


@pytest.mark.parametrize("bound", ["-120 ans", "yesterday", "+1w", "2026-02-30", "", "+99999y"])
def test_bad_bounds_are_refused(bound):
    with pytest.raises(date_bounds.BoundError):
        date_bounds.parse_bound(bound)


def test_declared_bounds_apply_at_answer_time():
    question = date_question(min_date="-5y", max_date="+10m")
    assert parse_answer(question, "2026-12-31", today=TODAY) == "2026-12-31"
    with pytest.raises(AnswerError) as refused:
        parse_answer(question, "2027-01-02", today=TODAY)
    assert refused.value.message("fr") == "Entrez une date entre le 01/03/2021 et le 01/01/2027."


def test_a_birth_date_inside_a_person_answer_is_in_range_too():
    person = SimpleNamespace(type="person", required=True)
    with pytest.raises(AnswerError) as refused:
        parse_answer(person, {"given_names": "Léa", "family_name": "Roy", "birth_date": "0001-01-01"}, today=TODAY)
    assert refused.value.field == "birth_date" and refused.value.code == "date_out_of_range"


@pytest.mark.parametrize("text", ["Ana\x00", "rue\x1bPrincipale", "\x7f", "a\x85b"])
def test_control_characters_are_refused_with_a_clear_message(text):
    question = SimpleNamespace(type="text", required=True, max_length=200)
    with pytest.raises(AnswerError) as refused:
        parse_answer(question, text, today=TODAY)
    assert refused.value.message("fr") == "Retirez les caractères de contrôle invisibles de cette réponse."
    address = SimpleNamespace(type="address", required=True)
    with pytest.raises(AnswerError):
        parse_answer(address, {"street": text, "city": "Montréal", "province": "QC", "postal_code": "H2X 1Y4"},
                     today=TODAY)


def test_ordinary_text_with_accents_emoji_and_line_breaks_is_kept():
    question = SimpleNamespace(type="text", required=True, max_length=200)
    assert parse_answer(question, "Hélène 🎉 مرحبا\nligne 2\t", today=TODAY) == "Hélène 🎉 مرحبا\nligne 2"


@pytest.mark.parametrize("reference", [date.min, date.max, date(1, 1, 2), date(9999, 12, 30)])
@pytest.mark.parametrize("rule", [
    {"within_days": 30}, {"within_days": -30}, {"within_months": 13}, {"within_months": -13},
    {"business_days": 10}, {"business_days": -10},
    {"on": SimpleNamespace(month=4, day=30, year_offset=1)}, {"on": SimpleNamespace(month=4, day=30, year_offset=-1)},
])
def test_deadline_arithmetic_never_overflows(reference, rule):
    spelled = SimpleNamespace(**{"within_days": None, "business_days": None, "within_months": None, "on": None,
                                 **rule})
    result = apply_rule(spelled, reference)
    assert date.min <= result <= date.max


def test_business_days_and_fixed_dates_stop_at_the_calendar_edges():
    assert add_business_days(date.max, 5) == date.max
    assert fixed_date(date(9999, 6, 1), 4, 30, 1) == date.max


def test_the_calendar_file_handles_the_first_and_last_representable_days():
    text = calendar([CalendarEvent("a", date.min, "Premier"), CalendarEvent("b", date.max, "Dernier")], "Plan")
    assert "DTSTART;VALUE=DATE:00010101" in text and "DTEND;VALUE=DATE:00010102" in text
    assert "DTSTART;VALUE=DATE:99991231" in text
