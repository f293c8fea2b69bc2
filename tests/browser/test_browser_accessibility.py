"""axe-core finds zero violations on every kind of page a citizen meets, in French and on a sample in
English, and the page checker agrees (CSRF is on in the live app). Pages are reached the way a
citizen reaches them, through the real journeys."""
from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_flows import (ITEM_PATH, QUESTION_PATH, REMOVE_PATH, Citizen, long_date, plan_on_page,
                           scenario_with_group)

from app.runner.display import definition

pytestmark = pytest.mark.browser

JOURNEYS = ["devenir-parent", "demenager", "deces-proche", "demarrer-entreprise",
            "embaucher-premier-employe", "demenager-entreprise", "fermer-entreprise"]


class PageTypes:
    """Runs axe and the page checker once per kind of page, and keeps every problem to report at the end."""

    def __init__(self, journey, axe_check, page_checker):
        self.journey, self.axe_check, self.page_checker = journey, axe_check, page_checker
        self.questions = {q.id: q for q in journey.questions}
        self.checked: dict[str, str] = {}
        self.problems: list[str] = []

    def kind(self, page) -> str:
        url = urlsplit(page.url)
        path, query = url.path, parse_qs(url.query)
        if path == "/":
            return "search results" if query.get("q") else "home"
        if REMOVE_PATH.match(path):
            return "remove confirmation"
        with_errors = " with errors" if page.locator("#error-summary").count() else ""
        item = ITEM_PATH.match(path)
        if item:
            asked = next(q for q in self.questions[item["group"]].questions if q.id == item["question"])
            return f"group item question{with_errors} ({self._type(page, asked)})"
        question = QUESTION_PATH.match(path)
        if question:
            kind = self._type(page, self.questions[question["question"]])
            return "group list" if kind == "group" and not with_errors else f"question{with_errors} ({kind})"
        if path.endswith("/verifier"):
            return "check answers"
        if path.endswith("/resultat"):
            return "result (print)" if query.get("imprimer") == ["1"] else "result"
        if path.count("/") == 2:
            return "start"
        return "other: " + path

    @staticmethod
    def _type(page, question) -> str:
        kind = question.type
        return "text, multiline" if kind == "text" and page.locator("main textarea").count() else kind

    def __call__(self, page) -> None:
        kind = self.kind(page)
        if kind in self.checked:
            return
        self.checked[kind] = page.url
        for check in (lambda: self.page_checker(page.content(), csrf_enabled=True, where=page.url),
                      lambda: self.axe_check(page, where=f"{kind}: {page.url}")):
            try:
                check()
            except AssertionError as problem:
                self.problems.append(str(problem))

    def assert_clean(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)


@pytest.fixture
def pinned_today(live_server):
    yield lambda scenario: live_server.app.config.__setitem__("TODAY", scenario.today)
    live_server.app.config.pop("TODAY", None)


def _walk(page, live_server, journey_id, pinned_today, assert_no_axe_violations, page_checker,
          *, with_extras: bool) -> PageTypes:
    journey = definition(live_server.app.extensions["catalog"].get(journey_id))
    scenario = scenario_with_group(journey_id)
    pinned_today(scenario)
    types = PageTypes(journey, assert_no_axe_violations, page_checker)
    citizen = Citizen(page, live_server.url, journey, on_page=types)
    citizen.open_home()
    if with_extras:
        citizen.search(journey.title[page.locator("html").get_attribute("lang")].split()[0])
    citizen.choose_journey()
    citizen.start()
    if with_extras:
        citizen.submit()  # nothing chosen or typed: the page comes back with its errors
        assert page.locator("#error-summary").count() == 1, "an empty answer shows the error summary"
        assert page.title().startswith(("Erreur", "Error")), page.title()
    date_question = next(q.id for q in journey.questions if q.type == "date" and q.id in scenario.answers)
    citizen.answer_all(scenario.answers, mistakes={date_question: "31/02/2026"} if with_extras else None)
    if with_extras and page.locator("#check-form").count():
        groups = [q for q in journey.questions if q.type == "group" and scenario.answers.get(q.id)]
        for group in groups:
            citizen.goto(f"/parcours/{journey_id}/questions/{group.id}")
            citizen.follow("#remove-item-0")
            citizen.follow("#cancel-remove")
            citizen.goto(f"/parcours/{journey_id}/verifier")
    citizen.confirm_answers()
    if with_extras:
        citizen.follow("#print-link")
    return types


# Page kinds checked by the French walks below, per journey: the coverage test reads them.
WALKED: dict[str, set[str]] = {}


@pytest.mark.parametrize("journey_id", JOURNEYS)
def test_no_axe_violation_on_any_page_of_the_journey_in_french(
        journey_id, page, live_server, pinned_today, assert_no_axe_violations, page_checker):
    types = _walk(page, live_server, journey_id, pinned_today, assert_no_axe_violations, page_checker,
                  with_extras=journey_id == "devenir-parent")
    WALKED[journey_id] = set(types.checked)
    print(f"{journey_id}: checked {sorted(types.checked)}")
    types.assert_clean()


