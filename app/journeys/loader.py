"""Loading the journey catalogue: YAML files -> validated, cross-checked, compiled journeys.

`load_catalog(directory)` reads `organisations.yaml` and every `*.yaml` journey in `directory`
(not sub-folders), validates them with the schema models, cross-checks them (languages and
translations, ids, organisations, deadlines, conditions, reachability, data sources) and collects
*every* problem, each with file, line and field, before raising `DefinitionErrors`.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

import yaml
from pydantic import BaseModel, ValidationError

from .conditions import UNKNOWN, ConditionError, compile_condition, question_type
from .definition import CompiledQuestion, CompiledRule, CompiledStep, JourneyDefinition
from .errors import DefinitionError, DefinitionErrors, phrase
from .forms_loader import load_and_check_forms
from .schema import PERIOD_OPTIONS, Journey, Organisation, OrganisationsFile, Question
from .sources import PROFILE_FIELDS, SUB_FIELDS, SourceError, parse_source

ORGANISATIONS_FILE = "organisations.yaml"
LOCALIZED_FIELDS = {"label", "hint", "title", "summary", "keywords", "description", "how", "url",
                    "deadline_note", "item_label", "purpose", "name", "short_name", "when_passed",
                    "not_sent_note", "text"}
# Words of the condition language: a question with one of these ids could never be named in a condition.
RESERVED_IDS = frozenset({"and", "or", "not", "in", "true", "false", "today"})
DEADLINE_RULES = ("within_days", "business_days", "within_months", "on", "recurring")
_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_EXPECTED = {"string_type": "a text", "int_type": "a whole number", "int_parsing": "a whole number",
             "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
             "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
             "dict_type": "a block of fields", "model_type": "a block of fields",
             "model_attributes_type": "a block of fields"}
_LIMITS = {"greater_than_equal": ("≥", "ge"), "less_than_equal": ("≤", "le"),
           "greater_than": (">", "gt"), "less_than": ("<", "lt")}


class _YamlLoader(yaml.SafeLoader):
    """YAML 1.2-style booleans: only true/false, so `on:`, `no` or `oui` stay strings."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def read_yaml(text: str) -> tuple[Optional[yaml.Node], Any]:
    """The node tree (with line marks) and the Python data of a YAML document."""
    loader = _YamlLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


@dataclass
class Catalog:
    journeys: dict[str, JourneyDefinition]
    organisations: dict[str, Organisation]
    # form id -> CompiledForm (journeys/forms/*.yaml, see forms_loader.py)
    forms: dict = field(default_factory=dict)

    def get(self, journey_id: str) -> Optional[JourneyDefinition]:
        return self.journeys.get(journey_id)

    def for_audience(self, audience: str) -> list[JourneyDefinition]:
        return [j for j in self.journeys.values() if j.journey.audience == audience]


class _Reporter:
    """Collects errors for one file, finding the line of a field path in the YAML node tree."""

    def __init__(self, file: str, root: Optional[yaml.Node], errors: list[DefinitionError]):
        self.file, self.root, self.errors = file, root, errors

    def report(self, path: tuple, code: str, **params) -> None:
        node, _ = _walk(self.root, path)
        line = node.start_mark.line + 1 if node is not None else 1
        self.errors.append(DefinitionError(self.file, line, _field(path), code, params))

    def line_of(self, path: tuple) -> int:
        node, _ = _walk(self.root, path)
        return node.start_mark.line + 1 if node is not None else 1


def _walk(root, path) -> tuple[Optional[yaml.Node], list]:
    """The deepest node on `path` and the path actually followed."""
    node, followed = root, []
    for part in path:
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        elif isinstance(node, yaml.MappingNode) and isinstance(part, str):
            value = next((v for k, v in node.value if k.value == part), None)
            if value is None:
                break
            node = value
        else:
            break
        followed.append(part)
    return node, followed


def _key_node(root, path) -> Optional[yaml.Node]:
    parent, followed = _walk(root, path[:-1])
    if len(followed) == len(path) - 1 and isinstance(parent, yaml.MappingNode):
        return next((k for k, _ in parent.value if k.value == path[-1]), None)
    return None


