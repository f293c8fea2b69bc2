"""A declaration acts on the citizen's identity: only an account with a confirmed e-mail address may
open the review or submit (issue 9, section 1)."""
from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import update

from app.auth.models import User
from app.core.db import db

URL = "/parcours/devenir-parent/declaration"


def test_an_unconfirmed_address_cannot_declare(app, citizen):
    with app.app_context():
        db.session.execute(update(User).values(email_verified_at=None))
        db.session.commit()
    for response in (citizen.client.get(URL), citizen.client.post(URL, data={"attestation": "oui",
                                                                               "consent-dec": "oui"})):
        assert response.status_code == 403
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert page.h1.get_text(strip=True) == "Confirmez d'abord votre adresse courriel"
        assert page.find("form", action="/courriel/renvoyer") is not None
    with app.app_context():
        from app.declarations.models import Declaration

        assert db.session.query(Declaration).count() == 0
