"""An expired or missing security (CSRF) token never loses a typed answer (issue 11): the same
question comes back with the answer kept, a message and a fresh token, and nothing is saved."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from runner_helpers import JOURNEY, question_url
from sqlalchemy import select

from app.core.db import db
from app.runner.models import Run


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True).replace("\u00a0", " "), "html.parser")


def token_of(page) -> str:
    return page.find("input", attrs={"name": "csrf_token"})["value"]


@pytest.fixture
def csrf_client(runner_app):
    runner_app.config["WTF_CSRF_ENABLED"] = True
    client = runner_app.test_client()
    client.get("/langue/fr")
    yield client
    runner_app.config["WTF_CSRF_ENABLED"] = False
    with runner_app.app_context():
        for run in db.session.execute(select(Run)).scalars():
            db.session.delete(run)
        db.session.commit()


def start(client):
    token = token_of(soup(client.get(f"/parcours/{JOURNEY}")))
    assert client.post(f"/parcours/{JOURNEY}/commencer", data={"csrf_token": token}).status_code == 302
    token = token_of(soup(client.get(question_url("type_evenement"))))
    client.post(question_url("type_evenement"), data={"type_evenement": "naissance", "csrf_token": token})


@pytest.mark.parametrize("token", ["", "expired-or-forged-token"])
def test_a_typed_answer_comes_back_with_a_fresh_token(csrf_client, runner_app, token):
    start(csrf_client)
    response = csrf_client.post(question_url("date_evenement"),
                                data={"date_evenement": "25/02/2026", "csrf_token": token})
    assert response.status_code == 200
    page = soup(response)
    assert page.find(id="date_evenement")["value"] == "25/02/2026"
    assert "la page avait expiré" in page.find(id="error-summary").get_text()
    fresh = token_of(page)
    assert fresh and fresh != token
    with runner_app.app_context():
        run = db.session.execute(select(Run)).scalar_one()
        assert "date_evenement" not in run.answers
    response = csrf_client.post(question_url("date_evenement"), data={"date_evenement": "25/02/2026", "csrf_token": fresh})
    assert response.status_code == 302
    with runner_app.app_context():
        assert db.session.execute(select(Run)).scalar_one().answers["date_evenement"] == "2026-02-25"


def test_a_chosen_option_is_kept_too(csrf_client):
    start(csrf_client)
    response = csrf_client.post(question_url("type_evenement"), data={"type_evenement": "adoption"})
    page = soup(response)
    assert page.find(id="type_evenement-adoption").has_attr("checked")
    assert page.find(id="error-summary") is not None


def test_starting_without_a_token_shows_the_start_page_again(csrf_client):
    response = csrf_client.post(f"/parcours/{JOURNEY}/commencer", data={})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/parcours/{JOURNEY}")
