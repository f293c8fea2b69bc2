'''The condition language of journeys: parsed with lark, type-checked and compiled once at load.

A condition is a small expression over answers, written in `show_if`, `applies_if` and deadline `if`:

    type_evenement == 'naissance' and not adoption
    count(enfants) >= 2 or any(enfants, age(date_naissance_enfant) < 1)
    'garderie' in besoins and date_naissance + 30 > today

Grammar (lowest to highest precedence):
    or_test    := and_test ("or" and_test)*
    and_test   := not_test ("and" not_test)*
    not_test   := "not" not_test | comparison
    comparison := sum [("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") sum]   (no chaining)
    sum        := unary (("+" | "-") unary)*
    unary      := "-" unary | atom
    atom       := NUMBER | 'string' | "string" | true | false | today | [literal, ...]
                | name | function(args) | "(" or_test ")"
Literals: numbers (3, 2.5), strings in single or double quotes, true, false, today,
date('2026-03-14'), lists of strings or numbers ['a', 'b'].
Names are question ids. Inside count/any/all(group, condition) the group's item questions are in
scope too (they hide a top-level question of the same id).
Functions: count(group) -> number of items; count(group, cond) -> items where cond holds;
any(group, cond), all(group, cond) -> bool; answered(id) -> bool; age(date) -> whole years from
that date to today; days_since(date) -> days from date to today (negative if in the future);
month(date), year(date) -> numbers; date('YYYY-MM-DD') -> a date literal.
Arithmetic: number ± number; date ± number of days -> date; date - date -> days.

Types come from question types: yesno -> bool; choice, text -> string; multichoice -> set of
strings ('x' in mc); number -> number; date -> date; group -> only in count/any/all;
address, person -> only in answered(). A bare name is a condition only for a yesno question.
Comparing a choice with a string, or testing `'v' in mc`, checks that the option exists.

Unanswered values: an unanswered (or skipped) question has no value. Any comparison, `in` or
`not in` involving no value is false, so `x != 'v'` is false when x is unanswered (write
`not answered(x) or x != 'v'` if needed). A bare unanswered yesno is false, so `not x` is true.
Arithmetic and functions of no value give no value. count/any/all over an unanswered group give
no value / false; all() over an answered group with no item is true.

Conditions are compiled into Python closures; nothing is ever passed to eval.
'''
from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping, Optional

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .date_bounds import add_days
from .errors import phrase, render

GRAMMAR = r"""
?start: or_test
?or_test: and_test
        | or_test "or" and_test             -> or_
?and_test: not_test
         | and_test "and" not_test          -> and_
?not_test: "not" not_test                   -> not_
         | comparison
?comparison: sum
           | sum COMP_OP sum                -> compare
           | sum "in" sum                   -> in_
           | sum "not" "in" sum             -> not_in
?sum: unary
    | sum "+" unary                         -> add
    | sum "-" unary                         -> sub
?unary: atom
      | "-" unary                           -> neg
?atom: NUMBER                               -> number
     | STRING                               -> string
     | "true"                               -> true
     | "false"                              -> false
     | "today"                              -> today
     | "[" [or_test ("," or_test)*] "]"     -> list
     | NAME "(" [or_test ("," or_test)*] ")" -> call
     | NAME                                 -> name
     | "(" or_test ")"
COMP_OP: "==" | "!=" | "<=" | ">=" | "<" | ">"
NAME: /[A-Za-z_][A-Za-z0-9_]*/
NUMBER: /\d+(\.\d+)?/
STRING: /'[^']*'/ | /"[^"]*"/
%import common.WS
%ignore WS
"""

_PARSER = Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=True)

UNKNOWN = object()
_NO_ITEM: Mapping = {}  # item answers outside a group (never written to)  # a value static analysis cannot know (a date, a number, today...)


@dataclass(frozen=True)
class Type:
    """The type of a value in a condition; `options` lists the allowed values of a choice/multichoice."""
    kind: str  # bool number string date set list group opaque
    options: Optional[frozenset] = None
    item_kind: Optional[str] = None  # for list literals


