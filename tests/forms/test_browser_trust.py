"""In a real browser (axe at zero violations, no horizontal scroll at 320 px, no JavaScript needed):
the page an unconfirmed account gets instead of a look-up, and the notice saying what the profile
lacks before an organisation can be consulted."""
from __future__ import annotations

import pytest

from app.auth.testing import create_user
from app.core.db import db
from app.dossier.profile import save_profile
from tests.forms.conftest import TREMBLAY
from tests.forms.test_browser_forms import registries_for_live_server, sign_in  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
GOVERNMENT_PAGE = "/mon-dossier/informations-gouvernementales"


def citizen(app, email, verified=True, **profile):
    with app.app_context():
        user = create_user(email=email, verified=verified)
        save_profile(user, {**TREMBLAY, **profile})
        db.session.commit()


def assert_fits_320(page):
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate("""Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > 321).slice(0, 5)
        .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, wide


def test_an_unconfirmed_account_is_told_to_confirm_and_can_resend(chromium, live_server, assert_page_ok):
    from tests.browser.fixtures import _new_page

    citizen(live_server.app, "pas-confirme@example.ca", verified=False)
    context, page = _new_page(chromium, locale="fr-CA")
    try:
        sign_in(page, live_server, "pas-confirme@example.ca")
        page.goto(live_server(GOVERNMENT_PAGE))
        assert page.locator("h1").inner_text() == "Confirmez d'abord votre adresse courriel"
        assert_page_ok(page)
        assert_fits_320(page)
    finally:
        context.close()
    # the resend button is a plain form: it works without JavaScript
    context, page = _new_page(chromium, locale="fr-CA", java_script_enabled=False)
    try:
        sign_in(page, live_server, "pas-confirme@example.ca")
        page.goto(live_server(GOVERNMENT_PAGE))
        with page.expect_navigation():
            page.click("#resend-verification")
        assert "/inscription/verifiez-vos-courriels" in page.url
    finally:
        context.close()


def test_a_profile_missing_an_identifier_is_told_what_to_add(page, live_server, registries_for_live_server,  # noqa: F811
                                                              assert_page_ok):
    citizen(live_server.app, "sans-date@example.ca", birth_date=None)
    sign_in(page, live_server, "sans-date@example.ca")
    page.goto(live_server(GOVERNMENT_PAGE))
    assert "votre date de naissance" in page.locator("#identity-gaps").inner_text()
    assert_page_ok(page)
    page.check("#organisations-ramq")
    with page.expect_navigation():
        page.click("#consult")
    assert page.title().startswith("Erreur")
    assert_page_ok(page)
    assert_fits_320(page)
    with page.expect_navigation():
        page.locator("#identity-gaps a").click()
    assert page.url.endswith("/mon-dossier/profil")
