"""Form definitions (app/journeys/forms_loader.py): the real forms load, and each broken form gives
exactly the error it must (file, line, field, code), with a message in French and English."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.journeys.forms_loader import check_form_references, load_form, load_forms
from app.journeys.loader import load_catalog

JOURNEYS = Path(__file__).resolve().parents[2] / "journeys"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(JOURNEYS)


VALID = """\
id: essai
version: 1
languages: [fr, en]
organisation: ramq
title: {fr: Essai, en: Test}
summary: {fr: Un essai., en: A test.}
lookups:
  - organisation: ramq
    purpose: {fr: Pour essayer., en: To try.}
    source_label: {fr: d'après la RAMQ, en: according to the RAMQ}
    fields:
      health_number: {fr: Numéro, en: Number}
sections:
  - id: vous
    title: {fr: Vous, en: You}
    fields:
      - id: prenoms
        type: text
        source: profile.given_names
        label: {fr: Prénoms, en: Given names}
      - id: numero
        type: health_number
        source: lookup.ramq.health_number
        label: {fr: Numéro, en: Number}
      - id: a_conjoint
        type: yesno
        label: {fr: A un conjoint, en: Has a spouse}
      - id: conjoint
        type: text
        show_if: a_conjoint
        label: {fr: Conjoint, en: Spouse}
      - id: date_jour
        type: date
        readonly: true
        computed: {op: today}
        label: {fr: Date, en: Date}
"""

BROKEN = {
    "unknown_profile_field": (("source: profile.given_names", "source: profile.shoe_size"), 19,
                              "sections[0].fields[0].source", "unknown_source"),
    "lookup_not_declared": (("source: lookup.ramq.health_number", "source: lookup.saaq.licence"), 23,
                            "sections[0].fields[1].source", "lookup_not_declared"),
    "lookup_field_not_declared": (("source: lookup.ramq.health_number", "source: lookup.ramq.expiry"), 23,
                                  "sections[0].fields[1].source", "lookup_field_not_declared"),
    "later_field": (("show_if: a_conjoint", "show_if: \"date_jour == today\""), 30,
                    "sections[0].fields[3].show_if", "later_field"),
    "unknown_field_in_condition": (("show_if: a_conjoint", "show_if: inconnu"), 30,
                                   "sections[0].fields[3].show_if", "unknown_question"),
    "type_mismatch": (("show_if: a_conjoint", "show_if: \"prenoms > 3\""), 30,
                      "sections[0].fields[3].show_if", "type_mismatch"),
    "missing_translation": (("label: {fr: Prénoms, en: Given names}", "label: {fr: Prénoms}"), 20,
                            "sections[0].fields[0].label", "missing_translation"),
    "blank_text": (("title: {fr: Essai, en: Test}", "title: {fr: ' ', en: Test}"), 5, "title.fr", "blank_text"),
    "missing_french": (("languages: [fr, en]", "languages: [en]"), 3, "languages", "missing_french"),
    "unknown_organisation": (("organisation: ramq\ntitle", "organisation: inconnue\ntitle"), 4,
                             "organisation", "unknown_organisation"),
    "not_a_partner": (("  - organisation: ramq", "  - organisation: sqca"), 8,
                      "lookups[0].organisation", "not_a_partner"),
    "too_few_options": (("type: yesno", "type: choice\n        options: [{value: oui, label: {fr: Oui, en: Sure}}]"),
                        27, "sections[0].fields[2].options", "too_few_options"),
    "readonly_without_value": (("computed: {op: today}", "hint: {fr: Aujourd'hui, en: Today}"), 34,
                               "sections[0].fields[4].readonly", "readonly_without_value"),
    "source_and_computed": (("computed: {op: today}", "computed: {op: today}\n        source: profile.birth_date"),
                            35, "sections[0].fields[4].computed", "source_and_computed"),
    "join_needs_sources": (("computed: {op: today}", "computed: {op: join}"), 35,
                           "sections[0].fields[4].computed", "join_needs_sources"),
    "duplicate_id": (("id: conjoint\n", "id: prenoms\n"), 28, "sections[0].fields[3].id", "duplicate_form_id"),
    "unknown_key": (("        type: text\n        source: profile.given_names",
                     "        type: text\n        colour: blue\n        source: profile.given_names"), 19,
                    "sections[0].fields[0].colour", "unknown_field"),
    "bad_type": (("type: health_number", "type: shoe_size"), 22, "sections[0].fields[1].type", "invalid_value"),
    "bad_id": (("id: prenoms", "id: Prénoms"), 17, "sections[0].fields[0].id", "invalid_id"),
    "missing_label": (("        label: {fr: Numéro, en: Number}\n      - id: a_conjoint",
                       "      - id: a_conjoint"), 21, "sections[0].fields[1]", "missing_field"),
    "invalid_pattern": (("        source: profile.given_names\n",
                         "        source: profile.given_names\n        validation: {pattern: '[a-', "
                         "pattern_message: {fr: Lettres, en: Letters}}\n"), 20,
                        "sections[0].fields[0].validation.pattern", "invalid_pattern"),
    "pattern_without_message": (("        source: profile.given_names\n",
                                 "        source: profile.given_names\n        validation: {pattern: '[a-z]+'}\n"), 20,
                                "sections[0].fields[0].validation.pattern", "pattern_without_message"),
    "version_out_of_range": (("version: 1", "version: 0"), 2, "version", "out_of_range"),
    "wrong_type": (("        type: text\n        source: profile.given_names",
                    "        type: text\n        required: peut-etre\n        source: profile.given_names"), 19,
                   "sections[0].fields[0].required", "wrong_type"),
    "empty_fields": (("    fields:\n      - id: prenoms", "    fields: []\n    old:\n      - id: prenoms"), 16,
                     "sections[0].fields", "too_few"),
    "yaml_syntax": (("title: {fr: Essai, en: Test}", "title: {fr: Essai, en: Test"), 6, "", "yaml_syntax"),
}


def organisations(catalog):
    return catalog.organisations


def test_the_valid_example_loads(catalog):
    form, errors = load_form(VALID, "forms/essai.yaml", catalog.organisations)
    assert errors == []
    assert [f.id for f in form.fields()] == ["prenoms", "numero", "a_conjoint", "conjoint", "date_jour"]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_form(catalog, case):
    (old, new), line, field, code = BROKEN[case]
    assert old in VALID, case
    _, errors = load_form(VALID.replace(old, new, 1), "forms/essai.yaml", catalog.organisations)
    found = [(e.file, e.line, e.field, e.code) for e in errors]
    assert ("forms/essai.yaml", line, field, code) in found, found
    for error in errors:
        assert error.message("fr") and error.message("en")


def test_messages_in_both_languages(catalog):
    text = VALID.replace("source: lookup.ramq.health_number", "source: lookup.saaq.licence")
    _, errors = load_form(text, "forms/essai.yaml", catalog.organisations)
    error = next(e for e in errors if e.code == "lookup_not_declared")
    assert "ne déclare aucune consultation" in error.message("fr")
    assert "declares no look-up" in error.message("en")
    assert error.format("fr").startswith("forms/essai.yaml:23: sections[0].fields[1].source: ")


def test_the_five_real_forms_load(catalog):
    forms, errors = load_forms(JOURNEYS / "forms", catalog.organisations)
    assert errors == []
    assert set(forms) >= {"declaration-naissance", "allocation-famille", "changement-adresse",
                          "prestation-deces-rrq", "immatriculation-entreprise"}


def _journey_with_form(catalog, journey_id, step_id, form_id):
    journey = catalog.get(journey_id).journey
    steps = [s.model_copy(update={"form": form_id}) if s.id == step_id else s for s in journey.steps]
    return journey.model_copy(update={"steps": steps})


def test_step_naming_an_unknown_form(catalog, tmp_path):
    forms, _ = load_forms(JOURNEYS / "forms", catalog.organisations)
    journey = _journey_with_form(catalog, "demenager", "changement-adresse-quebec", "formulaire-inconnu")
    errors = check_form_references([journey], forms)
    assert [(e.field, e.code) for e in errors] == [(f"steps[{_step_index(journey, 'changement-adresse-quebec')}].form",
                                                   "unknown_form")]
    assert "formulaire-inconnu" in errors[0].message("fr")


def _step_index(journey, step_id):
    return next(i for i, s in enumerate(journey.steps) if s.id == step_id)


def test_form_field_whose_answer_source_does_not_exist_in_the_journey(catalog):
    """The birth declaration reads answers.enfants[].prenoms: a journey without that question is refused."""
    forms, _ = load_forms(JOURNEYS / "forms", catalog.organisations)
    journey = _journey_with_form(catalog, "demenager", "changement-adresse-quebec", "declaration-naissance")
    errors = check_form_references([journey], forms)
    codes = {(e.file, e.field, e.code) for e in errors}
    assert ("journeys/forms/declaration-naissance.yaml", "sections[0].fields[0].source",
            "form_source_not_in_journey") in codes
    message = next(e for e in errors if e.field == "sections[0].fields[0].source").message("fr")
    assert "demenager" in message and "answers.enfants[].prenoms" in message
    assert "aucune question n’a cet identifiant" in message  # the reason translated too


def test_forms_used_by_the_right_journeys_have_no_reference_error(catalog):
    forms, _ = load_forms(JOURNEYS / "forms", catalog.organisations)
    journeys = [
        _journey_with_form(catalog, "devenir-parent", "declarer-naissance", "declaration-naissance"),
        _journey_with_form(catalog, "demenager", "changement-adresse-quebec", "changement-adresse"),
        _journey_with_form(catalog, "deces-proche", "prestation-deces-rrq", "prestation-deces-rrq"),
        _journey_with_form(catalog, "demarrer-entreprise", "immatriculer-entreprise", "immatriculation-entreprise"),
    ]
    journeys[0] = journeys[0].model_copy(update={"steps": [
        s.model_copy(update={"form": "allocation-famille"}) if s.id == "demander-allocation-famille" else s
        for s in journeys[0].steps]})
    assert check_form_references(journeys, forms) == []


def test_load_and_check_forms_with_the_real_catalogue(catalog):
    from app.journeys.forms_loader import load_and_check_forms

    forms, errors = load_and_check_forms(JOURNEYS, catalog.organisations, catalog.journeys.values())
    assert errors == []
    assert len(forms) >= 5


def test_load_and_check_forms_reports_a_missing_source(catalog, tmp_path):
    """What `flask journeys check` shows for a form field whose source does not exist."""
    from app.journeys.forms_loader import load_and_check_forms

    (tmp_path / "forms").mkdir()
    broken = (JOURNEYS / "forms" / "changement-adresse.yaml").read_text(encoding="utf-8").replace(
        "source: answers.nouvelle_adresse", "source: answers.adresse_inexistante")
    (tmp_path / "forms" / "changement-adresse.yaml").write_text(broken, encoding="utf-8")
    journey = _journey_with_form(catalog, "demenager", "changement-adresse-quebec", "changement-adresse")
    _, errors = load_and_check_forms(tmp_path, catalog.organisations, [journey], base=tmp_path.parent)
    assert [e.code for e in errors] == ["form_source_not_in_journey"]
    assert "answers.adresse_inexistante" in errors[0].format("fr")
    assert errors[0].line == broken.splitlines().index("        source: answers.adresse_inexistante") + 1


def test_journeys_check_reports_every_form_problem_at_once(tmp_path):
    """`flask journeys check` on a copy of journeys/ whose address form has two broken sources."""
    import shutil

    from app.catalog.cli import journeys as journeys_cli
    from click.testing import CliRunner

    copy = tmp_path / "journeys"
    shutil.copytree(JOURNEYS, copy)
    form = copy / "forms" / "changement-adresse.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("source: answers.nouvelle_adresse",
                                                             "source: answers.adresse_inexistante")
                    .replace("source: profile.phone", "source: profile.fax"), encoding="utf-8")
    result = CliRunner().invoke(journeys_cli, ["check", "--dir", str(copy)])
    assert result.exit_code == 1
    assert "changement-adresse.yaml" in result.output
    assert "« profile.fax »" in result.output
    assert "« answers.adresse_inexistante » ne désigne rien dans le parcours « demenager »" in result.output