BOOL, NUMBER, STRING, DATE = Type("bool"), Type("number"), Type("string"), Type("date")
_KIND_OF_QUESTION = {
    "yesno": "bool", "choice": "string", "text": "string", "multichoice": "set", "number": "number",
    "date": "date", "group": "group", "address": "opaque", "person": "opaque",
}


def question_type(question) -> Type:
    """The condition type of a schema Question."""
    kind = _KIND_OF_QUESTION[question.type]
    options = frozenset(o.value for o in question.options) if question.type in ("choice", "multichoice") else None
    return Type(kind, options)


class ConditionError(Exception):
    """A condition that cannot be parsed or type-checked; `column` is 1-based in the source."""

    def __init__(self, code: str, params: Optional[dict] = None, column: int = 1):
        self.code, self.params, self.column = code, dict(params or {}), column
        super().__init__(f"{code} at column {column}: {self.params}")

    def message(self, lang: str = "fr") -> str:
        return render(self.code, self.params, lang)


@dataclass
class Node:
    """A type-checked expression node."""
    op: str
    type: Type
    args: tuple = ()
    value: Any = None


def _column(tree) -> int:
    if isinstance(tree, Token):
        return tree.column or 1
    meta = getattr(tree, "meta", None)
    return getattr(meta, "column", 1) if meta is not None and not meta.empty else 1


_USAGE = {
    "count": "count(group) / count(group, condition)", "any": "any(group, condition)",
    "all": "all(group, condition)", "answered": "answered(question)", "age": "age(date)",
    "days_since": "days_since(date)", "month": "month(date)", "year": "year(date)",
    "date": "date('YYYY-MM-DD')",
}
_CMP_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}


