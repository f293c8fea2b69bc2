"""Storing a NAS or RAMQ number needs a confirmed e-mail address; changing the NAS is rate-limited
per account and audited (issue 9, section 1)."""
from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.auth.testing import create_user, login
from app.core.audit import AuditEvent
from app.core.db import db
from app.dossier.models import Profile

PROFILE = "/mon-dossier/profil"


def test_an_unconfirmed_address_cannot_store_a_nas_or_a_health_number(app, client, valid_profile):
    with app.app_context():
        user_id = create_user(email="new@example.ca", verified=False).id
    login(client, "new@example.ca")
    response = client.post(PROFILE, data=valid_profile)
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = page.find(id="error-summary").get_text(" ", strip=True)
    assert "Confirmez votre adresse courriel avant d'ajouter ce numéro" in summary
    with app.app_context():
        profile = db.session.get(Profile, user_id)
        assert profile is None or (profile.sin_encrypted is None and profile.health_number_encrypted is None)
    # the rest of the profile can still be saved
    without_numbers = {**valid_profile, "sin": "", "health_number": ""}
    assert client.post(PROFILE, data=without_numbers).status_code == 302


def test_nas_changes_are_rate_limited_per_account_and_audited(app, signed_in, user, valid_profile):
    app.config["PROFILE_SIN_CHANGES"] = "2 per day"
    try:
        for sin in ("130 692 544", "223 456 781"):
            assert signed_in.post(PROFILE, data={**valid_profile, "sin": sin}).status_code == 302
        third = signed_in.post(PROFILE, data={**valid_profile, "sin": "223 456 799"})
        assert third.status_code == 429
        page = BeautifulSoup(third.get_data(as_text=True), "html.parser")
        assert "trop de fois aujourd'hui" in page.find(id="error-summary").get_text()
        # other changes still go through: only the NAS is limited
        assert signed_in.post(PROFILE, data={**valid_profile, "sin": "", "address.city": "Laval"}).status_code == 302
    finally:
        app.config["PROFILE_SIN_CHANGES"] = "3 per day"
    with app.app_context():
        assert db.session.get(Profile, user.id).sin_last_digits == "781"
        events = db.session.execute(select(AuditEvent).filter_by(action="profile.sin_changed")).scalars().all()
        assert [e.details for e in events] == [{"change": "set"}, {"change": "set"}]
        assert all(e.user_id == user.id for e in events)
