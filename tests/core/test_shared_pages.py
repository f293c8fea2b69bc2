"""Shared pages (app/core/shared_pages.py): kept for anonymous visitors, never about one of them."""
from __future__ import annotations

import pytest
from flask import flash, session
from jinja2 import UndefinedError

from app.core.lru import LRU
from app.core.shared_pages import CSRF_EXTENSION, EXTENSION, render_shared


@pytest.fixture
def shared_app(app, extra_templates):
    """The app with a few extra page templates and empty shared pages (emptied again afterwards)."""
    extra_templates({
        "test/page.html": "<p>{{ colour }}</p><input name=\"csrf_token\" value=\"{{ csrf_token() }}\">",
        "test/session.html": "{{ session.get('lang') }}",
        "test/g.html": "{{ g.get('anything') }}",
        "test/flashes.html": "{{ get_flashed_messages() }}",
    })
    for name in (EXTENSION, CSRF_EXTENSION):
        app.extensions[name].clear()
    yield app
    for name in (EXTENSION, CSRF_EXTENSION):
        app.extensions[name].clear()


def _page(app, colour="rouge", *, method="GET", csrf_secret=None):
    with app.test_request_context("/", method=method):
        if csrf_secret:
            session["csrf_token"] = csrf_secret
        return render_shared("test/page.html", (colour,), colour=colour)


def test_each_visitor_gets_their_own_token_in_the_shared_page(shared_app):
    first, second = _page(shared_app, csrf_secret="a" * 40), _page(shared_app, csrf_secret="b" * 40)
    assert len(shared_app.extensions[EXTENSION]) == 1
    assert first.startswith("<p>rouge</p>") and second.startswith("<p>rouge</p>")
    assert first != second and "shared-page-csrf" not in first + second
    assert _page(shared_app, csrf_secret="a" * 40) == first  # signed once per secret


def test_a_first_visit_keeps_its_token_on_the_next_page(shared_app, monkeypatch):
    from itsdangerous import TimestampSigner

    seconds = iter(range(1_800_000_000, 1_800_000_100))  # a new second at every signature
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda signer: next(seconds))
    with shared_app.test_request_context("/"):
        first = render_shared("test/page.html", ("rouge",), colour="rouge")
        secret = session["csrf_token"]  # made by this first page
    assert _page(shared_app, csrf_secret=secret) == first


def test_tokens_are_signed_afresh_when_they_have_a_time_limit(shared_app):
    shared_app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    try:
        _page(shared_app, csrf_secret="a" * 40)
    finally:
        shared_app.config["WTF_CSRF_TIME_LIMIT"] = None
    assert len(shared_app.extensions[CSRF_EXTENSION]) == 0


def test_pages_are_kept_per_state(shared_app):
    assert "rouge" in _page(shared_app, "rouge") and "bleu" in _page(shared_app, "bleu")
    assert len(shared_app.extensions[EXTENSION]) == 2


@pytest.mark.parametrize("name", ["test/session.html", "test/g.html"])
def test_a_shared_page_does_not_see_the_session_or_g(shared_app, name):
    with shared_app.test_request_context("/"), pytest.raises(UndefinedError, match="shared page"):
        render_shared(name, ())


def test_a_shared_page_cannot_show_flashed_messages(shared_app):
    with shared_app.test_request_context("/"), pytest.raises(RuntimeError, match="shared page"):
        render_shared("test/flashes.html", ())


def test_posts_and_visitors_with_a_message_waiting_are_not_shared(shared_app):
    _page(shared_app, method="POST")
    with shared_app.test_request_context("/"):
        flash("Bonjour")
        assert render_shared("test/page.html", ("rouge",), colour="rouge").startswith("<p>rouge</p>")
    assert len(shared_app.extensions[EXTENSION]) == 0


def test_the_least_recently_used_page_goes_first():
    pages = LRU(2)
    pages.put("a", "A")
    pages.put("b", "B")
    assert pages.get("a") == "A"
    pages.put("c", "C")
    assert (pages.get("a"), pages.get("b"), pages.get("c"), len(pages)) == ("A", None, "C", 2)
