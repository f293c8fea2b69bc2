"""Mon dossier in Chromium: anonymous start → register → verify the email (link read from the .eml)
→ resume; tick steps; download my data; delete the account. Every page passes axe and the page checker."""
from __future__ import annotations

import json
import re
import uuid
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.auth.testing import STRONG_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def pinned_today(live_server):
    live_server.app.config["TODAY"] = "2026-03-01"
    yield
    live_server.app.config.pop("TODAY", None)


def unique_email() -> str:
    return f"citoyen-{uuid.uuid4().hex[:8]}@example.ca"


def link_in_mail(folder: Path) -> str:
    [eml] = list(folder.glob("*.eml"))
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    return re.search(r"https?://\S+", message.get_body(preferencelist=("plain",)).get_content())[0]


def register(page, live_server, assert_page_ok, email: str) -> None:
    page.goto(live_server("/inscription"))
    assert_page_ok(page)
    page.fill("#email", email)
    page.fill("#password", STRONG_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert urlsplit(page.url).path == "/inscription/verifiez-vos-courriels"
    assert_page_ok(page)
    # Registering signs nobody in (an address already taken gets the very same page): sign in.
    with page.expect_navigation():
        page.click("main a:has-text('Se connecter')")
    page.fill("#email", email)
    page.fill("#password", STRONG_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert urlsplit(page.url).path == "/mon-dossier"


def test_anonymous_start_register_verify_then_resume(page, live_server, assert_page_ok, mail_dir):
    page.goto(live_server("/parcours/devenir-parent"))
    with page.expect_navigation():
        page.click("#start-button")
    page.check("#type_evenement-naissance")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert urlsplit(page.url).path == "/parcours/devenir-parent/questions/lieu_naissance"

    register(page, live_server, assert_page_ok, unique_email())
    page.goto(link_in_mail(mail_dir))
    assert page.locator("h1").inner_text() == "Votre adresse courriel est confirmée"
    assert_page_ok(page)

    with page.expect_navigation():
        page.click("text=Aller à Mon dossier")
    assert_page_ok(page)
    assert "Confirmez votre adresse courriel" not in page.content()
    in_progress = page.locator("section[aria-labelledby=in-progress-title]")
    assert "Devenir parent" in in_progress.inner_text()
    with page.expect_navigation():
        in_progress.locator("a", has_text="Continuer").click()
    assert urlsplit(page.url).path == "/parcours/devenir-parent/questions/lieu_naissance"


def test_tick_steps_and_find_them_ticked_after_signing_in_again(page, live_server, assert_page_ok, mail_dir, pinned_today):
    from browser_flows import Citizen, load_scenarios

    email = unique_email()
    register(page, live_server, assert_page_ok, email)
    journey = live_server.app.extensions["catalog"].get("devenir-parent")
    scenario = load_scenarios("devenir-parent")[0]
    citizen = Citizen(page, live_server.url, journey.journey)
    citizen.complete(scenario.answers)

    page.goto(live_server("/mon-dossier"))
    upcoming = page.locator("section[aria-labelledby=upcoming-title]").inner_text()
    assert "22 mars 2026" in upcoming
    with page.expect_navigation():
        page.locator("section[aria-labelledby=completed-title] a").first.click()
    assert_page_ok(page)
    page.check("#step-declarer-naissance-done")
    page.check("#step-la-place-0-5-not_applicable")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Votre progression est enregistrée." in page.content()
    assert_page_ok(page)
    run_url = page.url.split("?")[0]

    with page.expect_navigation():
        page.click("header form button[type=submit]")  # Se déconnecter
    assert_page_ok(page)
    page.goto(run_url)
    assert urlsplit(page.url).path == "/connexion"
    assert_page_ok(page)
    page.fill("#email", email)
    page.fill("#password", STRONG_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.split("?")[0] == run_url
    assert page.is_checked("#step-declarer-naissance-done")
    assert page.is_checked("#step-la-place-0-5-not_applicable")
    page.goto(live_server("/mon-dossier"))
    assert "22 mars 2026" not in page.locator("section[aria-labelledby=upcoming-title]").inner_text()


def test_profile_download_my_data_then_delete_the_account(page, live_server, assert_page_ok, mail_dir):
    email = unique_email()
    register(page, live_server, assert_page_ok, email)
    page.goto(live_server("/mon-dossier/profil"))
    page.fill("#sin", "130 692 544")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # a NAS is kept only for a confirmed address: the page says so, and how
    assert "Confirmez votre adresse courriel avant d'ajouter ce numéro" in page.locator("#error-summary").inner_text()
    assert_page_ok(page)
    page.goto(link_in_mail(mail_dir))
    page.goto(live_server("/mon-dossier/profil"))
    assert_page_ok(page)
    page.fill("#family_name", "Tremblay")
    page.fill("#address-postal_code", "H2X 1Y")
    page.fill("#sin", "130 692 545")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.title().startswith("Erreur")
    assert page.locator("#error-summary a").count() == 2
    assert_page_ok(page)
    page.fill("#address-postal_code", "H2X 1Y4")
    page.fill("#sin", "130 692 544")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "*** *** 544" in page.content()
    assert_page_ok(page)

    page.goto(live_server("/mon-dossier/mes-donnees"))
    assert_page_ok(page)
    with page.expect_download() as download_info:
        page.click("text=Télécharger mes données (JSON)")
    data = json.loads(Path(download_info.value.path()).read_text())
    assert data["account"]["email"] == email and data["profile"]["sin"] == "130692544"

    page.goto(live_server("/mon-dossier/supprimer"))
    assert_page_ok(page)
    page.fill("#password", STRONG_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.title().startswith("Erreur")
    assert_page_ok(page)
    page.check("#confirm")
    page.fill("#password", STRONG_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert urlsplit(page.url).path == "/compte-supprime"
    assert_page_ok(page)
    page.goto(live_server("/mon-dossier"))
    assert urlsplit(page.url).path == "/connexion"


@pytest.mark.parametrize("path", ["/connexion", "/mot-de-passe/oublie", "/confidentialite", "/session/expiree",
                                  "/deconnecte", "/mot-de-passe/modifie", "/courriel/verifier/altere"])
def test_public_account_pages_pass_axe(page, live_server, assert_page_ok, path):
    page.goto(live_server(path))
    assert_page_ok(page)


def test_login_errors_and_lockout_pages_pass_axe(page, live_server, assert_page_ok):
    page.goto(live_server("/connexion"))
    page.fill("#email", "personne@example.ca")
    page.fill("#password", "mauvais")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.title().startswith("Erreur")
    assert_page_ok(page)


def test_profile_prefill_is_shown_on_the_question_and_the_check_page(page, live_server, assert_page_ok, mail_dir, pinned_today):
    from browser_flows import Citizen, load_scenarios

    register(page, live_server, assert_page_ok, unique_email())
    scenario = load_scenarios("devenir-parent")[0]
    address = scenario.answers["adresse_domicile"]
    page.goto(live_server("/mon-dossier/profil"))
    page.fill("#address-street", address["street"])
    page.fill("#address-city", address["city"])
    page.fill("#address-postal_code", address["postal_code"])
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Votre profil est enregistré." in page.content()

    seen = {}

    def on_page(current):
        if urlsplit(current.url).path.endswith("/questions/adresse_domicile"):
            seen["street"] = current.input_value("#adresse_domicile-street")
            seen["note"] = current.locator("#prefilled-note").count()
            assert_page_ok(current)

    journey = live_server.app.extensions["catalog"].get("devenir-parent")
    citizen = Citizen(page, live_server.url, journey.journey, on_page=on_page)
    citizen.open_home()
    citizen.choose_journey()
    citizen.start()
    citizen.answer_all(scenario.answers)
    assert seen == {"street": address["street"], "note": 1}
    tags = page.locator(".parcours-tag-profile")
    assert tags.count() == 1 and tags.inner_text() == "d’après votre profil"
    assert_page_ok(page)


def test_the_idle_warning_appears_and_stay_signed_in_keeps_the_session(page, live_server, assert_page_ok, mail_dir):
    register(page, live_server, assert_page_ok, unique_email())
    live_server.app.config["IDLE_WARNING_MINUTES"] = 0.02  # about one second, for the test
    try:
        page.goto(live_server("/mon-dossier"))
        notice = page.locator("#session-timeout-notice")
        notice.wait_for(timeout=10_000)
        assert "Votre session expirera dans" in notice.inner_text()
        assert_page_ok(page)
        with page.expect_response(lambda response: response.url.endswith("/session/prolonger")) as answer:
            notice.locator("button").click()
        assert answer.value.status == 200
        assert page.locator("#session-timeout-notice").count() == 0
    finally:
        live_server.app.config["IDLE_WARNING_MINUTES"] = 25


def test_deleting_an_account_with_a_declaration_being_sent_says_so_before_and_after(
        page, live_server, assert_page_ok, mail_dir):
    from sqlalchemy import select

    from app.auth.models import User
    from app.core.db import db
    from app.declarations import outbox

    email = unique_email()
    register(page, live_server, assert_page_ok, email)
    with live_server.app.app_context():
        user_id = db.session.execute(select(User.id).where(User.email == email)).scalar_one()
        declaration, _ = outbox.submit(
            user_id=user_id, run_id=str(uuid.uuid4()), journey_id="devenir-parent", journey_version=1,
            kind="naissance", payloads=[outbox.PartnerPayload(organisation="ramq", partner="ramq",
                                                              data={"child_given_names": "Léa"})])
        number = declaration.number
    page.goto(live_server("/mon-dossier/supprimer"))
    assert_page_ok(page)
    notice = page.locator("#pending-declarations").inner_text()
    assert number in notice and "Régie de l'assurance maladie du Québec" in notice
    page.check("#confirm")
    page.fill("#password", STRONG_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert urlsplit(page.url).path == "/compte-supprime"
    assert_page_ok(page)
    assert number in page.locator("#pending-declarations").inner_text()
