"""The condition language: what each expression means, and the mistakes it refuses at load time."""
from __future__ import annotations

from datetime import date

import pytest

from app.journeys.conditions import BOOL, DATE, NUMBER, STRING, UNKNOWN, ConditionError, Type, compile_condition

TODAY = date(2026, 3, 1)
SCOPE = {
    "adoption": BOOL,
    "android": BOOL,  # a name starting with a keyword
    "type_evenement": Type("string", frozenset({"naissance", "adoption"})),
    "pays": STRING,
    "besoins": Type("set", frozenset({"garde", "passeport"})),
    "revenu": NUMBER,
    "date_naissance": DATE,
    "enfants": Type("group"),
    "adresse": Type("opaque"),
}
GROUPS = {"enfants": {"age_enfant": NUMBER, "handicap": BOOL, "naissance_enfant": DATE}}
ANSWERS = {
    "adoption": False, "android": True, "type_evenement": "naissance", "pays": "Canada",
    "besoins": ["garde"], "revenu": 45000, "date_naissance": "2026-02-20",
    "enfants": [{"age_enfant": 2, "handicap": False, "naissance_enfant": "2024-01-15"},
                {"age_enfant": 0, "handicap": True}],
    "adresse": {"city": "Québec"},
}


def holds(source, answers=ANSWERS, today=TODAY):
    return compile_condition(source, SCOPE, GROUPS).evaluate(answers, today)


@pytest.mark.parametrize("source, expected", [
    ("not adoption", True),
    ("android and not adoption", True),
    ("adoption or type_evenement == 'naissance'", True),
    ("type_evenement != 'adoption'", True),
    ("type_evenement in ['naissance', 'adoption']", True),
    ("type_evenement not in ['adoption']", True),
    ("'garde' in besoins", True),
    ("'passeport' not in besoins", True),
    ("revenu >= 45000 and revenu < 45000.5 and revenu > -1 and revenu <= 45000", True),
    ("revenu + 1000 - 500 == 45500", True),
    ("-revenu < 0", True),
    ("revenu in [1, 45000]", True),
    ('pays == "Canada"', True),
    ("date_naissance + 30 == date('2026-03-22')", True),
    ("date_naissance - 1 == date('2026-02-19')", True),
    ("date('2026-03-01') - date_naissance == 9", True),
    ("date_naissance < today", True),
    ("days_since(date_naissance) == 9", True),
    ("age(date('2000-03-02')) == 25 and age(date('2000-03-01')) == 26", True),
    ("month(date_naissance) == 2 and year(date_naissance) == 2026", True),
    ("count(enfants) == 2", True),
    ("count(enfants, handicap) == 1", True),
    ("any(enfants, age_enfant < 1 and handicap)", True),
    ("all(enfants, age_enfant < 5)", True),
    ("any(enfants, age(naissance_enfant) == 2)", True),
    ("any(enfants, answered(naissance_enfant) and revenu > 0)", True),
    ("answered(adresse) and answered(enfants)", True),
    ("(adoption or android) and (true and not false)", True),
])
def test_expressions_mean_what_they_say(source, expected):
    assert holds(source) is expected


@pytest.mark.parametrize("source, expected", [
    ("adoption", False),                       # bare unanswered yesno is false
    ("not adoption", True),
    ("type_evenement == 'naissance'", False),  # comparisons with no value are false
    ("type_evenement != 'naissance'", False),  # ... including !=
    ("'garde' in besoins", False),
    ("'garde' not in besoins", False),
    ("revenu + 1 > 0", False),                 # arithmetic with no value has no value
    ("age(date_naissance) >= 0", False),
    ("days_since(date_naissance) >= 0", False),
    ("month(date_naissance) > 0", False),
    ("count(enfants) == 0", False),
    ("count(enfants, handicap) == 0", False),
    ("any(enfants, handicap)", False),
    ("all(enfants, handicap)", False),
    ("answered(revenu)", False),
    ("not answered(revenu)", True),
])
def test_unanswered_values(source, expected):
    assert holds(source, answers={"revenu": None}) is expected


def test_all_over_an_answered_empty_group_is_true():
    assert holds("all(enfants, handicap)", {"enfants": []}) is True
    assert holds("count(enfants) == 0", {"enfants": []}) is True


def test_names_are_the_top_level_questions_read():
    condition = compile_condition("any(enfants, handicap) or revenu > 3 and not adoption", SCOPE, GROUPS)
    assert condition.names == {"enfants", "revenu", "adoption"}
    item = compile_condition("handicap and adoption", SCOPE, GROUPS, item_scope=GROUPS["enfants"])
    assert item.names == {"adoption"} and item.item_names == {"handicap"}
    assert item.evaluate({"adoption": True}, TODAY, {"handicap": True})


