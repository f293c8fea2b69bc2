"""The business's next due dates as an iCalendar file (app/runner/ics.py writes the format)."""
from __future__ import annotations

from flask import url_for

from app.runner.display import localized
from app.runner.ics import CalendarEvent, calendar


def business_calendar(business, obligations) -> str:
    link = url_for("entreprises.show", business_id=business.id, _external=True)
    events = [
        CalendarEvent(
            uid=f"{business.id}-{o.run_id}-{o.step_id}-{o.due:%Y%m%d}@parcours",
            day=o.due,
            summary=localized(o.title),
            description=localized(o.organisation) if o.organisation else "",
            url=link,
        )
        for o in obligations if o.due is not None and not o.done
    ]
    return calendar(events, business.name)