class _Checker:
    def __init__(self, scope: Mapping[str, Type], group_scopes: Mapping[str, Mapping[str, Type]],
                 item_scope: Optional[Mapping[str, Type]]):
        self.scope, self.group_scopes = scope, group_scopes
        self.item_scope, self.in_group_function = item_scope, False
        self.names: set[str] = set()
        self.item_names: set[str] = set()

    def fail(self, code, tree, **params):
        raise ConditionError(code, params, _column(tree))

    def condition(self, tree) -> Node:
        return self.as_bool(self.visit(tree), tree)

    def as_bool(self, node: Node, tree) -> Node:
        if node.type.kind == "bool":
            return node
        self.refuse_opaque(node, tree)
        self.fail("not_a_condition", tree, type=phrase(node.type.kind))

    def refuse_opaque(self, node: Node, tree):
        if node.type.kind in ("group", "opaque"):
            usage = "group_functions" if node.type.kind == "group" else "answered_only"
            self.fail("not_comparable", tree, name=node.value, type=phrase(node.type.kind), usage=phrase(usage))

    def mismatch(self, tree, op, left: Node, right: Node):
        for node in (left, right):
            self.refuse_opaque(node, tree)
        self.fail("type_mismatch", tree, operator=op, left=phrase(left.type.kind), right=phrase(right.type.kind))

    def check_option(self, tree, named: Node, values):
        options = named.type.options
        if options is None:
            return
        for value in values:
            if isinstance(value, str) and value not in options:
                self.fail("unknown_option", tree, value=value, name=named.value, options=", ".join(sorted(options)))

    def visit(self, tree) -> Node:
        return getattr(self, "visit_" + tree.data)(tree)

    # literals
    def visit_number(self, tree):
        text = str(tree.children[0])
        return Node("const", NUMBER, value=float(text) if "." in text else int(text))

    def visit_string(self, tree):
        return Node("const", STRING, value=str(tree.children[0])[1:-1])

    def visit_true(self, tree):
        return Node("const", BOOL, value=True)

    def visit_false(self, tree):
        return Node("const", BOOL, value=False)

    def visit_today(self, tree):
        return Node("today", DATE)

    def visit_list(self, tree):
        items = [self.visit(c) for c in tree.children if c is not None]
        kinds = {n.type.kind for n in items}
        if any(n.op != "const" for n in items) or len(kinds) > 1 or not kinds <= {"string", "number"}:
            self.fail("wrong_arguments", tree, name="[]", usage="['a', 'b']")
        return Node("const", Type("list", item_kind=kinds.pop() if kinds else "string"),
                    value=frozenset(n.value for n in items))

    def visit_name(self, tree):
        name = str(tree.children[0])
        if self.item_scope is not None and name in self.item_scope:
            self.item_names.add(name)
            return Node("item", self.item_scope[name], value=name)
        if name in self.scope:
            self.names.add(name)
            return Node("name", self.scope[name], value=name)
        self.fail("unknown_question", tree, name=name)

    # logic
    def visit_not_(self, tree):
        return Node("not", BOOL, (self.condition(tree.children[0]),))

    def visit_and_(self, tree):
        return Node("and", BOOL, tuple(self.condition(c) for c in tree.children))

    def visit_or_(self, tree):
        return Node("or", BOOL, tuple(self.condition(c) for c in tree.children))

    # comparisons
    def visit_compare(self, tree):
        left_tree, op_token, right_tree = tree.children
        left, right, op = self.visit(left_tree), self.visit(right_tree), str(op_token)
        kind = left.type.kind
        allowed = ("bool", "number", "string", "date") if op in ("==", "!=") else ("number", "date")
        if kind != right.type.kind or kind not in allowed:
            self.mismatch(tree, op, left, right)
        for named, other in ((left, right), (right, left)):
            if other.op == "const":
                self.check_option(tree, named, [other.value])
        return Node("compare", BOOL, (left, right), value=op)

    def _membership(self, tree, op):
        left, right = self.visit(tree.children[0]), self.visit(tree.children[-1])
        if right.type.kind == "set" and left.type.kind == "string":
            if left.op == "const":
                self.check_option(tree, right, [left.value])
        elif right.type.kind == "list" and left.type.kind == right.type.item_kind:
            self.check_option(tree, left, right.value)
        else:
            self.mismatch(tree, op, left, right)
        return Node(op, BOOL, (left, right))

    def visit_in_(self, tree):
        return self._membership(tree, "in")

    def visit_not_in(self, tree):
        return self._membership(tree, "not in")

    # arithmetic
    def visit_add(self, tree):
        left, right = self.visit(tree.children[0]), self.visit(tree.children[1])
        if left.type.kind == "number" and right.type.kind == "number":
            return Node("add", NUMBER, (left, right))
        if {left.type.kind, right.type.kind} == {"date", "number"}:
            return Node("add", DATE, (left, right) if left.type.kind == "date" else (right, left))
        self.mismatch(tree, "+", left, right)

    def visit_sub(self, tree):
        left, right = self.visit(tree.children[0]), self.visit(tree.children[1])
        kinds = (left.type.kind, right.type.kind)
        result = {("number", "number"): NUMBER, ("date", "number"): DATE, ("date", "date"): NUMBER}.get(kinds)
        if result is None:
            self.mismatch(tree, "-", left, right)
        return Node("sub", result, (left, right))

    def visit_neg(self, tree):
        operand = self.visit(tree.children[0])
        if operand.type.kind != "number":
            self.mismatch(tree, "-", operand, Node("const", NUMBER))
        return Node("neg", NUMBER, (operand,))

    # functions
    def visit_call(self, tree):
        name = str(tree.children[0])
        args = [c for c in tree.children[1:] if c is not None]
        if name not in _USAGE:
            self.fail("unknown_function", tree, name=name)

        def wrong():
            self.fail("wrong_arguments", tree, name=name, usage=_USAGE[name])

        if name == "date":
            if len(args) != 1 or args[0].data != "string":
                wrong()
            text = str(args[0].children[0])[1:-1]
            try:
                return Node("const", DATE, value=date.fromisoformat(text))
            except ValueError:
                self.fail("invalid_date_literal", tree, value=text)
        if name == "answered":
            if len(args) != 1 or args[0].data != "name":
                wrong()
            return Node("answered", BOOL, (self.visit(args[0]),))
        if name in ("count", "any", "all"):
            if not args or args[0].data != "name" or len(args) > 2 or (name != "count" and len(args) != 2):
                wrong()
            if self.in_group_function:
                self.fail("nested_group_function", tree)
            group = self.visit(args[0])
            if group.type.kind != "group" or group.op != "name":
                self.fail("wrong_argument_type", tree, name=name, expected=phrase("group"), actual=phrase(group.type.kind))
            if len(args) == 1:
                return Node("count", NUMBER, (group,))
            outer_items = self.item_scope
            self.item_scope, self.in_group_function = self.group_scopes.get(group.value, {}), True
            try:
                body = self.condition(args[1])
            finally:
                self.item_scope, self.in_group_function = outer_items, False
            return Node(name, NUMBER if name == "count" else BOOL, (group, body))
        # age, days_since, month, year
        if len(args) != 1:
            wrong()
        arg = self.visit(args[0])
        if arg.type.kind != "date":
            self.refuse_opaque(arg, args[0])
            self.fail("wrong_argument_type", tree, name=name, expected=phrase("date"), actual=phrase(arg.type.kind))
        return Node(name, NUMBER, (arg,))


