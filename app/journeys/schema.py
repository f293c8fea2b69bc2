"""The journey definition schema: pydantic models for journeys, questions, steps and organisations.

This is the contract between the YAML files staff write and everything that reads them. Structural
rules live here (types, required fields, id formats); cross-references (conditions, organisation
keys, translations against the journey's languages, reachability) are checked by the loader, which
can name the file and line. `flask journeys schema` exports these models as JSON Schema for editors.
"""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

# Question ids are referenced from conditions, so they are identifiers: lower case, digits, underscores.
QUESTION_ID = r"^[a-z][a-z0-9_]*$"
# Journey, step, organisation and form ids appear in URLs: lower case words joined by hyphens.
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

QuestionType = Literal[
    "yesno", "choice", "multichoice", "date", "text", "number", "address", "person", "group"
]

# When in the person's life a step belongs, counted from the journey's anchor date; the plan shows
# the phases in this order. Titles are translated by the runner.
PHASES = ("avant", "48-heures", "cette-semaine", "ce-mois-ci", "avant-d-ouvrir", "premiers-mois", "plus-tard")
Phase = Literal["avant", "48-heures", "cette-semaine", "ce-mois-ci", "avant-d-ouvrir", "premiers-mois", "plus-tard"]

# A text in every language the journey offers, e.g. {fr: "Date de naissance", en: "Date of birth"}.
LocalizedText = dict[str, str]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Option(Strict):
    value: str = Field(pattern=QUESTION_ID, description="Stored value, used in conditions.")
    label: LocalizedText
    hint: Optional[LocalizedText] = None


class Question(Strict):
    id: str = Field(pattern=QUESTION_ID)
    type: QuestionType
    label: LocalizedText
    hint: Optional[LocalizedText] = None
    required: bool = True
    show_if: Optional[str] = Field(None, description="Condition; the question is asked only when it holds.")
    options: list[Option] = Field(default_factory=list, description="For choice and multichoice.")
    # number
    min: Optional[float] = None
    max: Optional[float] = None
    integer: bool = False
    # text
    max_length: int = Field(200, ge=1, le=2000)
    # date
    not_in_future: bool = False
    not_in_past: bool = False
    # Profile field that can prefill this question (see Mon dossier), e.g. "profile.birth_date".
    prefill: Optional[str] = None
    # repeating group: each item answers `questions`
    questions: list["Question"] = Field(default_factory=list, description="Item questions of a group.")
    item_label: Optional[LocalizedText] = Field(None, description="Name of one item, e.g. Enfant.")
    min_items: int = Field(0, ge=0)
    max_items: int = Field(10, ge=1, le=50)


class FixedDate(Strict):
    """A calendar date in the year of the reference date, e.g. 30 April of the next year."""
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    year_offset: int = 0


Period = Literal["month", "quarter", "year"]


class Recurrence(Strict):
    """A deadline that comes back: every year on a fixed date, or after the end of each period.

    The period is fixed (`every`) or chosen in the answers (`every_from`: a choice question whose
    options are among PERIOD_OPTIONS, e.g. the GST/QST filing frequency). Exactly one of `on`
    (yearly only), `months_after` or `days_after` the end of each calendar period. `of`, when set
    on the deadline, is the date the obligation starts (periods ending before it have no due date).
    """
    every: Optional[Period] = None
    every_from: Optional[str] = Field(None, pattern=QUESTION_ID)
    on: Optional[FixedDate] = None
    months_after: Optional[int] = Field(None, ge=0, le=12)
    days_after: Optional[int] = Field(None, ge=0, le=366)
    next_business_day: bool = Field(False, description="A due date on a weekend or Québec holiday moves to the next business day.")


# Option values a frequency question (Recurrence.every_from) may offer, and the period each means.
PERIOD_OPTIONS = {"mensuelle": "month", "trimestrielle": "quarter", "annuelle": "year"}


