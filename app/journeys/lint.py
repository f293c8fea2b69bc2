"""Warnings about journey content that loads but reads badly or cannot be checked.

`lint_catalog` looks at a loaded catalogue and reports, with file, line and field: steps without
a source, sources checked more than a year ago, links to a journey the catalogue does not have,
sentences over 25 words, and hints that repeat what the page already says (the question's label, or a date example the date field already
gives). These are warnings: the journeys still work, but staff should fix them.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator, Optional

from .errors import DefinitionError
from .loader import _walk, read_yaml

MAX_WORDS = 25
SOURCE_MAX_AGE = timedelta(days=365)
# Texts read as running prose (labels of options are short by nature and skipped).
PROSE_FIELDS = ("label", "hint", "description", "how", "deadline_note", "when_passed", "summary",
                "purpose", "not_sent_note", "text")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ«“\"(])")
_DATE_EXAMPLE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")


def sentences(text: str) -> list[str]:
    """The sentences of a text; a colon or semicolon list counts as one sentence per part."""
    parts = []
    for sentence in _SENTENCE_END.split(text.strip()):
        parts.extend(p for p in re.split(r"\s*[;:]\s+(?=\S)", sentence) if p.strip())
    return parts


def word_count(sentence: str) -> int:
    return len([w for w in re.split(r"\s+", sentence) if re.search(r"\w", w) and "://" not in w])


def _normalized(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


class _Lines:
    def __init__(self, path: Path):
        self.root = read_yaml(path.read_text(encoding="utf-8"))[0] if path.is_file() else None

    def line(self, field_path: tuple) -> int:
        node, _ = _walk(self.root, field_path)
        return node.start_mark.line + 1 if node is not None else 1


def _field(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _texts(value, path: tuple) -> Iterator[tuple[tuple, str, dict]]:
    """(path, field name, localized text) for every prose text in the journey data."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in PROSE_FIELDS and isinstance(item, dict) and all(isinstance(v, str) for v in item.values()):
                yield path + (key,), key, item
            else:
                yield from _texts(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, path + (index,))


def lint_journey(definition, base: Path, today: date, journey_ids: frozenset = frozenset()) -> list[DefinitionError]:
    journey = definition.journey
    file = definition.source_file
    lines = _Lines(base / file)
    warnings: list[DefinitionError] = []

    def warn(path: tuple, code: str, **params):
        warnings.append(DefinitionError(file, lines.line(path), _field(path), code, params))

    for index, step in enumerate(journey.steps):
        path = ("steps", index)
        if not step.sources:
            warn(path + ("id",), "step_without_source", id=step.id)
        if step.journey and journey_ids and step.journey not in journey_ids:
            # a link to a journey not published (yet): the plan shows the step without the link
            warn(path + ("journey",), "unknown_journey_link", id=step.journey)
        for number, source in enumerate(step.sources):
            if today - source.checked > SOURCE_MAX_AGE:
                warn(path + ("sources", number, "checked"), "source_too_old", url=source.url,
                     checked=source.checked.isoformat())
    data = journey.model_dump(mode="json", by_alias=True, exclude_none=True)
    for path, _, text in _texts(data, ()):
        for lang, value in text.items():
            for sentence in sentences(value):
                if word_count(sentence) > MAX_WORDS:
                    warn(path + (lang,), "sentence_too_long", words=word_count(sentence), max=MAX_WORDS,
                         start=" ".join(sentence.split()[:6]))
    for path, question in _questions(journey):
        if question.hint is None:
            continue
        for lang, hint in question.hint.items():
            label = _normalized(question.label.get(lang, ""))
            if any(_normalized(s) == label for s in sentences(hint)) or _normalized(hint).startswith(label + " "):
                warn(path + ("hint", lang), "hint_repeats_label")
            elif question.type == "date" and _DATE_EXAMPLE.search(hint):
                warn(path + ("hint", lang), "hint_repeats_date_example")
    return warnings


def _questions(journey) -> Iterator[tuple[tuple, object]]:
    for index, question in enumerate(journey.questions):
        yield ("questions", index), question
        for item_index, item in enumerate(question.questions):
            yield ("questions", index, "questions", item_index), item


def lint_catalog(catalog, directory: Path, today: Optional[date] = None) -> list[DefinitionError]:
    """Every warning of every journey of a loaded catalogue, journey by journey in id order."""
    base = Path(directory).parent
    today = today or date.today()
    warnings = []
    for journey_id in sorted(catalog.journeys):
        warnings.extend(lint_journey(catalog.journeys[journey_id], base, today, frozenset(catalog.journeys)))
    return warnings
