"""Size budgets, measured by the browser: a question page's HTML stays under 30 KB, a first visit
(home page with everything it loads, empty cache) under 300 KB transferred, every file found, and a
later page costs at most 2 requests (static files are cached as immutable: app/core/assets.py)."""
from __future__ import annotations

import pytest
from browser_flows import QUESTION_PATH, Citizen, scenario_with_group
from fixtures import _serve

from app import create_app
from app.core import assets
from app.runner.display import definition

pytestmark = pytest.mark.browser

QUESTION_PAGE_BUDGET = 30 * 1024
FIRST_VISIT_BUDGET = 300 * 1024
LATER_PAGE_REQUESTS = 2


@pytest.fixture(scope="module")
def built_server(tmp_path_factory):
    """Served as `make run` serves: static files built (hashed, compressed) before the app starts."""
    folder = tmp_path_factory.mktemp("built")
    build_dir = str(folder / "static-build")
    assets.build(create_app({"STATIC_BUILD_DIR": build_dir, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))
    yield from _serve(folder / "live.db", STATIC_BUILD_DIR=build_dir)


def test_a_first_visit_transfers_less_than_300_kb(page, built_server):
    live_server = built_server
    requests, failures = [], []
    page.on("requestfinished", lambda request: requests.append(request))
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failures.append(
        f"{response.status} {response.url}"))
    page.goto(live_server("/"), wait_until="networkidle")
    assert not failures, f"the home page references missing or failing files: {failures}"
    sizes = {request.url: request.sizes() for request in requests}
    total = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes.values())
    detail = "\n".join(f"  {size['responseBodySize'] / 1024:7.1f} KB  {url}" for url, size in sorted(
        sizes.items(), key=lambda item: -item[1]["responseBodySize"]))
    print(f"first visit: {total / 1024:.1f} KB in {len(sizes)} responses\n{detail}")
    assert total < FIRST_VISIT_BUDGET, f"first visit is {total / 1024:.1f} KB:\n{detail}"


def test_every_question_page_of_a_journey_is_under_30_kb(page, live_server):
    journey = definition(live_server.app.extensions["catalog"].get("devenir-parent"))
    scenario = scenario_with_group("devenir-parent")
    live_server.app.config["TODAY"] = scenario.today
    sizes: dict[str, int] = {}

    def measure(current_page):
        if QUESTION_PATH.match(current_page.url.removeprefix(live_server.url).split("?")[0]):
            # The same page fetched again with the browser's cookies: its exact HTML size.
            sizes[current_page.url] = len(current_page.request.get(current_page.url).body())

    try:
        Citizen(page, live_server.url, journey, on_page=measure).complete(scenario.answers)
    finally:
        live_server.app.config.pop("TODAY", None)
    assert sizes, "no question page was measured"
    largest = max(sizes, key=sizes.get)
    print(f"question pages: {len(sizes)}, largest {sizes[largest] / 1024:.1f} KB ({largest})")
    assert sizes[largest] < QUESTION_PAGE_BUDGET, f"{largest} is {sizes[largest] / 1024:.1f} KB"


def test_a_later_page_costs_at_most_two_requests(page, built_server):
    """Counted where it costs: requests that reach the server (a file from the browser's cache does not)."""
    reached = []
    app = built_server.app
    served = app.wsgi_app

    def counting(environ, start_response):
        reached.append(environ["PATH_INFO"])
        return served(environ, start_response)

    page.goto(built_server("/"), wait_until="networkidle")
    app.wsgi_app = counting
    try:
        page.goto(built_server("/parcours/demenager"), wait_until="networkidle")
    finally:
        app.wsgi_app = served
    assert 1 <= len(reached) <= LATER_PAGE_REQUESTS, reached
