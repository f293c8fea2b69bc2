"""Deadline arithmetic: calendar days, Québec business days, calendar months, fixed dates.

Business days skip Saturdays, Sundays and Québec statutory holidays as listed by the `holidays`
package (Canada, subdivision QC); the holiday list is built once per year and cached.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays


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
        day += step
        if is_business_day(day):
            remaining -= 1
    return day


def add_months(start: date, months: int) -> date:
    """Same day `months` calendar months later, clamped to the end of a shorter month."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    return _clamped(year, month + 1, start.day)


def fixed_date(reference: date, month: int, day: int, year_offset: int = 0) -> date:
    return _clamped(reference.year + year_offset, month, day)


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def apply_rule(rule, reference: date) -> date:
    """The deadline one schema Deadline rule gives from `reference` (exactly one rule is set)."""
    if rule.within_days is not None:
        return reference + timedelta(days=rule.within_days)
    if rule.business_days is not None:
        return add_business_days(reference, rule.business_days)
    if rule.within_months is not None:
        return add_months(reference, rule.within_months)
    return fixed_date(reference, rule.on.month, rule.on.day, rule.on.year_offset)
