"""For every route that takes an id: another account gets 404, an anonymous visitor the login page.

The route list comes from app.url_map, so a new route with an id is covered (or fails) automatically.
"""
from __future__ import annotations

import re
import uuid

import pytest

from app.auth.testing import create_user, login

OWNED_BLUEPRINTS = ("dossier", "auth")
# Routes whose parameter is a signed token, not an id: they are checked by signature, tested elsewhere.
TOKEN_ROUTES = {"auth.verify_email", "auth.reset_password", "auth.static"}


def id_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in OWNED_BLUEPRINTS and rule.arguments and rule.endpoint not in TOKEN_ROUTES:
            yield rule


def test_every_id_route_types_its_id_as_a_uuid(app):
    rules = list(id_routes(app))
    assert rules, "expected Mon dossier routes with an id"
    for rule in rules:
        for argument in rule.arguments:
            assert type(rule._converters[argument]).__name__ == "UUIDConverter", rule.rule


def _url(rule, run_id) -> str:
    return rule.rule.replace("<uuid:run_id>", run_id)


def test_another_account_gets_404_and_anonymous_visitors_the_login_page(app, client, user, make_run, today):
    run_id = make_run(user.id)
    with app.app_context():
        create_user("intrus@example.ca")
    rules = list(id_routes(app))
    for rule in rules:
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for method in methods:
            anonymous = app.test_client().open(_url(rule, run_id), method=method)
            assert anonymous.status_code == 302 and anonymous.location.startswith("/connexion"), (rule, method)
    intruder = app.test_client()
    login(intruder, email="intrus@example.ca")
    owner = app.test_client()
    login(owner)
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert intruder.open(_url(rule, run_id), method=method).status_code == 404, (rule, method)
            assert intruder.open(_url(rule, str(uuid.uuid4())), method=method).status_code == 404
            assert owner.open(_url(rule, run_id), method=method).status_code in (200, 302), (rule, method)


def test_an_anonymous_run_cannot_be_opened_from_mon_dossier(app, client, user, make_run, today, signed_in):
    anonymous_run = make_run(None)
    assert client.get(f"/mon-dossier/parcours/{anonymous_run}").status_code == 404


@pytest.mark.parametrize("path", ["/mon-dossier", "/mon-dossier/profil", "/mon-dossier/mes-donnees",
                                  "/mon-dossier/mes-donnees.json", "/mon-dossier/supprimer",
                                  "/session/avertissement"])
def test_every_personal_page_asks_anonymous_visitors_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.location.startswith("/connexion")


def uuid_routes(app):
    for rule in app.url_map.iter_rules():
        if any(type(conv).__name__ == "UUIDConverter" for conv in rule._converters.values()):
            yield rule


def _fill(rule, value: str) -> str:
    """The rule's path with `value` for every uuid and 1 for every number (a member's id, say)."""
    path = rule.rule
    for argument in rule.arguments:
        path = path.replace(f"<uuid:{argument}>", value).replace(f"<int:{argument}>", "1")
    return path


def test_every_uuid_route_of_the_whole_app_asks_for_login_then_hides_unknown_ids(app, user):
    """App-wide inventory (every package): anonymous → login page; signed in with an id that is not
    theirs (here: nobody's) → 404. Owner-versus-other checks with real records live in each package."""
    rules = list(uuid_routes(app))
    assert len(rules) >= 2
    signed_in = app.test_client()
    login(signed_in)
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = _fill(rule, str(uuid.uuid4()))
            anonymous = app.test_client().open(path, method=method)
            assert anonymous.status_code == 302 and anonymous.location.startswith("/connexion"), (rule.rule, method)
            assert signed_in.open(path, method=method).status_code == 404, (rule.rule, method)


def test_posts_without_the_csrf_token_are_refused(csrf_app, user, make_run, today):
    client = csrf_app.test_client()
    run_id = make_run(user.id)
    # Signing in needs the token too: take it from the login page.
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                      client.get("/connexion").get_data(as_text=True))
    token = token.group(1) or token.group(2)
    assert client.post("/connexion", data={"email": user.email, "password": "violon orange tempête 42",
                                           "csrf_token": token}).status_code == 302
    for path, data in [("/mon-dossier/profil", {"sin": "130 692 544"}),
                       (f"/mon-dossier/parcours/{run_id}", {"step-declarer-naissance": "done"}),
                       ("/mon-dossier/supprimer", {"confirm": "1", "password": "violon orange tempête 42"}),
                       ("/session/prolonger", {})]:
        assert client.post(path, data=data).status_code == 400, path
    assert client.get("/mon-dossier").status_code == 200  # still signed in, nothing deleted
