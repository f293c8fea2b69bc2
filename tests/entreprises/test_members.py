"""Administrators manage the members: change a role, remove a member (who loses access at once),
and the business always keeps an administrator."""
from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.auth.testing import create_user, login
from app.core.db import db
from app.entreprises import dossier, members_admin
from app.entreprises.models import ADMIN, COLLABORATOR, Business, BusinessEvent, BusinessMember
from tests.declarations.test_postgres import pg_database  # noqa: F401  (fixture)
from tests.entreprises.conftest import BUSINESS_FORM

LAST_ADMIN = "seul administrateur"


def _member_id(app, business_id, email) -> int:
    from app.auth.models import User

    with app.app_context():
        return db.session.execute(select(BusinessMember.id).join(User, User.id == BusinessMember.user_id).where(
            BusinessMember.business_id == business_id, User.email == email)).scalar_one()


def _roles(app, business_id) -> list[str]:
    with app.app_context():
        return sorted(db.session.execute(select(BusinessMember.role).where(
            BusinessMember.business_id == business_id)).scalars())


def _actions(app, business_id) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session.execute(select(BusinessEvent).where(
            BusinessEvent.business_id == business_id).order_by(BusinessEvent.id)).scalars()]


def test_an_administrator_makes_a_colleague_administrator(app, client, business, add_member):
    colleague = add_member(business.id, "marc@example.ca")
    assert "Inviter un ou une collègue" not in colleague.get(f"{business.url}/membres").get_data(as_text=True)
    url = f"{business.url}/membres/{_member_id(app, business.id, 'marc@example.ca')}/role"
    page = client.get(url).get_data(as_text=True)
    assert "marc@example.ca" in page and 'value="collaborateur" checked' in page
    response = client.post(url, data={"role": ADMIN})
    assert response.status_code == 302
    assert "Le rôle est modifié" in client.get(response.location).get_data(as_text=True)
    assert _roles(app, business.id) == [ADMIN, ADMIN]
    assert _actions(app, business.id)[-1] == "member_role_changed"
    assert colleague.post(f"{business.url}/membres", data={"email": "x@example.ca", "role": COLLABORATOR}).status_code == 302


def test_a_removed_member_loses_access_at_their_next_page(app, client, business, add_member):
    colleague = add_member(business.id, "marc@example.ca")
    assert colleague.get(business.url).status_code == 200
    url = f"{business.url}/membres/{_member_id(app, business.id, 'marc@example.ca')}/retirer"
    page = client.get(url).get_data(as_text=True)
    assert "Retirer marc@example.ca de Boulangerie du Quartier?" in page
    response = client.post(url)
    assert response.status_code == 302
    members = client.get(response.location).get_data(as_text=True)
    assert "Le membre est retiré" in members and "marc@example.ca" not in members
    assert colleague.get(business.url).status_code == 404
    assert colleague.get(f"{business.url}/membres").status_code == 404
    assert "Boulangerie du Quartier" not in colleague.get("/entreprises").get_data(as_text=True)
    assert _roles(app, business.id) == [ADMIN]
    assert _actions(app, business.id)[-1] == "member_removed"


def test_the_last_administrator_can_be_neither_made_collaborator_nor_removed(app, client, business, user):
    own = _member_id(app, business.id, user.email)
    refused = client.post(f"{business.url}/membres/{own}/role", data={"role": COLLABORATOR})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and LAST_ADMIN in page and 'href="#role-collaborateur"' in page
    refused = client.post(f"{business.url}/membres/{own}/retirer")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and LAST_ADMIN in page and 'href="#remove"' in page
    assert _roles(app, business.id) == [ADMIN]
    assert client.get(business.url).status_code == 200


def test_an_administrator_may_leave_when_another_one_stays(app, client, business, user, add_member):
    other_admin = add_member(business.id, "sophie@example.ca", role=ADMIN)
    response = client.post(f"{business.url}/membres/{_member_id(app, business.id, user.email)}/retirer")
    assert response.status_code == 302 and response.location.endswith("/entreprises")
    assert client.get(business.url).status_code == 404
    assert other_admin.get(f"{business.url}/membres").status_code == 200
    assert _roles(app, business.id) == [ADMIN]


