"""Deadline arithmetic: calendar days, Québec business days, calendar months, fixed dates; a date
that would fall outside the calendar (before year 1, after 9999) is clamped to its edge.

Business days skip Saturdays, Sundays and Québec statutory holidays as listed by the `holidays`
package (Canada, subdivision QC); the holiday list is built once per year and cached.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

from .date_bounds import add_days, add_months


@lru_cache(maxsize=64)
def quebec_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Canada(subdiv="QC", years=year).keys())


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in quebec_holidays(day.year)


@lru_cache(maxsize=4096)
def add_business_days(start: date, count: int) -> date:
    """The date `count` Québec business days after `start` (before it when negative); 0 is `start`."""
    step = timedelta(days=1 if count >= 0 else -1)
    day, remaining = start, abs(count)
    while remaining:
        if _at_edge(day, step):
            return day
        day += step
        if is_business_day(day):
            remaining -= 1
    return day


def _at_edge(day: date, step: timedelta) -> bool:
    return (step.days > 0 and day == date.max) or (step.days < 0 and day == date.min)


def fixed_date(reference: date, month: int, day: int, year_offset: int = 0) -> date:
    year = reference.year + year_offset
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    return _clamped(year, month, day)


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def apply_rule(rule, reference: date) -> date:
    """The deadline one schema Deadline rule gives from `reference` (exactly one rule is set)."""
    if rule.within_days is not None:
        return add_days(reference, rule.within_days)
    if rule.business_days is not None:
        return add_business_days(reference, rule.business_days)
    if rule.within_months is not None:
        return add_months(reference, rule.within_months)
    return fixed_date(reference, rule.on.month, rule.on.day, rule.on.year_offset)