def _field(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


# ---------- reading and schema validation ----------

def _read(path: Path, file: str, errors: list) -> Optional[tuple[Optional[yaml.Node], Any]]:
    """(node, data) of a file, or None when it cannot be read (the error is recorded)."""
    try:
        node, data = read_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        if "flow" in (getattr(error, "context", None) or "") and getattr(error, "context_mark", None):
            mark = error.context_mark  # an unclosed {…} or […]: point at where it opens
        problem = getattr(error, "problem", None) or str(error)
        errors.append(DefinitionError(file, mark.line + 1 if mark else 1, "", "yaml_syntax", {"problem": problem}))
        return None
    except UnicodeDecodeError as error:
        errors.append(DefinitionError(file, 1, "", "yaml_syntax", {"problem": str(error)}))
        return None
    _check_duplicate_keys(node, _Reporter(file, node, errors), ())
    return node, data


def _check_duplicate_keys(node, reporter: _Reporter, path: tuple) -> None:
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if key.value in seen:
                reporter.errors.append(DefinitionError(
                    reporter.file, key.start_mark.line + 1, _field(path + (key.value,)), "duplicate_key", {"key": key.value}))
            seen.add(key.value)
            _check_duplicate_keys(value, reporter, path + (key.value,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_duplicate_keys(item, reporter, path + (index,))


def _validate(model: type[BaseModel], data, reporter: _Reporter):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        seen = set()
        for detail in error.errors():
            converted = _schema_error(detail, reporter)
            if converted and (converted.field, converted.code) not in seen:
                seen.add((converted.field, converted.code))
                reporter.errors.append(converted)
        return None


def _schema_error(detail: dict, reporter: _Reporter) -> Optional[DefinitionError]:
    node, path = reporter.root, []
    loc = list(detail["loc"])
    for part in loc:
        if isinstance(part, str) and not _FIELD_NAME.match(part) and not (
                isinstance(node, yaml.MappingNode) and any(k.value == part for k, _ in node.value)):
            # A union branch tag such as 'Deadline' or 'list[Deadline]': keep only the branch that
            # matches the YAML shape, so a mapping does not also get "expected a list".
            if part.startswith("list[") == isinstance(node, yaml.MappingNode):
                return None
            continue
        path.append(part)
        child, followed = _walk(node, [part])
        if followed:
            node = child
        else:
            break
    kind, last = detail["type"], loc[-1] if loc else ""
    if kind == "extra_forbidden":
        key = _key_node(reporter.root, tuple(path))
        node = key or node
    line = node.start_mark.line + 1 if node is not None else 1
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        code, params = "missing_field", {"name": last}
    elif kind == "extra_forbidden":
        code, params = "unknown_field", {"name": last}
    elif kind == "string_pattern_mismatch":
        code, params = "invalid_id", {"value": value}
    elif kind in _EXPECTED:
        code, params = "wrong_type", {"expected": phrase(_EXPECTED[kind])}
    elif kind == "too_short":
        code, params = "too_few", {"min": ctx.get("min_length", 1)}
    elif kind in _LIMITS:
        sign, key = _LIMITS[kind]
        code, params = "out_of_range", {"limit": f"{sign} {ctx.get(key)}"}
    else:
        code, params = "invalid_value", {"value": value, "detail": ctx.get("expected", detail.get("msg", ""))}
    return DefinitionError(reporter.file, line, _field(path), code, params)


# ---------- cross-checks ----------

def _localized_texts(model: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        key = type(model).model_fields[name].alias or name
        if isinstance(value, BaseModel):
            yield from _localized_texts(value, path + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _localized_texts(item, path + (key, index))
        elif isinstance(value, dict) and name in LOCALIZED_FIELDS:
            yield path + (key,), value


def _check_texts(model: BaseModel, languages: list[str], reporter: _Reporter) -> None:
    for path, text in _localized_texts(model):
        for lang in languages:
            if lang not in text:
                reporter.report(path, "missing_translation", lang=lang)
            elif not text[lang].strip():
                reporter.report(path + (lang,), "blank_text", lang=lang)
        for lang in text:
            if lang not in languages:
                reporter.report(path + (lang,), "unexpected_language", lang=lang, languages=", ".join(languages))


def _check_unique(items, path: tuple, attribute: str, what: str, reporter: _Reporter, seen: dict) -> None:
    for index, item in enumerate(items):
        value = getattr(item, attribute)
        if value in seen:
            reporter.report(path + (index, attribute), "duplicate_id", id=value, first_line=seen[value],
                            what=phrase(what))
        else:
            seen[value] = reporter.line_of(path + (index, attribute))


def _load_organisations(path: Path, file: str, errors: list) -> Optional[dict[str, Organisation]]:
    """The organisations by id, or None when the file cannot be read or validated."""
    read = _read(path, file, errors)
    if read is None:
        return None
    node, data = read
    reporter = _Reporter(file, node, errors)
    parsed = _validate(OrganisationsFile, data, reporter)
    if parsed is None:
        return None
    if "fr" not in parsed.languages:
        reporter.report(("languages",), "missing_french")
    _check_texts(parsed, parsed.languages, reporter)
    _check_unique(parsed.organisations, ("organisations",), "id", "organisation", reporter, {})
    return {o.id: o for o in parsed.organisations}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _domain(question: Question, reachable: bool, may_be_hidden: bool) -> list:
    """The answers static analysis enumerates for a question (UNKNOWN: cannot enumerate)."""
    if not reachable:
        return [None]
    options = [o.value for o in question.options]
    if question.type == "yesno":
        values = [True, False]
    elif question.type == "choice":
        values = options
    elif question.type == "multichoice" and len(options) <= 5:
        values = [sorted(c) for r in range(1, len(options) + 1) for c in itertools.combinations(options, r)]
    else:
        return [UNKNOWN]
    return values + [None] if (may_be_hidden or not question.required) else values


class _JourneyChecker:
    def __init__(self, journey: Journey, reporter: _Reporter, organisations: Optional[dict[str, Organisation]]):
        """`organisations` is None when the organisations file could not be read: skip those checks."""
        self.journey, self.reporter, self.organisations = journey, reporter, organisations
        self.all_ids = {q.id for q in journey.questions}
        self.types = {q.id: q.type for q in journey.questions}
        self.dependencies: dict[str, list[str]] = {}       # question -> questions reading it
        self.step_dependencies: dict[str, list[str]] = {}  # question -> steps reading it

    def report(self, path, code, **params):
        self.reporter.report(path, code, **params)

    def compile(self, source: Optional[str], path: tuple, scope, group_scopes, later: set,
                item_scope=None, dependent: Optional[str] = None, step: bool = False):
        if source is None:
            return None
        try:
            condition = compile_condition(source, scope, group_scopes, item_scope)
        except ConditionError as error:
            if error.code == "unknown_question" and error.params["name"] in later:
                self.report(path, "later_question", name=error.params["name"])
            else:
                self.report(path, error.code, **error.params)
            return None
        if dependent:
            target = self.step_dependencies if step else self.dependencies
            for name in sorted(condition.names):
                target.setdefault(name, []).append(dependent)
        return condition

    def run(self) -> JourneyDefinition:
        journey = self.journey
        if "fr" not in journey.languages:
            self.report(("languages",), "missing_french")
        _check_texts(journey, journey.languages, self.reporter)
        seen_ids: dict[str, int] = {}
        _check_unique(journey.questions, ("questions",), "id", "question", self.reporter, seen_ids)
        for index, question in enumerate(journey.questions):
            self.check_question_shape(question, ("questions", index), nested=False)
            if question.type == "group":
                _check_unique(question.questions, ("questions", index, "questions"), "id", "question",
                              self.reporter, seen_ids)
        _check_unique(journey.steps, ("steps",), "id", "step", self.reporter, {})
        if journey.anchor_date is not None:
            self.check_date_question(journey.anchor_date, ("anchor_date",))
        questions, domains = self.compile_questions()
        steps = self.compile_steps(domains)
        partner_conditions = self.check_declaration(domains)
        by_id, order = {}, {}
        for question in journey.questions:
            for q in (question, *question.questions):
                by_id.setdefault(q.id, q)
                order.setdefault(q.id, len(order))
        return JourneyDefinition(
            journey=journey, source_file=self.reporter.file, compiled_questions=questions,
            compiled_steps=steps, questions_by_id=by_id,
            dependencies={k: tuple(dict.fromkeys(v)) for k, v in self.dependencies.items()},
            step_dependencies={k: tuple(dict.fromkeys(v)) for k, v in self.step_dependencies.items()},
            question_order=order, partner_conditions=partner_conditions,
            organisations={s.organisation: self.organisations[s.organisation]
                           for s in journey.steps if s.organisation in (self.organisations or {})})

    def check_question_shape(self, question: Question, path: tuple, nested: bool) -> None:
        if question.id in RESERVED_IDS:
            self.report(path + ("id",), "reserved_id", id=question.id)
        _check_unique(question.options, path + ("options",), "value", "option", self.reporter, {})
        if question.type in ("choice", "multichoice"):
            if len(question.options) < 2:
                self.report(path + ("options",) if question.options else path + ("type",),
                            "too_few_options", type=question.type)
        elif question.options:
            self.report(path + ("options",), "unexpected_options")
        if question.type == "group":
            if nested:
                self.report(path + ("type",), "nested_group")
            if not question.questions:
                self.report(path + ("type",), "group_without_questions")
            if question.item_label is None:
                self.report(path + ("type",), "missing_item_label")
            for index, item in enumerate(question.questions):
                self.check_question_shape(item, path + ("questions", index), nested=True)
        elif question.questions:
            self.report(path + ("questions",), "unexpected_item_questions")
        if question.min is not None and question.max is not None and question.min > question.max:
            self.report(path + ("min",), "min_above_max", min=_number(question.min), max=_number(question.max))
        if question.min_items > question.max_items:
            self.report(path + ("min_items",), "min_above_max", min=question.min_items, max=question.max_items)
        if question.prefill is not None:
            try:
                source = parse_source(question.prefill)
                valid = source.kind == "profile"
            except SourceError:
                valid = False
            if not valid:
                self.report(path + ("prefill",), "invalid_prefill", value=question.prefill,
                            fields=", ".join(PROFILE_FIELDS))

    def check_date_question(self, name: str, path: tuple) -> bool:
        if name not in self.types:
            self.report(path, "unknown_question", name=name)
            return False
        if self.types[name] != "date":
            self.report(path, "not_a_date_question", name=name)
            return False
        return True

    def compile_questions(self):
        scope, group_scopes, domains, compiled = {}, {}, {}, []
        questions = self.journey.questions
        for index, question in enumerate(questions):
            path = ("questions", index)
            later = {q.id for q in questions[index:]}
            show_if = self.compile(question.show_if, path + ("show_if",), scope, group_scopes, later,
                                   dependent=question.id)
            reachable = show_if is None or show_if.could_be_true(domains)
            if not reachable:
                self.report(path + ("show_if",), "unreachable_question")
            items = ()
            if question.type == "group":
                items = self.compile_items(question, path, scope, group_scopes, domains, later)
                group_scopes[question.id] = {q.id: question_type(q) for q in question.questions}
            domains[question.id] = _domain(question, reachable, question.show_if is not None)
            scope[question.id] = question_type(question)
            compiled.append(CompiledQuestion(question, show_if, items))
        self.scope, self.group_scopes = scope, group_scopes
        return tuple(compiled), domains

    def compile_items(self, group: Question, path: tuple, scope, group_scopes, domains, later):
        item_scope, item_domains, compiled = {}, {}, []
        for index, item in enumerate(group.questions):
            item_path = path + ("questions", index)
            item_later = later | {q.id for q in group.questions[index:]}
            show_if = self.compile(item.show_if, item_path + ("show_if",), scope, group_scopes, item_later,
                                   item_scope=dict(item_scope), dependent=item.id)
            reachable = show_if is None or show_if.could_be_true(domains, item_domains)
            if not reachable:
                self.report(item_path + ("show_if",), "unreachable_question")
            if show_if is not None:
                for name in show_if.item_names:
                    self.dependencies.setdefault(name, []).append(item.id)
            item_domains[item.id] = _domain(item, reachable, item.show_if is not None)
            item_scope[item.id] = question_type(item)
            compiled.append(CompiledQuestion(item, show_if))
        return tuple(compiled)

    def compile_steps(self, domains) -> tuple[CompiledStep, ...]:
        compiled = []
        order = {q.id: i for i, q in enumerate(self.journey.questions)}
        for index, step in enumerate(self.journey.steps):
            path = ("steps", index)
            if self.organisations is not None and step.organisation not in self.organisations:
                self.report(path + ("organisation",), "unknown_organisation", id=step.organisation)
            applies_if = self.compile(step.applies_if, path + ("applies_if",), self.scope, self.group_scopes,
                                      set(), dependent=step.id, step=True)
            if applies_if is not None and not applies_if.could_be_true(domains):
                self.report(path + ("applies_if",), "unreachable_step")
            rules = []
            if isinstance(step.deadline, list):
                rule_paths = [(path + ("deadline", i), r) for i, r in enumerate(step.deadline)]
            else:
                rule_paths = [(path + ("deadline",), step.deadline)] if step.deadline is not None else []
            for rule_path, rule in rule_paths:
                rule_compiled = self.compile_rule(rule, rule_path, step.id)
                if rule_compiled:
                    rules.append(rule_compiled)
            because = tuple(sorted(applies_if.names, key=order.__getitem__)) if applies_if else ()
            compiled.append(CompiledStep(step, applies_if, tuple(rules), because))
        return tuple(compiled)

    def compile_rule(self, rule, path: tuple, step_id: str) -> Optional[CompiledRule]:
        count = sum(getattr(rule, name) is not None for name in DEADLINE_RULES)
        valid = True
        if count != 1:
            self.report(path, "deadline_rule_count", count=count)
            valid = False
        if rule.recurring is not None:
            return self.compile_recurring(rule, path, step_id, valid)
        of = rule.of or self.journey.anchor_date
        if of is None:
            self.report(path, "missing_field", name="of")
            valid = False
        elif rule.of is not None and not self.check_date_question(of, path + ("of",)):
            valid = False
        elif rule.of is None and self.types.get(of) != "date":
            valid = False  # the anchor_date error is already reported
        else:
            self.step_dependencies.setdefault(of, []).append(step_id)
        condition = self.compile(rule.if_, path + ("if",), self.scope, self.group_scopes, set(),
                                 dependent=step_id, step=True)
        if rule.if_ is not None and condition is None:
            valid = False
        return CompiledRule(rule, of, condition) if valid else None

    def compile_recurring(self, rule, path: tuple, step_id: str, valid: bool) -> Optional[CompiledRule]:
        """A recurring rule: `of` (optional) is when the obligation starts, not a reference to count from."""
        recurrence, rpath = rule.recurring, path + ("recurring",)
        periods = sum(x is not None for x in (recurrence.every, recurrence.every_from))
        if periods != 1:
            self.report(rpath, "recurring_period_count", count=periods)
            valid = False
        rules = sum(x is not None for x in (recurrence.on, recurrence.months_after, recurrence.days_after))
        if rules != 1:
            self.report(rpath, "recurring_rule_count", count=rules)
            valid = False
        if recurrence.on is not None and (recurrence.every not in (None, "year") or recurrence.every_from):
            self.report(rpath + ("on",), "recurring_on_not_yearly")
            valid = False
        if recurrence.every_from is not None and not self.check_frequency_question(
                recurrence.every_from, rpath + ("every_from",)):
            valid = False
        elif recurrence.every_from is not None:
            self.step_dependencies.setdefault(recurrence.every_from, []).append(step_id)
        if rule.of is not None:
            if self.check_date_question(rule.of, path + ("of",)):
                self.step_dependencies.setdefault(rule.of, []).append(step_id)
            else:
                valid = False
        condition = self.compile(rule.if_, path + ("if",), self.scope, self.group_scopes, set(),
                                 dependent=step_id, step=True)
        if rule.if_ is not None and condition is None:
            valid = False
        return CompiledRule(rule, rule.of, condition) if valid else None

    def check_frequency_question(self, name: str, path: tuple) -> bool:
        question = next((q for q in self.journey.questions if q.id == name), None)
        if question is None:
            self.report(path, "unknown_question", name=name)
            return False
        unknown = [o.value for o in question.options if o.value not in PERIOD_OPTIONS]
        if question.type != "choice" or unknown:
            self.report(path, "not_a_frequency_question", name=name, values=", ".join(PERIOD_OPTIONS))
            return False
        return True

    def check_declaration(self, domains) -> dict:
        """Checks the declaration; returns partner organisation id -> compiled send_if (None: always)."""
        declaration = self.journey.declaration
        conditions: dict = {}
        if declaration is None:
            return conditions
        seen: dict[str, int] = {}
        _check_unique(declaration.partners, ("declaration", "partners"), "organisation", "partner",
                      self.reporter, seen)
        for index, partner in enumerate(declaration.partners):
            path = ("declaration", "partners", index)
            condition = self.compile(partner.send_if, path + ("send_if",), self.scope, self.group_scopes, set())
            if condition is not None and not condition.could_be_true(domains):
                self.report(path + ("send_if",), "unreachable_partner")
            conditions[partner.organisation] = condition
            if self.organisations is not None:  # else the organisations file has its own errors
                organisation = self.organisations.get(partner.organisation)
                if organisation is None:
                    self.report(path + ("organisation",), "unknown_organisation", id=partner.organisation)
                elif not organisation.partner_api:
                    self.report(path + ("organisation",), "not_a_partner", id=partner.organisation)
            for name, text in partner.fields.items():
                reason = self.source_problem(text)
                if reason:
                    self.report(path + ("fields", name), "unknown_source", value=text, reason=phrase(reason))
        for index, notice in enumerate(declaration.notices):
            conditions[("notice", index)] = self.compile(
                notice.if_, ("declaration", "notices", index, "if"), self.scope, self.group_scopes, set())
        return conditions

    def source_problem(self, text: str) -> Optional[str]:
        try:
            source = parse_source(text)
        except SourceError as error:
            return error.reason
        if source.kind == "lookup":
            return None if self.organisations is None or source.name in self.organisations else "unknown_organisation"
        if source.kind != "answers":
            return None
        question = next((q for q in self.journey.questions if q.id == source.name), None)
        if question is None:
            return "unknown_question"
        if source.each:
            if question.type != "group":
                return "not_a_group"
            return None if any(q.id == source.sub for q in question.questions) else "unknown_question"
        if source.sub is not None and source.sub not in SUB_FIELDS.get(question.type, ()):
            return "unknown_sub_field"
        return None


def _load_journey(path: Path, file: str, organisations, errors) -> tuple[Optional[JourneyDefinition], Any]:
    read = _read(path, file, errors)
    if read is None:
        return None, None
    node, data = read
    reporter = _Reporter(file, node, errors)
    journey = _validate(Journey, data, reporter)
    if journey is None:
        return None, node
    return _JourneyChecker(journey, reporter, organisations).run(), node


def _upgrade_archived(data):
    """A definition published before steps had a phase and deadlines a kind, in today's schema.

    Those versions showed every step by date and every date as a deadline: they keep meaning
    that (one phase, legal dates) so the runs started on them still open.
    """
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        return data
    steps = []
    for step in data["steps"]:
        if isinstance(step, dict) and "when" not in step:
            step = {**step, "when": "ce-mois-ci"}
            rules = step.get("deadline")
            if isinstance(rules, dict):
                step["deadline"] = {"kind": "legal", **rules}
            elif isinstance(rules, list):
                step["deadline"] = [{"kind": "legal", **r} if isinstance(r, dict) else r for r in rules]
        steps.append(step)
    return {**data, "steps": steps}


def compile_definition(data: dict, catalog_or_organisations, file: str = "") -> JourneyDefinition:
    """Check and compile one journey given as data (e.g. an archived version stored in the database).

    Lines refer to the data dumped as YAML. Raises DefinitionErrors like `load_catalog`.
    """
    organisations = getattr(catalog_or_organisations, "organisations", catalog_or_organisations)
    file = file or f"{data.get('id', 'journey')}@v{data.get('version', '?')}" if isinstance(data, dict) else "journey"
    errors: list[DefinitionError] = []
    node, data = read_yaml(yaml.safe_dump(_upgrade_archived(data), allow_unicode=True, sort_keys=False))
    reporter = _Reporter(file, node, errors)
    journey = _validate(Journey, data, reporter)
    definition = _JourneyChecker(journey, reporter, dict(organisations)).run() if journey else None
    if errors:
        raise DefinitionErrors(errors)
    return definition


def load_catalog(directory: Path) -> Catalog:
    """Load and check every journey of `directory`; raises DefinitionErrors listing every problem."""
    directory = Path(directory)
    base = directory.parent
    errors: list[DefinitionError] = []
    organisations_path = directory / ORGANISATIONS_FILE
    organisations: Optional[dict[str, Organisation]] = None
    if organisations_path.is_file():
        organisations = _load_organisations(organisations_path, _relative(organisations_path, base), errors)
    else:
        errors.append(DefinitionError(_relative(directory, base), 1, "", "missing_file", {"name": ORGANISATIONS_FILE}))
    journeys: dict[str, JourneyDefinition] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == ORGANISATIONS_FILE or not path.is_file():
            continue
        file = _relative(path, base)
        definition, node = _load_journey(path, file, organisations, errors)
        if definition is None:
            continue
        if definition.journey.id in journeys:
            reporter = _Reporter(file, node, errors)
            reporter.report(("id",), "duplicate_journey", id=definition.journey.id,
                            other=journeys[definition.journey.id].source_file)
        else:
            journeys[definition.journey.id] = definition
    forms, form_errors = load_and_check_forms(directory, organisations or {}, journeys.values(), base)
    errors.extend(form_errors)
    if errors:
        raise DefinitionErrors(errors)
    return Catalog(journeys, organisations or {}, forms)
