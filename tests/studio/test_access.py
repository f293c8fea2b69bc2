"""Only staff reach the studio: every /studio route is a 404 for anonymous visitors and citizens,
and publishing is for publishers. The URL map is walked, so a new route cannot forget its check."""
from __future__ import annotations

import re

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from app.auth.cli import users
from app.auth.models import ADMIN, STAFF_EDITOR, STAFF_PUBLISHER, User
from app.core.audit import AuditEvent
from app.core.config import PROJECT_ROOT
from app.core.db import db


def studio_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/studio") and rule.endpoint != "studio.static"]


# A version that exists once the files are loaded (their `version:`), so a 404 comes from the access check.
FIRST = yaml.safe_load((PROJECT_ROOT / "journeys" / "demenager.yaml").read_text(encoding="utf-8"))["version"]
VALUES = {"number": str(FIRST), "index": "0", "feedback_id": "1", "delivery_id": "1", "question_id": "date_demenagement", "group_id": "personnes"}


def concrete(rule) -> str:
    values = {name: VALUES.get(name, "demenager") for name in rule.arguments}
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values[m.group(1)], rule.rule)


def test_every_studio_view_has_an_access_decorator(app):
    rules = studio_rules(app)
    assert len(rules) >= 24
    for rule in rules:
        if rule.endpoint.startswith("preview."):
            # The questionnaire's own views, mounted again: guarded for the whole blueprint (runner/mode.py).
            assert rule.rule.startswith("/studio/apercu/")
            continue
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "studio_access", None) in ("staff", "publisher"), rule.rule


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_every_studio_route_is_a_404_for_non_staff(app, accounts, loaded, who, unchecked_client):
    from app.auth.testing import login

    client = unchecked_client
    if who == "citizen":
        assert login(client, "ana@example.ca").status_code == 302
    for rule in studio_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(concrete(rule), method=method)
            assert response.status_code == 404, (who, method, rule.rule, response.status_code)


def test_an_editor_cannot_publish_or_roll_back(editor):
    assert editor.post("/studio/parcours/demenager/brouillon/creer").status_code == 302
    assert editor.get("/studio/parcours/demenager/brouillon/publier").status_code == 403
    assert editor.post("/studio/parcours/demenager/brouillon/publier", data={"confirm": "oui"}).status_code == 403
    assert editor.get(f"/studio/parcours/demenager/versions/{FIRST}/restaurer").status_code == 403


def test_preview_pages_are_404_without_a_draft_even_for_staff(editor):
    assert editor.get("/studio/apercu/parcours/demenager", check_page=False).status_code == 404


def test_an_editor_sees_the_studio(editor):
    page = editor.get("/studio/")
    assert page.status_code == 200 and "Déménager" in page.get_data(as_text=True)


def test_create_staff_with_a_generated_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(users, ["create-staff", "Pub@Quebec.ca", "--role", "publisher", "--generate"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.execute(select(User).filter_by(email="pub@quebec.ca")).scalar_one()
        assert set(user.roles) == {STAFF_EDITOR, STAFF_PUBLISHER}
        event = db.session.execute(select(AuditEvent).filter_by(action="users.staff_role_set")).scalar_one()
        assert "pub@quebec.ca" not in str(event.details)  # the log holds ids, not addresses
    password = result.output.strip().rsplit(" ", 1)[-1]
    from app.auth.testing import login

    client = app.test_client()
    assert login(client, "pub@quebec.ca", password).status_code == 302
    assert client.get("/studio/").status_code == 200


def test_create_staff_prompts_and_refuses_a_weak_password(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(users, ["create-staff", "ed@quebec.ca", "--role", "editor"], input="motdepasse\nmotdepasse\n")
    assert weak.exit_code != 0
    strong = runner.invoke(users, ["create-staff", "ed@quebec.ca", "--role", "admin"],
                           input="violon orange tempête 42\nviolon orange tempête 43\n"  # a typo: asked again
                                 "violon orange tempête 42\nviolon orange tempête 42\n")
    assert strong.exit_code == 0, strong.output
    assert "tempête" not in strong.output
    with app.app_context():
        user = db.session.execute(select(User).filter_by(email="ed@quebec.ca")).scalar_one()
        assert ADMIN in user.roles