# ----- evaluation: shared operations, None meaning "no value" -----

def as_date(value):
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _add(x, y):
    return add_days(x, y) if isinstance(x, date) else x + y


def _sub(x, y):
    if isinstance(x, date):
        return (x - y).days if isinstance(y, date) else add_days(x, -y)
    return x - y


_UNARY: dict[str, Callable] = {
    "neg": operator.neg,
    "month": lambda d: d.month,
    "year": lambda d: d.year,
}


def _compile(node: Node) -> Callable[[Mapping, Optional[Mapping], date], Any]:
    """A closure (answers, item, today) -> value, with None for no value."""
    op, args = node.op, node.args
    if op == "const":
        value = node.value
        return lambda a, i, t: value
    if op == "today":
        return lambda a, i, t: t
    if op in ("name", "item"):
        key = node.value
        if op == "name":
            if node.type.kind == "date":
                return lambda a, i, t: as_date(a.get(key))
            return lambda a, i, t: a.get(key)
        if node.type.kind == "date":
            return lambda a, i, t: as_date(i.get(key))
        return lambda a, i, t: i.get(key)
    if op in ("and", "or", "not"):
        parts = [_compile_bool(n) for n in args]
        if op == "not":
            inner = parts[0]
            return lambda a, i, t: not inner(a, i, t)
        left, right = parts
        if op == "and":
            return lambda a, i, t: left(a, i, t) and right(a, i, t)
        return lambda a, i, t: left(a, i, t) or right(a, i, t)
    if op in ("compare", "in", "not in"):
        test = _CMP_OPS[node.value] if op == "compare" else (operator.contains if op == "in" else _not_contains)
        if op != "compare":
            test = (lambda f: lambda x, y: f(y, x))(test)
        left, right = _compile(args[0]), _compile(args[1])

        def compare(a, i, t):
            x = left(a, i, t)
            if x is None:
                return False
            y = right(a, i, t)
            return False if y is None else test(x, y)
        return compare
    if op in ("add", "sub"):
        fn = _add if op == "add" else _sub
        left, right = _compile(args[0]), _compile(args[1])

        def arithmetic(a, i, t):
            x, y = left(a, i, t), right(a, i, t)
            return None if x is None or y is None else fn(x, y)
        return arithmetic
    if op in ("neg", "month", "year", "age", "days_since"):
        inner = _compile(args[0])
        if op == "age":
            return lambda a, i, t: None if (d := inner(a, i, t)) is None else _age(d, t)
        if op == "days_since":
            return lambda a, i, t: None if (d := inner(a, i, t)) is None else (t - d).days
        fn = _UNARY[op]
        return lambda a, i, t: None if (v := inner(a, i, t)) is None else fn(v)
    if op == "answered":
        reader = _compile(args[0])
        return lambda a, i, t: reader(a, i, t) is not None
    # count / any / all over a group
    group = args[0].value
    if len(args) == 1:
        return lambda a, i, t: None if (items := a.get(group)) is None else len(items)
    body = _compile_bool(args[1])
    if op == "count":
        return lambda a, i, t: None if (items := a.get(group)) is None else sum(1 for it in items if body(a, it, t))
    combine = any if op == "any" else all
    return lambda a, i, t: (items := a.get(group)) is not None and combine(body(a, it, t) for it in items)


def _not_contains(container, value):
    return value not in container


def _compile_bool(node: Node):
    fn = _compile(node)
    if node.op in ("name", "item"):  # a bare yesno: unanswered counts as false
        return lambda a, i, t: fn(a, i, t) is True
    return fn


