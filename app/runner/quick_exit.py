"""The "Quitter rapidement" link of sensitive journeys (`quick_exit: true` in the journey file).

A person in danger may need to leave the page at once: every page of such a journey (start,
questions, check answers, plan, declaration, forms opened from the plan) shows a link to a neutral
site. It works without JavaScript; it sends no referrer, so the neutral site never learns where
the visitor came from.
"""
from __future__ import annotations

from app.core.i18n import current_language

# Environment Canada's weather pages: neutral, public, fast, in both languages.
EXIT_URLS = {"fr": "https://meteo.gc.ca/", "en": "https://weather.gc.ca/"}


def quick_exit_shown(journey=None, journey_id: str | None = None) -> bool:
    """Whether the page being rendered belongs to a journey that asks for the quick exit.

    `journey` is the journey a page renders (runner and declaration pages); `journey_id` the one
    a form page was opened from (the form pages only know its id)."""
    if journey is not None:
        return bool(getattr(journey, "quick_exit", False))
    if journey_id:
        from app.catalog import get_journey

        found = get_journey(journey_id)
        return bool(found is not None and found.quick_exit)
    return False


def quick_exit_url() -> str:
    return EXIT_URLS.get(current_language(), EXIT_URLS["fr"])
