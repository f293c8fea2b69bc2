"""The whole studio flow in Chromium, on its own server and database:

edit (an editor, JavaScript off) → error shown with its line → fix → preview as a citizen → a
scenario fails → fix → ask for publication → publish (a publisher) → a citizen who starts now gets
the new version while a run started before keeps the old one → rollback.
Every studio page passes axe and the page checker, and has no horizontal scroll at 320 px.
"""
from __future__ import annotations

import pytest
import yaml

from app.auth.models import STAFF_EDITOR, STAFF_PUBLISHER
from app.auth.testing import STRONG_PASSWORD, create_user
from app.core.config import PROJECT_ROOT
from tests.browser.fixtures import _new_page, _serve

pytestmark = pytest.mark.browser

SOURCE = (PROJECT_ROOT / "journeys" / "demenager.yaml").read_text(encoding="utf-8")
FIRST = yaml.safe_load(SOURCE)["version"]  # the files' version: the first one `flask journeys load` stores
DATE_TYPE_LINE = SOURCE.splitlines().index("    type: date") + 1
OLD_LABEL = "À quelle date déménagez-vous?"
NEW_LABEL = "Quelle est la date du déménagement?"
EDITOR, PUBLISHER = "editrice@quebec.ca", "publieur@quebec.ca"


@pytest.fixture(scope="module")
def studio_server(tmp_path_factory):
    for server in _serve(tmp_path_factory.mktemp("studio") / "studio.db"):
        with server.app.app_context():
            create_user(EDITOR, roles=[STAFF_EDITOR])
            create_user(PUBLISHER, roles=[STAFF_EDITOR, STAFF_PUBLISHER])
        yield server


@pytest.fixture
def context_page(chromium):
    opened = []

    def make(**options):
        context, page = _new_page(chromium, locale="fr-CA", **options)
        opened.append(context)
        return page

    yield make
    for context in opened:
        context.close()


