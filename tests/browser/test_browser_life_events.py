"""A newcomer walks each of the four new life events in Chromium, found from a natural phrase typed in
the home page search: axe finds nothing and the page checker agrees on every page, no page scrolls
sideways on a 320 px screen, and the plan is the one the scenario expects. On *Se séparer* the
"Quitter rapidement" link is on every page and leads away without JavaScript."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser_flows import Citizen, long_date, load_scenarios, plan_on_page

from app.runner.display import definition

pytestmark = pytest.mark.browser

# journey -> (the phrase a citizen types, the scenario walked)
WALKS = {
    "s-installer-au-quebec": ("j'arrive au Québec", "01-famille-france-resident-permanent"),
    "perdre-son-autonomie": ("ma mère ne peut plus vivre seule", "01-fille-pour-sa-mere-vers-chsld"),
    "se-marier": ("se marier", "01-mariage-notaire-juin"),
    "se-separer": ("séparation", "01-mariee-en-danger-enfants"),
}
SMALL_SCREEN = {"width": 320, "height": 640}


@pytest.fixture
def small_page(chromium):
    context = chromium.new_context(locale="fr-CA", viewport=SMALL_SCREEN)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def scrolls_sideways(page) -> list[str]:
    """The elements sticking out on the right of a screen that cannot scroll sideways (empty: none)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return [];
        return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
                      + ' (' + Math.round(e.getBoundingClientRect().right) + 'px)')
            .slice(0, 8);
    }""")


@pytest.mark.parametrize("journey_id", list(WALKS))
def test_a_newcomer_finds_and_completes_the_journey_on_a_small_screen(
        journey_id, small_page, live_server, page_checker, assert_no_axe_violations):
    phrase, scenario_name = WALKS[journey_id]
    journey = definition(live_server.app.extensions["catalog"].get(journey_id))
    scenario = next(s for s in load_scenarios(journey_id) if s.name == scenario_name)
    live_server.app.config["TODAY"] = scenario.today
    problems: list[str] = []

    def check(page) -> None:
        where = page.url
        for run in (lambda: page_checker(page.content(), csrf_enabled=True, where=where),
                    lambda: assert_no_axe_violations(page, where=where)):
            try:
                run()
            except AssertionError as problem:
                problems.append(str(problem))
        wide = scrolls_sideways(page)
        if wide:
            problems.append(f"horizontal scroll at 320 px on {where}: {', '.join(wide)}")
        in_journey = urlsplit(where).path.startswith(f"/parcours/{journey_id}")
        if journey.quick_exit and in_journey and page.locator("#quick-exit-link").count() != 1:
            problems.append(f"no quick exit on {where}")

    try:
        citizen = Citizen(small_page, live_server.url, journey, on_page=check)
        citizen.complete(scenario.answers, search=phrase)
        check(small_page)  # the plan itself
        small_page.goto(small_page.url + "?imprimer=1")
        check(small_page)
    finally:
        live_server.app.config.pop("TODAY", None)

    assert not problems, "\n\n".join(problems)
    shown = plan_on_page(small_page)
    assert sorted(shown) == sorted(step_id for step_id, _ in scenario.expected_steps)
    for step_id, deadline in scenario.expected_steps:
        if deadline is not None:
            assert long_date(deadline, "fr") in shown[step_id], step_id
    print(f"{journey_id}: {len(citizen.pages_seen)} pages")
    assert len(citizen.pages_seen) >= 8


def test_quitter_rapidement_leaves_for_a_weather_site_without_javascript(no_js_page, live_server):
    no_js_page.goto(live_server.url + "/parcours/se-separer")
    link = no_js_page.locator("#quick-exit-link")
    assert link.inner_text().strip() == "Quitter rapidement"
    assert link.get_attribute("href") == "https://meteo.gc.ca/"
    no_js_page.route("https://meteo.gc.ca/**", lambda route: route.fulfill(status=200, body="<title>Météo</title>"))
    with no_js_page.expect_navigation():
        link.click()
    assert no_js_page.url.startswith("https://meteo.gc.ca/")


@pytest.mark.parametrize("journey_id, words", [("se-separer", "divorce"), ("perdre-son-autonomie", "caregiver")])
def test_the_new_journeys_read_in_english(journey_id, words, english_page, live_server, page_checker,
                                          assert_no_axe_violations):
    journey = definition(live_server.app.extensions["catalog"].get(journey_id))
    scenario = load_scenarios(journey_id)[0]
    live_server.app.config["TODAY"] = scenario.today
    try:
        citizen = Citizen(english_page, live_server.url, journey,
                          on_page=lambda p: page_checker(p.content(), csrf_enabled=True, where=p.url))
        citizen.complete(scenario.answers, search=words)
        assert_no_axe_violations(english_page)
    finally:
        live_server.app.config.pop("TODAY", None)
    assert english_page.locator("html").get_attribute("lang") == "en"
    shown = plan_on_page(english_page)
    titles = {step.id: step.title["en"] for step in journey.steps}
    assert sorted(shown) == sorted(step_id for step_id, _ in scenario.expected_steps)
    for step_id in shown:
        assert titles[step_id] in shown[step_id]
    if journey.quick_exit:
        assert english_page.locator("#quick-exit-link").inner_text().strip() == "Leave quickly"