def test_the_walks_cover_every_page_type(live_server):
    """The page kinds the brief lists were all checked (question types as far as the journeys use them)."""
    if set(WALKED) != set(JOURNEYS):
        pytest.skip("needs the four French walks above in the same session")
    covered = set().union(*WALKED.values())
    used_types = set()
    for compiled in live_server.app.extensions["catalog"].journeys.values():
        used_types |= {q.type for q in definition(compiled).questions}
    expected = {"home", "search results", "start", "check answers", "result", "result (print)",
                "remove confirmation", "group list", "question with errors (choice)", "question with errors (date)"}
    expected |= {f"question ({kind})" for kind in used_types - {"group"}}
    missing = expected - covered
    assert not missing, f"page kinds never checked: {sorted(missing)}"
    assert any(kind.startswith("group item question") for kind in covered)


def _item_only_types(live_server) -> set[str]:
    """Question types used only inside groups (their pages are group item pages)."""
    top, inside = set(), set()
    for compiled in live_server.app.extensions["catalog"].journeys.values():
        for question in definition(compiled).questions:
            top.add(question.type)
            inside |= {q.type for q in question.questions}
    return inside - top


def test_no_axe_violation_on_a_sample_in_english(english_page, live_server, pinned_today,
                                                 assert_no_axe_violations, page_checker):
    types = _walk(english_page, live_server, "demenager", pinned_today, assert_no_axe_violations, page_checker,
                  with_extras=False)
    assert {"home", "start", "check answers", "result"} <= set(types.checked)
    types.assert_clean()


@pytest.mark.parametrize("browser_page", ["page", "english_page"])
def test_no_axe_violation_on_the_404_page(browser_page, request, live_server, assert_page_ok):
    page = request.getfixturevalue(browser_page)
    response = page.goto(live_server("/parcours/ce-parcours-nexiste-pas"))
    assert response.status == 404
    assert_page_ok(page)


def test_no_axe_violation_on_the_400_page(page, live_server, assert_page_ok):
    # The sign-in form (the questionnaire shows its page again instead, tests/runner/test_expired_token.py).
    page.goto(live_server("/connexion"))
    # A tampered form: the CSRF token is gone.
    page.locator("input[name=csrf_token]").evaluate_all("inputs => inputs.forEach(i => i.remove())")
    page.fill("#email", "a@example.ca")
    page.fill("#password", "x")
    with page.expect_navigation() as navigation:
        page.click("main form button[type=submit]")
    assert navigation.value.status == 400
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_page_ok(page)


def test_the_axe_check_does_catch_a_violation(page, assert_no_axe_violations):
    """The checker is worth trusting only if it fails on a page with known problems."""
    page.set_content('<html><head><title>t</title></head><body><img src="x.png"><input type="text"></body></html>')
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page, where="a broken page")
    report = str(failure.value)
    assert "image-alt (critical)" in report and "html-has-lang" in report and "label" in report
    assert "at img" in report


ALL_TYPES_ANSWERS = {
    "choix": "naissance",
    "date_evenement": "2026-03-01",
    "oui_non": True,
    "nombre": 2,
    "texte": "Hôpital Sainte-Justine",
    "texte_long": "Nous venons d'avoir des jumeaux.",
    "besoins": ["garderie"],
    "adresse": {"street": "1000, rue Sherbrooke Ouest", "city": "Montréal", "province": "QC",
                "postal_code": "H3A 3G4"},
    "personne": {"given_names": "Alex", "family_name": "Tremblay", "birth_date": "1990-05-04"},
    "enfants": [{"prenom": "Léa", "ne_le": "2026-03-01"}],
}


@pytest.mark.parametrize("browser_page, lang", [("page", "fr"), ("english_page", "en")])
def test_no_axe_violation_on_any_question_type_with_or_without_its_error(
        browser_page, lang, request, all_types_server, assert_no_axe_violations, page_checker):
    """tests/browser/journeys/tous-les-types.yaml has one question of each type: every page is sent
    empty first (its error shows), then answered; the plan comes out as expected."""
    page = request.getfixturevalue(browser_page)
    app = all_types_server.app
    journey = definition(app.extensions["catalog"].get("tous-les-types"))
    app.config["TODAY"] = "2026-03-10"
    types = PageTypes(journey, assert_no_axe_violations, page_checker)
    try:
        citizen = Citizen(page, all_types_server.url, journey, on_page=types)
        citizen.open_home()
        citizen.choose_journey()
        citizen.start()
        citizen.answer_all(ALL_TYPES_ANSWERS, empty_first=True)
        citizen.confirm_answers()
    finally:
        app.config.pop("TODAY", None)
    question_types = {"choice", "date", "yesno", "number", "text", "text, multiline", "multichoice", "address",
                      "person"}
    expected = {f"question ({kind})" for kind in question_types} | {
        f"question with errors ({kind})" for kind in question_types | {"group"}} | {
        "group list", "group item question (text)", "group item question (date)",
        "group item question with errors (text)", "check answers", "result"}
    assert expected <= set(types.checked), f"never reached: {sorted(expected - set(types.checked))}"
    assert sorted(plan_on_page(page)) == ["declarer-naissance", "place-garderie"]
    assert long_date(date(2026, 3, 31), lang) in plan_on_page(page)["declarer-naissance"]
    print(f"{lang}: checked {sorted(types.checked)}")
    types.assert_clean()
