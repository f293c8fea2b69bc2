"""What a citizen typed in a form field, turned into its canonical value, or a message saying how to fix it.

Common types reuse the journey engine's answer parser (same formats, same messages); the types only
forms have (NAS, health insurance number, email, phone, postal code, province) are checked here,
with python-stdnum for the NAS checksum. Canonical values: text -> str, date -> 'YYYY-MM-DD',
number -> int/float, yesno -> bool, choice -> option value, address -> {street, city, province,
postal_code}, sin -> 9 digits, health_number -> 4 letters + 8 digits, postal_code -> 'A1A 1A1'.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date, gettext
from stdnum.ca import sin as sin_number
from stdnum.exceptions import ValidationError as StdnumError

from app.forms.pdf_fonts import unprintable
from app.journeys.answers import PROVINCES, AnswerError, parse_answer
from app.journeys.forms_schema import FormField

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_DIGITS = re.compile(r"\D")
_HEALTH_NUMBER = re.compile(r"[A-Z]{4}\d{8}")
_POSTAL_CODE = re.compile(r"([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)")
_ENGINE_TYPES = {"text": "text", "textarea": "text", "date": "date", "number": "number", "yesno": "yesno",
                 "choice": "choice", "address": "address"}
ADDRESS_PARTS = ("street", "city", "province", "postal_code")


class FieldError(ValueError):
    """A value that cannot be accepted; `message` is already in the citizen's language; `part` for addresses."""

    def __init__(self, message: str, part: str | None = None):
        self.message, self.part = message, part
        super().__init__(message)


@dataclass(frozen=True)
class _AsQuestion:
    """The few attributes of a journey question the engine's parser reads."""
    type: str
    required: bool
    options: tuple
    min: float | None
    max: float | None
    integer: bool
    max_length: int
    not_in_future: bool
    not_in_past: bool


def is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, dict) and not any(value.values()))


def parse_field(f: FormField, raw: Any, *, today: date, lang: str, enforce_required: bool) -> Any:
    """The canonical value of `raw` for `f` (None when empty and allowed); raises FieldError."""
    rules = f.validation
    kind = _ENGINE_TYPES.get(f.type, "text")
    question = _AsQuestion(kind, f.required and enforce_required, tuple(f.options), rules.min, rules.max,
                           rules.integer, rules.max_length, rules.not_in_future, rules.not_in_past)
    try:
        value = parse_answer(question, raw, today=today, max_length_cap=2000)
    except AnswerError as error:
        if error.code == "required":
            raise FieldError(gettext("Fill in “%(field)s”.", field=f.label.get(lang) or f.label.get("fr", ""))) from None
        raise FieldError(error.message(lang), part=error.field) from None
    if value is None:
        return None
    _check_printable(value)
    if f.type in ("text", "textarea"):
        _check_text(f, value, lang)
    checker = _SPECIFIC.get(f.type)
    return checker(value) if checker else value


def _check_printable(value: Any) -> None:
    """Every character must print on the PDF: refuse, naming them, those no font of the PDF has."""
    texts = value.values() if isinstance(value, dict) else [value]
    missing = sorted({char for text in texts if isinstance(text, str) for char in unprintable(text)})
    if missing:
        raise FieldError(gettext("These characters cannot be printed on the form: %(characters)s. "
                                 "Remove them or write them another way.", characters=" ".join(missing)))


def _check_text(f: FormField, value: str, lang: str) -> None:
    rules = f.validation
    if rules.min_length is not None and len(value) < rules.min_length:
        raise FieldError(gettext("Enter at least %(count)s characters.", count=rules.min_length))
    if rules.pattern and not re.fullmatch(rules.pattern, value):
        raise FieldError(rules.pattern_message[lang] if rules.pattern_message else gettext("Check this value."))


def _sin(value: str) -> str:
    try:
        return sin_number.validate(value)
    except StdnumError:
        raise FieldError(gettext("Enter a valid social insurance number: 9 digits, for example 046 454 286.")) from None


def _health_number(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value).upper()
    if not _HEALTH_NUMBER.fullmatch(compact):
        raise FieldError(gettext("Enter the health insurance number as on the card: 4 letters and 8 digits, for example TREM 9004 1212."))
    return compact


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value) or len(value) > 254:
        raise FieldError(gettext("Enter an email address such as nom@exemple.ca."))
    return value


def _phone(value: str) -> str:
    digits = _PHONE_DIGITS.sub("", value)
    if digits.startswith("1") and len(digits) == 11:
        digits = digits[1:]
    if len(digits) != 10:
        raise FieldError(gettext("Enter a 10-digit phone number, for example 514 555-0123."))
    return f"{digits[:3]} {digits[3:6]}-{digits[6:]}"


def _postal_code(value: str) -> str:
    match = _POSTAL_CODE.fullmatch(value.upper().replace(" ", "").replace("-", ""))
    if not match:
        raise FieldError(gettext("Enter a Canadian postal code, for example H2X 1Y4."))
    return f"{match[1]} {match[2]}"


def _province(value: str) -> str:
    if value.upper() not in PROVINCES:
        raise FieldError(gettext("Choose a province or territory of Canada."))
    return value.upper()


_SPECIFIC = {"sin": _sin, "health_number": _health_number, "email": _email, "phone": _phone,
             "postal_code": _postal_code, "province": _province}


def display(f: FormField, value: Any, lang: str, *, long_dates: bool = False) -> str:
    """A canonical value as a citizen reads it (read-only fields, text boxes); dates in words if asked."""
    if value is None or value == "":
        return ""
    if f.type == "date" and long_dates and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value), "long")
        except ValueError:
            return value
    if f.type == "yesno":
        return gettext("Yes") if value is True else gettext("No")
    if f.type == "choice":
        return next((o.label[lang] for o in f.options if o.value == value), str(value))
    if f.type == "sin" and isinstance(value, str) and len(value) == 9:
        return f"{value[:3]} {value[3:6]} {value[6:]}"
    if f.type == "health_number" and isinstance(value, str) and len(value) == 12:
        return f"{value[:4]} {value[4:8]} {value[8:]}"
    if f.type == "address" and isinstance(value, dict):
        return ", ".join(str(value[part]) for part in ADDRESS_PARTS if value.get(part))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_prefill(f: FormField, value: Any) -> Any:
    """Bring a value from a source to the field's canonical shape, or None when it does not fit."""
    if isinstance(value, list):  # answers.<group>[].<item>: the form is about the first item
        value = next((v for v in value if not is_empty(v)), None)
    if is_empty(value):
        return None
    if f.type == "address":
        return {part: str(value.get(part) or "") for part in ADDRESS_PARTS} if isinstance(value, dict) else None
    if isinstance(value, dict):
        return None
    if f.type == "yesno":
        return value if isinstance(value, bool) else None
    if f.type == "choice":
        return value if any(o.value == value for o in f.options) else None
    if f.type == "number":
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else _number(value)
    if f.type == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, bool):
        return None
    return str(value)


def _number(value: Any) -> float | int | None:
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number
