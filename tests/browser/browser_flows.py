"""A citizen in a browser: finds a journey, answers every question by its type, checks the answers
and reads the plan. Answers come from the journey's scenario files (`journeys/tests/<id>/*.yaml`),
so a wording change in a journey does not break these tests; only the URL conventions of
`app/runner/views.py` and the field ids of `macros/forms.html` are relied on.

With `keyboard=True` the citizen never clicks: Tab moves between controls, Space ticks a box or a
radio button, arrow keys move inside a radio group (the only way a keyboard can choose the second
option of a group), typing fills a box and Enter follows a link or presses a button.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Callable
from urllib.parse import urlsplit

from babel.dates import format_date

from app.core.config import PROJECT_ROOT
from app.journeys import scenarios
from app.journeys.scenarios import Scenario

SCENARIOS = PROJECT_ROOT / "journeys" / "tests"
QUESTION_PATH = re.compile(r"^/parcours/(?P<journey>[a-z0-9-]+)/questions/(?P<question>[a-z0-9_]+)$")
ITEM_PATH = re.compile(
    r"^/parcours/(?P<journey>[a-z0-9-]+)/questions/(?P<group>[a-z0-9_]+)/(?P<index>\d+)/(?P<question>[a-z0-9_]+)$")
REMOVE_PATH = re.compile(r"^/parcours/(?P<journey>[a-z0-9-]+)/questions/(?P<group>[a-z0-9_]+)/(?P<index>\d+)/retirer$")
MAX_PAGES = 120  # a journey longer than this is looping


def load_scenarios(journey_id: str) -> list[Scenario]:
    return scenarios.load_scenarios(SCENARIOS, journey_id)


def scenario_with_group(journey_id: str) -> Scenario:
    """The first scenario that fills a repeating group (to walk through group pages), else the first."""
    scenarios = load_scenarios(journey_id)
    assert scenarios, f"no scenario in journeys/tests/{journey_id}/"
    for scenario in scenarios:
        if any(isinstance(value, list) and value and isinstance(value[0], dict) for value in scenario.answers.values()):
            return scenario
    return scenarios[0]


def long_date(day: date, lang: str) -> str:
    """A deadline as the result page writes it (app/runner/display.long_date: '1er mars' for the 1st)."""
    text = format_date(day, format="long", locale=lang)
    return "1er " + text[2:] if lang == "fr" and day.day == 1 and text.startswith("1 ") else text


def _text(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Citizen:
    """Drives one journey through the browser. `on_page(page)` runs on every page reached."""

    def __init__(self, page, base_url: str, journey, *, keyboard: bool = False,
                 on_page: Callable | None = None):
        self.page, self.base_url, self.journey = page, base_url, journey
        self.keyboard = keyboard
        self.on_page = on_page or (lambda page: None)
        self.questions = {question.id: question for question in journey.questions}
        self.pages_seen: list[str] = []

    def item_question(self, group_id: str, question_id: str):
        return next(q for q in self.questions[group_id].questions if q.id == question_id)

    # -- moving around --------------------------------------------------------------------------

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def _arrived(self) -> None:
        self.pages_seen.append(self.path)
        self.on_page(self.page)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self._arrived()

    def tab_to(self, selector: str, limit: int = 150) -> None:
        """Press Tab until the element matching `selector` has the focus."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def follow(self, selector: str) -> None:
        """Follow a link or press a button, by click or by keyboard."""
        with self.page.expect_navigation():
            if self.keyboard:
                self.tab_to(selector)
                self.page.keyboard.press("Enter")
            else:
                self.page.locator(selector).first.click()
        self._arrived()

    def submit(self) -> None:
        """Press the page's main button (Continue on questions and groups)."""
        self.follow("#question-form button[type=submit], main form[method=post] button[type=submit].qc-primary")

    # -- the journey ----------------------------------------------------------------------------

    def open_home(self) -> None:
        self.goto("/")

    def search(self, words: str) -> None:
        """Type words in the home page search and send them (the results page comes back)."""
        if self.keyboard:
            self.tab_to("#q")
            self.page.keyboard.type(words)
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
            self._arrived()
        else:
            self.page.fill("#q", words)
            self.follow("#search-submit")

    def choose_journey(self) -> None:
        self.follow(f"#journey-{self.journey.id}")

    def start(self) -> None:
        self.follow("#start-button")

    def answer_all(self, answers: dict, mistakes: dict | None = None, empty_first: bool = False) -> None:
        """Answer every question the route asks, until the check-your-answers page.

        `mistakes` maps a question id to a wrong value typed first: the page must come back with
        the error summary and the field's error, and the right answer is then given. With
        `empty_first`, every page is first sent empty and must come back with its error.
        """
        added: dict[str, int] = {}
        mistakes = dict(mistakes or {})
        refused: set[str] = set()

        def send_empty_once() -> None:
            if empty_first and self.path not in refused:
                refused.add(self.path)
                path = self.path
                self.submit()
                assert self.path == path, f"an empty answer was accepted on {path}"
                assert self.page.locator("#error-summary").count() == 1, f"no error summary on {path}"

        for _ in range(MAX_PAGES):
            path = self.path
            if path.endswith("/verifier"):
                return
            item = ITEM_PATH.match(path)
            if item:
                send_empty_once()
                items = answers[item["group"]]
                asked = self.item_question(item["group"], item["question"])
                self.fill(asked, items[int(item["index"])].get(asked.id))
                self.submit()
                continue
            question = QUESTION_PATH.match(path)
            assert question, f"unexpected page while answering: {self.page.url}"
            asked = self.questions[question["question"]]
            if asked.type == "group":
                if not added.get(asked.id):
                    send_empty_once()
                items = answers.get(asked.id) or []
                if added.get(asked.id, 0) < len(items):
                    added[asked.id] = added.get(asked.id, 0) + 1
                    self.follow("#add-item")
                else:
                    self.submit()
                continue
            send_empty_once()
            if asked.id in mistakes:
                self.type_into(f"#{asked.id}", mistakes.pop(asked.id))
                self.submit()
                assert self.path == path, f"a wrong answer to {asked.id} was accepted"
                assert self.page.locator(f"#error-summary a[href='#{asked.id}']").count() == 1
                assert self.page.locator(f"#{asked.id}-error").count() == 1
            self.fill(asked, answers.get(asked.id))
            self.submit()
        raise AssertionError(f"the journey did not reach the check page after {MAX_PAGES} pages")

    def confirm_answers(self) -> None:
        assert self.path.endswith("/verifier"), self.page.url
        self.follow("#see-plan")
        assert self.path.endswith("/resultat"), f"expected the result page, got {self.page.url}"

    def complete(self, answers: dict, *, search: str | None = None) -> None:
        self.open_home()
        if search:
            self.search(search)
        self.choose_journey()
        self.start()
        self.answer_all(answers)
        self.confirm_answers()

    # -- one field, by question type ------------------------------------------------------------

    def fill(self, question, value) -> None:
        """Put `value` (a canonical answer from a scenario) in the question's field; None leaves it empty."""
        if value is None:
            return
        kind, qid = question.type, question.id
        if kind == "yesno":
            self.choose(qid, "oui" if value is True or value in ("oui", "yes", "true") else "non")
        elif kind == "choice":
            self.choose(qid, value)
        elif kind == "multichoice":
            for option in value:
                self.tick(f"#{qid}-{option}")
        elif kind in ("date", "number", "text"):
            self.type_into(f"#{qid}", _text(value))
        elif kind == "address":
            for part in ("street", "city", "postal_code"):
                self.type_into(f"#{qid}-{part}", value.get(part) or "")
            self.select(f"#{qid}-province", value.get("province") or "QC")
        elif kind == "person":
            for part in ("given_names", "family_name", "birth_date"):
                if value.get(part):
                    self.type_into(f"#{qid}-{part}", _text(value[part]))
        else:
            raise AssertionError(f"no way to answer a {kind} question ({qid})")

    def type_into(self, selector: str, text: str) -> None:
        if self.keyboard:
            self.tab_to(selector)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
        else:
            self.page.fill(selector, text)

    def tick(self, selector: str) -> None:
        if self.keyboard:
            self.tab_to(selector)
            if not self.page.is_checked(selector):
                self.page.keyboard.press("Space")
        else:
            self.page.check(selector)

    def choose(self, name: str, value: str) -> None:
        target = f"#{name}-{value}"
        if not self.keyboard:
            self.page.check(target)
            return
        self.tab_to(f"input[type=radio][name={name}]")
        radios = self.page.locator(f"input[type=radio][name={name}]")
        for _ in range(radios.count() + 1):
            if self.page.evaluate("s => document.activeElement.matches(s)", target):
                break
            self.page.keyboard.press("ArrowDown")
        self.page.keyboard.press("Space")
        assert self.page.is_checked(target), f"the keyboard did not select {target}"

    def select(self, selector: str, value: str) -> None:
        if self.page.input_value(selector) == value:
            return
        if self.keyboard:
            self.tab_to(selector)
            for _ in range(20):
                if self.page.input_value(selector) == value:
                    return
                self.page.keyboard.press("ArrowDown")
            raise AssertionError(f"the keyboard could not choose {value} in {selector}")
        self.page.select_option(selector, value)


def plan_on_page(page) -> dict[str, str]:
    """step id -> the text of its block on the result page."""
    steps = {}
    for block in page.locator("main li.parcours-step[id^='step-']").all():
        steps[block.get_attribute("id").removeprefix("step-")] = " ".join(block.inner_text().split())
    return steps