class Deadline(Strict):
    """When a step is due, counted from a date answer (the journey's anchor by default).

    Exactly one of within_days, business_days, within_months, on, recurring. Negative values mean
    before the reference date. `if` picks this rule when a step lists several.
    """
    of: Optional[str] = Field(None, pattern=QUESTION_ID)
    within_days: Optional[int] = None
    business_days: Optional[int] = Field(None, description="Québec business days: weekends and QC statutory holidays skipped.")
    within_months: Optional[int] = None
    on: Optional[FixedDate] = None
    recurring: Optional[Recurrence] = Field(None, description="A deadline that comes back each period.")
    if_: Optional[str] = Field(None, alias="if")
    kind: Literal["legal", "suggested"] = Field(
        description="legal: a date set by law or the organisation (Date limite, can be overdue); "
                    "suggested: a date we advise (Date suggérée, never overdue nor urgent).")


class Source(Strict):
    """The official page a step's facts come from and the day someone checked it."""
    url: str = Field(pattern=r"^https://\S+$")
    checked: date


class Step(Strict):
    id: str = Field(pattern=SLUG)
    organisation: str = Field(pattern=SLUG)
    title: LocalizedText
    description: LocalizedText = Field(description="What to do, in one or two plain sentences.")
    how: Optional[LocalizedText] = Field(None, description="How to do it: online, by phone, in person.")
    url: Optional[LocalizedText] = Field(None, description="Page for this step; the organisation's site otherwise.")
    applies_if: Optional[str] = None
    deadline: Union[Deadline, list[Deadline], None] = None
    deadline_note: Optional[LocalizedText] = None
    when: Phase = Field(description="The phase of the plan this step belongs to (see PHASES).")
    when_passed: Optional[LocalizedText] = Field(
        None, description="What to do now when the date has passed (instead of 'as soon as possible').")
    sources: list[Source] = Field(default_factory=list, description="Official pages the step's facts come from.")
    journey: Optional[str] = Field(None, pattern=SLUG, description="Another journey that continues this step.")
    form: Optional[str] = Field(None, pattern=SLUG)
    theme: Optional[str] = Field(None, pattern=SLUG, description="Grouping key for the results page.")


class DeclarationPartner(Strict):
    organisation: str = Field(pattern=SLUG)
    purpose: LocalizedText
    # Least data: partner field name -> data source (see app/journeys/sources.py), e.g.
    # {child_birth_date: answers.date_naissance, parent_sin: profile.sin}
    fields: dict[str, str] = Field(min_length=1)
    send_if: Optional[str] = Field(None, description="Condition; the partner is offered and sent only when it holds.")
    not_sent_note: Optional[LocalizedText] = Field(
        None, description="Shown on the declaration page when send_if does not hold: where to do it instead.")


class DeclarationNotice(Strict):
    """A text shown on the declaration page when its condition holds, e.g. 'the funeral home
    already notifies these bodies: we send nothing twice'."""
    if_: str = Field(alias="if", description="Condition.")
    text: LocalizedText


class Declaration(Strict):
    kind: Literal["naissance", "changement_adresse", "deces", "changement_adresse_entreprise"]
    partners: list[DeclarationPartner] = Field(min_length=1)
    notices: list[DeclarationNotice] = Field(default_factory=list)


class Journey(Strict):
    id: str = Field(pattern=SLUG)
    version: int = Field(ge=1)
    audience: Literal["citoyens", "entreprises"]
    languages: list[str] = Field(min_length=1, description="Languages this journey is written in; fr first.")
    title: LocalizedText
    summary: LocalizedText
    keywords: Optional[LocalizedText] = Field(None, description="Extra words the home page search matches.")
    anchor_date: Optional[str] = Field(None, pattern=QUESTION_ID)
    questions: list[Question] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    declaration: Optional[Declaration] = None


class Organisation(Strict):
    id: str = Field(pattern=SLUG)
    name: LocalizedText
    short_name: Optional[LocalizedText] = None
    url: LocalizedText
    phone: Optional[str] = None
    partner_api: Optional[str] = Field(None, description="Partner registry id, when the organisation receives declarations.")


class OrganisationsFile(Strict):
    languages: list[str] = Field(min_length=1)
    organisations: list[Organisation] = Field(min_length=1)
