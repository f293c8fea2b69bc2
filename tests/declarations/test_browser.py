"""A full déclaration unique in Chromium: sign in, review, an error, consent, submit, number, and the
in-process worker delivering to the registries mounted on the same server (one receives, one refuses
with a reason); axe at zero violations on every page."""
from __future__ import annotations

import threading
import time

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from app import create_app
from app.core.serve import build_wsgi
from app.declarations.worker import delivery_service
from tests.declarations.conftest import BIRTH_ANSWERS, TODAY, make_citizen, make_run

pytestmark = pytest.mark.browser


@pytest.fixture
def portal_with_registries(tmp_path):
    """The real app with the registries mounted at /partenaires and the worker thread, as `make run`."""
    app = create_app({
        "SECRET_KEY": "declarations-browser", "WTF_CSRF_ENABLED": True, "TODAY": TODAY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'portal.db'}",
        "PARTNERS_DATABASE_URL": f"sqlite:///{tmp_path / 'partners.db'}",
        "PARTNER_HMAC_SECRET": "browser-registries", "DELIVERY_POLL_SECONDS": 0.2,
    })
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, build_wsgi(app), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PARTNERS_BASE_URL"] = url + "/partenaires"
    stop = threading.Event()
    threads = [threading.Thread(target=server.serve_forever, daemon=True),
               threading.Thread(target=delivery_service, args=(app, stop), daemon=True)]
    for thread in threads:
        thread.start()
    user_id = make_citizen(app)
    # A place of birth longer than the civil registry accepts: the DEC refuses (422), the RAMQ receives.
    answers = {**BIRTH_ANSWERS, "endroit_naissance": "Maison de naissance " * 12}
    make_run(app, user_id, answers=answers, status="in_progress")  # signing in brings it back
    app.config["BASE_URL"] = url
    yield app
    stop.set()
    server.shutdown()
    for thread in threads:
        thread.join(timeout=10)


def test_a_citizen_makes_a_declaration_and_sees_it_delivered(portal_with_registries, page, assert_page_ok):
    from app.auth.testing import STRONG_PASSWORD

    url = portal_with_registries.config["BASE_URL"]
    page.goto(url + "/parcours/devenir-parent/declaration")
    page.fill("#email", "ana@example.ca")
    page.fill("#password", STRONG_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    page.goto(url + "/parcours/devenir-parent/resultat")  # the plan offers the single declaration
    assert_page_ok(page)
    page.click("#declaration-link")

    page.wait_for_load_state()
    assert "Votre déclaration unique" in page.locator("h1").inner_text(), (page.url, page.locator("main").inner_text()[:500])
    assert_page_ok(page)
    assert page.locator("section.parcours-declaration-partner").count() == 4
    assert page.locator("input[type=checkbox]:checked").count() == 0

    page.click("#submit-declaration")  # nothing ticked: errors, nothing sent
    page.wait_for_selector("#error-summary")
    assert page.title().startswith("Erreur")
    assert_page_ok(page)

    page.check("#consent-dec-oui")
    page.check("#consent-ramq-oui")
    page.check("#attestation-oui")
    page.click("#submit-declaration")
    page.wait_for_selector("#declaration-number")
    number = page.locator("h1").inner_text().split()[-1]
    assert number.startswith("DU-")
    assert_page_ok(page)

    deadline = time.monotonic() + 20
    while page.locator(".parcours-delivery-pending").count() and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    assert "RAMQ-" in page.locator(".parcours-delivery-delivered").inner_text()
    failed = page.locator(".parcours-delivery-failed").inner_text()
    assert "En échec" in failed and "Lieu de naissance" in failed and "1 877 644-4545" in failed
    assert_page_ok(page)

    page.goto(url + "/mon-dossier")
    page.click("#my-declarations-link")
    page.wait_for_selector(f"text={number}")
    assert_page_ok(page)


def test_the_review_explains_what_is_not_sent_and_why(portal_with_registries, page, assert_page_ok):
    """The funeral home already notifies: nothing to send, a notice says so; moving without recent tax
    returns: Revenu Québec is left out and the page says where to go instead. Axe at zero."""
    import yaml

    from app.auth.testing import STRONG_PASSWORD
    from tests.declarations.test_recipients import SCENARIOS

    app = portal_with_registries
    todays = {}
    for journey_id, name in (("deces-proche", "08-salon-funeraire-transmission.yaml"),
                             ("demenager", "04-sans-declarations-revenus.yaml")):
        data = yaml.safe_load((SCENARIOS / journey_id / name).read_text(encoding="utf-8"))
        make_run(app, 1, answers=data["answers"], journey_id=journey_id, status="in_progress")
        todays[journey_id] = str(data["today"])
    url = app.config["BASE_URL"]
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url + "/connexion")
    page.fill("#email", "ana@example.ca")
    page.fill("#password", STRONG_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()

    app.config["TODAY"] = todays["deces-proche"]
    page.goto(url + "/parcours/deces-proche/declaration")
    assert page.url.endswith("/declaration"), (page.url, page.locator("main").inner_text()[:300])
    assert "rien d'ici" in page.locator("#declaration-notice-1").inner_text()
    assert page.locator("#declaration-form").count() == 0
    assert_page_ok(page)

    app.config["TODAY"] = todays["demenager"]
    page.goto(url + "/parcours/demenager/declaration")
    assert "Revenu Québec" in page.locator("#not-sent").inner_text()
    assert page.locator("section.parcours-declaration-partner").count() == 3
    assert_page_ok(page)
