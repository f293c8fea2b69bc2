"""The citizen's profile: validation of what they type, storage (NAS and RAMQ number encrypted),
masked display, and `profile_values(user)` for prefill and declarations (audited for NAS/RAMQ).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext
from stdnum import exceptions as stdnum_errors
from stdnum.ca import sin as stdnum_sin

from app.core import audit, crypto
from app.core.db import db
from app.dossier.models import Profile

PROVINCES = ("QC", "ON", "NB", "NS", "PE", "NL", "MB", "SK", "AB", "BC", "YT", "NT", "NU")
LANGUAGES = ("fr", "en")
# Canada Post: no D, F, I, O, Q or U anywhere; no W or Z as the first letter.
POSTAL_CODE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$")
# The first letter of a postal code tells the province or territory.
POSTAL_PREFIXES = {
    "A": ("NL",), "B": ("NS",), "C": ("PE",), "E": ("NB",), "G": ("QC",), "H": ("QC",), "J": ("QC",),
    "K": ("ON",), "L": ("ON",), "M": ("ON",), "N": ("ON",), "P": ("ON",), "R": ("MB",), "S": ("SK",),
    "T": ("AB",), "V": ("BC",), "X": ("NT", "NU"), "Y": ("YT",),
}
# RAMQ health insurance number: 4 letters (family name, given name) then YY MM DD and 2 digits;
# women's month is +50 (51 to 62).
HEALTH_NUMBER = re.compile(r"^[A-Z]{4}(\d{2})(\d{2})(\d{2})\d{2}$")
TEXT_FIELDS = {"given_names": 200, "family_name": 200, "street": 200, "city": 100}
SENSITIVE = ("sin", "health_number")


@dataclass
class ProfileInput:
    """What the profile form posted, cleaned; `errors` maps a field id to a message."""
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def parse_date(text: str) -> date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def normalize_postal_code(text: str) -> str | None:
    match = POSTAL_CODE.match(_clean(text).upper())
    return f"{match[1]} {match[2]}" if match else None


def normalize_phone(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01":
        return None
    return f"{digits[:3]} {digits[3:6]}-{digits[6:]}"


def normalize_health_number(text: str) -> str | None:
    compact = re.sub(r"[\s-]", "", text).upper()
    match = HEALTH_NUMBER.match(compact)
    if not match:
        return None
    month, day = int(match[2]), int(match[3])
    if not (1 <= month <= 12 or 51 <= month <= 62) or not 1 <= day <= 31:
        return None
    return compact


def format_health_number(compact: str) -> str:
    return f"{compact[:4]} {compact[4:8]} {compact[8:]}"


def sin_problem(text: str) -> str | None:
    try:
        stdnum_sin.validate(text)
    except stdnum_errors.InvalidChecksum:
        return gettext("This social insurance number is not valid: check each digit on your card or letter.")
    except stdnum_errors.InvalidLength:
        return gettext("A social insurance number has 9 digits, like 046 454 286.")
    except stdnum_errors.ValidationError:
        return gettext("Enter a social insurance number with digits only, like 046 454 286.")
    return None


def parse_profile_form(form, today: date) -> ProfileInput:
    """Clean and check every field; nothing is saved unless `errors` is empty."""
    result = ProfileInput()
    values, errors = result.values, result.errors
    for name, limit in TEXT_FIELDS.items():
        key = f"address.{name}" if name in ("street", "city") else name
        value = _clean(form.get(key))
        if len(value) > limit:
            errors[key.replace(".", "-")] = gettext("Enter at most %(max)d characters.", max=limit)
        values[name] = value or None

    birth = (form.get("birth_date") or "").strip()
    if birth:
        parsed = parse_date(birth)
        if parsed is None:
            errors["birth_date"] = gettext("Enter your date of birth as 1985-03-14 or 14/03/1985.")
        elif parsed > today or parsed.year < 1900:
            errors["birth_date"] = gettext("Your date of birth must be in the past.")
        values["birth_date"] = parsed
    else:
        values["birth_date"] = None

    phone = (form.get("phone") or "").strip()
    values["phone"] = None
    if phone:
        values["phone"] = normalize_phone(phone)
        if values["phone"] is None:
            errors["phone"] = gettext("Enter a phone number with its area code, like 514 555-1234.")

    language = form.get("language") or None
    values["language"] = language if language in LANGUAGES else None

    province = form.get("address.province") or None
    if province and province not in PROVINCES:
        errors["address-province"] = gettext("Choose a province or territory from the list.")
    values["province"] = province if province in PROVINCES else None
    postal = (form.get("address.postal_code") or "").strip()
    values["postal_code"] = None
    if postal:
        values["postal_code"] = normalize_postal_code(postal)
        if values["postal_code"] is None:
            errors["address-postal_code"] = gettext(
                "Enter a Canadian postal code: letter, digit, letter, then digit, letter, digit, like H2X 1Y4.")
        elif values["province"] and values["province"] not in POSTAL_PREFIXES.get(values["postal_code"][0], ()):
            errors["address-postal_code"] = gettext(
                "This postal code is not in the province you chose. Check the first letter.")

    sin_text = (form.get("sin") or "").strip()
    values["remove_sin"] = form.get("remove_sin") == "1"
    values["sin"] = None
    if sin_text:
        problem = sin_problem(sin_text)
        if problem:
            errors["sin"] = problem
        else:
            values["sin"] = stdnum_sin.compact(sin_text)

    health_text = (form.get("health_number") or "").strip()
    values["remove_health_number"] = form.get("remove_health_number") == "1"
    values["health_number"] = None
    if health_text:
        values["health_number"] = normalize_health_number(health_text)
        if values["health_number"] is None:
            errors["health_number"] = gettext(
                "Enter your health insurance number as on your card: 4 letters then 8 digits, like TREM 8001 0112.")

    values["reminders_opt_in"] = form.get("reminders_opt_in") == "1"
    return result


def get_profile(user) -> Profile | None:
    return db.session.get(Profile, user.id)


def get_or_create_profile(user) -> Profile:
    profile = get_profile(user)
    if profile is None:
        profile = Profile(user_id=user.id)
        db.session.add(profile)
    return profile


def _aad(column: str, user_id: int) -> str:
    return f"profiles.{column}:{user_id}"


def save_profile(user, values: dict) -> None:
    """Store a checked ProfileInput's values (the caller commits)."""
    profile = get_or_create_profile(user)
    for name in ("given_names", "family_name", "birth_date", "phone", "language", "street", "city",
                 "province", "postal_code"):
        setattr(profile, name, values.get(name))
    if values.get("sin"):
        profile.sin_encrypted = crypto.encrypt(values["sin"], _aad("sin", user.id))
        profile.sin_last_digits = values["sin"][-3:]
    elif values.get("remove_sin"):
        profile.sin_encrypted = profile.sin_last_digits = None
    if values.get("health_number"):
        profile.health_number_encrypted = crypto.encrypt(values["health_number"], _aad("health_number", user.id))
        profile.health_number_last_digits = values["health_number"][-4:]
    elif values.get("remove_health_number"):
        profile.health_number_encrypted = profile.health_number_last_digits = None
    user.reminders_opt_in = bool(values.get("reminders_opt_in"))
    changed = sorted(k for k in ("sin", "health_number") if values.get(k) or values.get(f"remove_{k}"))
    audit.record("profile.updated", user.id, sensitive_fields_changed=changed)


