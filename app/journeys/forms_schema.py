"""The form definition schema: pydantic models for the prefilled forms in `journeys/forms/*.yaml`.

A form belongs to one organisation and is made of sections of fields. Each field says where its
value comes from: a `source` in the shared grammar of `app/journeys/sources.py` (`profile.<field>`,
`answers.<question>`, `lookup.<organisation>.<field>`; a list means "the first that has a value"),
An `address` field holds {street, city, province, postal_code}, like an address answer.
or a `computed` value (today's date, or several sources joined). `show_if` and `readonly_if` are
conditions in the journey condition language over the form's own field ids, evaluated in field
order (a condition may only name fields defined before it). Values read from a registry are always
read-only. Cross-references (sources, conditions, organisations, translations) are checked by
`app/journeys/forms_loader.py`, which can name the file and line.
"""
from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import Field

from .schema import QUESTION_ID, SLUG, LocalizedText, Strict

FieldType = Literal[
    "text", "textarea", "date", "number", "email", "phone", "postal_code", "province",
    "sin", "health_number", "yesno", "choice", "address",
]


class FieldOption(Strict):
    value: str = Field(pattern=QUESTION_ID)
    label: LocalizedText


class Validation(Strict):
    """Extra rules on what a citizen types (the field type already checks its own format)."""
    min_length: Optional[int] = Field(None, ge=0)
    max_length: int = Field(200, ge=1, le=2000)
    pattern: Optional[str] = Field(None, description="Regular expression the whole value must match.")
    pattern_message: Optional[LocalizedText] = Field(None, description="What to write instead, when `pattern` fails.")
    min: Optional[float] = None
    max: Optional[float] = None
    integer: bool = False
    not_in_future: bool = False
    not_in_past: bool = False


class Computed(Strict):
    """A value Parcours computes: `today` (the date the form is filled) or `join` of several sources."""
    op: Literal["today", "join"]
    sources: list[str] = Field(default_factory=list)
    separator: str = " "


class PdfPlacement(Strict):
    width: Literal["full", "half"] = "full"
    lines: int = Field(1, ge=1, le=8, description="Height of the box, in lines of text.")


class FormField(Strict):
    id: str = Field(pattern=QUESTION_ID)
    type: FieldType
    label: LocalizedText
    hint: Optional[LocalizedText] = None
    required: bool = False
    validation: Validation = Field(default_factory=Validation)
    options: list[FieldOption] = Field(default_factory=list, description="For choice fields.")
    source: Union[str, list[str], None] = Field(None, description="Where the prefilled value comes from; a list: the first with a value.")
    computed: Optional[Computed] = None
    readonly: bool = Field(False, description="Always read-only: the value is recomputed on the server.")
    readonly_if: Optional[str] = Field(None, description="Condition; read-only (and recomputed) while it holds.")
    show_if: Optional[str] = Field(None, description="Condition; the field exists only while it holds.")
    pdf: PdfPlacement = Field(default_factory=PdfPlacement)

    @property
    def sources(self) -> list[str]:
        if self.source is None:
            return []
        return [self.source] if isinstance(self.source, str) else list(self.source)


class Section(Strict):
    id: str = Field(pattern=QUESTION_ID)
    title: LocalizedText
    intro: Optional[LocalizedText] = None
    fields: list[FormField] = Field(min_length=1)


class Lookup(Strict):
    """Data read from an organisation's registry, only with the citizen's explicit consent."""
    organisation: str = Field(pattern=SLUG)
    purpose: LocalizedText = Field(description="Why the form reads it, shown on the consent page.")
    source_label: LocalizedText = Field(description="How a value read there is credited, e.g. d'après la RAMQ.")
    fields: dict[str, LocalizedText] = Field(min_length=1, description="Registry field name -> what it is.")
    required: bool = Field(False, description="The form cannot be filled without this look-up.")


class PdfLayout(Strict):
    page_size: Literal["letter", "a4"] = "letter"
    columns: Literal[1, 2] = 1
    intro: Optional[LocalizedText] = Field(None, description="A sentence printed under the title.")


class FormDefinition(Strict):
    id: str = Field(pattern=SLUG)
    version: int = Field(1, ge=1)
    languages: list[str] = Field(min_length=1)
    organisation: str = Field(pattern=SLUG)
    title: LocalizedText
    summary: LocalizedText
    lookups: list[Lookup] = Field(default_factory=list)
    sections: list[Section] = Field(min_length=1)
    pdf: PdfLayout = Field(default_factory=PdfLayout)

    def all_fields(self) -> list[FormField]:
        return [f for section in self.sections for f in section.fields]
