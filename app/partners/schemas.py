"""What each registry accepts: one JSON Schema per (organisation, declaration kind), and the look-up body.

The partner field names are a fixed vocabulary shared with the journeys' `declaration` blocks. Each
registry receives only the kinds and fields it needs (`ORGANISATION_FIELDS`: the RAMQ has no use for
a parent's NAS) and rejects anything else (`additionalProperties: false`), so least data is checked
on both sides; it checks types and formats, and requires the few fields without which the
declaration means nothing. A look-up names the person by NAS, family name and birth date, all three.
"""
from __future__ import annotations

from functools import lru_cache

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_VERSION = 1

NAME = {"type": "string", "minLength": 1, "maxLength": 200}
SHORT_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
SIN = {"type": "string", "pattern": r"^\d{9}$"}
NEQ = {"type": "string", "pattern": r"^\d{10}$"}
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
    "changement_adresse_entreprise": {
        "neq": NEQ,
        "business_name": NAME,
        "new_address": ADDRESS,
        "effective_date": DATE,
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

_BIRTH_CHILD = ("child_given_names", "child_family_name", "child_birth_date")
_PARENT = ("parent_given_names", "parent_family_name")
_MOVER = ("given_names", "family_name", "birth_date", "new_address", "effective_date")
_DEATH = ("deceased_given_names", "deceased_family_name", "deceased_birth_date", "death_date")
_DECLARANT = ("declarant_given_names", "declarant_family_name", "declarant_relationship")
# (registry, kind) -> the fields that registry needs for that kind; a kind not listed is not received.
ORGANISATION_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("dec", "naissance"): (*_BIRTH_CHILD, "child_sex", "birth_place", *_PARENT, "parent_address"),
    ("ramq", "naissance"): (*_BIRTH_CHILD, "child_sex", *_PARENT, "parent_address"),
    ("retraite-quebec", "naissance"): (*_BIRTH_CHILD, *_PARENT, "parent_sin", "parent_address"),
    ("rqap", "naissance"): ("child_birth_date", *_PARENT, "parent_sin"),
    ("ramq", "changement_adresse"): _MOVER,
    ("saaq", "changement_adresse"): _MOVER,
    ("elections-quebec", "changement_adresse"): _MOVER,
    ("revenu-quebec", "changement_adresse"): (*_MOVER, "sin"),
    ("retraite-quebec", "changement_adresse"): (*_MOVER, "sin"),
    ("arc", "changement_adresse"): (*_MOVER, "sin"),
    ("dec", "deces"): tuple(VOCABULARY["deces"]),
    ("ramq", "deces"): _DEATH,
    ("saaq", "deces"): _DEATH,
    ("service-canada", "deces"): _DEATH,
    ("retraite-quebec", "deces"): (*_DEATH, *_DECLARANT),
    ("revenu-quebec", "deces"): (*_DEATH, *_DECLARANT),
    # Revenu Québec finds a business by its NEQ and has no use for its name.
    ("registraire-entreprises", "changement_adresse_entreprise"): ("neq", "business_name", "new_address",
                                                                    "effective_date"),
    ("revenu-quebec", "changement_adresse_entreprise"): ("neq", "new_address", "effective_date"),
    ("cnesst", "changement_adresse_entreprise"): ("neq", "business_name", "new_address", "effective_date"),
    # installation, perte_autonomie, union, separation (S'installer au Québec, Perdre son autonomie, ...)
    ("arc", "separation"): ("given_names", "family_name", "birth_date", "sin", "separation_date", "new_address",),
    ("arc", "union"): ("given_names", "family_name", "birth_date", "sin", "spouse_given_names", "spouse_family_name", "spouse_birth_date", "union_type", "union_date",),
    ("cisss", "perte_autonomie"): ("person_given_names", "person_family_name", "person_birth_date", "new_living_setting", "declarant_basis",),
    ("elections-quebec", "installation"): ("given_names", "family_name", "birth_date", "new_address", "arrival_date",),
    ("ramq", "installation"): ("given_names", "family_name", "birth_date", "new_address", "arrival_date", "previous_residence", "immigration_status",),
    ("ramq", "perte_autonomie"): ("person_given_names", "person_family_name", "person_birth_date", "new_living_setting", "declarant_basis",),
    ("ramq", "separation"): ("given_names", "family_name", "birth_date", "separation_date", "custody", "new_address",),
    ("ramq", "union"): ("given_names", "family_name", "birth_date", "spouse_given_names", "spouse_family_name", "spouse_birth_date", "union_type", "union_date",),
    ("retraite-quebec", "installation"): ("given_names", "family_name", "birth_date", "sin", "new_address", "arrival_date", "immigration_status",),
    ("retraite-quebec", "separation"): ("given_names", "family_name", "birth_date", "sin", "separation_date", "custody", "new_address",),
    ("retraite-quebec", "union"): ("given_names", "family_name", "birth_date", "sin", "spouse_given_names", "spouse_family_name", "spouse_birth_date", "union_type", "union_date",),
    ("revenu-quebec", "installation"): ("given_names", "family_name", "birth_date", "sin", "new_address", "arrival_date", "previous_residence",),
    ("revenu-quebec", "perte_autonomie"): ("person_given_names", "person_family_name", "person_birth_date", "new_living_setting", "declarant_basis",),
    ("revenu-quebec", "separation"): ("given_names", "family_name", "birth_date", "sin", "separation_date", "new_address",),
    ("saaq", "installation"): ("given_names", "family_name", "birth_date", "new_address", "arrival_date", "previous_residence",),
}


