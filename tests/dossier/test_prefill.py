"""Prefill: a question with `prefill: profile.address` shows the profile's address for the citizen to
confirm, and the check page says *d'après votre profil*. Never for anonymous visitors, never skipped."""
from __future__ import annotations

from sqlalchemy import select

from app.core.audit import AuditEvent
from app.core.db import db

ADDRESS = {"street": "123, rue Principale", "city": "Montréal", "province": "QC", "postal_code": "H2X 1Y4"}


def answers_before_address(birth_answers) -> dict:
    keys = ["type_evenement", "lieu_naissance", "endroit_naissance", "date_naissance", "enfants"]
    return {key: birth_answers[key] for key in keys}


def own_run(client, run_id):
    with client.session_transaction() as session:
        session["runs"] = {"devenir-parent": run_id}


def test_the_profile_address_is_suggested_confirmed_and_marked_on_the_check_page(
        app, client, user, make_run, today, signed_in, valid_profile, birth_answers):
    client.post("/mon-dossier/profil", data=valid_profile)
    run_id = make_run(user.id, answers=answers_before_address(birth_answers), status="in_progress")
    own_run(client, run_id)
    page = client.get("/parcours/devenir-parent/questions/adresse_domicile").get_data(as_text=True)
    assert "Nous avons rempli cette réponse d’après votre profil" in page
    assert 'value="123, rue Principale"' in page and 'value="H2X 1Y4"' in page
    # The citizen still confirms the answer: nothing is stored until they press Continue.
    client.post("/parcours/devenir-parent/questions/adresse_domicile",
                data={f"adresse_domicile.{part}": value for part, value in ADDRESS.items()})
    for key in ("travail_parent", "autre_parent", "autre_parent_travail"):
        client.post(f"/parcours/devenir-parent/questions/{key}", data={key: "oui"})
    client.post("/parcours/devenir-parent/questions/besoins", data={"besoins": "garderie"})
    check = client.get("/parcours/devenir-parent/verifier").get_data(as_text=True)
    address_row = check.split("Montréal")[1].split("</dd>")[0]
    assert "d’après votre profil" in address_row
    assert check.count("d’après votre profil") == 1
    with app.app_context():
        # The address is not sensitive: reading it decrypts nothing and logs nothing.
        assert not db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "profile.sensitive_read")).scalars().all()


def test_a_changed_answer_is_no_longer_marked_from_the_profile(app, client, user, make_run, today, signed_in,
                                                               valid_profile, birth_answers):
    client.post("/mon-dossier/profil", data=valid_profile)
    answers = dict(birth_answers, adresse_domicile=dict(ADDRESS, street="9, rue Ailleurs"))
    run_id = make_run(user.id, answers=answers, status="in_progress")
    own_run(client, run_id)
    check = client.get("/parcours/devenir-parent/verifier").get_data(as_text=True)
    assert "d’après votre profil" not in check


def test_no_suggestion_without_a_profile_or_when_signed_out(app, client, user, make_run, today, birth_answers):
    run_id = make_run(None, answers=answers_before_address(birth_answers), status="in_progress")
    own_run(client, run_id)
    page = client.get("/parcours/devenir-parent/questions/adresse_domicile").get_data(as_text=True)
    assert "d’après votre profil" not in page and 'value="123, rue Principale"' not in page
