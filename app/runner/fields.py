"""Between HTML forms and the engine: what a form posted for a question, and what a field shows back.

Field names equal question ids; address and person sub-fields are posted as `<id>.<part>`.
"""
from __future__ import annotations

from flask_babel import format_decimal, gettext, lazy_gettext
from werkzeug.datastructures import MultiDict

ADDRESS_PARTS = ("street", "city", "province", "postal_code")
PERSON_PARTS = ("given_names", "family_name", "birth_date")
COMPOUND_PARTS = {"address": ADDRESS_PARTS, "person": PERSON_PARTS}
# Same labels as the address and person macros in app/core/templates/macros/forms.html.
PART_LABELS = {
    "street": lazy_gettext("Number and street, apartment"),
    "city": lazy_gettext("City or town"),
    "province": lazy_gettext("Province or territory"),
    "postal_code": lazy_gettext("Postal code"),
    "given_names": lazy_gettext("Given names"),
    "family_name": lazy_gettext("Family name"),
    "birth_date": lazy_gettext("Date of birth"),
}
# Nothing a citizen types is this long; anything longer is cut before parsing (the engine then refuses it).
RAW_CAP = 10_000


def posted_value(question, form: MultiDict):
    """The raw value `parse_answer` expects: str, list[str] for multichoice, dict for address/person."""
    if question.type == "multichoice":
        return [value[:RAW_CAP] for value in form.getlist(question.id)]
    parts = COMPOUND_PARTS.get(question.type)
    if parts:
        return {part: form.get(f"{question.id}.{part}", "")[:RAW_CAP] for part in parts}
    return form.get(question.id, "")[:RAW_CAP]


def field_value(question, stored):
    """What a field shows for a stored (canonical) answer."""
    if stored is None:
        return [] if question.type == "multichoice" else None
    if question.type == "number" and isinstance(stored, (int, float)):
        # In the reader's convention (45000,5 in French), without losing digits; parse_answer reads both.
        return format_decimal(stored, format="0.##########")
    return stored


NOT_SHAREABLE = object()


def shareable_value(question, shown):
    """`shown` as part of a shared page's state (app/core/shared_pages.py), or NOT_SHAREABLE.

    Only an empty field or listed options qualify: what a citizen typed (a name, a date, an address)
    is theirs and is never kept to be shared."""
    if shown is None or shown == []:
        return None
    if question.type == "yesno" and isinstance(shown, bool):
        return shown
    options = {option.value for option in question.options or ()}
    if question.type == "choice" and shown in options:
        return shown
    if question.type == "multichoice" and isinstance(shown, list) and set(shown) <= options:
        return tuple(shown)
    return NOT_SHAREABLE


# Question types whose value appears once, as is, in one field: a page showing it can be shared
# with a placeholder in the value's place (app/core/shared_pages.py).
TYPED_TYPES = ("text", "date", "number")


def typed_value(question, shown) -> str | None:
    """The typed value a shared page gets in its placeholder's place, or None when not applicable."""
    if question.type in TYPED_TYPES and isinstance(shown, str) and shown:
        return shown
    return None


def field_anchor(question, part: str | None = None) -> str:
    """The id the error summary links to: the first input of the field (or the sub-field in error)."""
    if question.type in ("choice", "multichoice") and question.options:
        return f"{question.id}-{question.options[0].value}"
    if question.type == "yesno":
        return f"{question.id}-oui"
    parts = COMPOUND_PARTS.get(question.type)
    if parts:
        return f"{question.id}-{part if part in parts else parts[0]}"
    return question.id


def missing_part(part: str) -> str | None:
    """An empty sub-field's message, naming what to enter (never a bare "Fill in this field.")."""
    return {
        "street": lambda: gettext("Enter the number and street."),
        "city": lambda: gettext("Enter the city or town."),
        "province": lambda: gettext("Choose the province or territory."),
        "postal_code": lambda: gettext("Enter the postal code."),
        "given_names": lambda: gettext("Enter the given names."),
        "family_name": lambda: gettext("Enter the family name."),
        "birth_date": lambda: gettext("Enter the date of birth."),
    }.get(part, lambda: None)()


CHOICE_TYPES = ("yesno", "choice", "multichoice")


def error_text(message: str, part: str | None) -> str:
    """An answer error, naming the sub-field when it is about one ('Code postal : ...')."""
    if part in PART_LABELS:
        return gettext("%(field)s: %(message)s", field=PART_LABELS[part], message=message)
    return message


def answer_errors(question, problem, label: str, lang: str) -> list[tuple[str | None, str]]:
    """Every problem of a refused answer as (sub-field or None, message naming the field).

    `label`: the question as the page shows it, named when the whole answer is missing."""
    messages = []
    for each in problem.problems:
        if each.code == "required_field" and missing_part(each.field):
            messages.append((each.field, missing_part(each.field)))
        elif each.code == "required" and question.type in CHOICE_TYPES:
            messages.append((None, gettext("Choose an answer to the question “%(question)s”.", question=label)))
        elif each.code == "required":
            messages.append((None, gettext("Answer the question “%(question)s”.", question=label)))
        else:
            messages.append((each.field, error_text(each.message(lang), each.field)))
    return messages
