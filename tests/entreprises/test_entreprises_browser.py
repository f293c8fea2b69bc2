"""The business space in Chromium: create a business → invite a colleague (link read from the .eml)
→ the colleague (JavaScript off) joins and answers *Embaucher un premier employé* in the runner →
both see the obligations; a signed-in non-member gets 404 on every business route.

Every business page passes axe with zero violations and the page checker, parses as HTML without
error (html5lib, strict), and has no horizontal scrolling at 320 px wide."""
from __future__ import annotations

import re
import uuid
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest

from app.auth.testing import STRONG_PASSWORD, create_user

pytestmark = pytest.mark.browser


@pytest.fixture
def pinned_today(live_server):
    live_server.app.config["TODAY"] = "2026-08-01"
    yield
    live_server.app.config.pop("TODAY", None)


@pytest.fixture
def accounts(live_server):
    """Three fresh verified accounts: the administrator, the colleague and an outsider."""
    suffix = uuid.uuid4().hex[:8]
    emails = {role: f"{role}-{suffix}@example.ca" for role in ("admin", "collegue", "intrus")}
    with live_server.app.app_context():
        for email in emails.values():
            create_user(email)
    return emails


@pytest.fixture
def check_page(assert_page_ok, chromium):
    """axe + page checker, strict HTML parse of the served source, no horizontal scroll at 320 px.

    axe needs JavaScript: a page seen with JavaScript off is checked again in a twin browser with
    JavaScript on and the same cookies (the page checker still reads what the no-JS browser got)."""
    def check(page, *, validate_source: bool = True, javascript: bool = True) -> None:
        if javascript:
            assert_page_ok(page)
        else:
            assert_page_ok(page, axe=False)
            twin = chromium.new_context(locale="fr-CA", storage_state=page.context.storage_state())
            try:
                twin_page = twin.new_page()
                twin_page.goto(page.url)
                assert_page_ok(twin_page)
            finally:
                twin.close()
        if validate_source:
            source = page.request.get(page.url).text()
            parser = html5lib.HTMLParser(strict=True)
            try:
                parser.parse(source)
            except html5lib.html5parser.ParseError as error:
                raise AssertionError(f"invalid HTML on {page.url}: {error}") from error
        size = page.viewport_size
        page.set_viewport_size({"width": 320, "height": 800})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.set_viewport_size(size)
        assert overflow <= 0, f"{page.url} scrolls horizontally at 320 px ({overflow} px too wide)"

    return check


