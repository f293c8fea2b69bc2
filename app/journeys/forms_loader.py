"""Loading and checking the prefilled forms in `journeys/forms/*.yaml`.

`load_forms(directory, organisations)` validates every form file with the pydantic models of
`forms_schema.py`, then checks what the models cannot: translations, ids, organisations, look-ups,
sources (`app/journeys/sources.py` grammar), computed values, options and conditions (the journey
condition language over the form's own fields, each condition only naming fields defined before
it). `check_form_references(journeys, forms)` checks that every step's `form:` names a form and that
each `answers.<question>` source of that form exists in every journey using it. Both collect every
problem as a `DefinitionError` (file, line, field, code) and never stop at the first.
Pure Python: no Flask, no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml
from babel.support import NullTranslations, Translations
from pydantic import ValidationError

from . import sources as data_sources
from .conditions import BOOL, DATE, NUMBER, STRING, Condition, ConditionError, Type, compile_condition
from .errors import DefinitionError, Phrase, phrase
from .forms_schema import FormDefinition, FormField, Lookup
from .i18n import N_, translate

FORMS_CATALOGUE = Path(__file__).resolve().parents[2] / "translations" / "forms"

# Messages specific to forms; the shared codes (missing_translation, unknown_source, ...) keep the
# engine's wording from app/journeys/errors.py.
FORM_MESSAGES = {
    "unknown_form": N_("No form has the id “%(id)s”. Add journeys/forms/%(id)s.yaml or fix the id."),
    "lookup_not_declared": N_("“%(value)s” reads the registry of “%(organisation)s”, but the form declares no look-up there. Add it under lookups: with the field %(name)s."),
    "lookup_field_not_declared": N_("“%(value)s” reads the field %(name)s, which the look-up of “%(organisation)s” does not list. Add it to that look-up's fields."),
    "duplicate_lookup": N_("The form already reads the registry of “%(organisation)s”. Keep one look-up per organisation."),
    "later_field": N_("“%(name)s” comes later in the form. A condition may only use fields defined before it: move that field up or change the condition."),
    "source_and_computed": N_("A field takes its value from a source or from a computed value, not both. Remove one."),
    "join_needs_sources": N_("A join needs the sources to put together (sources:). Add them."),
    "today_takes_no_source": N_("A computed today value takes no sources. Remove them."),
    "readonly_without_value": N_("A read-only field needs a source or a computed value, otherwise the citizen could never fill it. Add one or remove readonly."),
    "invalid_pattern": N_("The pattern cannot be read as a regular expression (%(problem)s). Fix it."),
    "pattern_without_message": N_("A pattern needs a pattern_message telling the citizen what to write. Add it."),
    "form_source_not_in_journey": N_("“%(value)s” names nothing in the journey “%(journey)s”, whose step “%(step)s” uses this form (%(reason)s). Fix the source or the journey."),
    "duplicate_form_id": N_("The id “%(id)s” is already used on line %(first_line)s. Give each section and each field of a form its own id."),
    "duplicate_form": N_("The form id “%(id)s” is already used by %(other)s. Give each form its own id."),
}

_KIND_OF_FIELD = {"yesno": BOOL, "date": DATE, "number": NUMBER, "address": Type("opaque")}


@lru_cache(maxsize=4)
def _translations(lang: str) -> NullTranslations:
    if lang == "en":
        return NullTranslations()
    return Translations.load(str(FORMS_CATALOGUE), [lang], domain="messages")


@dataclass(frozen=True)
class FormDefinitionError(DefinitionError):
    """A problem in a form file; speaks the forms catalogue for form-only codes."""

    def message(self, lang: str = "fr") -> str:
        if self.code not in FORM_MESSAGES:
            return super().message(lang)
        text = _translations(lang.split("-")[0] or "fr").gettext(FORM_MESSAGES[self.code])
        # phrases (e.g. "no question has this id") come from the journeys catalogue
        params = {k: translate(lang, v) if isinstance(v, Phrase) else v for k, v in self.params.items()}
        return text % params if params else text


@dataclass
class CompiledForm:
    """A validated form with its conditions compiled and its sources parsed, ready for prefill."""
    definition: FormDefinition
    file: str
    show_if: dict[str, Condition] = field(default_factory=dict)
    readonly_if: dict[str, Condition] = field(default_factory=dict)
    sources: dict[str, list[Any]] = field(default_factory=dict)  # field id -> parsed sources, in order
    lookups: dict[str, Lookup] = field(default_factory=dict)  # organisation -> look-up
    lines: dict[str, int] = field(default_factory=dict, repr=False)  # dotted field path -> line

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def version(self) -> int:
        return self.definition.version

    def fields(self) -> list[FormField]:
        return self.definition.all_fields()


def field_type(f: FormField) -> Type:
    """The condition type of a form field."""
    if f.type == "choice":
        return Type("string", frozenset(o.value for o in f.options))
    return _KIND_OF_FIELD.get(f.type, STRING)


# --- YAML positions -------------------------------------------------------------------------------

def _line_index(node: yaml.Node, path: str = "", index: dict[str, int] | None = None) -> dict[str, int]:
    """Map every dotted path (sections[0].fields[2].source) to the 1-based line of its YAML node."""
    index = {} if index is None else index
    index.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            index[child] = key.start_mark.line + 1
            _line_index(value, child, index)
            index[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for number, value in enumerate(node.value):
            _line_index(value, f"{path}[{number}]", index)
    return index


def _dotted(loc: Iterable) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(lines: Mapping[str, int], path: str) -> int:
    while path:
        if path in lines:
            return lines[path]
        path = re.sub(r"(\[\d+\]|\.[^.\[]+|^[^.\[]+)$", "", path)
    return lines.get("", 1)


# --- loading --------------------------------------------------------------------------------------

def load_forms(directory: Path, organisations: Mapping[str, Any], *, relative_to: Path | None = None,
               include_broken: bool = False) -> tuple[dict[str, CompiledForm], list[DefinitionError]]:
    """Every form of `directory/*.yaml`, and every problem found. The forms with problems are left out,
    unless `include_broken` (to cross-check them too, so one run reports everything)."""
    forms: dict[str, CompiledForm] = {}
    errors: list[DefinitionError] = []
    if not directory.is_dir():
        return forms, errors
    base = relative_to or directory.parent.parent
    for path in sorted(directory.glob("*.yaml")):
        try:
            name = str(path.relative_to(base))
        except ValueError:
            name = str(path)
        form, problems = load_form(path.read_text(encoding="utf-8"), name, organisations)
        if form is not None and form.id in forms:
            problems.append(FormDefinitionError(name, form.lines.get("id", 1), "id", "duplicate_form",
                                                {"id": form.id, "other": forms[form.id].file}))
        errors.extend(problems)
        if form is not None and (include_broken or not problems) and form.id not in forms:
            forms[form.id] = form
    return forms, errors


def load_form(text: str, file: str, organisations: Mapping[str, Any]
              ) -> tuple[CompiledForm | None, list[DefinitionError]]:
    """One form file: the compiled form (None when it cannot be built) and its problems."""
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [FormDefinitionError(file, mark.line + 1 if mark else 1, "", "yaml_syntax",
                                          {"problem": getattr(error, "problem", None) or str(error)})]
    lines = _line_index(node) if node is not None else {"": 1}
    try:
        definition = FormDefinition.model_validate(data if isinstance(data, dict) else {})
    except ValidationError as error:
        return None, [_schema_error(file, lines, e) for e in error.errors()]
    checker = _FormChecker(definition, file, lines, organisations)
    compiled = checker.check()
    return compiled, checker.errors


def _schema_error(file: str, lines: Mapping[str, int], error: dict) -> DefinitionError:
    loc = [part for part in error["loc"] if not (isinstance(part, str) and part in ("str", "list[str]"))]
    path = _dotted(loc)
    kind = error["type"]
    if kind == "missing":
        return FormDefinitionError(file, _line_of(lines, path), _dotted(loc[:-1]), "missing_field", {"name": loc[-1]})
    if kind == "extra_forbidden":
        return FormDefinitionError(file, _line_of(lines, path), path, "unknown_field", {"name": loc[-1]})
    if kind == "string_pattern_mismatch":
        return FormDefinitionError(file, _line_of(lines, path), path, "invalid_id", {"value": error.get("input")})
    if kind in ("string_type", "int_type", "int_parsing", "float_type", "float_parsing", "bool_type",
                "bool_parsing", "list_type", "dict_type", "model_type"):
        expected = {"string_type": "a text", "int_type": "a whole number", "int_parsing": "a whole number",
                    "float_type": "a number", "float_parsing": "a number", "bool_type": "true or false",
                    "bool_parsing": "true or false", "list_type": "a list"}.get(kind, "a block of fields")
        return FormDefinitionError(file, _line_of(lines, path), path, "wrong_type", {"expected": phrase(expected)})
    if kind == "too_short":
        return FormDefinitionError(file, _line_of(lines, path), path, "too_few",
                                   {"min": error.get("ctx", {}).get("min_length", 1)})
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = ", ".join(f"{k} {v}" for k, v in error.get("ctx", {}).items())
        return FormDefinitionError(file, _line_of(lines, path), path, "out_of_range", {"limit": limit})
    return FormDefinitionError(file, _line_of(lines, path), path, "invalid_value",
                               {"value": str(error.get("input"))[:60], "detail": error.get("msg", "")})


class _FormChecker:
    def __init__(self, definition: FormDefinition, file: str, lines: Mapping[str, int],
                 organisations: Mapping[str, Any]):
        self.definition, self.file, self.lines, self.organisations = definition, file, lines, organisations
        self.errors: list[DefinitionError] = []

    def fail(self, path: str, code: str, **params) -> None:
        self.errors.append(FormDefinitionError(self.file, _line_of(self.lines, path), path, code, params))

    def check(self) -> CompiledForm:
        form = self.definition
        compiled = CompiledForm(form, self.file, lines=dict(self.lines))
        if "fr" not in form.languages:
            self.fail("languages", "missing_french")
        self.check_texts()
        if form.organisation not in self.organisations:
            self.fail("organisation", "unknown_organisation", id=form.organisation)
        for number, lookup in enumerate(form.lookups):
            path = f"lookups[{number}]"
            org = self.organisations.get(lookup.organisation)
            if org is None:
                self.fail(f"{path}.organisation", "unknown_organisation", id=lookup.organisation)
            elif not getattr(org, "partner_api", None):
                self.fail(f"{path}.organisation", "not_a_partner", id=lookup.organisation)
            if lookup.organisation in compiled.lookups:
                self.fail(f"{path}.organisation", "duplicate_lookup", organisation=lookup.organisation)
            compiled.lookups[lookup.organisation] = lookup

        seen: dict[str, str] = {}
        scope: dict[str, Type] = {}
        later = {f.id for f in form.all_fields()}
        for s_number, section in enumerate(form.sections):
            s_path = f"sections[{s_number}]"
            self.check_unique(seen, f"section:{section.id}", f"{s_path}.id", section.id, "section")
            for f_number, f in enumerate(section.fields):
                path = f"{s_path}.fields[{f_number}]"
                self.check_unique(seen, f"field:{f.id}", f"{path}.id", f.id, "field")
                later.discard(f.id)
                self.check_options(f, path)
                self.check_validation(f, path)
                compiled.sources[f.id] = self.check_sources(f, path, compiled.lookups)
                for attribute, target in (("show_if", compiled.show_if), ("readonly_if", compiled.readonly_if)):
                    source = getattr(f, attribute)
                    if source:
                        condition = self.compile(source, scope, later, f"{path}.{attribute}")
                        if condition is not None:
                            target[f.id] = condition
                scope[f.id] = field_type(f)
        return compiled

    def check_unique(self, seen: dict[str, str], key: str, path: str, value: str, what: str) -> None:
        if key in seen:
            self.fail(path, "duplicate_form_id", id=value, first_line=_line_of(self.lines, seen[key]))
        else:
            seen[key] = path

    def check_texts(self) -> None:
        languages = set(self.definition.languages)
        data = self.definition.model_dump(by_alias=True, exclude_none=True)
        for path, text in _localized_texts(data):
            for lang in sorted(languages - set(text)):
                self.fail(path, "missing_translation", lang=lang)
            for lang in sorted(set(text) - languages):
                self.fail(path, "unexpected_language", lang=lang, languages=", ".join(self.definition.languages))
            for lang, value in text.items():
                if lang in languages and not str(value).strip():
                    self.fail(f"{path}.{lang}", "blank_text", lang=lang)

    def check_options(self, f: FormField, path: str) -> None:
        if f.type == "choice" and len(f.options) < 2:
            self.fail(f"{path}.options", "too_few_options", type=f.type)
        if f.type != "choice" and f.options:
            self.fail(f"{path}.options", "unexpected_options")

    def check_validation(self, f: FormField, path: str) -> None:
        rules = f.validation
        if rules.pattern is not None:
            try:
                re.compile(rules.pattern)
            except re.error as error:
                self.fail(f"{path}.validation.pattern", "invalid_pattern", problem=str(error))
            if rules.pattern_message is None:
                self.fail(f"{path}.validation.pattern", "pattern_without_message")
        if rules.min is not None and rules.max is not None and rules.min > rules.max:
            self.fail(f"{path}.validation", "min_above_max", min=rules.min, max=rules.max)

    def check_sources(self, f: FormField, path: str, lookups: Mapping[str, Lookup]) -> list[Any]:
        parsed: list[Any] = []
        texts = list(f.sources)
        if f.computed is not None:
            if f.source is not None:
                self.fail(f"{path}.computed", "source_and_computed")
            if f.computed.op == "join" and not f.computed.sources:
                self.fail(f"{path}.computed", "join_needs_sources")
            if f.computed.op == "today" and f.computed.sources:
                self.fail(f"{path}.computed.sources", "today_takes_no_source")
            texts = list(f.computed.sources)
            where = f"{path}.computed.sources"
        else:
            where = f"{path}.source"
        if f.readonly and f.source is None and f.computed is None:
            self.fail(f"{path}.readonly", "readonly_without_value")
        for text in texts:
            try:
                source = data_sources.parse_source(text)
            except data_sources.SourceError as error:
                self.fail(where, "unknown_source", value=text, reason=phrase(error.reason))
                continue
            if source.kind == "lookup":
                lookup = lookups.get(source.name)
                if lookup is None:
                    self.fail(where, "lookup_not_declared", value=text, organisation=source.name,
                              name=source.sub)
                elif source.sub not in lookup.fields:
                    self.fail(where, "lookup_field_not_declared", value=text, organisation=source.name,
                              name=source.sub)
            parsed.append(source)
        return parsed

    def compile(self, source: str, scope: Mapping[str, Type], later: set[str], path: str) -> Condition | None:
        try:
            return compile_condition(source, scope)
        except ConditionError as error:
            name = error.params.get("name")
            if error.code == "unknown_question" and name in later:
                self.fail(path, "later_field", name=name)
            else:
                self.errors.append(FormDefinitionError(self.file, _line_of(self.lines, path), path, error.code,
                                                       error.params))
            return None


def _localized_texts(data: Any, path: str = "") -> Iterable[tuple[str, dict]]:
    """Every {lang: text} mapping in a dumped form (by the keys that hold localized text)."""
    text_keys = {"title", "summary", "label", "hint", "intro", "purpose", "source_label", "pattern_message"}
    if isinstance(data, dict):
        for key, value in data.items():
            child = f"{path}.{key}" if path else key
            if key in text_keys and isinstance(value, dict):
                yield child, value
            elif key == "fields" and isinstance(value, dict):  # look-up fields: name -> localized text
                for name, text in value.items():
                    yield f"{child}.{name}", text
            else:
                yield from _localized_texts(value, child)
    elif isinstance(data, list):
        for number, value in enumerate(data):
            yield from _localized_texts(value, f"{path}[{number}]")


# --- cross-references with journeys ---------------------------------------------------------------

def check_form_references(journeys: Iterable[Any], forms: Mapping[str, CompiledForm], base: Path | None = None,
                          known_form_ids: Iterable[str] = ()) -> list[DefinitionError]:
    """Steps name existing forms, and each form's answers.* sources exist in every journey using it.

    `journeys`: compiled journeys (`JourneyDefinition`, with `source_file` relative to `base`) or
    plain `Journey` models; `known_form_ids`: forms whose file exists but failed to load (their
    problems are already reported, so they are not "unknown").
    """
    errors: list[DefinitionError] = []
    known = set(forms) | set(known_form_ids)
    for journey in journeys:
        file = getattr(journey, "source_file", None) or f"{journey.id}"
        journey_lines: dict[str, int] | None = None
        for number, step in enumerate(journey.steps):
            if not step.form:
                continue
            if step.form not in known:
                if journey_lines is None:
                    journey_lines = _lines_of_file(base / file if base else Path(file))
                path = f"steps[{number}].form"
                errors.append(FormDefinitionError(file, _line_of(journey_lines, path), path, "unknown_form",
                                                  {"id": step.form}))
                continue
            form = forms.get(step.form)
            if form is None:
                continue
            for f in form.fields():
                for source in form.sources.get(f.id, []):
                    if source.kind != "answers":
                        continue
                    problem = answer_source_problem(source, journey)
                    if problem:
                        path = _field_path(form, f.id) + (".computed.sources" if f.computed else ".source")
                        errors.append(FormDefinitionError(
                            form.file, _line_of(form.lines, path), path, "form_source_not_in_journey",
                            {"value": source.text, "journey": journey.id, "step": step.id,
                             "reason": phrase(problem)}))
    return errors


def _lines_of_file(path: Path) -> dict[str, int]:
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {"": 1}
    return _line_index(node) if node is not None else {"": 1}


def answer_source_problem(source, journey) -> str | None:
    """Why an answers.* source names nothing in `journey` (a key of errors.PHRASES), or None."""
    question = next((q for q in journey.questions if q.id == source.name), None)
    if question is None:
        return "unknown_question"
    if source.each:
        if question.type != "group":
            return "not_a_group"
        if not any(item.id == source.sub for item in question.questions):
            return "unknown_question"
        return None
    if source.sub is not None and source.sub not in data_sources.SUB_FIELDS.get(question.type, ()):
        return "unknown_sub_field"
    return None


def _field_path(form: CompiledForm, field_id: str) -> str:
    for s_number, section in enumerate(form.definition.sections):
        for f_number, f in enumerate(section.fields):
            if f.id == field_id:
                return f"sections[{s_number}].fields[{f_number}]"
    return ""


FORMS_DIR = "forms"


def load_and_check_forms(directory: Path, organisations: Mapping[str, Any], journeys: Iterable[Any],
                         base: Path | None = None) -> tuple[dict[str, CompiledForm], list[DefinitionError]]:
    """The one call the journeys loader makes: every form of `directory/forms/`, checked on its own and
    against the journeys whose steps use it. Returns the forms that loaded and every problem found."""
    folder = Path(directory) / FORMS_DIR
    base = base or Path(directory).parent
    every, errors = load_forms(folder, organisations, relative_to=base, include_broken=True)
    broken_files = {error.file for error in errors}
    forms = {form_id: form for form_id, form in every.items() if form.file not in broken_files}
    file_ids = {path.stem for path in folder.glob("*.yaml")} if folder.is_dir() else set()
    errors += check_form_references(list(journeys), every, base, known_form_ids=file_ids)
    return forms, errors