@pytest.mark.parametrize("source, code, column", [
    ("adoption and", "condition_syntax", 13),
    ("revenu = 3", "condition_syntax", 8),
    ("revenu > 3 > 2", "condition_syntax", 12),
    ("pays == 'x", "condition_syntax", 9),
    ("revenu >", "condition_syntax", 9),
    ("inconnu", "unknown_question", 1),
    ("any(enfants, inconnu)", "unknown_question", 14),
    ("handicap", "unknown_question", 1),   # item questions are only in scope inside count/any/all
    ("type_evenement == 'naisance'", "unknown_option", 1),
    ("'voyage' in besoins", "unknown_option", 1),
    ("type_evenement in ['naissance', 'voyage']", "unknown_option", 1),
    ("date_naissance == 'naissance'", "type_mismatch", 1),
    ("date_naissance > 3", "type_mismatch", 1),
    ("pays < 'b'", "type_mismatch", 1),
    ("'x' in pays", "type_mismatch", 1),
    ("besoins == 'garde'", "type_mismatch", 1),
    ("revenu in ['a']", "type_mismatch", 1),
    ("pays + 1 == 'a'", "type_mismatch", 1),
    ("1 - date_naissance == 2", "type_mismatch", 1),
    ("-pays == 'a'", "type_mismatch", 1),
    ("adresse == 'x'", "not_comparable", 1),
    ("enfants", "not_comparable", 1),
    ("adresse", "not_comparable", 1),
    ("revenu", "not_a_condition", 1),
    ("revenu + 1", "not_a_condition", 1),
    ("count(revenu) > 1", "wrong_argument_type", 1),
    ("age(revenu) > 1", "wrong_argument_type", 1),
    ("age(adresse) > 1", "not_comparable", 5),
    ("count() > 1", "wrong_arguments", 1),
    ("any(enfants)", "wrong_arguments", 1),
    ("count(enfants, handicap, handicap) > 1", "wrong_arguments", 1),
    ("answered('x')", "wrong_arguments", 1),
    ("age(date_naissance, date_naissance) > 1", "wrong_arguments", 1),
    ("date(2026) > date_naissance", "wrong_arguments", 1),
    ("[pays] == 'a'", "wrong_arguments", 1),
    ("['a', 1] == 'a'", "wrong_arguments", 1),
    ("date('2026-02-30') > date_naissance", "invalid_date_literal", 1),
    ("sqrt(revenu) > 1", "unknown_function", 1),
    ("any(enfants, count(enfants) > 1)", "nested_group_function", 14),
])
def test_mistakes_are_refused_with_a_code_and_column(source, code, column):
    with pytest.raises(ConditionError) as raised:
        compile_condition(source, SCOPE, GROUPS)
    assert (raised.value.code, raised.value.column) == (code, column)
    assert raised.value.message("fr") != raised.value.message("en")


def test_static_analysis_finds_contradictions():
    domains = {"adoption": [True, False], "type_evenement": ["naissance", "adoption", None]}
    never = compile_condition("adoption and not adoption", SCOPE, GROUPS)
    assert not never.could_be_true(domains)
    both = compile_condition("type_evenement == 'naissance' and type_evenement == 'adoption'", SCOPE, GROUPS)
    assert not both.could_be_true(domains)
    unknowable = compile_condition("revenu > 3 and date_naissance < today", SCOPE, GROUPS)
    assert unknowable.could_be_true(domains)
    assert compile_condition("not answered(type_evenement)", SCOPE, GROUPS).could_be_true(domains)
    assert not compile_condition("not answered(type_evenement)", SCOPE, GROUPS).could_be_true(
        {"type_evenement": ["naissance"]})
    assert compile_condition("revenu > 3 or adoption", SCOPE, GROUPS).could_be_true({"adoption": [False]})
    assert not compile_condition("revenu > 3 and adoption", SCOPE, GROUPS).could_be_true({"adoption": [False]})
    assert compile_condition("(revenu > 3 and false) == false", SCOPE, GROUPS).could_be_true({})
    assert compile_condition("any(enfants, handicap)", SCOPE, GROUPS).could_be_true({"enfants": [UNKNOWN]})
    assert compile_condition("adoption", SCOPE, GROUPS).could_be_true({"adoption": [True] * 6}, limit=3)


def test_dates_given_as_date_objects_or_strings():
    assert holds("date_naissance == date('2026-02-20')", {"date_naissance": date(2026, 2, 20)})
    assert not holds("date_naissance == date('2026-02-20')", {"date_naissance": "pas une date"})
