"""What each registry accepts: one JSON Schema per (organisation, declaration kind).

The partner field names are a fixed vocabulary shared with the journeys' `declaration` blocks. Every
registry rejects fields outside its kind's vocabulary (least data is checked on both sides), checks
types and formats, and requires the few fields without which the declaration means nothing.
"""
from __future__ import annotations

from functools import lru_cache

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_VERSION = 1

NAME = {"type": "string", "minLength": 1, "maxLength": 200}
SHORT_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
SIN = {"type": "string", "pattern": r"^\d{9}$"}
ADDRESS = {
    "type": "object",
    "properties": {
        "street": {"type": "string", "minLength": 1, "maxLength": 200},
        "city": {"type": "string", "minLength": 1, "maxLength": 100},
        "province": {"type": ["string", "null"], "maxLength": 50},
        "postal_code": {"type": ["string", "null"], "maxLength": 10},
        "country": {"type": ["string", "null"], "maxLength": 60},
    },
    "required": ["street", "city"],
    "additionalProperties": False,
}
PLACE = {"anyOf": [SHORT_TEXT, ADDRESS]}


def one_or_many(schema: dict) -> dict:
    """Several children born together arrive as a list (one item per child)."""
    return {"anyOf": [schema, {"type": "array", "items": schema, "minItems": 1, "maxItems": 10}]}


# kind -> partner field -> JSON Schema of its value
VOCABULARY: dict[str, dict[str, dict]] = {
    "naissance": {
        "child_given_names": one_or_many(NAME),
        "child_family_name": one_or_many(NAME),
        "child_birth_date": one_or_many(DATE),
        "child_sex": one_or_many({"type": "string", "minLength": 1, "maxLength": 30}),
        "birth_place": PLACE,
        "parent_given_names": NAME,
        "parent_family_name": NAME,
        "parent_sin": SIN,
        "parent_address": ADDRESS,
    },
    "changement_adresse": {
        "given_names": NAME,
        "family_name": NAME,
        "birth_date": DATE,
        "sin": SIN,
        "new_address": ADDRESS,
        "effective_date": DATE,
    },
    "deces": {
        "deceased_given_names": NAME,
        "deceased_family_name": NAME,
        "deceased_birth_date": DATE,
        "death_date": DATE,
        "death_place": PLACE,
        "declarant_given_names": NAME,
        "declarant_family_name": NAME,
        "declarant_relationship": SHORT_TEXT,
    },
}


def _choice(*values: str) -> dict:
    """A value taken from a journey question's options (the option value, never free text)."""
    return {"type": "string", "enum": list(values)}


# The four life events added with S'installer au Québec, Perdre son autonomie, Se marier and Se séparer.
VOCABULARY.update({
    "installation": {
        "given_names": NAME,
        "family_name": NAME,
        "birth_date": DATE,
        "sin": SIN,
        "new_address": ADDRESS,
        "arrival_date": DATE,
        "previous_residence": _choice("autre_province", "hors_canada"),
        "immigration_status": _choice("citoyen", "resident_permanent", "resident_temporaire", "personne_protegee"),
    },
    "perte_autonomie": {
        "person_given_names": NAME,
        "person_family_name": NAME,
        "person_birth_date": DATE,
        "new_living_setting": _choice("rpa", "chsld_ri", "ne_sais_pas"),
        # Why the sender may declare for this person: their own authorisation or a recognised mandate.
        "declarant_basis": _choice("autorisation", "representant"),
    },
    "union": {
        "given_names": NAME,
        "family_name": NAME,
        "birth_date": DATE,
        "sin": SIN,
        "spouse_given_names": NAME,
        "spouse_family_name": NAME,
        "spouse_birth_date": DATE,
        "union_type": _choice("mariage", "union_civile"),
        "union_date": DATE,
    },
    "separation": {
        "given_names": NAME,
        "family_name": NAME,
        "birth_date": DATE,
        "sin": SIN,
        "separation_date": DATE,
        "custody": _choice("surtout_moi", "partagee", "surtout_autre", "pas_decide"),
        "new_address": ADDRESS,
    },
})
KINDS = tuple(VOCABULARY)