def test_a_collaborator_manages_no_one(app, client, business, user, add_member):
    colleague = add_member(business.id, "marc@example.ca")
    admin_id = _member_id(app, business.id, user.email)
    for path in (f"membres/{admin_id}/role", f"membres/{admin_id}/retirer"):
        assert colleague.get(f"{business.url}/{path}").status_code == 403
        assert colleague.post(f"{business.url}/{path}", data={"role": COLLABORATOR}).status_code == 403
    assert "Changer le rôle" not in colleague.get(f"{business.url}/membres").get_data(as_text=True)
    assert _roles(app, business.id) == [ADMIN, COLLABORATOR]


def test_a_member_of_another_business_cannot_be_reached(app, client, business, user, add_member):
    add_member(business.id, "marc@example.ca")
    other = app.test_client()
    login(other, email="marc@example.ca")
    created = other.post("/entreprises/nouvelle", data={**BUSINESS_FORM, "name": "Garage Tremblay"})
    other_business = created.location.rstrip("/").split("/")[-1]
    stranger = _member_id(app, other_business, "marc@example.ca")
    for path in (f"membres/{stranger}/role", f"membres/{stranger}/retirer"):
        assert client.get(f"{business.url}/{path}").status_code == 404
        assert client.post(f"{business.url}/{path}", data={"role": COLLABORATOR}).status_code == 404
    assert _roles(app, other_business) == [ADMIN]
    for hostile in ("0", str(2**31), "9" * 40):
        assert client.get(f"{business.url}/membres/{hostile}/retirer").status_code == 404


def test_a_role_must_be_chosen(app, client, business, add_member):
    add_member(business.id, "marc@example.ca")
    url = f"{business.url}/membres/{_member_id(app, business.id, 'marc@example.ca')}/role"
    for role in ("", "proprietaire"):
        response = client.post(url, data={"role": role})
        assert response.status_code == 200 and 'href="#role-collaborateur"' in response.get_data(as_text=True)
    assert _roles(app, business.id) == [ADMIN, COLLABORATOR]


@pytest.mark.postgres
def test_two_administrators_demoting_each_other_at_once_leave_one(pg_database, monkeypatch):  # noqa: F811
    """On PostgreSQL, with both requests past their page and about to write at the same moment."""

    app = create_app({"TESTING": True, "SECRET_KEY": "pg-admins", "SQLALCHEMY_DATABASE_URI": pg_database()})
    with app.app_context():
        upgrade()
        business = Business(name="Garage Tremblay", legal_form="entreprise_individuelle", sector="commerce_detail")
        db.session.add(business)
        db.session.flush()
        members = [BusinessMember(business_id=business.id, user_id=create_user(email).id, role=ADMIN)
                   for email in ("ana@example.ca", "marc@example.ca")]
        db.session.add_all(members)
        db.session.commit()
        business_id, ids = business.id, [m.id for m in members]

    # Each demotion waits here, after its check and before its commit, for the other one: without the
    # lock on every administrator row both would pass the check and the business would have none.
    both_checked = threading.Barrier(2, timeout=3)
    record = dossier.record

    def record_when_both_checked(*args, **kwargs):
        try:
            both_checked.wait()
        except threading.BrokenBarrierError:
            pass  # the other demotion is waiting for our lock: go on and commit
        return record(*args, **kwargs)

    monkeypatch.setattr(dossier, "record", record_when_both_checked)
    results = {}

    def demote(member_id, by):
        with app.app_context():
            target = db.session.get(BusinessMember, member_id)
            results[member_id] = members_admin.change_role(target, COLLABORATOR, by=by)
            db.session.remove()

    threads = [threading.Thread(target=demote, args=(ids[0], ids[1])),
               threading.Thread(target=demote, args=(ids[1], ids[0]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(results.values()) == [False, True]
    assert _roles(app, business_id) == [ADMIN, COLLABORATOR]
    with app.app_context():
        db.engine.dispose()

