"""Small pure pieces of the runner: the search normaliser and the iCalendar writer."""
from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

from app.runner.ics import CalendarEvent, calendar, escape_text, fold
from app.runner.search import normalize, search


def journey(id_, title, summary="", keywords=None):
    return SimpleNamespace(id=id_, title={"fr": title, "en": title}, summary={"fr": summary, "en": summary},
                           keywords=keywords)


def test_normalize_drops_accents_case_and_punctuation():
    assert normalize("Décès d’un PROCHE") == "deces d un proche"
    assert normalize("  Œuvre — ÉTÉ ") == "oeuvre ete"


def test_search_matches_every_word_at_a_word_start_in_either_language():
    deces = journey("deces-proche", "Décès d'un proche", "Les démarches après un décès")
    bebe = journey("devenir-parent", "Devenir parent", keywords={"fr": "bébé naissance", "en": "baby"})
    assert search([deces, bebe], "deces", "fr") == [deces]
    assert search([deces, bebe], "DÉCÈS proche", "en") == [deces]
    assert search([deces, bebe], "bebe", "fr") == [bebe]
    assert search([deces, bebe], "aby", "en") == []  # word starts only
    assert search([deces, bebe], "   ", "fr") == []


def test_ics_escapes_and_folds_long_lines():
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 80
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_ics_calendar_has_one_all_day_event_per_step():
    body = calendar([CalendarEvent(uid="r-1@x", day=date(2026, 12, 31), summary="Fin, enfin; oui")],
                    name="Parcours", now=datetime(2026, 3, 1, 12, tzinfo=timezone.utc))
    assert "DTSTAMP:20260301T120000Z\r\n" in body
    assert "DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n" in body
    assert "SUMMARY:Fin\\, enfin\\; oui\r\n" in body
