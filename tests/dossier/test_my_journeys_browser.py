"""Mon dossier's journey pages in Chromium on a small phone (issue 11): two runs of one journey told
apart, the delete confirmation, Mes données — axe at 0 violations, no sideways scroll at 320 px, no
JavaScript needed. And an error summary has the focus when its page loads."""
from __future__ import annotations

import uuid

import pytest

from app.catalog import get_journey
from app.auth.testing import STRONG_PASSWORD, create_user
from app.core.db import db
from app.runner.models import Run

pytestmark = pytest.mark.browser
PHONE = {"width": 320, "height": 640}


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(locale="fr-CA", viewport=PHONE, screen=PHONE, java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def no_sideways_scroll(page) -> None:
    wide = page.evaluate("""() => {
      const root = document.documentElement;
      if (root.scrollWidth <= root.clientWidth) return null;
      return [root.scrollWidth, ...[...document.body.querySelectorAll('*')]
        .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
        .slice(0, 6).map(e => e.tagName + '.' + e.className + '#' + e.id)];
    }""")
    assert wide is None, f"{page.url} scrolls sideways: {wide}"


def test_my_journeys_on_a_phone(phone, live_server, page_checker, assert_no_axe_violations, chromium):
    email = f"citoyen-{uuid.uuid4().hex[:8]}@example.ca"
    with live_server.app.app_context():
        user = create_user(email)
        runs = []
        for day in ("2026-02-20", "2024-05-03"):
            run = Run(journey_id="devenir-parent", journey_version=get_journey("devenir-parent").version,
                      status="completed", user_id=user.id,
                      answers={"type_evenement": "naissance", "date_naissance": day})
            db.session.add(run)
            db.session.commit()
            runs.append(run.id)
    phone.goto(live_server("/connexion"))
    phone.fill("#email", email)
    phone.fill("#password", STRONG_PASSWORD)
    with phone.expect_navigation():
        phone.click("main form button[type=submit]")

    def check(path: str) -> None:
        phone.goto(live_server(path))
        page_checker(phone.content(), csrf_enabled=True, where=phone.url)
        no_sideways_scroll(phone)
        # axe needs JavaScript: the same page in a scripted context of the same size
        context = chromium.new_context(locale="fr-CA", viewport=PHONE,
                                       storage_state=phone.context.storage_state())
        scripted = context.new_page()
        scripted.goto(live_server(path))
        assert_no_axe_violations(scripted)
        context.close()

    for path in ("/mon-dossier", f"/mon-dossier/parcours/{runs[0]}", f"/mon-dossier/parcours/{runs[1]}/supprimer",
                 "/mon-dossier/mes-donnees"):
        check(path)
    phone.goto(live_server("/mon-dossier"))
    first, second = (phone.inner_text(f"#run-{run}") for run in runs)
    assert "20 février 2026" in first and "3 mai 2024" in second
    phone.goto(live_server(f"/mon-dossier/parcours/{runs[1]}/supprimer"))
    with phone.expect_navigation():
        phone.click("#delete-run")
    assert "Le parcours est supprimé." in phone.inner_text("main")
    assert phone.locator(f"#run-{runs[1]}").count() == 0 and phone.locator(f"#run-{runs[0]}").count() == 1


def test_the_error_summary_has_the_focus_on_load(page, live_server):
    page.goto(live_server("/parcours/demenager"))
    with page.expect_navigation():
        page.click("#start-button")
    with page.expect_navigation():
        page.click("#continue-button")
    assert page.locator("#error-summary").count() == 1
    assert page.evaluate("() => document.activeElement && document.activeElement.id") == "error-summary"
