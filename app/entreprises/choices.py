"""What a business is: legal forms and sectors (stored values and their labels), and the NEQ format.

Sector values are the option values of the `secteur` question of business journeys, so the
entreprises home can filter obligations by sector (see segments.py).
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

LEGAL_FORMS = {
    "entreprise_individuelle": _l("Sole proprietorship"),
    "societe_en_nom_collectif": _l("General partnership"),
    "societe_en_commandite": _l("Limited partnership"),
    "societe_par_actions": _l("Corporation (business corporation)"),
    "cooperative": _l("Co-operative"),
    "obnl": _l("Non-profit organisation"),
}

SECTORS = {
    "commerce_detail": _l("Retail trade"),
    "restauration": _l("Restaurants and food services"),
    "construction": _l("Construction"),
    "services_professionnels": _l("Professional services"),
    "fabrication": _l("Manufacturing"),
    "transport": _l("Transportation"),
    "agriculture": _l("Agriculture"),
    "autre": _l("Other sector"),
}

# The Québec enterprise number (NEQ) given by the Registraire des entreprises: 10 digits. No public
# check-digit rule exists (python-stdnum has none either), so only the format is checked.
NEQ = re.compile(r"^\d{10}$")


def normalize_neq(value: str | None) -> str:
    return re.sub(r"[\s-]", "", value or "")


def valid_neq(value: str) -> bool:
    return bool(NEQ.match(normalize_neq(value)))
