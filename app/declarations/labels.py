"""How the partner field names and delivery statuses read for a citizen (English msgids, translated)."""
from __future__ import annotations

from flask_babel import gettext, pgettext


def N_(message: str) -> str:
    """Marks a msgid for extraction (Babel's default keywords include N_); translated where shown."""
    return message


FIELD_LABELS = {
    # naissance
    "child_given_names": N_("Child's given names"),
    "child_family_name": N_("Child's family name"),
    "child_birth_date": N_("Child's date of birth"),
    "child_sex": N_("Child's sex"),
    "birth_place": N_("Place of birth"),
    "parent_given_names": N_("Parent's given names"),
    "parent_family_name": N_("Parent's family name"),
    "parent_sin": N_("Parent's social insurance number"),
    "parent_address": N_("Parent's address"),
    # changement_adresse
    "given_names": N_("Given names"),
    "family_name": N_("Family name"),
    "birth_date": N_("Date of birth"),
    "sin": N_("Social insurance number"),
    "new_address": N_("New address"),
    "effective_date": N_("Date of the change"),
    # deces
    "deceased_given_names": N_("Given names of the deceased"),
    "deceased_family_name": N_("Family name of the deceased"),
    "deceased_birth_date": N_("Date of birth of the deceased"),
    "death_date": N_("Date of death"),
    "death_place": N_("Place of death"),
    "declarant_given_names": N_("Your given names"),
    "declarant_family_name": N_("Your family name"),
    "declarant_relationship": N_("Your relationship to the deceased"),
    # changement_adresse_entreprise
    "neq": N_("Québec enterprise number (NEQ)"),
    "business_name": N_("Name of the business"),
    # installation, perte_autonomie, union, separation (fields not already named above)
    "arrival_date": N_("Date of arrival in Québec"),
    "previous_residence": N_("Where you come from"),
    "immigration_status": N_("Status in Canada"),
    "person_given_names": N_("Given names of the person"),
    "person_family_name": N_("Family name of the person"),
    "person_birth_date": N_("Date of birth of the person"),
    "new_living_setting": N_("New place to live"),
    "declarant_basis": N_("On what basis you declare for this person"),
    "spouse_given_names": N_("Spouse's given names"),
    "spouse_family_name": N_("Spouse's family name"),
    "spouse_birth_date": N_("Spouse's date of birth"),
    "union_type": N_("Type of union"),
    "union_date": N_("Date of the union"),
    "separation_date": N_("Date of the separation"),
    "custody": N_("Children's custody"),
}


SOURCE_LABELS = {
    "answers": N_("your answer"),
    "profile": N_("your profile"),
    "lookup": N_("the organisation's records"),
}


def field_label(name: str) -> str:
    return gettext(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ")


def status_label(status: str) -> str:
    """What the citizen sees per organisation: sent, waiting, refused by the organisation (a 4xx) or
    not sent because the organisation could not be reached (a dead letter)."""
    if status == "delivered":
        return pgettext("delivery status", "Sent")
    if status == "pending":
        return pgettext("delivery status", "Waiting")
    if status == "failed":
        return pgettext("delivery status", "Refused")
    return pgettext("delivery status", "Not sent")


def source_label(kind: str) -> str:
    return gettext(SOURCE_LABELS[kind]) if kind in SOURCE_LABELS else kind
