"""Question pages shared between anonymous visitors (app/core/shared_pages.py): the same page for
everyone in the same state, each visitor's own CSRF token in it, and nothing a citizen typed kept."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from runner_helpers import JOURNEY, question_url

from app.auth.testing import create_user, login
from app.core.shared_pages import EXTENSION

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def pages(runner_app):
    """The app's shared pages, emptied before and after the test."""
    shared = runner_app.extensions[EXTENSION]
    shared.clear()
    yield shared
    shared.clear()


def _visitor(runner_app, lang="fr"):
    client = runner_app.test_client()
    client.get(f"/langue/{lang}")
    assert client.post(f"/parcours/{JOURNEY}/commencer").status_code == 302
    return client


def _without_token(html: str) -> str:
    return TOKEN.sub('name="csrf_token" value=""', html)


def _cached_html(pages) -> str:
    return "".join(pages._items.values())


def test_two_visitors_see_the_same_page_each_with_their_own_token(runner_app, rclient, pages):
    first, second = _visitor(runner_app), _visitor(runner_app)
    one = first.get(question_url("type_evenement")).get_data(as_text=True)
    other = second.get(question_url("type_evenement")).get_data(as_text=True)
    assert len(pages) == 1
    assert _without_token(one) == _without_token(other)
    assert TOKEN.search(one).group(1) != TOKEN.search(other).group(1)
    # The same visitor keeps the same token from page to page.
    assert TOKEN.search(first.get(question_url("type_evenement")).get_data(as_text=True)).group(1) == \
        TOKEN.search(one).group(1)


def test_the_token_in_a_shared_page_is_accepted_and_a_strangers_is_not(runner_app, rclient, pages):
    first, second = _visitor(runner_app), _visitor(runner_app)
    own = TOKEN.search(first.get(question_url("type_evenement")).get_data(as_text=True)).group(1)
    strangers = TOKEN.search(second.get(question_url("type_evenement")).get_data(as_text=True)).group(1)
    runner_app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = first.post(question_url("type_evenement"),
                             data={"type_evenement": "adoption", "csrf_token": strangers})
        accepted = first.post(question_url("type_evenement"), data={"type_evenement": "adoption", "csrf_token": own})
    finally:
        runner_app.config["WTF_CSRF_ENABLED"] = False
    # Refused, the answer kept on the page with a fresh token, nothing saved (issue 11).
    assert refused.status_code == 200 and 'id="error-summary"' in refused.get_data(as_text=True)
    assert strangers not in refused.get_data(as_text=True)
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/date_evenement")


def test_a_shared_page_is_the_page_rendered_afresh(runner_app, rclient, pages):
    visitor = _visitor(runner_app)
    first = visitor.get(question_url("type_evenement")).get_data(as_text=True)   # rendered and kept
    shared = visitor.get(question_url("type_evenement")).get_data(as_text=True)  # from the shared pages
    runner_app.jinja_env.auto_reload = True  # as in debug: nothing shared, every page rendered
    try:
        fresh = visitor.get(question_url("type_evenement")).get_data(as_text=True)
    finally:
        runner_app.jinja_env.auto_reload = False
    assert first == shared
    # A full render signs the token afresh: it differs once a second has ticked by.
    assert _without_token(shared) == _without_token(fresh)


def test_what_a_citizen_typed_is_never_kept_to_be_shared(runner_app, rclient, pages):
    citizen = _visitor(runner_app)
    citizen.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    citizen.post(question_url("date_evenement"), data={"date_evenement": "2026-02-25"})
    citizen.post(question_url("au_quebec"), data={"au_quebec": "oui"})
    citizen.post(question_url("hopital"), data={"hopital": "Hôpital Sainte-Justine"})
    for url in (question_url("hopital"), question_url("date_evenement")):
        page = BeautifulSoup(citizen.get(url).get_data(as_text=True), "html.parser")
        assert page.find("input", attrs={"name": re.compile("hopital|date_evenement")}).get("value")
    kept = _cached_html(pages)
    assert "Sainte-Justine" not in kept and "2026-02-25" not in kept and "25/02/2026" not in kept