def sign_in(page, server, email):
    page.goto(server("/connexion"))
    page.fill("#email", email)
    page.fill("#password", STRONG_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.wait_for_load_state()


def fits_320(page):
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        widest = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 320)
            .map(e => e.tagName + '.' + e.className + '#' + e.id).slice(-5)""") if width > 320 else []
        assert width <= 320, f"{page.url} scrolls sideways at 320 px ({width} px wide): {widest}"
    finally:
        page.set_viewport_size(size)


def checked(page, assert_page_ok):
    page.wait_for_load_state()
    assert_page_ok(page)
    fits_320(page)


def test_edit_preview_test_publish_and_roll_back(studio_server, context_page, assert_page_ok):
    server = studio_server
    # A citizen starts Déménager on the first version (the files').
    early = context_page()
    early.goto(server("/parcours/demenager"))
    early.click("main form button[type=submit]")
    early.wait_for_load_state()
    assert OLD_LABEL in early.inner_text("h1")
    early_question = early.url

    # Editing works without JavaScript (axe needs it, so the pages are checked again below with it on).
    no_js = context_page(java_script_enabled=False)
    sign_in(no_js, server, EDITOR)
    no_js.goto(server("/studio/parcours/demenager"))
    assert no_js.is_visible("#start-draft"), (no_js.url, no_js.inner_text("main")[:500])
    no_js.click("#start-draft")
    no_js.wait_for_load_state()
    no_js.fill("#source", SOURCE.replace("    type: date\n", "    type: dat\n", 1))
    no_js.click("#save-draft")
    no_js.wait_for_load_state()
    assert no_js.title().startswith("Erreur")
    assert f"Ligne {DATE_TYPE_LINE}" in no_js.inner_text("#draft-errors")

    editor = context_page()
    sign_in(editor, server, EDITOR)
    editor.goto(server("/studio/"))
    checked(editor, assert_page_ok)
    editor.click("#journeys >> text=Déménager")
    editor.wait_for_load_state()
    checked(editor, assert_page_ok)
    editor.click("#edit-draft")
    editor.wait_for_load_state()
    assert editor.url.endswith("/studio/parcours/demenager/brouillon")
    assert editor.title().startswith("Erreur")  # the draft saved with its error is shown with it
    checked(editor, assert_page_ok)

    # The fix changes the question, and (by mistake) a step id that the scenarios expect.
    no_js.fill("#source", SOURCE.replace(OLD_LABEL, NEW_LABEL).replace("id: aviser-proprietaire",
                                                                        "id: aviser-le-proprietaire"))
    no_js.click("#save-draft")
    no_js.wait_for_load_state()
    no_js.locator("#saved").wait_for()

    # Preview, as a citizen, through the real questionnaire.
    editor.goto(server("/studio/parcours/demenager"))
    editor.click("#preview-draft")
    editor.wait_for_load_state()
    checked(editor, assert_page_ok)
    editor.click("main form button[type=submit]")
    editor.wait_for_load_state()
    assert NEW_LABEL in editor.inner_text("h1")
    assert editor.is_visible("#preview-banner")
    checked(editor, assert_page_ok)
    editor.click("#edit-this-question")
    editor.wait_for_load_state()
    assert "date_demenagement" in editor.inner_text("#focus")

    # The scenarios catch the mistake; publication is blocked until it is fixed.
    editor.goto(server("/studio/parcours/demenager/brouillon/scenarios"))
    editor.locator("#failure-01-famille-montreal-1er-juillet").wait_for()
    checked(editor, assert_page_ok)
    editor.goto(server("/studio/parcours/demenager/brouillon/structure"))
    checked(editor, assert_page_ok)
    editor.goto(server("/studio/parcours/demenager/brouillon"))
    editor.fill("#source", SOURCE.replace(OLD_LABEL, NEW_LABEL))
    editor.click("#save-draft")
    editor.wait_for_load_state()
    editor.goto(server("/studio/parcours/demenager/brouillon/scenarios"))
    assert "Tous les scénarios réussissent" in editor.inner_text("#scenario-summary")
    editor.goto(server("/studio/parcours/demenager"))
    editor.click("#request-review")
    editor.wait_for_load_state()
    assert "publication" in editor.inner_text("#studio-message")
    checked(editor, assert_page_ok)

    # The publisher reads the changes and publishes.
    publisher = context_page()
    sign_in(publisher, server, PUBLISHER)
    publisher.goto(server("/studio/parcours/demenager"))
    publisher.click("#publish-draft")
    publisher.wait_for_load_state()
    assert NEW_LABEL in publisher.inner_text("main")
    checked(publisher, assert_page_ok)
    publisher.click("#confirm-publish")  # nothing chosen yet: the question is asked again
    assert publisher.title().startswith("Erreur")
    checked(publisher, assert_page_ok)
    publisher.check("#confirm-oui")
    publisher.click("#confirm-publish")
    publisher.wait_for_load_state()
    assert f"La version {FIRST + 1} est publiée" in publisher.inner_text("#studio-message")

    # The run started before keeps the first version; a citizen who starts now gets the new one.
    early.goto(early_question)
    assert OLD_LABEL in early.inner_text("h1")
    newcomer = context_page()
    newcomer.goto(server("/parcours/demenager"))
    newcomer.click("main form button[type=submit]")
    newcomer.wait_for_load_state()
    assert NEW_LABEL in newcomer.inner_text("h1")

    # Versions, comparison and rollback.
    publisher.goto(server("/studio/parcours/demenager/versions"))
    checked(publisher, assert_page_ok)
    publisher.goto(server(f"/studio/parcours/demenager/comparer?de={FIRST}&a={FIRST + 1}"))
    checked(publisher, assert_page_ok)
    publisher.goto(server("/studio/parcours/demenager/versions"))
    publisher.click(f"#rollback-{FIRST}")
    publisher.wait_for_load_state()
    checked(publisher, assert_page_ok)
    publisher.check("#confirm-oui")
    publisher.click("#confirm-rollback")
    publisher.wait_for_load_state()
    assert f"comme version {FIRST + 2}" in publisher.inner_text("#studio-message")
    latest = context_page()
    latest.goto(server("/parcours/demenager"))
    latest.click("main form button[type=submit]")
    latest.wait_for_load_state()
    assert OLD_LABEL in latest.inner_text("h1")

    publisher.goto(server("/studio/journal"))
    assert "studio.rolled_back" in publisher.inner_text("#audit")
    checked(publisher, assert_page_ok)


def test_map_indicators_and_feedback_pages_meet_the_bar(studio_server, context_page, assert_page_ok):
    server = studio_server
    citizen = context_page()
    citizen.goto(server("/avis/parcours/demenager/etape"))
    checked(citizen, assert_page_ok)
    citizen.click("main button[type=submit]")
    citizen.wait_for_load_state()
    assert citizen.title().startswith("Erreur")
    checked(citizen, assert_page_ok)
    citizen.check("#etape-aviser-proprietaire")
    citizen.fill("#comment", "Le délai a changé")
    citizen.click("main button[type=submit]")
    citizen.wait_for_load_state()
    checked(citizen, assert_page_ok)
    citizen.goto(server("/avis/plainte?parcours=demenager"))
    checked(citizen, assert_page_ok)

    staff = context_page()
    sign_in(staff, server, PUBLISHER)
    for path in ("/studio/parcours/demenager/carte", "/studio/indicateurs", "/studio/indicateurs/cibles",
                 "/studio/avis", "/studio/parcours/organisations"):
        staff.goto(server(path))
        checked(staff, assert_page_ok)
    staff.goto(server("/studio/avis"))
    staff.click("main .studio-list a")
    staff.wait_for_load_state()
    checked(staff, assert_page_ok)
