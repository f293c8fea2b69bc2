"""Recurring deadlines: the next due dates of an obligation that comes back each period.

A step deadline with `recurring:` (see schema.Recurrence) is due every year on a fixed date
(e.g. an annual declaration), or a delay after the end of each calendar period, the period being
fixed or chosen in the answers (e.g. GST/QST returns monthly, quarterly or yearly). `due_dates`
computes the next N due dates from a reference date; `upcoming` lists them for every recurring
step that applies to a set of answers, soonest first.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Mapping, Optional

from .conditions import as_date
from .deadlines import _clamped, add_months, is_business_day
from .definition import CompiledStep, JourneyDefinition
from .engine import current_answers
from .schema import PERIOD_OPTIONS, Organisation, Recurrence, Step

MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}
# Far enough to find the first period whose due date is after the reference (delays are ≤ 12 months).
_LOOKBACK_MONTHS = 14


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One due date of a recurring step."""
    step: Step
    organisation: Optional[Organisation]
    due: date
    period_end: Optional[date]  # the end of the period the filing covers (None for a fixed yearly date)


def period_of(recurrence: Recurrence, answers: Mapping) -> Optional[str]:
    """month, quarter or year: fixed by the definition or chosen in the answers (None if unanswered)."""
    if recurrence.every is not None:
        return recurrence.every
    return PERIOD_OPTIONS.get(answers.get(recurrence.every_from)) if recurrence.every_from else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _period_ends(period: str, start: date):
    """Ends of the calendar periods (month, quarter, year) from the one containing `start` onwards."""
    size = MONTHS_IN[period]
    month = ((start.month - 1) // size + 1) * size  # last month of the period containing start
    year = start.year
    while True:
        yield _month_end(year, month)
        month += size
        if month > 12:
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


def _roll(day: date, recurrence: Recurrence) -> date:
    if recurrence.next_business_day:
        while not is_business_day(day):
            day += timedelta(days=1)
    return day


def _due_after(end: date, recurrence: Recurrence) -> date:
    if recurrence.months_after is not None:
        # Period ends are month ends, so the due date is the end of the month `months_after` later.
        shifted = add_months(end, recurrence.months_after)
        return _month_end(shifted.year, shifted.month)
    return end + timedelta(days=recurrence.days_after or 0)


def due_dates(recurrence: Recurrence, period: Optional[str], reference: date, count: int,
              begins: Optional[date] = None) -> list[tuple[date, Optional[date]]]:
    """The next `count` (due date, period end) pairs on or after `reference`.

    `begins` is when the obligation started: periods ending before it, and fixed yearly dates
    before it (or before its year plus the date's `year_offset`), are not due. `period` comes from `period_of`; None gives no dates.
    """
    if count <= 0 or period is None:
        return []
    found: list[tuple[date, Optional[date]]] = []
    if recurrence.on is not None:
        # With a start date, the first due date falls in the start's year plus `year_offset`
        # (e.g. year-end slips: the year after the first pay), and never before the start.
        on, offset = recurrence.on, recurrence.on.year_offset
        year = min(reference.year, begins.year + offset) if begins else reference.year
        while len(found) < count:
            fixed = _clamped(year, on.month, on.day)
            due = _roll(fixed, recurrence)
            started = begins is None or (year >= begins.year + offset and fixed >= begins)
            if due >= reference and started:
                found.append((due, None))
            year += 1
        return found
    start = add_months(reference, -_LOOKBACK_MONTHS)
    if begins is not None and begins > start:
        start = begins
    for end in _period_ends(period, start):
        due = _roll(_due_after(end, recurrence), recurrence)
        if due >= reference:
            found.append((due, end))
            if len(found) == count:
                return found


def _recurring_rule(compiled: CompiledStep, answers: Mapping, today: date):
    for rule in compiled.deadline_rules:
        if rule.condition is None or rule.condition.evaluate(answers, today):
            return rule if rule.rule.recurring is not None else None
    return None


def next_due(compiled: CompiledStep, answers: Mapping, today: date) -> Optional[date]:
    """The next due date of a step whose chosen deadline rule is recurring (None otherwise)."""
    rule = _recurring_rule(compiled, answers, today)
    if rule is None:
        return None
    begins = as_date(answers.get(rule.of)) if rule.of else None
    dates = due_dates(rule.rule.recurring, period_of(rule.rule.recurring, answers), today, 1, begins)
    return dates[0][0] if dates else None


def upcoming(journey: JourneyDefinition, answers: Mapping, today: date, count: int = 4,
             organisations: Optional[Mapping[str, Organisation]] = None) -> list[Occurrence]:
    """The next `count` due dates of every recurring step that applies to `answers`, soonest first."""
    current = current_answers(journey, answers, today)
    organisations = organisations if organisations is not None else journey.organisations
    found = []
    for compiled in journey.compiled_steps:
        if compiled.applies_if is not None and not compiled.applies_if.evaluate(current, today):
            continue
        rule = _recurring_rule(compiled, current, today)
        if rule is None:
            continue
        recurrence = rule.rule.recurring
        begins = as_date(current.get(rule.of)) if rule.of else None
        for due, end in due_dates(recurrence, period_of(recurrence, current), today, count, begins):
            found.append(Occurrence(compiled.step, organisations.get(compiled.step.organisation), due, end))
    found.sort(key=lambda o: (o.due, o.step.id))
    return found
