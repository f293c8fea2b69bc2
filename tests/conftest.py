"""Shared fixtures: an app on a throw-away SQLite database migrated with Alembic, and a test client
that checks every HTML page it receives (the notifications-admin habit).

The page checker catches whole classes of bugs on every view test for free: exactly one `<h1>`, a
`<title>` starting with the h1 text (and with "Erreur :" when the error summary shows), no
duplicate ids, a `lang` on `<html>`, every form with an `action` (and a CSRF token on POST forms
when CSRF is on), every input with a label, and no inline script, style or event handler (the
Content-Security-Policy would block them). Opt out for one request with
`client.get(url, check_page=False)`, or use the `unchecked_client` fixture.
"""
from __future__ import annotations

import os
import re

# Tests run in development mode (app/core/config.py): apps they make, and the `flask` commands they
# start, may generate their secrets. Production-mode tests set ENV themselves.
os.environ.setdefault("PARCOURS_ENV", "development")

import pytest  # noqa: E402
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2 import ChoiceLoader, DictLoader

from app import create_app
from app.core.db import db

# Fixtures every test folder may use: browser (live server, one Chromium for the whole session,
# since Playwright's sync API allows one instance per thread, axe) and accounts (mailbox, users).
pytest_plugins = ["tests.browser.fixtures", "tests.auth.fixtures"]

# The prefix the form macros put in the <title> when the page shows a validation error.
ERROR_TITLE_PREFIX = re.compile(r"^(Erreur|Error)\s*:\s*", re.IGNORECASE)
# Inputs that need no label: they are not typed into by a person or carry their own text.
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "image", "reset"}


def normalize_space(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def page_problems(html: str, *, csrf_enabled: bool) -> list[str]:
    """Every rule a rendered page breaks, as readable sentences (an empty list means the page is fine)."""
    soup = BeautifulSoup(html, "html.parser")
    problems: list[str] = []

    html_tag = soup.find("html")
    if html_tag is None or not html_tag.get("lang"):
        problems.append("<html> has no lang attribute")

    headings = soup.find_all("h1")
    if len(headings) != 1:
        problems.append(f"expected exactly one <h1>, found {len(headings)}: "
                        f"{[normalize_space(h.get_text()) for h in headings]}")
    title_tag = soup.find("title")
    title = normalize_space(title_tag.get_text()) if title_tag else ""
    if not title:
        problems.append("the page has no <title>")
    elif len(headings) == 1:
        h1 = normalize_space(headings[0].get_text())
        if not h1:
            problems.append("the <h1> is empty")
        elif not ERROR_TITLE_PREFIX.sub("", title).startswith(h1):
            problems.append(f"<title> {title!r} does not start with the h1 {h1!r}")
    # The error summary macro gives id="error-summary": its page title must say so first.
    if soup.find(id="error-summary") is not None and not ERROR_TITLE_PREFIX.match(title):
        problems.append(f"the page shows an error summary but its <title> {title!r} does not start "
                        f"with 'Erreur :' / 'Error:'")

    seen: set[str] = set()
    for element in soup.find_all(id=True):
        if element["id"] in seen:
            problems.append(f"duplicate id {element['id']!r}")
        seen.add(element["id"])

    for form in soup.find_all("form"):
        if not form.has_attr("action"):
            problems.append(f"a <form> has no action attribute: {_start_tag(form)}")
        is_post = form.get("method", "get").lower() == "post"
        if is_post and csrf_enabled and not form.find("input", attrs={"type": "hidden", "name": "csrf_token"}):
            problems.append(f"a POST <form> has no csrf_token hidden input: {_start_tag(form)}")

    # The Content-Security-Policy blocks inline code and styles: in a browser they would silently do nothing.
    for script in soup.find_all("script"):
        if not script.get("src"):
            problems.append("an inline <script> (blocked by the CSP; use a file under static/)")
    if soup.find("style") is not None:
        problems.append("a <style> element (blocked by the CSP; use a stylesheet under static/)")
    for element in soup.find_all(True):
        inline = [name for name in element.attrs if name == "style" or name.startswith("on")]
        if inline:
            problems.append(f"inline {', '.join(inline)} attribute (blocked by the CSP): {_start_tag(element)}")

    labelled_ids = {label["for"] for label in soup.find_all("label", attrs={"for": True})}
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.name == "input" and field.get("type", "text").lower() in UNLABELLED_INPUT_TYPES:
            continue
        has_label = (
            field.get("id") in labelled_ids
            or field.find_parent("label") is not None
            or field.get("aria-label", "").strip()
            or field.get("aria-labelledby", "").strip()
        )
        if not has_label:
            problems.append(f"a form field has no label: {_start_tag(field)}")
    return problems


def _start_tag(element) -> str:
    attributes = " ".join(f'{key}="{" ".join(value) if isinstance(value, list) else value}"'
                          for key, value in element.attrs.items())
    return f"<{element.name} {attributes}>".replace(" >", ">")


def assert_page_is_well_formed(html: str, *, csrf_enabled: bool, where: str = "") -> None:
    problems = page_problems(html, csrf_enabled=csrf_enabled)
    if problems:
        raise AssertionError(f"page checker: {where}\n  - " + "\n  - ".join(problems))


class CheckedClient(FlaskClient):
    """A test client that runs the page checker on every HTML response (pass check_page=False to skip)."""

    def open(self, *args, check_page: bool = True, **kwargs):
        response = super().open(*args, **kwargs)
        if check_page and response.mimetype == "text/html" and not 300 <= response.status_code < 400:
            request = response.request
            assert_page_is_well_formed(
                response.get_data(as_text=True),
                csrf_enabled=self.application.config.get("WTF_CSRF_ENABLED", True),
                where=f"{request.method} {request.full_path.rstrip('?')} -> {response.status_code}",
            )
        return response


# `PARCOURS_TEST_DATABASE=postgres` (make test-postgres) runs the suite on PostgreSQL: every app the
# tests make gets its own throw-away database, migrated by Alembic and dropped at the end.
TEST_DATABASE = os.environ.get("PARCOURS_TEST_DATABASE", "sqlite").strip().lower()
POSTGRES_SERVER = os.environ.get("PARCOURS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")


@pytest.fixture(scope="session")
def new_database_url(tmp_path_factory):
    """`new_database_url(name)`: an empty database for one app: a SQLite file, or on PostgreSQL a
    database with a random name (never a fixed one: the server is shared)."""
    if TEST_DATABASE not in ("sqlite", "postgres"):
        raise pytest.UsageError("PARCOURS_TEST_DATABASE must be sqlite or postgres")
    created: list[str] = []
    admin = None
    if TEST_DATABASE == "postgres":
        import secrets

        import psycopg

        conninfo = POSTGRES_SERVER.replace("postgresql+psycopg://", "postgresql://")
        admin = psycopg.connect(conninfo + "/postgres", autocommit=True, connect_timeout=5)

    def make(name: str = "test") -> str:
        if admin is None:
            return f"sqlite:///{tmp_path_factory.mktemp('db') / (name + '.db')}"
        database = f"parcours_test_{secrets.token_hex(5)}"
        admin.execute(f'CREATE DATABASE "{database}"')
        created.append(database)
        return f"{POSTGRES_SERVER}/{database}"

    yield make
    if admin is not None:
        for database in created:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session")
def app(new_database_url):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": new_database_url("test"),
        "WTF_CSRF_ENABLED": False,
    })
    # Every client made from this app (client, csrf_app.test_client(), ...) checks its pages.
    app.test_client_class = CheckedClient
    with app.app_context():
        upgrade(revision="heads")
    yield app


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Every test starts with empty tables (only when the test uses the app)."""
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        with app.app_context():
            db.session.remove()
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()


@pytest.fixture
def client(app):
    """The checked test client: every HTML page it gets goes through the page checker."""
    return app.test_client()


@pytest.fixture
def unchecked_client(app):
    """A plain Flask test client, for tests that look at deliberately odd responses."""
    return FlaskClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def csrf_app(app):
    """The same app with CSRF protection on, for tests that prove tampered posts are refused."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def extra_templates(app):
    """`extra_templates({name: source})` adds templates to the app for one test; the loader is put back."""
    original = app.jinja_env.loader

    def add(templates: dict) -> None:
        app.jinja_env.loader = ChoiceLoader([DictLoader(templates), original])
        app.jinja_env.cache.clear()

    yield add
    app.jinja_env.loader = original
    app.jinja_env.cache.clear()


