"""The plausible range of a date answer, and date arithmetic that never overflows.

A date question may declare `min_date` / `max_date`: an ISO date (`2000-01-01`), `today`, or a
distance from today: a sign, a number and a unit, y (years), m (months) or d (days): `-120y`,
`+1y`, `+10m`, `-30d`. Without them every date answer must lie between DEFAULT_MIN and
DEFAULT_MAX, so that no answer such as 0001-01-01 or 9999-12-31 reaches the plan, the calendar
or Mon dossier.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional, Union

_RELATIVE = re.compile(r"(?P<sign>[+-])(?P<count>\d{1,4})(?P<unit>[ymd])")

DEFAULT_MIN = "1900-01-01"
DEFAULT_MAX = "+10y"


class BoundError(ValueError):
    """A min_date / max_date that is neither an ISO date, `today` nor a relative distance."""


@dataclass(frozen=True)
class DateBound:
    fixed: Optional[date] = None
    years: int = 0
    months: int = 0
    days: int = 0

    def resolve(self, today: date) -> date:
        if self.fixed is not None:
            return self.fixed
        moved = add_months(today, self.years * 12 + self.months)
        return add_days(moved, self.days)


def parse_bound(value: Union[str, date]) -> DateBound:
    if isinstance(value, date):
        return DateBound(fixed=value)
    text = str(value).strip()
    if text == "today":
        return DateBound()
    match = _RELATIVE.fullmatch(text)
    if match:
        count = int(match["count"]) * (-1 if match["sign"] == "-" else 1)
        unit = match["unit"]
        return DateBound(years=count if unit == "y" else 0, months=count if unit == "m" else 0,
                         days=count if unit == "d" else 0)
    try:
        return DateBound(fixed=date.fromisoformat(text))
    except ValueError:
        raise BoundError(text) from None


def bounds(question, today: date) -> tuple[date, date]:
    """The earliest and latest date `question` accepts on `today` (declared or default)."""
    low = getattr(question, "min_date", None)
    high = getattr(question, "max_date", None)
    return (parse_bound(DEFAULT_MIN if low is None else low).resolve(today),
            parse_bound(DEFAULT_MAX if high is None else high).resolve(today))


# ----- arithmetic clamped to the calendar Python can represent -----

def add_days(start: date, days: int) -> date:
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(start: date, months: int) -> date:
    """Same day `months` calendar months later, clamped to the end of a shorter month."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))
