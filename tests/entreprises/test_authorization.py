"""For every business route (walked from app.url_map): the business id is a typed uuid, a signed-in
non-member gets 404 for every method, an anonymous visitor the login page, and a member gets in
(a collaborator gets 403 on the administrators' pages)."""
from __future__ import annotations

import uuid

from app.entreprises.access import member_business  # noqa: F401  (the decorator every route below uses)

PUBLIC = {"entreprises.home", "entreprises.create", "entreprises.accept_invitation", "entreprises.static"}


def business_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("entreprises.") and rule.endpoint not in PUBLIC:
            yield rule


def _url(rule, business_id, member_id: int = 0) -> str:
    """The rule's URL; `member_id` where it names a member."""
    return rule.rule.replace("<uuid:business_id>", business_id).replace("<int:member_id>", str(member_id))


def _creator(app, business_id) -> int:
    """The member id of the business's creator, its administrator."""
    from app.core.db import db
    from app.entreprises.models import BusinessMember

    with app.app_context():
        return db.session.query(BusinessMember.id).filter_by(business_id=business_id).order_by(BusinessMember.id).first()[0]


def test_every_business_route_types_its_id_and_checks_membership(app):
    rules = list(business_routes(app))
    assert len(rules) >= 5
    for rule in rules:
        assert type(rule._converters["business_id"]).__name__ == "UUIDConverter", rule.rule
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "business_access", None) in ("member", "admin"), rule.endpoint


def test_non_members_get_404_on_every_business_route(app, client, business, outsider):
    rules = list(business_routes(app))
    creator = _creator(app, business.id)
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = _url(rule, business.id, creator)
            anonymous = app.test_client().open(url, method=method)
            assert anonymous.status_code == 302 and anonymous.location.startswith("/connexion"), (rule, method)
            assert outsider.open(url, method=method).status_code == 404, (rule, method)
            assert outsider.open(_url(rule, str(uuid.uuid4()), creator), method=method).status_code == 404
            assert client.open(_url(rule, str(uuid.uuid4()), creator), method=method).status_code == 404
            assert client.open(url, method=method).status_code in (200, 302, 400, 404), (rule, method)


def test_members_reach_every_get_route(app, client, business, add_member):
    colleague = add_member(business.id, "marc@example.ca")
    creator = _creator(app, business.id)
    for rule in business_routes(app):
        if "GET" in rule.methods:
            admin_only = app.view_functions[rule.endpoint].business_access == "admin"
            url = _url(rule, business.id, creator)
            assert colleague.get(url).status_code == (403 if admin_only else 200), rule.rule
            assert client.get(url).status_code == 200, rule.rule


def test_a_business_journey_only_starts_for_business_journeys(client, business):
    for journey_id in ("devenir-parent", "inconnu", "../x", ""):
        assert client.post(f"{business.url}/parcours", data={"parcours": journey_id}).status_code == 404


def test_an_obligation_of_another_business_cannot_be_ticked(client, business):
    response = client.post(f"{business.url}/obligations", data={"obligation": "x|y|", "action": "done"})
    assert response.status_code == 404