def _abstract(node: Node, env: Mapping, item_env: Mapping):
    """Evaluate with UNKNOWN for what static analysis cannot know (Kleene logic for and/or/not)."""
    op, args = node.op, node.args
    if op == "const":
        return node.value
    if op == "name":
        return env.get(node.value, UNKNOWN)
    if op == "item":
        return item_env.get(node.value, UNKNOWN)
    if op in ("and", "or", "not"):
        values = [_truth(_abstract(n, env, item_env), n) for n in args]
        if op == "not":
            return UNKNOWN if values[0] is UNKNOWN else not values[0]
        decisive = op == "or"  # True decides an or, False decides an and
        if decisive in values:
            return decisive
        return UNKNOWN if UNKNOWN in values else not decisive
    if op in ("today", "count", "any", "all", "age", "days_since"):
        return UNKNOWN
    values = [_abstract(n, env, item_env) for n in args]
    if UNKNOWN in values:
        return UNKNOWN
    constants = tuple(Node("const", n.type, value=v) for n, v in zip(args, values))
    return _compile(Node(op, node.type, constants, node.value))({}, {}, date.today())


def _truth(value, node: Node):
    if value is UNKNOWN:
        return UNKNOWN
    return value is True if node.op in ("name", "item") else bool(value)


@dataclass
class Condition:
    """A compiled condition. `names`: top-level question ids it reads; `item_names`: item ids it reads."""
    source: str
    names: frozenset
    item_names: frozenset
    _fn: Callable = field(repr=False)
    _node: Node = field(repr=False)

    def evaluate(self, answers: Mapping, today: date, item: Optional[Mapping] = None) -> bool:
        return bool(self._fn(answers, _NO_ITEM if item is None else item, today))

    def could_be_true(self, domains: Mapping[str, list], item_domains: Mapping[str, list] | None = None,
                      limit: int = 5000) -> bool:
        """Whether some combination of possible answers makes the condition true (or might).

        `domains` maps question ids to their possible values (None for unanswered, UNKNOWN when
        they cannot be enumerated); missing ids are UNKNOWN. Too many combinations: assume yes.
        """
        item_domains = item_domains or {}
        keys = [(False, n) for n in sorted(self.names)] + [(True, n) for n in sorted(self.item_names)]
        choices = [(item_domains if is_item else domains).get(n, [UNKNOWN]) for is_item, n in keys]
        total = 1
        for values in choices:
            total *= max(len(values), 1)
        if total > limit:
            return True
        for combination in itertools.product(*choices):
            env = {n: v for (is_item, n), v in zip(keys, combination) if not is_item}
            item_env = {n: v for (is_item, n), v in zip(keys, combination) if is_item}
            if _truth(_abstract(self._node, env, item_env), self._node) is not False:
                return True
        return False


def compile_condition(source: str, scope: Mapping[str, Type],
                      group_scopes: Optional[Mapping[str, Mapping[str, Type]]] = None,
                      item_scope: Optional[Mapping[str, Type]] = None) -> Condition:
    """Parse, type-check and compile `source`; raises ConditionError.

    `scope`: question id -> Type of the questions the condition may read; `group_scopes`: group id ->
    its item questions' types; `item_scope`: item questions in scope when the condition belongs to an
    item question of a group.
    """
    try:
        tree = _PARSER.parse(source)
    except UnexpectedInput as error:
        raise _syntax_error(source, error) from None
    checker = _Checker(scope, group_scopes or {}, item_scope)
    node = checker.condition(tree)
    return Condition(source, frozenset(checker.names), frozenset(checker.item_names), _compile_bool(node), node)


def _syntax_error(source: str, error: UnexpectedInput) -> ConditionError:
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        column, near = len(source) + 1, source.strip()[-20:] or "…"
    else:
        column = getattr(error, "column", 1) or 1
        if isinstance(error, UnexpectedToken):
            near = str(error.token)
        else:
            near = source[column - 1:column + 9] if isinstance(error, UnexpectedCharacters) else source
    return ConditionError("condition_syntax", {"column": column, "near": near}, column)


__all__ = ["BOOL", "DATE", "NUMBER", "STRING", "Condition", "ConditionError", "Type", "UNKNOWN",
           "compile_condition", "question_type"]
