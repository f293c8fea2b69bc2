"""A citizen on a small phone (320 × 640 CSS pixels) walks every journey:
no page scrolls sideways, and every page has its own title saying where the citizen is (issue 11)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser_flows import Citizen, scenario_with_group

from app.runner.display import definition

pytestmark = pytest.mark.browser

JOURNEYS = ["devenir-parent", "demenager", "deces-proche", "demarrer-entreprise"]
PHONE = {"width": 320, "height": 640}
# Elements sticking out on the right, for a readable failure message.
OVERFLOW_SCRIPT = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const wide = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.right > root.clientWidth + 1 && box.width > 0) {
      wide.push(element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
                + (element.className && typeof element.className === 'string' ? '.' + element.className.split(' ').join('.') : '')
                + ' right=' + Math.round(box.right));
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, elements: wide.slice(0, 8)};
}"""


@pytest.fixture
def phone_page(chromium):
    context = chromium.new_context(locale="fr-CA", viewport=PHONE, screen=PHONE)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def overflow(page):
    return page.evaluate(OVERFLOW_SCRIPT)


class Walk:
    """What the citizen saw: pages that scroll sideways, and the title of every page."""

    def __init__(self):
        self.too_wide: list[str] = []
        self.titles: dict[str, set[str]] = {}

    def __call__(self, page) -> None:
        where = urlsplit(page.url)
        address = where.path + (f"?{where.query}" if where.query else "")
        wide = overflow(page)
        if wide:
            self.too_wide.append(f"{address}: {wide}")
        self.titles.setdefault(page.title(), set()).add(address)


def walk_journey(page, live_server, journey_id: str) -> Walk:
    journey = definition(live_server.app.extensions["catalog"].get(journey_id))
    scenario = scenario_with_group(journey_id)
    live_server.app.config["TODAY"] = scenario.today
    walk = Walk()
    citizen = Citizen(page, live_server.url, journey, on_page=walk)
    try:
        citizen.open_home()
        citizen.search(journey.title["fr"])
        citizen.choose_journey()
        citizen.start()
        citizen.answer_all(scenario.answers)
        citizen.confirm_answers()
        citizen.goto(f"/parcours/{journey_id}/resultat?imprimer=1")
    finally:
        live_server.app.config.pop("TODAY", None)
    return walk


@pytest.mark.parametrize("journey_id", JOURNEYS)
def test_no_page_of_a_journey_scrolls_sideways_on_a_small_phone(phone_page, live_server, journey_id):
    walk = walk_journey(phone_page, live_server, journey_id)
    assert sum(len(paths) for paths in walk.titles.values()) >= 5
    assert not walk.too_wide, "pages wider than 320 px:\n  " + "\n  ".join(walk.too_wide)


def test_every_page_title_is_unique_over_all_the_journeys(phone_page, live_server):
    titles: dict[str, set[str]] = {}
    for journey_id in JOURNEYS:
        for title, addresses in walk_journey(phone_page, live_server, journey_id).titles.items():
            titles.setdefault(title, set()).update(addresses)
    shared = {title: sorted(addresses) for title, addresses in titles.items()
              if len({address.split("?")[0] for address in addresses}) > 1 and "imprimer" not in "".join(addresses)}
    assert not shared, "titles shared by different pages:\n  " + "\n  ".join(f"{t!r}: {a}" for t, a in shared.items())


@pytest.mark.parametrize("path", ["/", "/?q=je+d%C3%A9m%C3%A9nage", "/connexion", "/inscription", "/mot-de-passe-oublie",
                                  "/confidentialite", "/parcours/inconnu"])
def test_other_pages_do_not_scroll_sideways_on_a_small_phone(phone_page, live_server, path):
    phone_page.goto(live_server(path))
    assert overflow(phone_page) is None, f"{path}: {overflow(phone_page)}"