def accepted_kinds(organisation: str) -> list[str]:
    return [kind for kind in KINDS if (organisation, kind) in ORGANISATION_FIELDS]


def accepted_fields(organisation: str, kind: str) -> tuple[str, ...]:
    return ORGANISATION_FIELDS.get((organisation, kind), ())


# Without these a declaration of that kind cannot be acted on by anyone.
REQUIRED_BY_KIND = {
    "naissance": ["child_birth_date"],
    "changement_adresse": ["new_address"],
    "deces": ["deceased_family_name", "death_date"],
    "changement_adresse_entreprise": ["neq", "new_address"],
    "installation": ["new_address", "arrival_date"],
    "perte_autonomie": ["person_family_name", "person_birth_date", "new_living_setting"],
    "union": ["union_type", "union_date"],
    "separation": ["separation_date"],
}
# A registry that needs more than the kind's minimum says so here: (organisation, kind) -> fields.
EXTRA_REQUIRED: dict[tuple[str, str], list[str]] = {}


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
                "properties": {name: VOCABULARY[kind][name] for name in accepted_fields(organisation, kind)},
                "required": required,
                "additionalProperties": False,
            },
        },
        "required": ["kind", "schema_version", "declaration_id", "data"],
        "additionalProperties": False,
    }


def envelope_schema(organisation: str) -> dict:
    return {"type": "object", "properties": {"kind": {"enum": accepted_kinds(organisation)}}, "required": ["kind"]}


LOOKUP_FIELD = {"type": "string", "pattern": r"^[a-z_]{1,60}$"}
LOOKUP = {
    "type": "object",
    "properties": {
        "subject": {
            "type": "object",
            "properties": {"sin": SIN, "family_name": NAME, "birth_date": DATE},
            "required": ["sin", "family_name", "birth_date"],
            "additionalProperties": False,
        },
        "fields": {"type": "array", "items": LOOKUP_FIELD, "minItems": 1, "maxItems": 50, "uniqueItems": True},
    },
    "required": ["subject", "fields"],
    "additionalProperties": False,
}


def lookup_errors(payload) -> list[dict]:
    """Every problem with a look-up body (same shape as `validation_errors`); empty when valid."""
    return _errors(Draft202012Validator(LOOKUP, format_checker=FormatChecker()), payload)


def validation_errors(organisation: str, payload) -> list[dict]:
    """Every problem with a payload as {"field": "data.child_birth_date", "message": ...}; empty when valid."""
    envelope_errors = _errors(Draft202012Validator(envelope_schema(organisation)), payload)
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
