"""Errors the journeys package reports, each with a stable code and a message in French and English.

`DefinitionError` is one problem in a journey file (file, line, field, code); `DefinitionErrors`
carries every problem found in one load. Messages are English msgids translated through the
`translations/journeys` catalogue; each says how to fix the problem.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import N_, translate


class Phrase(str):
    """A parameter that is itself a translatable phrase (e.g. the name of a type)."""


MESSAGES: dict[str, str] = {
    # files and YAML
    "yaml_syntax": N_("The YAML cannot be read: %(problem)s. Check the indentation, the colons and the quotes on this line."),
    "duplicate_key": N_("The key “%(key)s” appears twice in the same block. Keep only one."),
    "missing_file": N_("The file %(name)s is missing. Create it in the journeys folder."),
    # schema
    "missing_field": N_("The field “%(name)s” is required here. Add it."),
    "unknown_field": N_("“%(name)s” is not a field allowed here. Remove it or check its spelling."),
    "invalid_id": N_("“%(value)s” is not a valid identifier. Use lower-case letters without accents and digits, starting with a letter; question ids and option values join words with “_”, other ids with “-”."),
    "wrong_type": N_("This value should be %(expected)s. Fix the value."),
    "invalid_value": N_("“%(value)s” is not allowed here (%(detail)s). Fix the value."),
    "too_few": N_("This list needs at least %(min)s element(s). Add the missing ones."),
    "out_of_range": N_("This value is out of range (it must be %(limit)s). Fix it."),
    # languages and texts
    "missing_french": N_("Every journey must be offered in French: add fr to languages."),
    "missing_translation": N_("The “%(lang)s” text is missing, and the journey is offered in %(lang)s. Add a “%(lang)s:” line."),
    "unexpected_language": N_("This text has a “%(lang)s” version, but the languages are %(languages)s. Remove it or add %(lang)s to languages."),
    "blank_text": N_("The “%(lang)s” text is empty. Write it."),
    # ids and references
    "duplicate_id": N_("The id “%(id)s” is already used on line %(first_line)s. Give each %(what)s its own id."),
    "reserved_id": N_("“%(id)s” is a word of the condition language and cannot be a question id. Choose another id."),
    "duplicate_journey": N_("The journey id “%(id)s” is already used by %(other)s. Give each journey its own id."),
    "unknown_organisation": N_("No organisation has the id “%(id)s”. Add it to organisations.yaml or fix the id."),
    "not_a_partner": N_("The organisation “%(id)s” has no partner_api, so it cannot receive declarations. Add its partner_api in organisations.yaml or remove this partner."),
    "unknown_question": N_("No question has the id “%(name)s” here. Check the spelling, or add the question before this point."),
    "later_question": N_("“%(name)s” is asked later in the journey. A condition may only use questions asked before it: move that question up or change the condition."),
    "not_a_date_question": N_("“%(name)s” is not a date question. Name a question of type date."),
    "deadline_rule_count": N_("A deadline needs exactly one of within_days, business_days, within_months, on or recurring (found %(count)s). Keep one."),
    "recurring_period_count": N_("A recurring deadline needs exactly one of every (month, quarter or year) or every_from (found %(count)s). Keep one."),
    "recurring_rule_count": N_("A recurring deadline needs exactly one of on, months_after or days_after (found %(count)s). Keep one."),
    "recurring_on_not_yearly": N_("A recurring deadline on a fixed date (on) only comes back every year. Write every: year, or use months_after or days_after."),
    "not_a_frequency_question": N_("“%(name)s” cannot choose a filing frequency: name a choice question whose options are among %(values)s."),
    "too_few_options": N_("A %(type)s question needs at least two options. Add the missing options."),
    "unexpected_options": N_("Only choice and multichoice questions have options. Remove them or change the type."),
    "group_without_questions": N_("A group needs the questions asked for each item (questions:). Add them."),
    "missing_item_label": N_("A group needs an item_label naming one item (for example Enfant / Child). Add it."),
    "nested_group": N_("A group cannot contain another group. Move this group to the top level of the questions."),
    "unexpected_item_questions": N_("Only group questions have item questions. Remove them or change the type to group."),
    "min_above_max": N_("The minimum (%(min)s) is larger than the maximum (%(max)s). Fix one of them."),
    "invalid_prefill": N_("“%(value)s” cannot prefill a question. Use profile.<field>, with one of these fields: %(fields)s."),
    "unknown_source": N_("“%(value)s” is not a valid data source (%(reason)s). Use answers.<question>, profile.<field> or lookup.<organisation>.<field>."),
    "unreachable_question": N_("This question can never be shown: its show_if can never be true with the answers the earlier questions allow. Fix the condition or remove the question."),
    # content warnings (flask journeys check)
    "step_without_source": N_("The step “%(id)s” has no source. Add sources: the official page its facts come from and the date you checked it."),
    "source_too_old": N_("The source %(url)s was checked on %(checked)s, more than a year ago. Check the page again and update the date."),
    "unknown_journey_link": N_("The step links to the journey “%(id)s”, which is not in the catalogue: the plan shows the step without the link. Publish that journey or fix the id."),
    "sentence_too_long": N_("A sentence has %(words)s words (at most %(max)s): “%(start)s…”. Split it into shorter sentences."),
    "hint_repeats_label": N_("The hint repeats the question. Remove the repeated words or say something the question does not."),
    "hint_repeats_date_example": N_("The hint gives a date example, but the date field already shows one. Remove the example from the hint."),
    "unreachable_partner": N_("This partner can never receive the declaration: its send_if can never be true with the answers the questions allow. Fix the condition or remove the partner."),
    "unreachable_step": N_("This step can never apply: its applies_if can never be true with the answers the questions allow. Fix the condition or remove the step."),
    # conditions
    "condition_syntax": N_("The condition cannot be read at column %(column)s (near “%(near)s”). Check the operators, the quotes and the parentheses."),
    "unknown_function": N_("“%(name)s” is not a function. Use count, any, all, answered, age, days_since, month, year or date."),
    "wrong_arguments": N_("Wrong arguments for %(name)s(). Write it as %(usage)s."),
    "type_mismatch": N_("“%(operator)s” cannot be used between %(left)s and %(right)s. Compare values of the same kind, for example a date with a date."),
    "wrong_argument_type": N_("%(name)s() needs %(expected)s, not %(actual)s. Fix its argument."),
    "not_a_condition": N_("This is %(type)s, not a true-or-false condition. Compare it with something (==, <, in …)."),
    "not_comparable": N_("“%(name)s” is %(type)s: it can only be used in %(usage)s."),
    "unknown_option": N_("“%(value)s” is not an option of “%(name)s” (its options are: %(options)s). Fix the value."),
    "invalid_date_literal": N_("“%(value)s” is not a real date. Write date('YYYY-MM-DD'), for example date('2026-03-14')."),
    "nested_group_function": N_("count, any and all cannot be used inside another count, any or all. Split the condition."),
    # answers
    "required": N_("Answer this question to continue."),
    "required_field": N_("Fill in this field."),
    "invalid_answer": N_("This answer cannot be read. Try again."),
    "invalid_yesno": N_("Choose yes or no."),
    "not_an_option": N_("Choose one of the listed options."),
    "invalid_date": N_("Enter a real date, for example 14/03/2026."),
    "date_in_future": N_("The date cannot be in the future."),
    "date_in_past": N_("The date cannot be in the past."),
    "not_a_number": N_("Enter a number, for example 2 or 2,5."),
    "not_an_integer": N_("Enter a whole number, without decimals."),
    "too_small": N_("Enter a number equal to or greater than %(min)s."),
    "too_large": N_("Enter a number equal to or less than %(max)s."),
    "too_long": N_("Use at most %(max)s characters (there are %(length)s)."),
    "invalid_postal_code": N_("Enter a Canadian postal code, for example H2X 1Y4."),
    "invalid_province": N_("Choose a province or territory of Canada."),
}

PHRASES = {
    # kinds of values, used in type messages
    "bool": N_("a yes/no answer"),
    "number": N_("a number"),
    "string": N_("a text"),
    "date": N_("a date"),
    "set": N_("a list of chosen options"),
    "list": N_("a list"),
    "group": N_("a group"),
    "opaque": N_("an address or a person"),
    # what must have its own id
    "question": N_("question"),
    "step": N_("step"),
    "option": N_("option"),
    "organisation": N_("organisation"),
    "partner": N_("declaration partner"),
    # expected value kinds in schema errors
    "a text": N_("a text"),
    "a whole number": N_("a whole number"),
    "a number": N_("a number"),
    "true or false": N_("true or false"),
    "a list": N_("a list"),
    "a block of fields": N_("a block of fields"),
    # source problems
    "malformed": N_("it is not written as kind.name"),
    "unknown_kind": N_("it must start with answers, profile or lookup"),
    "unknown_profile_field": N_("the profile has no such field"),
    "unknown_question": N_("no question has this id"),
    "unknown_organisation": N_("no organisation has this id"),
    "unknown_sub_field": N_("this question has no such sub-field"),
    "not_a_group": N_("[] can only follow a group question"),
    # usages
    "answered_only": N_("answered()"),
    "group_functions": N_("count(), any() and all()"),
}


def phrase(key: str) -> Phrase:
    return Phrase(PHRASES[key])


def render(code: str, params: dict, lang: str) -> str:
    """The message of `code` in `lang`, translating parameters that are phrases."""
    filled = {k: translate(lang, v) if isinstance(v, Phrase) else v for k, v in params.items()}
    return translate(lang, MESSAGES[code], filled)


@dataclass(frozen=True)
class DefinitionError:
    """One problem in a journey or organisations file."""
    file: str
    line: int
    field: str
    code: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str = "fr") -> str:
        return render(self.code, self.params, lang)

    def format(self, lang: str = "fr") -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message(lang)}" if self.field else f"{where}: {self.message(lang)}"


class DefinitionErrors(Exception):
    """Every problem found while loading a catalogue; str() lists one per line."""

    def __init__(self, errors: list[DefinitionError]):
        self.errors = list(errors)
        super().__init__(self.format("fr"))

    def format(self, lang: str = "fr") -> str:
        return "\n".join(e.format(lang) for e in self.errors)

    def __str__(self) -> str:
        return self.format("fr")
