"""Reading the business form: name, NEQ (optional until the business is registered), legal form,
sector, address. Returns the clean values and the errors (field id -> message), like the profile form."""
from __future__ import annotations

import re

from flask_babel import gettext

from app.entreprises.choices import LEGAL_FORMS, SECTORS, normalize_neq, valid_neq

POSTAL_CODE = re.compile(r"^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$")


def _text(form, name: str, limit: int) -> str:
    return " ".join((form.get(name) or "").split())[:limit + 1]


def parse_business(form) -> tuple[dict, dict]:
    values, errors = {}, {}
    name = _text(form, "name", 200)
    if not name:
        errors["name"] = gettext("Enter the business's name")
    elif len(name) > 200:
        errors["name"] = gettext("The name must have at most 200 characters")
    values["name"] = name
    neq = normalize_neq(form.get("neq"))
    if neq and not valid_neq(neq):
        errors["neq"] = gettext("The NEQ has 10 digits, like 1171234567")
    values["neq"] = neq or None
    legal_form = form.get("legal_form")
    if legal_form not in LEGAL_FORMS:
        errors[f"legal_form-{next(iter(LEGAL_FORMS))}"] = gettext("Choose the legal form")
    values["legal_form"] = legal_form
    sector = form.get("sector")
    if sector not in SECTORS:
        errors[f"sector-{next(iter(SECTORS))}"] = gettext("Choose the sector")
    values["sector"] = sector
    values["street"] = _text(form, "street", 200)[:200] or None
    values["city"] = _text(form, "city", 100)[:100] or None
    postal = _text(form, "postal_code", 7).upper()
    if postal and not POSTAL_CODE.match(postal):
        errors["postal_code"] = gettext("Enter a postal code like H2X 1Y4")
    elif postal:
        postal = postal.replace(" ", "")
        postal = f"{postal[:3]} {postal[3:]}"
    values["postal_code"] = postal or None
    return values, errors
