"""Shared layout fragments (app/core/fragments.py): shared between visitors, so never about one of them."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from jinja2 import UndefinedError

from app.auth.testing import create_user, login
from app.core.fragments import layout_fragment


@pytest.fixture
def fragment_app(app, extra_templates):
    """The app with a few extra fragment templates and no fragment kept (emptied again afterwards)."""
    extra_templates({
        "test/csrf.html": "<input value=\"{{ csrf_token() }}\">",
        "test/flashes.html": "{{ get_flashed_messages() }}",
        "test/session.html": "{{ session.get('lang') }}",
        "test/request.html": "{% if request.path %}{{ request.path }}{% endif %}",
        "test/hello.html": "{{ _('Back') }} {{ url_for('runner.home') }} {{ colour }}",
    })
    app.extensions["layout_fragments"].clear()
    yield app
    app.extensions["layout_fragments"].clear()


@pytest.mark.parametrize("name", ["test/csrf.html", "test/flashes.html"])
def test_a_fragment_cannot_use_a_visitors_own_values(fragment_app, name):
    with fragment_app.test_request_context("/"), pytest.raises(RuntimeError, match="shared layout fragment"):
        layout_fragment(name)


@pytest.mark.parametrize("name", ["test/session.html", "test/request.html"])
def test_a_fragment_does_not_see_the_session_or_the_request(fragment_app, name):
    with fragment_app.test_request_context("/mon-dossier"):
        from flask import session

        session["lang"] = "en"
        with pytest.raises(UndefinedError, match="shared layout fragment"):
            layout_fragment(name)


def test_fragments_are_kept_per_language_mount_point_and_values(fragment_app):
    seen = {}
    for lang in ("fr", "en"):
        for base in ("http://localhost/", "http://localhost/portail/"):
            for colour in ("rouge", "bleu"):
                with fragment_app.test_request_context("/", base_url=base, headers={"Accept-Language": lang}):
                    seen[lang, base, colour] = str(layout_fragment("test/hello.html", colour=colour))
    assert seen["fr", "http://localhost/", "rouge"] == "Retour / rouge"
    assert seen["en", "http://localhost/portail/", "bleu"] == "Back /portail/ bleu"
    assert len(set(seen.values())) == 8


def test_account_links_follow_signing_in_and_out(app, client):
    with app.app_context():
        create_user()
    signed_out = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert signed_out.find("a", href="/connexion") is not None
    login(client)
    signed_in = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert signed_in.find("a", href="/connexion") is None
    assert signed_in.find("form", action="/deconnexion") is not None
    client.post("/deconnexion")
    again = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert again.find("a", href="/connexion") is not None
