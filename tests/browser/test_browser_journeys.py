"""Citizens complete the four real journeys in Chromium: in French, in English, by keyboard alone
and with JavaScript turned off. The plan they get is the one the journey's scenario file expects
(the live app's date is pinned to the scenario's `today`)."""
from __future__ import annotations

import pytest
from browser_flows import Citizen, long_date, plan_on_page, scenario_with_group

from app.runner.display import definition

pytestmark = pytest.mark.browser

JOURNEYS = ["devenir-parent", "demenager", "deces-proche", "demarrer-entreprise",
            "embaucher-premier-employe", "demenager-entreprise", "fermer-entreprise"]
# How each journey is found from the home page: by clicking it, or by typing in the search box
# (accent-free, as people type: "deces" must find "Décès d'un proche").
SEARCH_WORDS = {"deces-proche": "deces", "demenager": "demenagement"}


@pytest.fixture
def journey_at_scenario_date(live_server):
    """Pins the live app's date to a scenario's `today`, so deadlines and 'overdue' match the file."""
    def pin(journey_id: str):
        journey = live_server.app.extensions["catalog"].get(journey_id)
        assert journey is not None, f"the catalogue has no journey {journey_id!r}"
        scenario = scenario_with_group(journey_id)
        live_server.app.config["TODAY"] = scenario.today
        return definition(journey), scenario

    yield pin
    live_server.app.config.pop("TODAY", None)


def assert_plan_is(page, journey, scenario, lang: str) -> None:
    shown = plan_on_page(page)
    expected = [step_id for step_id, _ in scenario.expected_steps]
    assert sorted(shown) == sorted(expected), (
        f"{scenario.journey_id}/{scenario.name}: the result page shows other steps than the scenario expects\n"
        f"  missing: {sorted(set(expected) - set(shown))}\n  unexpected: {sorted(set(shown) - set(expected))}")
    titles = {step.id: step.title[lang] for step in journey.steps}
    for step_id, deadline in scenario.expected_steps:
        assert titles[step_id] in shown[step_id]
        if deadline is not None:
            assert long_date(deadline, lang) in shown[step_id], (
                f"step {step_id}: expected the deadline {long_date(deadline, lang)!r} in {shown[step_id]!r}")


@pytest.mark.parametrize("journey_id", JOURNEYS)
def test_a_citizen_completes_the_journey_in_french(journey_id, page, live_server, journey_at_scenario_date,
                                                    page_checker):
    journey, scenario = journey_at_scenario_date(journey_id)
    citizen = Citizen(page, live_server.url, journey,
                      on_page=lambda p: page_checker(p.content(), csrf_enabled=True, where=p.url))
    citizen.complete(scenario.answers, search=SEARCH_WORDS.get(journey_id))

    assert page.locator("html").get_attribute("lang") == "fr"
    assert journey.title["fr"] in page.locator("h1").inner_text()
    assert_plan_is(page, journey, scenario, "fr")
    print(f"{journey_id} ({scenario.name}): {len(citizen.pages_seen)} pages: {citizen.pages_seen}")
    assert len(citizen.pages_seen) >= 5


def test_a_citizen_completes_a_journey_in_english(english_page, live_server, journey_at_scenario_date,
                                                  page_checker):
    journey, scenario = journey_at_scenario_date("demenager")
    citizen = Citizen(english_page, live_server.url, journey,
                      on_page=lambda p: page_checker(p.content(), csrf_enabled=True, where=p.url))
    citizen.complete(scenario.answers, search="moving")

    assert english_page.locator("html").get_attribute("lang") == "en"
    assert journey.title["en"] in english_page.locator("h1").inner_text()
    assert_plan_is(english_page, journey, scenario, "en")


def test_switching_to_english_midway_keeps_the_answers(page, live_server, journey_at_scenario_date):
    journey, scenario = journey_at_scenario_date("devenir-parent")
    citizen = Citizen(page, live_server.url, journey)
    citizen.open_home()
    citizen.choose_journey()
    citizen.start()
    first_question = citizen.path
    citizen.follow("#language-switch")
    assert citizen.path == first_question, "the language switch returns to the same page"
    assert page.locator("html").get_attribute("lang") == "en"
    citizen.answer_all(scenario.answers)
    citizen.confirm_answers()
    assert_plan_is(page, journey, scenario, "en")


def test_a_citizen_completes_a_journey_with_the_keyboard_alone(page, live_server, journey_at_scenario_date):
    journey, scenario = journey_at_scenario_date("devenir-parent")
    citizen = Citizen(page, live_server.url, journey, keyboard=True)
    citizen.complete(scenario.answers)
    assert_plan_is(page, journey, scenario, "fr")


def test_a_citizen_completes_a_journey_without_javascript(no_js_page, live_server, journey_at_scenario_date):
    journey, scenario = journey_at_scenario_date("demarrer-entreprise")
    citizen = Citizen(no_js_page, live_server.url, journey)
    citizen.complete(scenario.answers, search="entreprise")
    assert_plan_is(no_js_page, journey, scenario, "fr")