@pytest.fixture
def make_app(app, tmp_path, new_database_url):
    """`make_app(overrides)`: another app instance (another process, in effect) for one test, on its
    own instance/ folder and, unless told, its own migrated SQLite database.

    The rate limiter is one object shared by every app of this process (its decorators are bound at
    import): its state is put back afterwards so the session's app keeps its own storage.
    """
    from app.auth.limits import limiter

    saved = dict(vars(limiter))
    count = 0
    shared = new_database_url("shared")
    made: list = []

    def make(overrides: dict | None = None, *, migrate: bool = True):
        nonlocal count
        count += 1
        settings = {"INSTANCE_PATH": str(tmp_path / f"instance{count}"),
                    "SQLALCHEMY_DATABASE_URI": shared,
                    "WTF_CSRF_ENABLED": False,
                    "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST_KIB": 8, "ARGON2_PARALLELISM": 1,
                    **(overrides or {})}
        made_app = create_app(settings)
        made.append(made_app)
        made_app.test_client_class = CheckedClient
        if migrate:
            with made_app.app_context():
                upgrade(revision="heads")
        return made_app

    yield make
    vars(limiter).clear()
    vars(limiter).update(saved)
    from app.core.db import db as database

    for made_app in made:
        with made_app.app_context():
            database.engine.dispose()


@pytest.fixture(scope="session")
def page_checker():
    """The page checker as a function, for pages obtained another way (e.g. from a browser)."""
    return assert_page_is_well_formed


@pytest.fixture(autouse=True)
def _account_test_settings(request):
    """Accounts (app.auth) in tests: login/registration rate limits count per IP and every test
    client is 127.0.0.1, so each test starts with empty counters; argon2 uses its cheapest
    parameters (production ones cost ~0.3 s per hash on a busy machine)."""
    if "app" in request.fixturenames:
        from app.auth.limits import limiter

        app = request.getfixturevalue("app")
        app.config.update(ARGON2_TIME_COST=1, ARGON2_MEMORY_COST_KIB=8, ARGON2_PARALLELISM=1)
        with app.app_context():
            limiter.reset()
    yield
