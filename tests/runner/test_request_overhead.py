"""What the question page's speed-ups must never change (see bench/profile_question.py):

- an anonymous visitor's cookie is only sent back when it changed, while a signed-in session taken
  to another browser is still ended (Flask-Login's strong protection, kept for signed-in sessions);
- the shared layout fragments follow the visitor's language and mount point, and carry no visitor data;
- the same answer posted again still leads on, and stores nothing new;
- each page asks the database for the run once.
"""
from __future__ import annotations

import pytest

from bs4 import BeautifulSoup
from runner_helpers import JOURNEY, question_url
from sqlalchemy import event

from app.auth.testing import create_user, login
from app.core.db import db
from app.runner.models import Run


def _started(client) -> str:
    response = client.post(f"/parcours/{JOURNEY}/commencer")
    assert response.status_code == 302
    return response.headers["Location"]


def test_an_unchanged_anonymous_cookie_is_not_sent_again(rclient):
    url = _started(rclient)
    rclient.get(url)  # the first page view puts the CSRF secret in the cookie
    for _ in range(3):
        response = rclient.get(url)
        assert response.status_code == 200
        assert response.headers.getlist("Set-Cookie") == []


def test_a_signed_in_session_used_from_another_browser_is_ended(app, client):
    with app.app_context():
        create_user()
    assert login(client).status_code == 302
    assert client.get("/mon-dossier").status_code == 200
    stolen = client.get("/mon-dossier", headers={"User-Agent": "Another browser/1.0"})
    assert stolen.status_code == 302 and "/connexion" in stolen.headers["Location"]


def test_the_layout_follows_the_language_switch(rclient):
    url = _started(rclient)
    french = BeautifulSoup(rclient.get(url).get_data(as_text=True), "html.parser")
    rclient.get("/langue/en")
    english = BeautifulSoup(rclient.get(url).get_data(as_text=True), "html.parser")
    assert french.select_one(".go-to-content a").get_text() != english.select_one(".go-to-content a").get_text()
    assert english.select_one(".go-to-content a").get_text() == "Skip to content"
    assert english.find(id="language-switch").get_text() == "Français"
    assert "Government of Québec" in english.footer.get_text()


def test_the_layout_links_follow_the_mount_point(runner_app):
    client = runner_app.test_client()
    plain = client.get("/", check_page=False).get_data(as_text=True)
    mounted = client.get("/", base_url="http://localhost/portail/", check_page=False).get_data(as_text=True)
    assert 'href="/static/css/parcours.css"' in plain
    assert 'href="/portail/static/css/parcours.css"' in mounted
    assert 'href="/portail/"' in mounted and 'href="/portail/static/css/parcours.css"' not in plain


def test_the_print_stylesheet_media_still_follows_the_page(rclient):
    from runner_helpers import answer_all

    answer_all(rclient)
    rclient.post(f"/parcours/{JOURNEY}/verifier")
    screen = BeautifulSoup(rclient.get(f"/parcours/{JOURNEY}/resultat").get_data(as_text=True), "html.parser")
    printable = BeautifulSoup(rclient.get(f"/parcours/{JOURNEY}/resultat?imprimer=1").get_data(as_text=True),
                              "html.parser")
    sheet = {"href": lambda h: h and h.endswith("/css/print.css")}
    assert screen.find("link", **sheet)["media"] == "print"
    assert printable.find("link", **sheet)["media"] == "all"


def test_the_same_answer_again_leads_on_and_stores_nothing_new(runner_app, rclient):
    _started(rclient)
    first = rclient.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    with runner_app.app_context():
        stored = db.session.execute(db.select(Run.answers, Run.updated_at)).one()
    again = rclient.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    assert again.status_code == first.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    with runner_app.app_context():
        assert tuple(db.session.execute(db.select(Run.answers, Run.updated_at)).one()) == tuple(stored)
    changed = rclient.post(question_url("type_evenement"), data={"type_evenement": "adoption"})
    assert changed.status_code == 302
    with runner_app.app_context():
        assert db.session.execute(db.select(Run.answers)).scalar_one()["type_evenement"] == "adoption"


def test_a_question_page_reads_the_database_once(runner_app, rclient):
    url = _started(rclient)
    rclient.get(url)
    statements = []
    with runner_app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        pytest.skip("counts statements with SQLite's own trace callback (the run store bypasses SQLAlchemy events)")

    # SQLite's own trace sees every statement, also those the run store sends past SQLAlchemy's events.
    def trace(dbapi_connection, record, proxy):
        dbapi_connection.set_trace_callback(statements.append)

    def untrace(dbapi_connection, record):
        dbapi_connection.set_trace_callback(None)

    event.listen(engine, "checkout", trace)
    event.listen(engine, "checkin", untrace)
    try:
        assert rclient.get(url).status_code == 200
    finally:
        event.remove(engine, "checkout", trace)
        event.remove(engine, "checkin", untrace)
    reads = [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1 and "FROM runs" in reads[0]
    assert not [statement for statement in statements if statement.lstrip().upper().startswith(
        ("INSERT", "UPDATE", "DELETE"))]
