"""Filling a form: each field's prefilled value and where it came from, its effective state, and a submit.

`fill(form, context, ...)` walks the fields in order and decides for each one, against the values
of the fields before it: does it exist (`show_if`), is it read-only (`readonly: true`, a value that
came from a registry, or `readonly_if`), and what is its value. A read-only value is always
recomputed here from the sources, never taken from what was posted or saved, so a tampered POST
cannot change it, whether the field is read-only statically or because of a condition.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from app.journeys.forms_loader import CompiledForm
from app.journeys.forms_schema import FormField
from app.journeys.sources import resolve

from .values import ADDRESS_PARTS, FieldError, as_prefill, is_empty, parse_field

CITIZEN = "citizen"  # origin of a value the citizen typed or changed
COMPUTED = "computed"


@dataclass(frozen=True)
class Context:
    """Everything a form can be prefilled from: plain mappings, missing keys meaning no value."""
    answers: Mapping[str, Any] = field(default_factory=dict)
    profile: Mapping[str, Any] = field(default_factory=dict)
    lookups: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # organisation -> data found
    today: date = field(default_factory=date.today)


@dataclass
class FieldState:
    field: FormField
    visible: bool
    readonly: bool = False
    value: Any = None
    origin: str | None = None  # "profile.x", "answers.x", "lookup.org.x", "computed", "citizen" or None
    error: str | None = None
    error_part: str | None = None

    @property
    def id(self) -> str:
        return self.field.id


@dataclass
class Filling:
    states: list[FieldState]

    @property
    def errors(self) -> list[FieldState]:
        return [s for s in self.states if s.error]

    def values(self) -> dict[str, Any]:
        return {s.id: s.value for s in self.states if s.visible}

    def origins(self) -> dict[str, str]:
        return {s.id: s.origin for s in self.states if s.visible and s.origin}

    def complete(self) -> bool:
        return not self.errors and all(not s.field.required or not is_empty(s.value)
                                       for s in self.states if s.visible)


def prefill_value(form: CompiledForm, f: FormField, context: Context) -> tuple[Any, str | None]:
    """The value the sources give `f`, and the source that gave it (the first with a value)."""
    if f.computed is not None:
        if f.computed.op == "today":
            return context.today.isoformat(), COMPUTED
        parts = [as_text(resolve(s, context.answers, context.profile, context.lookups)) for s in form.sources[f.id]]
        joined = f.computed.separator.join(p for p in parts if p)
        return (joined or None), (COMPUTED if joined else None)
    for source in form.sources.get(f.id, []):
        value = as_prefill(f, resolve(source, context.answers, context.profile, context.lookups))
        if value is not None:
            return value, source.text
    return None, None


def as_text(value: Any) -> str:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    return "" if value is None or isinstance(value, dict) else str(value).strip()


def fill(form: CompiledForm, context: Context, *, saved: Mapping[str, Any] | None = None,
         saved_origins: Mapping[str, str] | None = None, posted: Mapping[str, Any] | None = None,
         lang: str = "fr", enforce_required: bool = False) -> Filling:
    """The state of every field. `posted` (raw form data) wins over `saved` (a draft) over the prefill."""
    saved, saved_origins = saved or {}, saved_origins or {}
    effective: dict[str, Any] = {}
    states: list[FieldState] = []
    for f in form.fields():
        condition = form.show_if.get(f.id)
        if condition is not None and not condition.evaluate(effective, context.today):
            states.append(FieldState(f, visible=False))
            continue
        prefilled, origin = prefill_value(form, f, context)
        readonly_if = form.readonly_if.get(f.id)
        readonly = (f.readonly or (origin or "").startswith("lookup.")
                    or (readonly_if is not None and readonly_if.evaluate(effective, context.today)))
        state = FieldState(f, visible=True, readonly=readonly)
        if readonly:
            state.value, state.origin = prefilled, origin
            if f.required and enforce_required and is_empty(prefilled):
                state.error = _missing_readonly_message()
        elif posted is not None:
            raw = _raw(posted, f)
            try:
                state.value = parse_field(f, raw, today=context.today, lang=lang, enforce_required=enforce_required)
            except FieldError as error:
                state.value, state.error, state.error_part = _keep_raw(f, raw), error.message, error.part
            state.origin = origin if origin and state.value == prefilled else (CITIZEN if not is_empty(state.value) else None)
        elif f.id in saved:
            state.value, state.origin = saved[f.id], saved_origins.get(f.id, CITIZEN)
        else:
            state.value, state.origin = prefilled, origin
        if state.error is None:
            effective[f.id] = state.value
        states.append(state)
    return Filling(states)


def _raw(posted: Mapping[str, Any], f: FormField) -> Any:
    if f.type == "address":
        return {part: posted.get(f"{f.id}.{part}", "") for part in ADDRESS_PARTS}
    return posted.get(f.id, "")


def _keep_raw(f: FormField, raw: Any) -> Any:
    """What the citizen typed, shown back with the error so they can fix it."""
    return raw if f.type == "address" else (raw if isinstance(raw, str) else "")


def _missing_readonly_message() -> str:
    from flask_babel import gettext

    return gettext("Parcours could not fill in this value, and it cannot be typed here. "
                   "Complete your profile or your answers, then come back.")
