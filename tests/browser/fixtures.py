"""Browser test fixtures: the real app served on 127.0.0.1 (CSRF on, its own migrated SQLite
database), Debian's Chromium driven by Playwright, a fresh browser context per test, and the checks
every page goes through (axe with zero violations, the page checker from tests/conftest.py).
"""
from __future__ import annotations

import shutil
import sys
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.catalog.cli import journeys as journeys_cli

# The test modules import browser_flows.py from this folder, whatever pytest's --import-mode.
sys.path.insert(0, str(Path(__file__).parent))

CHROMIUM = Path("/usr/bin/chromium")
ALL_TYPES_JOURNEYS = Path(__file__).parent / "journeys"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Generous enough for a loaded 2-core machine, short enough that a hung page fails quickly.
TIMEOUT_MS = 15_000


class QuietRequestHandler(WSGIRequestHandler):
    """No access log: hundreds of lines per journey would hide the test output."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@dataclass
class LiveServer:
    url: str
    app: Flask

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def _serve(database: Path, **config):
    """Create the app (CSRF on, its own database migrated by Alembic) and serve it on a free port."""
    app = create_app({
        "SECRET_KEY": "browser-tests-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "WTF_CSRF_ENABLED": True,
        **config,
    })
    with app.app_context():
        upgrade()
        # As `make run` does. The current journey files serve runs even when this fails, so a
        # failure is reported as a warning rather than stopping every browser test.
        result = app.test_cli_runner().invoke(journeys_cli, ["load"])
        if result.exit_code != 0:
            warnings.warn(f"`flask journeys load` failed: {result.output or result.exception!r}")
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app with the four real journeys."""
    yield from _serve(tmp_path_factory.mktemp("live") / "live.db")


@pytest.fixture(scope="session")
def all_types_server(tmp_path_factory):
    """The app with only tests/browser/journeys/tous-les-types.yaml: one question of every type."""
    yield from _serve(tmp_path_factory.mktemp("all-types") / "live.db", JOURNEYS_DIR=str(ALL_TYPES_JOURNEYS))


@pytest.fixture(scope="session")
def chromium():
    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    if not executable:
        pytest.skip("Debian's Chromium is not installed (/usr/bin/chromium): `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(chromium, **context_options):
    context = chromium.new_context(**context_options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(chromium):
    """A page in a fresh context (no cookies, no cache), French browser."""
    context, page = _new_page(chromium, locale="fr-CA")
    yield page
    context.close()


@pytest.fixture
def english_page(chromium):
    """A page whose browser asks for English first (Accept-Language: en-CA)."""
    context, page = _new_page(chromium, locale="en-CA")
    yield page
    context.close()


@pytest.fixture
def no_js_page(chromium):
    """A page with JavaScript turned off: every action must still work."""
    context, page = _new_page(chromium, locale="fr-CA", java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation.get('help')}")
        for node in violation.get("nodes", []):
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}: {node.get('html', '')[:160]}")
    return "\n".join(lines)


@pytest.fixture
def assert_no_axe_violations(axe):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules, best practices too) and fail with a readable list."""

    def check(page, where: str = "") -> None:
        results = axe.run(page)
        violations = results.response["violations"]
        if violations:
            raise AssertionError(
                f"{len(violations)} axe violation(s) on {where or page.url}:\n{format_violations(violations)}"
            )

    return check


@pytest.fixture
def assert_page_ok(page_checker, assert_no_axe_violations):
    """Both checks on the page the browser shows now: the page checker (CSRF on) and axe."""

    def check(page, *, axe: bool = True) -> None:
        page_checker(page.content(), csrf_enabled=True, where=page.url)
        if axe:
            assert_no_axe_violations(page)

    return check


@pytest.fixture
def mail_dir(live_server, tmp_path):
    """The live server's mails go to a folder of this test's own, so a test reads only its own links."""
    previous = live_server.app.config["MAIL_DIR"]
    live_server.app.config["MAIL_DIR"] = str(tmp_path)
    yield tmp_path
    live_server.app.config["MAIL_DIR"] = previous