def sign_in(page, live_server, email):
    page.goto(live_server("/connexion"))
    page.fill("#email", email)
    page.fill("#password", STRONG_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def submit(page, selector="main form button[type=submit]"):
    with page.expect_navigation():
        page.click(selector)


def link_in_mail(folder: Path) -> str:
    [eml] = list(folder.glob("*.eml"))
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    return re.search(r"https?://\S+", message.get_body(preferencelist=("plain",)).get_content())[0]


def test_business_space_from_creation_to_shared_obligations(
        page, no_js_page, chromium, live_server, check_page, mail_dir, pinned_today, accounts):
    # The administrator creates the business (a first try with mistakes shows the error summary).
    sign_in(page, live_server, accounts["admin"])
    page.goto(live_server("/entreprises"))
    check_page(page)
    submit(page, "a:has-text('Créer un espace entreprise')")
    assert urlsplit(page.url).path == "/entreprises/nouvelle"
    check_page(page)
    page.fill("#neq", "123")
    submit(page)
    assert page.locator("#error-summary").count() == 1
    check_page(page, validate_source=False)  # a POST result: the served source is the GET page
    page.fill("#name", "Boulangerie du Quartier")
    page.fill("#neq", "1171234567")
    page.check("#legal_form-societe_par_actions")
    page.check("#sector-restauration")
    page.fill("#city", "Montréal")
    page.fill("#postal_code", "H2X 1Y4")
    submit(page)
    business_path = urlsplit(page.url).path
    assert re.fullmatch(r"/entreprises/[0-9a-f-]{36}", business_path)
    check_page(page)

    # …invites a colleague.
    submit(page, "text=Membres et invitations")
    assert urlsplit(page.url).path == business_path + "/membres"
    check_page(page)
    page.fill("#email", accounts["collegue"])
    submit(page)
    assert "L'invitation est envoyée." in page.content().replace("&#39;", "'")
    check_page(page)
    invitation = urlsplit(link_in_mail(mail_dir)).path

    # The colleague, with JavaScript off, follows the link: signs in first, then joins.
    colleague = no_js_page
    colleague.goto(live_server(invitation))
    check_page(colleague, javascript=False)
    submit(colleague, "main a.qc-button")  # Se connecter
    colleague.fill("#email", accounts["collegue"])
    colleague.fill("#password", STRONG_PASSWORD)
    submit(colleague)
    assert urlsplit(colleague.url).path == invitation
    check_page(colleague, javascript=False)
    submit(colleague)
    assert urlsplit(colleague.url).path == business_path

    # …and answers *Embaucher un premier employé* in the real runner (the sector is already known).
    submit(colleague, "button:has-text('Embaucher un premier employé')")
    assert urlsplit(colleague.url).path == "/parcours/embaucher-premier-employe/questions/date_premier_jour"
    colleague.fill("#date_premier_jour", "15/09/2026")
    submit(colleague)
    colleague.check("#deja_inscrit_retenues-non")
    submit(colleague)
    colleague.check("#frequence_remises-mensuelle")
    submit(colleague)
    assert urlsplit(colleague.url).path.endswith("/verifier")
    submit(colleague)

    # Both see the obligations, with the recurring remittances' next due dates.
    for member, javascript in ((colleague, False), (page, True)):
        member.goto(live_server(business_path))
        text = member.inner_text("main")
        assert "Vous inscrire comme employeur à la CNESST" in text
        assert "15 octobre 2026" in text
        check_page(member, javascript=javascript)

    # The administrator ticks one off; the colleague sees who did it.
    submit(page, "li:has-text('Vous inscrire comme employeur à la CNESST') button:has-text('Marquer comme fait')")
    assert "Les obligations sont enregistrées." in page.inner_text("main")
    check_page(page)
    colleague.goto(live_server(business_path))
    assert f"Fait par {accounts['admin']}" in colleague.inner_text("main")
    calendar = page.request.get(live_server(business_path + "/echeances.ics"))
    assert calendar.ok and "DTSTART;VALUE=DATE:20261015" in calendar.text()

    # A signed-in non-member gets 404 on every business route, whatever the method.
    context = chromium.new_context(locale="fr-CA")
    try:
        outsider = context.new_page()
        sign_in(outsider, live_server, accounts["intrus"])
        outsider.goto(live_server("/entreprises/nouvelle"))
        token = outsider.get_attribute("input[name=csrf_token]", "value")
        for path in ("", "/membres", "/echeances.ics"):
            response = outsider.goto(live_server(business_path + path))
            assert response.status == 404, path
        check_page(outsider, validate_source=False)  # the 404 page itself is accessible
        for path in ("/membres", "/obligations", "/parcours"):
            response = outsider.request.post(live_server(business_path + path), form={"csrf_token": token})
            assert response.status == 404, path
        response = outsider.goto(live_server(invitation))
        assert response.status == 400  # the used invitation is dead for everyone
        check_page(outsider, validate_source=False)
    finally:
        context.close()


def test_an_administrator_changes_a_role_and_removes_a_colleague(page, live_server, check_page, accounts):
    """The members' pages in Chromium: change a colleague's role, remove them (they get 404 at once),
    and the last administrator is told why they cannot leave."""
    from app.auth.models import User
    from app.core.db import db
    from app.entreprises.models import ADMIN, COLLABORATOR, Business, BusinessMember

    with live_server.app.app_context():
        ids = {role: db.session.query(User.id).filter_by(email=email).scalar() for role, email in accounts.items()}
        business = Business(name="Garage Tremblay", legal_form="entreprise_individuelle", sector="commerce_detail",
                            created_by=ids["admin"])
        db.session.add(business)
        db.session.flush()
        db.session.add_all([BusinessMember(business_id=business.id, user_id=ids["admin"], role=ADMIN),
                            BusinessMember(business_id=business.id, user_id=ids["collegue"], role=COLLABORATOR)])
        db.session.commit()
        members_path = f"/entreprises/{business.id}/membres"

    sign_in(page, live_server, accounts["admin"])
    page.goto(live_server(members_path))
    check_page(page)
    colleague_row = f"li:has-text('{accounts['collegue']}')"
    submit(page, f"{colleague_row} a:has-text('Changer le rôle')")
    assert page.is_checked("#role-collaborateur")
    check_page(page)
    page.check("#role-administrateur")
    submit(page)
    assert urlsplit(page.url).path == members_path
    assert "Le rôle est modifié." in page.inner_text("main")
    check_page(page, validate_source=False)  # the served source has no ?modifie=1 notice

    submit(page, f"{colleague_row} a:has-text('Retirer')")
    assert f"Retirer {accounts['collegue']} de Garage Tremblay?" in page.inner_text("h1")
    check_page(page)
    submit(page)
    assert "Le membre est retiré." in page.inner_text("main")
    assert accounts["collegue"] not in page.inner_text("main")

    # Now alone, the administrator cannot remove themselves: the page says why.
    submit(page, f"li:has-text('{accounts['admin']}') a:has-text('Retirer')")
    submit(page)
    assert page.locator("#error-summary").count() == 1
    assert "seul administrateur" in page.inner_text("#error-summary")
    check_page(page, validate_source=False)  # a POST result: the served source is the GET page
    page.goto(live_server(members_path))
    assert accounts["admin"] in page.inner_text("main")
