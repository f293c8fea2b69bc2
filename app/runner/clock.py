"""Today's date for the questionnaire, in Québec's time zone; `PARCOURS_TODAY` (config `TODAY`) pins it for tests and demos."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def today() -> date:
    pinned = current_app.config.get("TODAY")
    if pinned:
        return pinned if isinstance(pinned, date) else date.fromisoformat(str(pinned))
    return datetime.now(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "America/Toronto"))).date()
