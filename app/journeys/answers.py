"""Turning what a form posted into an answer's canonical JSON value, with messages for bad input.

Canonical values: yesno -> bool; choice -> option value; multichoice -> sorted list of option
values; date -> 'YYYY-MM-DD'; number -> int or float; text -> stripped str; address -> {street,
city, province, postal_code}; person -> {given_names, family_name, birth_date}. An empty optional
answer is None ("skipped"). Groups are lists of item dicts built by the caller item by item.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping, Optional

from . import date_bounds
from .errors import render
from .text_rules import has_control_characters
from .sources import SUB_FIELDS as _SUB_FIELDS

PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
_YES = {"oui", "yes", "true", "o", "y", "1"}
_NO = {"non", "no", "false", "n", "0"}
_DATE_FORMATS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<d>\d{1,2})[/-](?P<m>\d{1,2})[/-](?P<y>\d{4})"),
)
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_POSTAL_CODE = re.compile(r"([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)")
# Spaces people type inside numbers: normal, no-break and narrow no-break spaces.
_NUMBER_SPACES = str.maketrans("", "", " \u00a0\u202f")


class AnswerError(ValueError):
    """A posted answer that cannot be accepted; `field` names the sub-field for address/person.

    `problems` lists every problem of the answer (this one first): an address or a person with
    several wrong sub-fields reports them all at once."""

    def __init__(self, code: str, params: Optional[dict] = None, field: Optional[str] = None,
                 problems: Optional[list["AnswerError"]] = None):
        self.code, self.params, self.field = code, dict(params or {}), field
        self.problems = list(problems) if problems else [self]
        super().__init__(code if field is None else f"{field}: {code}")

    def message(self, lang: str = "fr") -> str:
        return render(self.code, self.params, lang)


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, (list, tuple)):
        raw = raw[0] if raw else ""
    if not isinstance(raw, str):
        raise AnswerError("invalid_answer")
    if has_control_characters(raw):
        raise AnswerError("control_characters")
    return raw.strip()


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def parse_answer(question, raw: Any, *, today: Optional[date] = None, max_length_cap: int = 2000) -> Any:
    """The canonical value of `raw` for `question`; raises AnswerError with a code."""
    kind = question.type
    if kind == "multichoice":
        values = [raw] if isinstance(raw, str) else list(raw or [])
        if not all(isinstance(v, str) for v in values):
            raise AnswerError("invalid_answer")
        chosen = {v.strip() for v in values if v.strip()}
        if not chosen:
            return _empty(question)
        if not chosen <= {o.value for o in question.options}:
            raise AnswerError("not_an_option")
        return sorted(chosen)
    if kind in ("address", "person"):
        return _parse_compound(question, raw, today, max_length_cap)
    if kind == "group":
        raise AnswerError("invalid_answer")
    text = _text(raw)
    if not text:
        return _empty(question)
    if kind == "yesno":
        lowered = text.lower()
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
        raise AnswerError("invalid_yesno")
    if kind == "choice":
        if text not in {o.value for o in question.options}:
            raise AnswerError("not_an_option")
        return text
    if kind == "date":
        return _parse_date(text, question, today)
    if kind == "number":
        return _parse_number(text, question)
    limit = min(question.max_length, max_length_cap)
    if len(text) > limit:
        raise AnswerError("too_long", {"max": limit, "length": len(text)})
    return text


def _empty(question):
    if question.required:
        raise AnswerError("required")
    return None


def _parse_date(text: str, question, today: Optional[date]) -> str:
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match:
            try:
                value = date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                break
            if today is not None and getattr(question, "not_in_future", False) and value > today:
                raise AnswerError("date_in_future")
            if today is not None and getattr(question, "not_in_past", False) and value < today:
                raise AnswerError("date_in_past")
            low, high = date_bounds.bounds(question, today or date.today())
            if not low <= value <= high:
                raise AnswerError("date_out_of_range", {"min": _day(low), "max": _day(high)})
            return value.isoformat()
    raise AnswerError("invalid_date")


def _day(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _parse_number(text: str, question):
    compact = text.translate(_NUMBER_SPACES)
    if not _NUMBER.fullmatch(compact):
        raise AnswerError("not_a_number")
    value = float(compact.replace(",", "."))
    if value.is_integer():
        value = int(value)
    elif question.integer:
        raise AnswerError("not_an_integer")
    if question.min is not None and value < question.min:
        raise AnswerError("too_small", {"min": _format_number(question.min)})
    if question.max is not None and value > question.max:
        raise AnswerError("too_large", {"max": _format_number(question.max)})
    return value


def _parse_compound(question, raw, today, cap):
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise AnswerError("invalid_answer")
    values = {key: _text(raw.get(key)) for key in _SUB_FIELDS[question.type]}
    optional = {"birth_date"}
    if not any(values.values()):
        return _empty(question)
    problems: list[AnswerError] = []
    for key, value in values.items():
        if not value and key not in optional:
            problems.append(AnswerError("required_field", field=key))
        elif len(value) > min(200, cap):
            problems.append(AnswerError("too_long", {"max": min(200, cap), "length": len(value)}, field=key))
    wrong = {problem.field for problem in problems}
    if question.type == "person":
        if values["birth_date"] and "birth_date" not in wrong:
            try:
                values["birth_date"] = _parse_date(values["birth_date"], _NoLimits, today)
            except AnswerError as error:
                problems.append(AnswerError(error.code, error.params, field="birth_date"))
        elif not values["birth_date"]:
            values["birth_date"] = None
    else:
        province = values["province"].upper()
        if "province" not in wrong and province not in PROVINCES:
            problems.append(AnswerError("invalid_province", field="province"))
        match = _POSTAL_CODE.fullmatch(values["postal_code"].upper().replace(" ", "").replace("-", ""))
        if "postal_code" not in wrong and not match:
            problems.append(AnswerError("invalid_postal_code", field="postal_code"))
    if problems:
        order = list(_SUB_FIELDS[question.type])
        problems.sort(key=lambda problem: order.index(problem.field))
        first = problems[0]
        raise AnswerError(first.code, first.params, field=first.field, problems=problems)
    if question.type == "person":
        return values
    return {**values, "province": province, "postal_code": f"{match[1]} {match[2]}"}


class _NoLimits:
    """A birth date inside a person answer is checked for being a real date in the default range."""
    not_in_future = not_in_past = False
    min_date = max_date = None
