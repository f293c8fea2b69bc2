"""Units of the forms package: parsing what a citizen typed, the effective state of each field
(conditions, read-only, sources in order), and the PDF read back with pypdf."""
from __future__ import annotations

import io
from datetime import date

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from app.forms.filling import Context, fill
from app.forms.pdf import build_pdf
from app.forms.values import FieldError, as_prefill, display, parse_field
from app.journeys.forms_loader import load_form
from app.journeys.forms_schema import FormField
from tests.forms.test_definitions import VALID

TODAY = date(2026, 3, 1)


def field(**kwargs) -> FormField:
    return FormField.model_validate({"id": "x", "label": {"fr": "X", "en": "X"}, **kwargs})


@pytest.fixture
def fr(app):
    with app.test_request_context(), force_locale("fr"):
        yield


@pytest.mark.parametrize("kind, raw, expected", [
    ("sin", "130 692 544", "130692544"),
    ("health_number", "trem 9004 1212", "TREM90041212"),
    ("phone", "1 (514) 555-0123", "514 555-0123"),
    ("postal_code", "h2x1y4", "H2X 1Y4"),
    ("province", "qc", "QC"),
    ("email", "ana@example.ca", "ana@example.ca"),
    ("date", "14/03/2025", "2025-03-14"),
    ("number", "4 200,50", 4200.5),
    ("yesno", "oui", True),
    ("text", "  Léa  ", "Léa"),
])
def test_parse_accepts(fr, kind, raw, expected):
    assert parse_field(field(type=kind), raw, today=TODAY, lang="fr", enforce_required=True) == expected


@pytest.mark.parametrize("kind, raw, message", [
    ("sin", "130 692 545", "numéro d'assurance sociale valide"),
    ("health_number", "TREM 1234", "4 lettres et 8 chiffres"),
    ("phone", "555-0123", "10 chiffres"),
    ("postal_code", "12345", "code postal canadien"),
    ("province", "XX", "province"),
    ("email", "ana@", "adresse courriel"),
    ("date", "31/02/2026", "date"),
    ("number", "beaucoup", "nombre"),
])
def test_parse_refuses_with_a_french_message(fr, kind, raw, message):
    with pytest.raises(FieldError) as error:
        parse_field(field(type=kind), raw, today=TODAY, lang="fr", enforce_required=True)
    assert message in error.value.message


def test_required_only_when_enforced(fr):
    required = field(type="text", required=True)
    assert parse_field(required, "", today=TODAY, lang="fr", enforce_required=False) is None
    with pytest.raises(FieldError, match="Remplissez le champ « "):
        parse_field(required, "", today=TODAY, lang="fr", enforce_required=True)


def test_pattern_and_min_length(fr):
    rules = {"pattern": "[A-Z]{3}", "pattern_message": {"fr": "Trois majuscules.", "en": "Three capitals."},
             "min_length": 3}
    f = field(type="text", validation=rules)
    with pytest.raises(FieldError, match="Trois majuscules"):
        parse_field(f, "abc", today=TODAY, lang="fr", enforce_required=True)
    with pytest.raises(FieldError, match="au moins 3"):
        parse_field(f, "AB", today=TODAY, lang="fr", enforce_required=True)


def test_address_errors_name_the_part(fr):
    with pytest.raises(FieldError) as error:
        parse_field(field(type="address"), {"street": "1 rue A", "city": "Québec", "province": "QC",
                                            "postal_code": "nope"}, today=TODAY, lang="fr", enforce_required=True)
    assert error.value.part == "postal_code"


def test_prefill_shapes():
    assert as_prefill(field(type="text"), ["", "Noé"]) == "Noé"  # a group: the first item with a value
    assert as_prefill(field(type="yesno"), "oui") is None        # only real booleans
    assert as_prefill(field(type="choice", options=[{"value": "a", "label": {"fr": "A", "en": "A"}},
                                                    {"value": "b", "label": {"fr": "B", "en": "B"}}]), "c") is None
    assert as_prefill(field(type="number"), "2,5") == 2.5
    assert as_prefill(field(type="date"), date(2026, 1, 2)) == "2026-01-02"
    assert as_prefill(field(type="address"), "not an address") is None
    assert as_prefill(field(type="text"), {"a": 1}) is None


