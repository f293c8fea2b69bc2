"""Size budgets, measured by the browser: a question page's HTML stays under 30 KB and a first visit
(home page with everything it loads, empty cache) under 400 KB transferred, every file found."""
from __future__ import annotations

import pytest
from browser_flows import QUESTION_PATH, Citizen, scenario_with_group

from app.runner.display import definition

pytestmark = pytest.mark.browser

QUESTION_PAGE_BUDGET = 30 * 1024
FIRST_VISIT_BUDGET = 400 * 1024


def test_a_first_visit_transfers_less_than_400_kb(page, live_server):
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