# Without these a declaration of that kind cannot be acted on by anyone.
REQUIRED_BY_KIND = {
    "naissance": ["child_birth_date"],
    "changement_adresse": ["new_address"],
    "deces": ["deceased_family_name", "death_date"],
    "installation": ["new_address", "arrival_date"],
    "perte_autonomie": ["person_family_name", "person_birth_date", "new_living_setting"],
    "union": ["union_type", "union_date"],
    "separation": ["separation_date"],
}
# A registry that needs more than the kind's minimum says so here: (organisation, kind) -> fields.
EXTRA_REQUIRED: dict[tuple[str, str], list[str]] = {}
# A registry that needs only part of the kind's vocabulary: (organisation, kind) -> the fields it accepts.
# Anything else is refused, so a journey cannot send it more than it needs (least data).
ONLY_FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("ramq", "installation"): frozenset({"given_names", "family_name", "birth_date", "new_address", "arrival_date",
                                         "previous_residence", "immigration_status"}),
    ("saaq", "installation"): frozenset({"given_names", "family_name", "birth_date", "new_address", "arrival_date",
                                         "previous_residence"}),
    ("elections-quebec", "installation"): frozenset({"given_names", "family_name", "birth_date", "new_address",
                                                     "arrival_date"}),
    ("ramq", "union"): frozenset({"given_names", "family_name", "birth_date", "spouse_given_names",
                                  "spouse_family_name", "spouse_birth_date", "union_type", "union_date"}),
    ("ramq", "separation"): frozenset({"given_names", "family_name", "birth_date", "separation_date", "custody",
                                       "new_address"}),
    ("arc", "separation"): frozenset({"given_names", "family_name", "birth_date", "sin", "separation_date",
                                      "new_address"}),
    ("revenu-quebec", "separation"): frozenset({"given_names", "family_name", "birth_date", "sin", "separation_date",
                                                "new_address"}),
}


def accepted_fields(organisation: str, kind: str) -> dict[str, dict]:
    """The fields a registry accepts for a kind, with the JSON Schema of each value."""
    only = ONLY_FIELDS.get((organisation, kind))
    return {name: schema for name, schema in VOCABULARY[kind].items() if only is None or name in only}


def required_fields(organisation: str, kind: str) -> list[str]:
    """The fields a registry refuses a declaration without (part of its published contract)."""
    return REQUIRED_BY_KIND[kind] + EXTRA_REQUIRED.get((organisation, kind), [])


@lru_cache(maxsize=None)
def declaration_schema(organisation: str, kind: str) -> dict:
    required = required_fields(organisation, kind)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:parcours:partenaires:{organisation}:{kind}:v{SCHEMA_VERSION}",
        "type": "object",
        "properties": {
            "kind": {"const": kind},
            "schema_version": {"const": SCHEMA_VERSION},
            "declaration_id": {"type": "string", "minLength": 1, "maxLength": 64},
            "data": {
                "type": "object",
                "properties": accepted_fields(organisation, kind),
                "required": required,
                "additionalProperties": False,
            },
        },
        "required": ["kind", "schema_version", "declaration_id", "data"],
        "additionalProperties": False,
    }


ENVELOPE = {
    "type": "object",
    "properties": {"kind": {"enum": list(KINDS)}},
    "required": ["kind"],
}


def validation_errors(organisation: str, payload) -> list[dict]:
    """Every problem with a payload as {"field": "data.child_birth_date", "message": ...}; empty when valid."""
    envelope_errors = _errors(Draft202012Validator(ENVELOPE), payload)
    if envelope_errors:
        return envelope_errors
    validator = Draft202012Validator(declaration_schema(organisation, payload["kind"]),
                                     format_checker=FormatChecker())
    return _errors(validator, payload)


def _errors(validator, payload) -> list[dict]:
    found = []
    for error in sorted(validator.iter_errors(payload), key=lambda e: list(map(str, e.absolute_path))):
        path = ".".join(str(part) for part in error.absolute_path)
        if error.validator == "required" or error.validator == "additionalProperties":
            # Name the missing or unexpected field itself, not its parent object.
            for name in _field_names(error):
                found.append({"field": f"{path}.{name}" if path else name, "code": error.validator,
                              "message": error.message})
            continue
        found.append({"field": path or "(body)", "code": str(error.validator), "message": error.message})
    return found


def _field_names(error) -> list[str]:
    if error.validator == "required":
        return [name for name in error.validator_value if name not in (error.instance or {})]
    allowed = set(error.schema.get("properties", {}))
    return sorted(name for name in error.instance if name not in allowed)
