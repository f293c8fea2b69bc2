"""The loader refuses every broken journey with the exact error (file, line, field, code), and loads good ones."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.journeys import DefinitionErrors, load_catalog
from app.journeys.loader import compile_definition, read_yaml

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
FIXTURE = HERE / "fixtures" / "catalog"

# case folder, file, line, field, code: every error the case must produce, and no other.
EXPECTED = [
    ("anchor-not-a-date", "journeys/cas.yaml", 7, "anchor_date", "not_a_date_question"),
    ("blank-text", "journeys/cas.yaml", 32, "steps[0].description.en", "blank_text"),
    ("condition-bad-date", "journeys/cas.yaml", 33, "steps[0].applies_if", "invalid_date_literal"),
    ("condition-count-non-group", "journeys/cas.yaml", 33, "steps[0].applies_if", "wrong_argument_type"),
    ("condition-in-non-choice", "journeys/cas.yaml", 33, "steps[0].applies_if", "type_mismatch"),
    ("condition-later-question", "journeys/cas.yaml", 23, "questions[2].show_if", "later_question"),
    ("condition-not-boolean", "journeys/cas.yaml", 33, "steps[0].applies_if", "not_a_condition"),
    ("condition-syntax", "journeys/cas.yaml", 26, "questions[3].show_if", "condition_syntax"),
    ("condition-type-mismatch", "journeys/cas.yaml", 33, "steps[0].applies_if", "type_mismatch"),
    ("condition-unknown-option", "journeys/cas.yaml", 33, "steps[0].applies_if", "unknown_option"),
    ("condition-unknown-question", "journeys/cas.yaml", 26, "questions[3].show_if", "unknown_question"),
    ("deadline-bad-condition", "journeys/cas.yaml", 34, "steps[0].deadline[0].if", "condition_syntax"),
    ("deadline-misspelt-rule", "journeys/cas.yaml", 34, "steps[0].deadline.within_dayz", "unknown_field"),
    ("deadline-two-rules", "journeys/cas.yaml", 34, "steps[0].deadline", "deadline_rule_count"),
    ("deadline-unknown-question", "journeys/cas.yaml", 34, "steps[0].deadline.of", "unknown_question"),
    ("duplicate-journey", "journeys/cas.yaml", 1, "id", "duplicate_journey"),
    ("duplicate-key", "journeys/cas.yaml", 19, "questions[1].type", "duplicate_key"),
    ("duplicate-key", "journeys/cas.yaml", 7, "anchor_date", "not_a_date_question"),
    ("duplicate-option", "journeys/cas.yaml", 15, "questions[0].options[1].value", "duplicate_id"),
    ("duplicate-question", "journeys/cas.yaml", 23, "questions[3].id", "duplicate_id"),
    ("duplicate-step", "journeys/cas.yaml", 35, "steps[1].id", "duplicate_id"),
    ("group-without-item-label", "journeys/cas.yaml", 28, "questions[4].type", "missing_item_label"),
    ("group-without-questions", "journeys/cas.yaml", 28, "questions[4].type", "group_without_questions"),
    ("invalid-audience", "journeys/cas.yaml", 3, "audience", "invalid_value"),
    ("invalid-id", "journeys/cas.yaml", 23, "questions[3].id", "invalid_id"),
    ("invalid-prefill", "journeys/cas.yaml", 19, "questions[1].prefill", "invalid_prefill"),
    ("item-questions-outside-group", "journeys/cas.yaml", 24, "questions[2].questions", "unexpected_item_questions"),
    ("min-above-max", "journeys/cas.yaml", 25, "questions[3].min", "min_above_max"),
    ("min-items-above-max-items", "journeys/cas.yaml", 31, "questions[4].min_items", "min_above_max"),
    ("missing-field", "journeys/cas.yaml", 28, "steps[0].title", "missing_field"),
    ("missing-french", "journeys/cas.yaml", 4, "languages", "missing_french"),
    ("missing-translation", "journeys/cas.yaml", 19, "questions[1].label", "missing_translation"),
    ("nested-group", "journeys/cas.yaml", 36, "questions[4].questions[1].type", "nested_group"),
    ("no-questions", "journeys/cas.yaml", 7, "questions", "too_few"),
    ("not-utf8", "journeys/cas.yaml", 1, "", "yaml_syntax"),
    ("one-option", "journeys/cas.yaml", 13, "questions[0].options", "too_few_options"),
    ("organisation-missing-translation", "journeys/organisations.yaml", 8, "organisations[1].name", "missing_translation"),
    ("organisation-missing-translation", "journeys/organisations.yaml", 8, "organisations[1].name.es", "unexpected_language"),
    ("organisations-not-in-french", "journeys/organisations.yaml", 1, "languages", "missing_french"),
    ("organisations-unknown-field", "journeys/organisations.yaml", 2, "extra", "unknown_field"),
    ("organisations-yaml-error", "journeys/organisations.yaml", 1, "", "yaml_syntax"),
    ("partner-without-api", "journeys/cas.yaml", 38, "declaration.partners[0].organisation", "not_a_partner"),
    ("source-bad-kind", "journeys/cas.yaml", 41, "declaration.partners[0].fields.date", "unknown_source"),
    ("source-each-on-non-group", "journeys/cas.yaml", 41, "declaration.partners[0].fields.date", "unknown_source"),
    ("source-unknown-item", "journeys/cas.yaml", 49, "declaration.partners[0].fields.date", "unknown_source"),
    ("source-unknown-lookup", "journeys/cas.yaml", 41, "declaration.partners[0].fields.date", "unknown_source"),
    ("source-unknown-sub-field", "journeys/cas.yaml", 41, "declaration.partners[0].fields.date", "unknown_source"),
    ("reserved-question-id", "journeys/cas.yaml", 23, "questions[3].id", "reserved_id"),
    ("step-deadline-without-reference", "journeys/cas.yaml", 33, "steps[0].deadline", "missing_field"),
    ("unexpected-language", "journeys/cas.yaml", 22, "questions[2].label.es", "unexpected_language"),
    ("unknown-field", "journeys/cas.yaml", 22, "questions[2].colour", "unknown_field"),
    ("unknown-organisation", "journeys/cas.yaml", 29, "steps[0].organisation", "unknown_organisation"),
    ("unknown-partner", "journeys/cas.yaml", 38, "declaration.partners[0].organisation", "unknown_organisation"),
    ("unknown-source", "journeys/cas.yaml", 41, "declaration.partners[0].fields.date", "unknown_source"),
    ("unreachable-chain", "journeys/cas.yaml", 30, "questions[4].show_if", "unreachable_question"),
    ("unreachable-chain", "journeys/cas.yaml", 34, "questions[5].show_if", "unreachable_question"),
    ("unreachable-contradiction", "journeys/cas.yaml", 26, "questions[3].show_if", "unreachable_question"),
    ("unreachable-item-question", "journeys/cas.yaml", 38, "questions[4].questions[1].show_if", "unreachable_question"),
    ("unreachable-step", "journeys/cas.yaml", 33, "steps[0].applies_if", "unreachable_step"),
    ("version-zero", "journeys/cas.yaml", 2, "version", "out_of_range"),
    ("wrong-type", "journeys/cas.yaml", 2, "version", "wrong_type"),
    ("yaml-syntax", "journeys/cas.yaml", 19, "", "yaml_syntax"),
    ("yesno-with-options", "journeys/cas.yaml", 24, "questions[2].options", "unexpected_options"),
    ("partner-send-if-unknown-question", "journeys/cas.yaml", 40, "declaration.partners[0].send_if", "unknown_question"),
    ("partner-send-if-unreachable", "journeys/cas.yaml", 40, "declaration.partners[0].send_if", "unreachable_partner"),
    ("duplicate-partner", "journeys/cas.yaml", 42, "declaration.partners[1].organisation", "duplicate_id"),
    ("step-when-unknown", "journeys/cas.yaml", 30, "steps[0].when", "invalid_value"),
    ("deadline-without-kind", "journeys/cas.yaml", 34, "steps[0].deadline.kind", "missing_field"),
]


def _cases():
    by_case: dict[str, list] = {}
    for case, *error in EXPECTED:
        by_case.setdefault(case, []).append(tuple(error))
    return by_case


def load_case(case: str, tmp_path: Path):
    """Copy a broken case next to the shared organisations file (unless it brings its own) and load it."""
    directory = tmp_path / "journeys"
    directory.mkdir(parents=True)
    shutil.copy(BROKEN / "organisations.yaml", directory)
    for file in (BROKEN / case).glob("*.yaml"):
        shutil.copy(file, directory)
    return load_catalog(directory)


def test_every_broken_case_is_listed():
    folders = {p.name for p in BROKEN.iterdir() if p.is_dir()}
    assert folders == set(_cases())
    assert len(folders) >= 25


@pytest.mark.parametrize("case", sorted(_cases()))
def test_broken_journey_gives_its_exact_errors(case, tmp_path):
    with pytest.raises(DefinitionErrors) as raised:
        load_case(case, tmp_path)
    found = sorted((e.file, e.line, e.field, e.code) for e in raised.value.errors)
    assert found == sorted(_cases()[case])
    for error in raised.value.errors:  # every message exists in both languages and differs
        assert error.message("fr") and error.message("en")
        assert error.message("fr") != error.message("en")


def test_errors_are_listed_one_per_line_with_file_line_and_field(tmp_path):
    with pytest.raises(DefinitionErrors) as raised:
        load_case("unreachable-chain", tmp_path)
    lines = str(raised.value).splitlines()
    assert lines[0].startswith("journeys/cas.yaml:30: questions[4].show_if: Cette question ne peut jamais s’afficher")
    assert len(lines) == 2
    assert raised.value.format("en").splitlines()[1].startswith(
        "journeys/cas.yaml:34: questions[5].show_if: This question can never be shown")


def test_messages_say_how_to_fix_in_french_and_english(tmp_path):
    with pytest.raises(DefinitionErrors) as raised:
        load_case("condition-unknown-option", tmp_path)
    error = raised.value.errors[0]
    assert error.message("fr") == ("« naisance » n’est pas une option de « type_evenement » "
                                   "(ses options sont : adoption, naissance). Corrigez la valeur.")
    assert error.message("en") == ("“naisance” is not an option of “type_evenement” "
                                   "(its options are: adoption, naissance). Fix the value.")
    with pytest.raises(DefinitionErrors) as raised:
        load_case("condition-type-mismatch", tmp_path / "second")
    assert raised.value.errors[0].message("fr-CA") == (
        "« == » ne peut pas s’employer entre une date et un texte. "
        "Comparez des valeurs de même nature, par exemple une date avec une date.")


def test_missing_organisations_file_is_an_error(tmp_path):
    directory = tmp_path / "journeys"
    directory.mkdir()
    shutil.copy(FIXTURE / "exemple.yaml", directory)
    with pytest.raises(DefinitionErrors) as raised:
        load_catalog(directory)
    # organisation checks are skipped: the one missing file explains them all
    assert [(e.file, e.line, e.code) for e in raised.value.errors] == [("journeys", 1, "missing_file")]


def test_an_empty_journey_file_is_an_error(tmp_path):
    directory = tmp_path / "journeys"
    directory.mkdir()
    shutil.copy(BROKEN / "organisations.yaml", directory)
    (directory / "vide.yaml").write_text("")
    with pytest.raises(DefinitionErrors) as raised:
        load_catalog(directory)
    assert [(e.file, e.line, e.code) for e in raised.value.errors] == [("journeys/vide.yaml", 1, "wrong_type")]


def test_a_valid_catalogue_loads_with_indexes():
    catalog = load_catalog(FIXTURE)
    journey = catalog.get("exemple")
    assert catalog.get("inconnu") is None
    assert [j.id for j in catalog.for_audience("citoyens")] == ["exemple"]
    assert catalog.for_audience("entreprises") == []
    assert journey.title["fr"] == "Exemple"  # schema fields reachable on the compiled journey
    assert journey.source_file == "catalog/exemple.yaml"
    assert journey.question("prenom").type == "text"
    assert journey.step("carte").organisation == "ramq"
    assert journey.step("inconnue") is None
    assert journey.dependencies["travail"] == ("revenu",)
    assert journey.dependencies["handicap"] == ("detail_handicap",)
    assert journey.step_dependencies["date_evenement"] == ("declarer", "rqap", "carte", "impots")
    assert set(journey.organisations) == {"dec", "rqap", "ramq"}
    # YAML 1.2 booleans: 'on:' is a key, not True
    assert journey.step("impots").deadline.on.month == 4


def test_an_archived_definition_compiles_from_data():
    catalog = load_catalog(FIXTURE)
    data = catalog.get("exemple").journey.model_dump(by_alias=True, exclude_none=True)
    assert compile_definition(data, catalog).id == "exemple"
    data["steps"][0]["organisation"] = "inconnue"
    with pytest.raises(DefinitionErrors) as raised:
        compile_definition(data, catalog.organisations)
    assert [(e.file, e.field, e.code) for e in raised.value.errors] == [
        ("exemple@v1", "steps[0].organisation", "unknown_organisation")]


def test_a_definition_archived_before_phases_still_compiles():
    catalog = load_catalog(FIXTURE)
    data = catalog.get("exemple").journey.model_dump(mode="json", by_alias=True, exclude_none=True)
    for step in data["steps"]:
        step.pop("when")
        for rule in step.get("deadline") if isinstance(step.get("deadline"), list) else [step.get("deadline")]:
            if rule:
                rule.pop("kind")
    archived = compile_definition(data, catalog)
    assert {s.when for s in archived.steps} == {"ce-mois-ci"}
    assert archived.step("declarer").deadline.kind == "legal"


def test_partner_conditions_are_compiled(tmp_path):
    journey = load_catalog(FIXTURE).get("exemple")
    assert set(journey.partner_conditions) == {p.organisation for p in journey.declaration.partners}


def test_translations_work_without_compiled_catalogue(tmp_path, monkeypatch):
    from app.journeys import i18n

    po = i18n.CATALOGUE_DIR / "fr" / "LC_MESSAGES" / "messages.po"
    target = tmp_path / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(po, target)
    monkeypatch.setattr(i18n, "CATALOGUE_DIR", tmp_path)
    i18n._translations.cache_clear()
    try:
        assert i18n.translate("fr", "Choose yes or no.") == "Choisissez oui ou non."
        assert i18n.translate("de", "Choose yes or no.") == "Choose yes or no."  # no catalogue: English
    finally:
        i18n._translations.cache_clear()


def test_read_yaml_keeps_yes_and_no_as_text():
    _, data = read_yaml("a: no\nb: oui\nc: true\non: 1\n")
    assert data == {"a": "no", "b": "oui", "c": True, "on": 1}


def test_the_real_catalogue_loads():
    directory = HERE.parents[1] / "journeys"
    if not (directory / "organisations.yaml").exists():
        pytest.skip("no journeys yet")
    catalog = load_catalog(directory)
    assert catalog.journeys
