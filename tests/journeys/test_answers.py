"""Posted answers become canonical values, and bad input gets a clear code and message."""
from __future__ import annotations

from datetime import date

import pytest

from app.journeys.answers import AnswerError, parse_answer
from app.journeys.schema import Question

TODAY = date(2026, 3, 1)
LABEL = {"fr": "Question", "en": "Question"}
OPTIONS = [{"value": "naissance", "label": LABEL}, {"value": "adoption", "label": LABEL},
           {"value": "garde", "label": LABEL}]


def question(type_, **fields):
    return Question.model_validate({"id": "q", "type": type_, "label": LABEL, **fields})


def error_of(q, raw, **kwargs):
    with pytest.raises(AnswerError) as raised:
        parse_answer(q, raw, today=TODAY, **kwargs)
    return raised.value


@pytest.mark.parametrize("raw, expected", [
    ("oui", True), ("Non", False), ("yes", True), ("no", False), ("true", True), ("false", False),
    (["oui"], True),
])
def test_yes_no(raw, expected):
    assert parse_answer(question("yesno"), raw) is expected


def test_yes_no_refuses_other_words():
    assert error_of(question("yesno"), "peut-être").code == "invalid_yesno"
    assert error_of(question("yesno"), 3).code == "invalid_answer"


def test_choice_must_be_listed():
    q = question("choice", options=OPTIONS)
    assert parse_answer(q, " adoption ") == "adoption"
    assert error_of(q, "<script>").code == "not_an_option"


def test_multichoice_is_a_sorted_list_of_listed_values():
    q = question("multichoice", options=OPTIONS, required=False)
    assert parse_answer(q, ["garde", "adoption", "garde"]) == ["adoption", "garde"]
    assert parse_answer(q, "garde") == ["garde"]
    assert parse_answer(q, []) is None
    assert error_of(q, ["garde", "inconnu"]).code == "not_an_option"
    assert error_of(q, [3]).code == "invalid_answer"
    assert error_of(question("multichoice", options=OPTIONS), []).code == "required"


@pytest.mark.parametrize("raw", ["2026-03-14", "14/03/2026", "14-03-2026", " 14/3/2026 "])
def test_dates_in_the_usual_forms(raw):
    assert parse_answer(question("date"), raw) == "2026-03-14"


@pytest.mark.parametrize("raw", ["2026-02-30", "31/04/2026", "hier", "14.03.2026", "2026-13-01"])
def test_impossible_dates_are_refused(raw):
    error = error_of(question("date"), raw)
    assert error.code == "invalid_date"
    assert error.message("fr") == "Entrez une date réelle, par exemple 14/03/2026."
    assert error.message("en") == "Enter a real date, for example 14/03/2026."


def test_dates_in_the_future_or_past():
    assert error_of(question("date", not_in_future=True), "02/03/2026").code == "date_in_future"
    assert parse_answer(question("date", not_in_future=True), "01/03/2026", today=TODAY) == "2026-03-01"
    assert error_of(question("date", not_in_past=True), "28/02/2026").code == "date_in_past"


@pytest.mark.parametrize("raw, expected", [
    ("2,5", 2.5), ("1 000", 1000), ("1\u00a0000,75", 1000.75), ("3", 3), ("3.0", 3), ("-4", -4), (",5", 0.5),
])
def test_numbers_with_french_habits(raw, expected):
    value = parse_answer(question("number"), raw)
    assert value == expected and type(value) is type(expected)


def test_number_limits():
    q = question("number", min=1, max=10.5, integer=True)
    assert error_of(q, "deux").code == "not_a_number"
    assert error_of(q, "1,2,3").code == "not_a_number"
    assert error_of(q, "2,5").code == "not_an_integer"
    small = error_of(q, "0")
    assert small.code == "too_small" and small.message("fr") == "Entrez un nombre égal ou supérieur à 1."
    large = error_of(q, "11")
    assert large.code == "too_large" and large.message("en") == "Enter a number equal to or less than 10.5."


def test_text_is_stripped_and_limited():
    q = question("text", max_length=10)
    assert parse_answer(q, "  Léa  ") == "Léa"
    error = error_of(q, "x" * 11)
    assert error.code == "too_long" and error.params == {"max": 10, "length": 11}
    assert error_of(question("text", max_length=2000), "x" * 100_000, max_length_cap=500).params["max"] == 500


def test_empty_answers():
    assert error_of(question("text"), "   ").code == "required"
    assert error_of(question("date"), None).code == "required"
    assert parse_answer(question("text", required=False), "") is None
    assert parse_answer(question("number", required=False), []) is None


def test_address():
    q = question("address")
    value = parse_answer(q, {"street": " 12 rue Principale ", "city": "Québec", "province": "qc",
                             "postal_code": "g1r4s9"})
    assert value == {"street": "12 rue Principale", "city": "Québec", "province": "QC", "postal_code": "G1R 4S9"}
    base = {"street": "1 rue A", "city": "Laval", "province": "QC", "postal_code": "H7N 1A1"}
    postal = error_of(q, {**base, "postal_code": "12345"})
    assert (postal.code, postal.field) == ("invalid_postal_code", "postal_code")
    assert error_of(q, {**base, "postal_code": "D1A 1A1"}).code == "invalid_postal_code"
    assert (error_of(q, {**base, "province": "XX"}).field) == "province"
    missing = error_of(q, {**base, "city": ""})
    assert (missing.code, missing.field) == ("required_field", "city")
    assert error_of(q, {**base, "street": "x" * 201}).code == "too_long"
    assert error_of(q, {}).code == "required"
    assert error_of(q, "12 rue A").code == "invalid_answer"
    assert parse_answer(question("address", required=False), None) is None


def test_person():
    q = question("person")
    assert parse_answer(q, {"given_names": "Léa", "family_name": "Tremblay", "birth_date": "14/03/1950"}) == {
        "given_names": "Léa", "family_name": "Tremblay", "birth_date": "1950-03-14"}
    assert parse_answer(q, {"given_names": "Léa", "family_name": "Tremblay"})["birth_date"] is None
    bad = error_of(q, {"given_names": "Léa", "family_name": "Tremblay", "birth_date": "31/02/1950"})
    assert (bad.code, bad.field) == ("invalid_date", "birth_date")


def test_groups_are_not_posted_as_one_answer():
    assert error_of(question("group"), "x").code == "invalid_answer"
