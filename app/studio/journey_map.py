"""The journey map: questions on the left, steps on the right, a line for each answer a condition reads.

Drawn on the server as SVG from the compiled journey (no external service, no JavaScript): a box per
question (in order), a box per step, a curve from a question to each later question whose `show_if`
reads it, and a line from a question to each step whose conditions or deadline read it. The picture
scales to the page width; the same facts are listed as text next to it for screen readers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROW = 44
BOX_HEIGHT = 34
LEFT_X, RIGHT_X, BOX_WIDTH = 40, 470, 300
MAX_LABEL = 38


@dataclass
class Box:
    id: str
    label: str
    x: int
    y: int
    conditional: bool


@dataclass
class JourneyMap:
    width: int
    height: int
    questions: list[Box] = field(default_factory=list)
    steps: list[Box] = field(default_factory=list)
    curves: list[str] = field(default_factory=list)  # SVG path data: question -> question
    lines: list[tuple[int, int, int, int]] = field(default_factory=list)  # question -> step
    leads_to: list[dict] = field(default_factory=list)  # the text alternative


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def build(compiled, lang: str) -> JourneyMap:
    journey = compiled.journey

    def label(text: dict) -> str:
        return (text or {}).get(lang) or (text or {}).get("fr") or ""

    questions = {q.id: Box(q.id, _short(label(q.label)), LEFT_X, 20 + i * ROW, bool(q.show_if))
                 for i, q in enumerate(journey.questions)}
    steps = {s.id: Box(s.id, _short(label(s.title)), RIGHT_X, 20 + i * ROW, bool(s.applies_if))
             for i, s in enumerate(journey.steps)}
    drawing = JourneyMap(width=RIGHT_X + BOX_WIDTH + 20,
                         height=20 + max(len(questions), len(steps)) * ROW,
                         questions=list(questions.values()), steps=list(steps.values()))
    middle = BOX_HEIGHT // 2
    for source, readers in compiled.dependencies.items():
        if source not in questions:
            continue
        start = questions[source]
        for reader in readers:
            if reader not in questions:
                continue
            end = questions[reader]
            bend = LEFT_X - 30
            drawing.curves.append(f"M {LEFT_X} {start.y + middle} C {bend} {start.y + middle}, "
                                  f"{bend} {end.y + middle}, {LEFT_X} {end.y + middle}")
    for source, step_ids in compiled.step_dependencies.items():
        if source not in questions:
            continue
        start = questions[source]
        for step_id in step_ids:
            if step_id in steps:
                end = steps[step_id]
                drawing.lines.append((LEFT_X + BOX_WIDTH, start.y + middle, RIGHT_X, end.y + middle))
    for question in journey.questions:
        drawing.leads_to.append({
            "id": question.id, "label": label(question.label),
            "questions": [q for q in compiled.dependencies.get(question.id, ()) if q in questions],
            "steps": [s for s in compiled.step_dependencies.get(question.id, ()) if s in steps],
        })
    return drawing