def test_display(fr):
    assert display(field(type="sin"), "130692544", "fr") == "130 692 544"
    assert display(field(type="date"), "2027-05-31", "fr", long_dates=True) == "31 mai 2027"
    assert display(field(type="yesno"), False, "fr") == "Non"
    assert display(field(type="number"), 3.0, "fr") == "3"


@pytest.fixture
def example(app):
    with app.app_context():
        from app.catalog import get_catalog

        form, errors = load_form(VALID, "forms/essai.yaml", get_catalog().organisations)
    assert not errors
    return form


def test_effective_state(fr, example):
    context = Context(profile={"given_names": "Ana"}, lookups={"ramq": {"health_number": "TREM90041212"}},
                      today=TODAY)
    states = {s.id: s for s in fill(example, context).states}
    assert states["prenoms"].value == "Ana" and states["prenoms"].origin == "profile.given_names"
    assert states["numero"].readonly and states["numero"].origin == "lookup.ramq.health_number"
    assert not states["conjoint"].visible
    assert states["date_jour"].readonly and states["date_jour"].value == "2026-03-01"
    # posted values: the registry value and the computed date are recomputed, the condition opens a field
    posted = {"prenoms": "Anne", "numero": "FAUX12345678", "a_conjoint": "oui", "conjoint": "Sam",
              "date_jour": "1999-01-01"}
    filling = fill(example, context, posted=posted, enforce_required=True)
    assert filling.values() == {"prenoms": "Anne", "numero": "TREM90041212", "a_conjoint": True,
                                "conjoint": "Sam", "date_jour": "2026-03-01"}
    assert filling.origins()["prenoms"] == "citizen"
    # the registry silent: the field becomes the citizen's to type
    states = {s.id: s for s in fill(example, Context(today=TODAY), posted=posted).states}
    assert not states["numero"].readonly and states["numero"].value == "FAUX12345678"


def test_hidden_field_values_are_dropped(fr, example):
    filling = fill(example, Context(today=TODAY), posted={"a_conjoint": "non", "conjoint": "Sam"})
    assert "conjoint" not in filling.values()


def test_pdf_in_english_with_fields(app, example):
    with app.test_request_context(), force_locale("en"):
        values = {"prenoms": "Ana", "numero": "TREM90041212", "a_conjoint": True, "conjoint": "Sam",
                  "date_jour": "2026-03-01"}
        content = build_pdf(example.definition, values, lang="en", organisation_name="RAMQ", filled_on=TODAY)
    reader = PdfReader(io.BytesIO(content))
    fields = {name: f.get("/V") for name, f in reader.get_fields().items()}
    assert fields["prenoms"] == "Ana"
    assert fields["numero"] == "TREM 9004 1212"
    assert fields["a_conjoint"] == "/yes"
    text = reader.pages[0].extract_text()
    assert "Prefilled by Parcours — check before sending" in text
    assert "Filled on March 1, 2026" in text
    assert "RAMQ" in text and "Test" in text
    assert reader.metadata.title == "Test"


def test_pdf_of_a_long_form_flows_onto_more_pages(app, example):
    with app.app_context():
        from app.catalog import get_catalog

        long_text = VALID.replace("sections:\n", "sections:\n" + "".join(
            f"  - id: s{n}\n    title: {{fr: S{n}, en: S{n}}}\n    fields:\n"
            f"      - id: f{n}\n        type: textarea\n        label: {{fr: F{n}, en: F{n}}}\n"
            f"        pdf: {{lines: 6}}\n" for n in range(12)), 1)
        form, errors = load_form(long_text, "forms/long.yaml", get_catalog().organisations)
    assert not errors
    with app.test_request_context(), force_locale("fr"):
        content = build_pdf(form.definition, {f"f{n}": "texte" for n in range(12)}, lang="fr",
                            organisation_name="RAMQ", filled_on=TODAY)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 2
    assert all("Prérempli par Parcours" in page.extract_text() for page in reader.pages)
    assert "Page 2" in reader.pages[1].extract_text()
