"""Business space fixtures: a business with its administrator signed in, and helpers to add members."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.auth.testing import create_user, login

BUSINESS_FORM = {
    "name": "Boulangerie du Quartier", "neq": "1171234567", "legal_form": "societe_par_actions",
    "sector": "restauration", "street": "12, rue Saint-Denis", "city": "Montréal", "postal_code": "h2x1y4",
}


@pytest.fixture
def business(app, client, user):
    """A business created through the form by `user`, who stays signed in on `client`."""
    login(client, email=user.email)
    response = client.post("/entreprises/nouvelle", data=BUSINESS_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    business_id = response.location.rstrip("/").split("/")[-1]
    return SimpleNamespace(id=business_id, url=f"/entreprises/{business_id}")


@pytest.fixture
def add_member(app):
    """add_member(business_id, email, role) -> a signed-in test client of a new member."""
    from app.core.db import db
    from app.entreprises.models import BusinessMember

    def add(business_id, email, role="collaborateur"):
        with app.app_context():
            member = create_user(email)
            db.session.add(BusinessMember(business_id=business_id, user_id=member.id, role=role))
            db.session.commit()
        other = app.test_client()
        login(other, email=email)
        return other

    return add


@pytest.fixture
def outsider(app):
    """A signed-in client of an account that belongs to no business."""
    with app.app_context():
        create_user("intrus@example.ca")
    other = app.test_client()
    login(other, email="intrus@example.ca")
    return other
