"""Profile: checked fields, NAS and RAMQ number encrypted at rest, masked, and audited when read."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.core import crypto
from app.core.audit import AuditEvent
from app.core.db import db
from app.dossier.models import Profile
from app.dossier.profile import profile_values, reencrypt_all



def stored_profile(app, user_id):
    with app.app_context():
        profile = db.session.get(Profile, user_id)
        if profile is not None:
            db.session.expunge(profile)
        return profile


def test_a_valid_profile_is_saved_normalised_and_numbers_are_encrypted(app, client, user, signed_in, valid_profile):
    response = client.post("/mon-dossier/profil", data=valid_profile)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Votre profil est enregistré." in page
    assert "*** *** 544" in page and "**** **** 0112" in page
    assert "130 692 544" not in page and "130692544" not in page and "TREM80010112" not in page
    profile = stored_profile(app, user.id)
    assert profile.postal_code == "H2X 1Y4" and profile.phone == "514 555-1234"
    assert profile.birth_date.isoformat() == "1985-03-14"
    assert "130692544" not in profile.sin_encrypted and "TREM" not in profile.health_number_encrypted
    assert crypto.key_id_of(profile.sin_encrypted) in app.config["FIELD_ENCRYPTION_KEYS"]
    with app.app_context():
        assert db.session.get(User, user.id).reminders_opt_in is True


@pytest.mark.parametrize("field, value, message", [
    ("sin", "130 692 545", "Ce numéro d’assurance sociale n’est pas valide"),
    ("sin", "1234", "Un numéro d’assurance sociale a 9 chiffres"),
    ("address.postal_code", "H2X 1Y", "Entrez un code postal canadien"),
    ("address.postal_code", "D2X 1Y4", "Entrez un code postal canadien"),
    ("address.postal_code", "M5V 2T6", "Ce code postal n’est pas dans la province choisie"),
    ("health_number", "TREM 8013 0112", "4 lettres puis 8 chiffres"),
    ("health_number", "1234 5678 9012", "4 lettres puis 8 chiffres"),
    ("birth_date", "31/02/1985", "Entrez votre date de naissance"),
    ("phone", "555-12", "Entrez un numéro de téléphone"),
])
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(app, client, user, signed_in, field, value, message, valid_profile):
    page = client.post("/mon-dossier/profil", data={**valid_profile, field: value})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert message in html
    assert "<title>Erreur" in html
    assert stored_profile(app, user.id) is None


def test_bad_input_in_english(client, user, signed_in, valid_profile):
    client.get("/langue/en", check_page=False)
    html = client.post("/mon-dossier/profil", data={**valid_profile, "sin": "130 692 545"}).get_data(as_text=True)
    assert "This social insurance number is not valid" in html


def test_blank_numbers_keep_the_stored_ones_and_the_boxes_delete_them(app, client, user, signed_in, valid_profile):
    client.post("/mon-dossier/profil", data=valid_profile)
    client.post("/mon-dossier/profil", data={**valid_profile, "sin": "", "health_number": ""})
    assert stored_profile(app, user.id).sin_encrypted
    client.post("/mon-dossier/profil", data={**valid_profile, "sin": "", "health_number": "", "remove_sin": "1"})
    profile = stored_profile(app, user.id)
    assert profile.sin_encrypted is None and profile.sin_last_digits is None and profile.health_number_encrypted


def test_profile_values_decrypts_and_audits_each_read(app, client, user, signed_in, valid_profile):
    client.post("/mon-dossier/profil", data=valid_profile)
    with app.app_context():
        account = db.session.get(User, user.id)
        values = profile_values(account, purpose="declaration")
        assert values == {
            "given_names": "Ana", "family_name": "Tremblay", "birth_date": "1985-03-14",
            "email": "ana@example.ca", "phone": "514 555-1234",
            "address": {"street": "123, rue Principale", "city": "Montréal", "province": "QC", "postal_code": "H2X 1Y4"},
            "sin": "130692544", "health_number": "TREM80010112", "language": "fr",
        }
    with app.app_context():
        reads = db.session.execute(select(AuditEvent).where(AuditEvent.action == "profile.sensitive_read")).scalars().all()
        assert len(reads) == 1
        assert reads[0].details == {"fields": ["sin", "health_number"], "purpose": "declaration"}
        assert "130692544" not in str(reads[0].details)
        # Without the sensitive fields, nothing is decrypted and nothing is logged.
        profile_values(db.session.get(User, user.id), include_sensitive=False)
        assert len(db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "profile.sensitive_read")).scalars().all()) == 1


def test_profile_values_of_a_new_account_are_empty_but_for_the_email(app, user):
    with app.app_context():
        values = profile_values(db.session.get(User, user.id))
        assert values["email"] == "ana@example.ca"
        assert all(values[key] is None for key in values if key != "email")


def test_a_ciphertext_moved_to_another_row_or_altered_does_not_decrypt(app):
    with app.app_context():
        token = crypto.encrypt("130692544", "profiles.sin:1")
        assert crypto.decrypt(token, "profiles.sin:1") == "130692544"
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token, "profiles.sin:2")
        key_id, _, payload = token.partition(".")
        altered = key_id + "." + ("A" if payload[0] != "A" else "B") + payload[1:]
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(altered, "profiles.sin:1")


def test_keys_rotate_without_losing_a_number(app, client, user, signed_in, valid_profile):
    client.post("/mon-dossier/profil", data=valid_profile)
    old_keys = dict(app.config["FIELD_ENCRYPTION_KEYS"])
    old_current = app.config.get("FIELD_ENCRYPTION_KEY_ID")
    app.config["FIELD_ENCRYPTION_KEYS"] = {**old_keys, "k2026": crypto.new_key()}
    app.config["FIELD_ENCRYPTION_KEY_ID"] = "k2026"
    try:
        with app.app_context():
            assert reencrypt_all() == 2
            assert crypto.key_id_of(db.session.get(Profile, user.id).sin_encrypted) == "k2026"
            assert profile_values(db.session.get(User, user.id))["sin"] == "130692544"
            assert reencrypt_all() == 0
    finally:
        app.config["FIELD_ENCRYPTION_KEYS"] = old_keys
        app.config["FIELD_ENCRYPTION_KEY_ID"] = old_current
