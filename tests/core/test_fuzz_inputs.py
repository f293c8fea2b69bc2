"""Property-based: whatever a citizen (or an attacker) types into any form or answer page, the
portal never answers with a server error. Random text, any Unicode (NUL and other control
characters, emoji, right-to-left scripts), huge values and dates of every year are posted to every
field of the account forms, the profile, the forms' drafts and each question of every journey.

Bounded: a few dozen examples per page group, well under 90 s in all.
"""
from __future__ import annotations

import time
from datetime import date

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.auth.testing import login

# Any character a browser can send (lone surrogates cannot be encoded as UTF-8 by any client).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
NASTY = st.sampled_from([
    "\x00", "ana\x00@example.ca", "\x1b[31m", "\u202eRTL override", "مرحبا بالعالم", "שלום", "🎉👩‍👩‍👧",
    "' OR 1=1 --", "<script>alert(1)</script>", "%00", "\r\n\r\nX: y", "０１/０２/２０２６", "٢٠٢٦-٠٢-٢٠",
    "0001-01-01", "9999-12-31", "31/12/9999", "1/1/1", "2026-02-29", "-1", "1e309", "NaN", " " * 5000,
])
DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), f"{d.day:02d}/{d.month:02d}/{d.year}"]))
VALUES = st.one_of(ANY_TEXT, NASTY, DATES)
HUGE = "é" * (5 * 1024 * 1024 // 2)  # 5 MB once UTF-8 encoded: more than MAX_CONTENT_LENGTH
FUZZ = settings(max_examples=10, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# CPU time, not wall time: the bound must hold on a busy shared machine too. Only this module's
# tests count (the whole suite runs in the same process).
SPENT = [0.0]


@pytest.fixture(autouse=True)
def _cpu_time_of_each_fuzz_test():
    started = time.process_time()
    yield
    SPENT[0] += time.process_time() - started


_FIELDS: dict[str, list[str]] = {}


def field_names(client, path: str) -> list[str]:
    """The names of the fields of the page's form (read once per page)."""
    if path not in _FIELDS:
        _FIELDS[path] = _read_field_names(client, path)
    return _FIELDS[path]


def _read_field_names(client, path: str) -> list[str]:
    page = client.get(path, check_page=False)
    if page.status_code != 200:
        return []
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    form = soup.select_one("main form[method=post]") or soup.select_one("form[method=post]")
    if form is None:
        return []
    return sorted({f["name"] for f in form.find_all(["input", "select", "textarea"])
                   if f.get("name") and f.get("name") != "csrf_token"})


def post_everywhere(client, paths: list[str], value: str) -> None:
    if len(value) > 100_000:
        # Refused before any view reads it (MAX_CONTENT_LENGTH): one page per group proves it, and
        # encoding 5 MB for every page would cost most of the time budget.
        paths = paths[:2]
    for path in paths:
        names = field_names(client, path) or [path.rsplit("/", 1)[-1]]
        response = client.post(path, data={name: value for name in names}, check_page=False)
        assert response.status_code < 500, f"{path} answered {response.status_code} for {value[:80]!r}"


@FUZZ
@given(value=VALUES)
@example(value=HUGE)
def test_account_forms_never_fail(client, value):
    post_everywhere(client, ["/inscription", "/connexion", "/mot-de-passe/oublie"], value)


@FUZZ
@given(value=VALUES)
@example(value=HUGE)
def test_profile_and_form_drafts_never_fail(app, client, user, value):
    from app.catalog import get_catalog

    if not client.get("/mon-dossier", check_page=False).status_code == 200:
        login(client)
    with app.app_context():
        forms = sorted(get_catalog().forms)
    post_everywhere(client, ["/mon-dossier/profil"] + [f"/formulaires/{form_id}" for form_id in forms], value)


@FUZZ
@given(value=VALUES)
@example(value=HUGE)
def test_every_question_of_every_journey_never_fails(app, client, value):
    from app.catalog import get_catalog

    with app.app_context():
        catalog = get_catalog()
        journeys = {journey_id: [q.id for q in definition.journey.questions]
                    for journey_id, definition in sorted(catalog.journeys.items())}
    assert journeys, "no journey found to fuzz"
    for journey_id, questions in journeys.items():
        client.post(f"/parcours/{journey_id}/commencer")
        post_everywhere(client, [f"/parcours/{journey_id}/questions/{q}" for q in questions], value)
        for page in (f"/parcours/{journey_id}/verifier", f"/parcours/{journey_id}/resultat",
                     f"/parcours/{journey_id}/resultat.ics"):
            assert client.get(page, check_page=False).status_code < 500


def test_the_fuzzing_stays_bounded():
    assert SPENT[0] < 90, f"the fuzz tests took {SPENT[0]:.0f} s of CPU"
