"""How journeys and answers read on a page: texts in the reader's language and answers in plain words."""
from __future__ import annotations

from datetime import date

from flask_babel import format_date, format_decimal, gettext

from app.core.i18n import current_language


def localized(text: dict | None, lang: str | None = None) -> str:
    """A journey text in the reader's language (French when the journey lacks that language)."""
    if not text:
        return ""
    lang = lang or current_language()
    return text.get(lang) or text.get("fr") or next(iter(text.values()), "")


def definition(journey):
    """The pydantic `Journey` behind a compiled journey (or the journey itself when already plain)."""
    for attribute in ("definition", "journey", "model"):
        inner = getattr(journey, attribute, None)
        if inner is not None and hasattr(inner, "questions"):
            return inner
    return journey


def long_date(value) -> str:
    """'1er mars 2026' / 'March 1, 2026' (Babel writes '1 mars'; French uses the ordinal for the 1st)."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    text = format_date(value, format="long")
    if value.day == 1 and current_language() == "fr" and text.startswith("1 "):
        text = "1er " + text[2:]
    return text


def option_label(question, value) -> str:
    for option in question.options:
        if option.value == value:
            return localized(option.label)
    return str(value)


def item_name(group, item: dict, index: int) -> str:
    """What to call one item of a repeating group: its first text-like answer, else 'Enfant 2'."""
    for question in group.questions:
        value = item.get(question.id)
        if question.type == "text" and value:
            return value
        if question.type == "person" and value:
            return " ".join(filter(None, (value.get("given_names"), value.get("family_name"))))
    return f"{localized(group.item_label)} {index + 1}"


def human_answer(question, value) -> str:
    """An answer as a citizen would say it: 'Oui', '14 mars 2026', 'Montréal (QC) H2X 1Y4'."""
    if value is None:
        return gettext("Not answered")
    kind = question.type
    if kind == "yesno":
        return gettext("Yes") if value else gettext("No")
    if kind == "choice":
        return option_label(question, value)
    if kind == "multichoice":
        return ", ".join(option_label(question, v) for v in value) or gettext("None")
    if kind == "date":
        return long_date(value)
    if kind == "number":
        return format_decimal(value)
    if kind == "address":
        city_line = " ".join(filter(None, (value.get("city"), f"({value['province']})" if value.get("province") else None,
                                           value.get("postal_code"))))
        return ", ".join(filter(None, (value.get("street"), city_line)))
    if kind == "person":
        name = " ".join(filter(None, (value.get("given_names"), value.get("family_name"))))
        if value.get("birth_date"):
            return gettext("%(name)s, date of birth: %(date)s", name=name, date=long_date(value["birth_date"]))
        return name
    if kind == "group":
        names = [item_name(question, item, i) for i, item in enumerate(value)]
        return ", ".join(names) or gettext("None")
    return str(value)
