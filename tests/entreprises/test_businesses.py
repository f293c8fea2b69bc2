"""Businesses and members: creating a business, the NEQ check, invitations by signed mail link."""
from __future__ import annotations

import re

from app.auth.testing import create_user, login
from app.core.db import db
from app.entreprises.choices import valid_neq
from app.entreprises.models import Business, BusinessInvitation, BusinessMember
from tests.entreprises.conftest import BUSINESS_FORM


def test_neq_is_ten_digits():
    assert valid_neq("1171234567") and valid_neq("1171 234 567") and valid_neq("117-123-4567")
    assert not valid_neq("117123456") and not valid_neq("11712345678") and not valid_neq("117123456A")


def test_creating_a_business_makes_its_creator_administrator(app, client, business):
    page = client.get(business.url).get_data(as_text=True)
    assert "Boulangerie du Quartier" in page and "1171234567" in page and "administrat" in page
    with app.app_context():
        stored = db.session.get(Business, business.id)
        assert (stored.sector, stored.legal_form, stored.postal_code) == ("restauration", "societe_par_actions", "H2X 1Y4")
        roles = [m.role for m in db.session.query(BusinessMember).filter_by(business_id=business.id)]
        assert roles == ["administrateur"]


def test_the_form_reports_every_mistake(client, user):
    login(client, email=user.email)
    response = client.post("/entreprises/nouvelle", data={**BUSINESS_FORM, "name": " ", "neq": "12345",
                                                         "sector": "inconnu", "postal_code": "12345"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Erreur" in page
    for target in ("#name", "#neq", "#sector-commerce_detail", "#postal_code"):
        assert f'href="{target}"' in page


def test_a_business_can_be_created_before_it_has_a_neq(app, client, user):
    login(client, email=user.email)
    assert client.post("/entreprises/nouvelle", data={**BUSINESS_FORM, "neq": ""}).status_code == 302
    with app.app_context():
        assert db.session.query(Business).one().neq is None


def test_signing_in_is_needed_to_create_a_business(client):
    response = client.get("/entreprises/nouvelle")
    assert response.status_code == 302 and response.location.startswith("/connexion")


def test_home_lists_only_my_businesses(app, client, business, add_member):
    other = add_member(business.id, "marc@example.ca")
    assert "Boulangerie du Quartier" in other.get("/entreprises").get_data(as_text=True)
    with app.app_context():
        create_user("seule@example.ca")
    alone = app.test_client()
    login(alone, email="seule@example.ca")
    assert "Boulangerie du Quartier" not in alone.get("/entreprises").get_data(as_text=True)


def _invite(client, business, email="marc@example.ca", role="collaborateur"):
    return client.post(f"{business.url}/membres", data={"email": email, "role": role})


def test_invitation_by_mail_link_adds_the_colleague(app, client, business, mailbox):
    response = _invite(client, business, email="Marc@Example.ca")
    assert response.status_code == 302
    [message] = mailbox.messages()
    assert message["To"] == "marc@example.ca"
    assert "Boulangerie du Quartier" in message["Subject"]
    [link] = mailbox.links()
    path = re.sub(r"^https?://[^/]+", "", link)
    with app.app_context():
        create_user("marc@example.ca")
    colleague = app.test_client()
    assert "/connexion?next=" in colleague.get(path).get_data(as_text=True)  # signed out: sign in first
    login(colleague, email="marc@example.ca")
    assert colleague.get(path).status_code == 200
    assert colleague.get(business.url).status_code == 404  # not a member until they accept
    response = colleague.post(path)
    assert response.status_code == 302 and response.location == business.url
    assert colleague.get(business.url).status_code == 200
    assert colleague.post(path).status_code == 400  # single use
    page = client.get(business.url).get_data(as_text=True)
    assert "marc@example.ca" in page  # the activity says who joined


def test_invitation_for_another_address_is_refused(app, client, business, mailbox, outsider):
    _invite(client, business)
    path = re.sub(r"^https?://[^/]+", "", mailbox.links()[0])
    assert outsider.get(path).status_code == 403
    assert outsider.post(path).status_code == 403
    assert outsider.get(business.url).status_code == 404


def test_forged_and_expired_invitations_are_refused(app, client, business, mailbox, user):
    _invite(client, business)
    path = re.sub(r"^https?://[^/]+", "", mailbox.links()[0])
    assert client.get(path[:-3] + "abc").status_code == 400
    app.config["BUSINESS_INVITATION_MAX_AGE"] = -1
    try:
        page = client.get(path)
        assert page.status_code == 400 and "expir" in page.get_data(as_text=True)
    finally:
        app.config["BUSINESS_INVITATION_MAX_AGE"] = 7 * 24 * 3600


def test_only_an_administrator_invites(app, client, business, add_member, mailbox):
    colleague = add_member(business.id, "marc@example.ca")
    assert "Invite a colleague" not in colleague.get(f"{business.url}/membres").get_data(as_text=True)
    assert colleague.post(f"{business.url}/membres", data={"email": "x@example.ca", "role": "administrateur"}).status_code == 403
    assert mailbox.messages() == []
    with app.app_context():
        assert db.session.query(BusinessInvitation).count() == 0


def test_invitation_form_reports_a_bad_address(client, business, mailbox):
    response = _invite(client, business, email="pas-un-courriel", role="chef")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'href="#email"' in page and 'href="#role-collaborateur"' in page
    assert mailbox.messages() == []


def test_every_message_of_the_business_space_is_in_french():
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2] / "translations" / "entreprises"
    template = read_po((root / "messages.pot").open("rb"))
    french = read_po((root / "fr" / "LC_MESSAGES" / "messages.po").open("rb"))
    missing = [m.id for m in template if m.id and (m.id not in french or not french[m.id].string)]
    assert missing == []