def masked(profile: Profile | None) -> dict:
    """NAS and RAMQ number as shown on screen: only the last digits, no decryption."""
    if profile is None:
        return {"sin": None, "health_number": None}
    return {
        "sin": f"*** *** {profile.sin_last_digits}" if profile.sin_encrypted else None,
        "health_number": f"**** **** {profile.health_number_last_digits}" if profile.health_number_encrypted else None,
    }


def _decrypt(profile: Profile, column: str) -> str | None:
    token = getattr(profile, f"{column}_encrypted")
    return crypto.decrypt(token, _aad(column, profile.user_id)) if token else None


def profile_values(user, *, purpose: str = "prefill", include_sensitive: bool = True) -> dict:
    """Plain profile values (None when unknown). Decrypting NAS or RAMQ number records an audit event."""
    profile = get_profile(user)
    empty = profile is None
    values = {
        "given_names": None if empty else profile.given_names,
        "family_name": None if empty else profile.family_name,
        "birth_date": None if empty or profile.birth_date is None else profile.birth_date.isoformat(),
        "email": user.email,
        "phone": None if empty else profile.phone,
        "address": None,
        "sin": None,
        "health_number": None,
        "language": None if empty else profile.language,
    }
    if empty:
        return values
    if any((profile.street, profile.city, profile.postal_code)):
        values["address"] = {"street": profile.street, "city": profile.city, "province": profile.province,
                             "postal_code": profile.postal_code}
    if include_sensitive:
        read = []
        for column in SENSITIVE:
            value = _decrypt(profile, column)
            if value is not None:
                values[column] = value
                read.append(column)
        if read:
            audit.record_access("profile.sensitive_read", user.id, fields=read, purpose=purpose)
    return values


def reencrypt_all() -> int:
    """Move every encrypted value to the current key (after adding a new key id); returns how many."""
    moved = 0
    for profile in db.session.execute(db.select(Profile)).scalars():
        for column in SENSITIVE:
            token = getattr(profile, f"{column}_encrypted")
            if token and crypto.needs_rotation(token):
                plain = crypto.decrypt(token, _aad(column, profile.user_id))
                setattr(profile, f"{column}_encrypted", crypto.encrypt(plain, _aad(column, profile.user_id)))
                moved += 1
    if moved:
        audit.record("profile.keys_rotated", None, values=moved)
    db.session.commit()
    return moved