def test_a_chosen_option_shows_only_to_the_visitor_who_chose_it(runner_app, rclient, pages):
    chooser, other = _visitor(runner_app), _visitor(runner_app)
    chooser.post(question_url("type_evenement"), data={"type_evenement": "adoption"})
    mine = BeautifulSoup(chooser.get(question_url("type_evenement")).get_data(as_text=True), "html.parser")
    theirs = BeautifulSoup(other.get(question_url("type_evenement")).get_data(as_text=True), "html.parser")
    assert mine.find("input", attrs={"value": "adoption"}).has_attr("checked")
    assert not theirs.find_all("input", attrs={"name": "type_evenement", "checked": True})


def test_the_shared_page_follows_the_visitors_language(runner_app, rclient, pages):
    french = _visitor(runner_app, "fr").get(question_url("type_evenement")).get_data(as_text=True)
    english = _visitor(runner_app, "en").get(question_url("type_evenement")).get_data(as_text=True)
    assert '<html lang="fr">' in french and '<html lang="en">' in english
    assert len(pages) == 2


def test_pages_of_signed_in_citizens_are_never_shared(runner_app, rclient, pages):
    with runner_app.app_context():
        create_user()
    client = runner_app.test_client()
    assert login(client).status_code == 302
    client.post(f"/parcours/{JOURNEY}/commencer")
    page = client.get(question_url("type_evenement"))
    assert page.status_code == 200 and "Mon dossier" in page.get_data(as_text=True)
    assert len(pages) == 0


def test_a_page_with_an_error_is_never_shared(runner_app, rclient, pages):
    visitor = _visitor(runner_app)
    response = visitor.post(question_url("date_evenement"), data={"date_evenement": "31/02/2026"})
    assert response.status_code == 200 and "Erreur" in response.get_data(as_text=True)
    assert len(pages) == 0


def test_links_and_shared_pages_follow_the_mount_point(runner_app, rclient, pages):
    mounted = "http://localhost/portail/"
    client = runner_app.test_client()
    started = client.post(f"/parcours/{JOURNEY}/commencer", base_url=mounted)
    assert started.headers["Location"].startswith(f"/portail/parcours/{JOURNEY}/questions/")
    page = BeautifulSoup(client.get(question_url("type_evenement"), base_url=mounted).get_data(as_text=True),
                         "html.parser")
    assert page.find("form", id="question-form")["action"] == f"/portail{question_url('type_evenement')}"
    assert page.find(id="back-link")["href"] == f"/portail/parcours/{JOURNEY}"
    plain = BeautifulSoup(_visitor(runner_app).get(question_url("type_evenement")).get_data(as_text=True),
                          "html.parser")
    assert plain.find("form", id="question-form")["action"] == question_url("type_evenement")
    assert len(pages) == 2


@pytest.mark.parametrize("typed", ['"><script>alert(1)</script> & l\'Hôpital', "Sainte-Justine 汉字 🙂", "a&amp;b"])
def test_a_shared_page_with_a_typed_value_is_the_page_rendered_afresh(runner_app, rclient, pages, typed):
    """Pages showing what a citizen typed are kept with a placeholder: each visitor gets exactly the
    page a full render gives, their value escaped the same way, and the value is never kept."""
    citizen = _visitor(runner_app)
    citizen.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    citizen.post(question_url("date_evenement"), data={"date_evenement": "2026-02-25"})
    citizen.post(question_url("au_quebec"), data={"au_quebec": "oui"})
    assert citizen.post(question_url("hopital"), data={"hopital": typed}).status_code == 302
    assert citizen.post(question_url("revenu"), data={"revenu": "45000,5"}).status_code == 302
    for question in ("hopital", "date_evenement", "revenu"):
        shared = citizen.get(question_url(question)).get_data(as_text=True)
        again = citizen.get(question_url(question)).get_data(as_text=True)
        runner_app.jinja_env.auto_reload = True  # as in debug: nothing shared, every page rendered
        try:
            fresh = citizen.get(question_url(question)).get_data(as_text=True)
        finally:
            runner_app.jinja_env.auto_reload = False
        assert _without_token(shared) == _without_token(again) == _without_token(fresh), question
    assert "<script>" not in shared
    kept = _cached_html(pages)
    assert typed not in kept and "Sainte-Justine" not in kept and "2026-02-25" not in kept and "45000" not in kept
    assert len(pages) >= 3
    other = _visitor(runner_app)
    other.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    other.post(question_url("date_evenement"), data={"date_evenement": "2026-03-01"})
    page = other.get(question_url("date_evenement")).get_data(as_text=True)
    assert "2026-03-01" in page and "2026-02-25" not in page
