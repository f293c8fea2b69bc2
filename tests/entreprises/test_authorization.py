"""For every business route (walked from app.url_map): the business id is a typed uuid, a signed-in
non-member gets 404 for every method, an anonymous visitor the login page, and a member gets in."""
from __future__ import annotations

import uuid

from app.entreprises.access import member_business  # noqa: F401  (the decorator every route below uses)

PUBLIC = {"entreprises.home", "entreprises.create", "entreprises.accept_invitation", "entreprises.static"}


def business_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("entreprises.") and rule.endpoint not in PUBLIC:
            yield rule


def _url(rule, business_id) -> str:
    return rule.rule.replace("<uuid:business_id>", business_id)


def test_every_business_route_types_its_id_and_checks_membership(app):
    rules = list(business_routes(app))
    assert len(rules) >= 5
    for rule in rules:
        assert type(rule._converters["business_id"]).__name__ == "UUIDConverter", rule.rule
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "business_access", None) in ("member", "admin"), rule.endpoint


def test_non_members_get_404_on_every_business_route(app, client, business, outsider):
    rules = list(business_routes(app))
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            anonymous = app.test_client().open(_url(rule, business.id), method=method)
            assert anonymous.status_code == 302 and anonymous.location.startswith("/connexion"), (rule, method)
            assert outsider.open(_url(rule, business.id), method=method).status_code == 404, (rule, method)
            assert outsider.open(_url(rule, str(uuid.uuid4())), method=method).status_code == 404
            assert client.open(_url(rule, str(uuid.uuid4())), method=method).status_code == 404
            assert client.open(_url(rule, business.id), method=method).status_code in (200, 302, 400, 404), (rule, method)


def test_members_reach_every_get_route(app, client, business, add_member):
    colleague = add_member(business.id, "marc@example.ca")
    for rule in business_routes(app):
        if "GET" in rule.methods:
            assert colleague.get(_url(rule, business.id)).status_code == 200, rule.rule


def test_a_business_journey_only_starts_for_business_journeys(client, business):
    for journey_id in ("devenir-parent", "inconnu", "../x", ""):
        assert client.post(f"{business.url}/parcours", data={"parcours": journey_id}).status_code == 404


def test_an_obligation_of_another_business_cannot_be_ticked(client, business):
    response = client.post(f"{business.url}/obligations", data={"obligation": "x|y|", "action": "done"})
    assert response.status_code == 404
