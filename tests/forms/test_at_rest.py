"""Personal data at rest (issue 9, section 2): after a realistic flow — profile, look-ups, drafts of
forms holding a NAS and a health insurance number, a declaration — no table of the portal holds a
NAS or RAMQ number in clear. Read at the SQL level, every column of every table."""
from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup
from sqlalchemy import inspect, select, text

from app.core import crypto
from app.core.db import db
from app.forms.models import FormDraft
from tests.forms.conftest import start_run
from tests.forms.test_each_form import CASES
from tests.forms.test_review import BIRTH_ANSWERS, form_data, soup_of

NAS = "130692544"
HEALTH_NUMBERS = ("TREM90041299", "TREM90041212")  # the profile's, and the one the RAMQ registry holds


def clear_patterns() -> re.Pattern:
    spaced = [r"130\W?692\W?544"] + [rf"{h[:4]}\W?{h[4:8]}\W?{h[8:]}" for h in HEALTH_NUMBERS]
    return re.compile("|".join(spaced), re.IGNORECASE)


def dump_every_table() -> dict[str, str]:
    """table -> every row as text, straight from SQL (no ORM, no decryption)."""
    dumped = {}
    connection = db.session.connection()
    for table in inspect(connection).get_table_names():
        rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
        dumped[table] = "\n".join(json.dumps([str(value) for value in row], ensure_ascii=False) for row in rows)
    return dumped


def test_no_nas_or_health_number_in_clear_in_any_table(app, signed_in, citizen, registries):
    # the profile (set up through save_profile by the fixture) and look-ups at three registries
    for case in CASES[1:2]:  # allocation-famille: a NAS field and the RAMQ number from the registry
        start_run(app, signed_in, citizen.id, case.journey, case.answers)
        signed_in.post(f"/formulaires/{case.form}/consultation?parcours={case.journey}",
                       data={"organisations": case.lookups, "action": "consult"})
        url = f"/formulaires/{case.form}?parcours={case.journey}"
        page = soup_of(signed_in.get(url))
        assert signed_in.post(url, data=form_data(page, action="save")).status_code == 302
    signed_in.post("/mon-dossier/informations-gouvernementales",
                   data={"organisations": ["ramq", "retraite-quebec", "revenu-quebec"], "action": "consult"})
    # a citizen who types a NAS in a free-text field of a draft
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    url = "/formulaires/declaration-naissance?parcours=devenir-parent"
    page = soup_of(signed_in.get(url))
    signed_in.post(url, data=form_data(page, enfant_prenoms="Léa 130 692 544", action="save"))
    # and a declaration sending the NAS to Retraite Québec
    declaration = "/parcours/devenir-parent/declaration"
    review = BeautifulSoup(signed_in.get(declaration).get_data(as_text=True), "html.parser")
    response = signed_in.post(declaration, data={
        "fingerprint": review.find("input", attrs={"name": "fingerprint"})["value"],
        "consent-retraite-quebec": "oui", "attestation": "oui"})
    assert response.status_code == 302

    with app.app_context():
        drafts = db.session.execute(select(FormDraft)).scalars().all()
        assert len(drafts) == 2
        assert any(d.field_values.get("nas") == NAS for d in drafts)  # still readable through the model
        dumped = dump_every_table()
    for table in ("profiles", "form_drafts", "government_reads", "deliveries"):
        assert dumped[table], f"the flow left nothing in {table}"
    leaks = {table: clear_patterns().findall(rows) for table, rows in dumped.items() if clear_patterns().search(rows)}
    assert leaks == {}


def test_draft_values_rotate_with_the_field_keys(app, signed_in, citizen, registries):
    case = CASES[1]
    start_run(app, signed_in, citizen.id, case.journey, case.answers)
    url = f"/formulaires/{case.form}?parcours={case.journey}"
    signed_in.post(f"/formulaires/{case.form}/consultation?parcours={case.journey}",
                   data={"organisations": case.lookups, "action": "consult"})
    signed_in.post(url, data=form_data(soup_of(signed_in.get(url)), action="save"))
    old_keys = dict(app.config["FIELD_ENCRYPTION_KEYS"])
    try:
        app.config["FIELD_ENCRYPTION_KEYS"] = {**old_keys, "zz-new": crypto.new_key()}
        app.config["FIELD_ENCRYPTION_KEY_ID"] = "zz-new"
        result = app.test_cli_runner().invoke(args=["dossier", "reencrypt"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            draft = db.session.execute(select(FormDraft)).scalar_one()
            assert crypto.key_id_of(draft.sensitive_encrypted) == "zz-new"
            assert draft.field_values["nas"] == NAS
            reads = db.session.execute(text("SELECT data_encrypted FROM government_reads")).scalars().all()
            assert reads and all(crypto.key_id_of(token) == "zz-new" for token in reads if token)
    finally:
        app.config["FIELD_ENCRYPTION_KEYS"] = old_keys
        app.config["FIELD_ENCRYPTION_KEY_ID"] = None
