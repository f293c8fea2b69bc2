"""Votre parcours: the plan page (steps grouped by phase, dates, reasons, print version) and its .ics calendar."""
from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext

from app.catalog import get_catalog
from app.journeys.engine import current_answers
from app.runner import flow
from app.runner.blueprint import bp
from app.runner.clock import today
from app.runner.display import definition, human_answer, item_name, localized, long_date
from app.runner.ics import CalendarEvent, calendar
from app.runner.navigation import load, to_start

# The plan's phases (app/journeys/schema.py PHASES), in order, with their titles.
PHASE_TITLES = {
    "avant": lazy_gettext("Before"),
    "48-heures": lazy_gettext("In the first 48 hours"),
    "cette-semaine": lazy_gettext("This week"),
    "ce-mois-ci": lazy_gettext("This month"),
    "avant-d-ouvrir": lazy_gettext("Before opening"),
    "premiers-mois": lazy_gettext("In the first months"),
    "plus-tard": lazy_gettext("Later"),
}


def _plan_view(journey, answers, now) -> list[dict]:
    """The plan's groups as the result page and the calendar read them."""
    plan = flow.plan(journey, answers, now)
    questions = {q.id: q for q in definition(journey).questions}
    organisations = get_catalog().organisations
    groups = []
    for key, steps in plan.groups.items():
        shown = []
        for planned in steps:
            step = planned.step
            organisation = planned.organisation or organisations.get(step.organisation)
            because = _reasons(journey, questions, planned)
            shown.append({
                "id": step.id,
                "title": localized(step.title),
                "description": localized(step.description),
                "how": localized(step.how),
                "url": localized(step.url) or (localized(organisation.url) if organisation else ""),
                "own_url": bool(step.url),
                "organisation": localized(organisation.name) if organisation else step.organisation,
                "phone": getattr(organisation, "phone", None),
                "deadline": planned.deadline,
                "deadline_text": long_date(planned.deadline) if planned.deadline else "",
                "deadline_note": localized(step.deadline_note),
                "kind": planned.kind,
                "passed": planned.passed,
                "when_passed": localized(step.when_passed),
                "overdue": planned.overdue,
                "urgent": planned.urgent,
                "journey_link": _journey_link(step.journey),
                "because": because,
                "because_text": gettext("; ").join(reason["text"] for reason in because),
            })
        # The engine orders phases and, within one, urgency then date.
        groups.append({"key": key, "title": str(PHASE_TITLES.get(key, key)), "steps": shown})
    return groups


def _reasons(journey, questions: dict, planned) -> list[dict]:
    """'Because you answered' reasons; a group's reason names the items (children) that count."""
    by_group: dict[str, list] = {}
    for group_id, index, item_id, value in planned.because_items:
        by_group.setdefault(group_id, []).append((index, item_id, value))
    reasons = []
    for qid, value in planned.because:
        question = questions.get(qid)
        if question is None:
            continue
        if qid in by_group:
            for index, item_id, item_value in by_group[qid]:
                item_question = next(q for q in question.questions if q.id == item_id)
                label, answer = localized(item_question.label), human_answer(item_question, item_value)
                reasons.append({"label": label, "answer": answer, "text": gettext(
                    "“%(answer)s” to “%(label)s” for %(item)s", answer=answer, label=label,
                    item=item_name(question, value[index], index))})
            continue
        label, answer = localized(question.label), human_answer(question, value)
        reasons.append({"label": label, "answer": answer,
                        "text": gettext("“%(answer)s” to “%(label)s”", label=label, answer=answer)})
    return reasons


def _journey_link(journey_id) -> dict | None:
    """Another journey of the catalogue that continues a step, when it is published."""
    other = get_catalog().get(journey_id) if journey_id else None
    if other is None:
        return None
    return {"url": url_for("runner.start", journey_id=journey_id), "title": localized(other.journey.title)}


def deadline_words(step: dict) -> str:
    """'Date limite' or 'Date suggérée', the words the page and the calendar use for a step's date."""
    return gettext("Suggested date") if step["kind"] == "suggested" else gettext("Deadline")


def _completed_or_redirect(journey_id: str):
    run, journey = load(journey_id)
    if run is None:
        return None, None, to_start(journey_id)
    missing = flow.first_unanswered(journey, run.answers or {}, today())
    if missing is not None:
        return None, None, redirect(url_for("runner.question", journey_id=journey_id, question_id=missing.id))
    return run, journey, None


@bp.get("/parcours/<slug:journey_id>/resultat")
def result(journey_id: str):
    run, journey, elsewhere = _completed_or_redirect(journey_id)
    if elsewhere is not None:
        return elsewhere
    printable = request.args.get("imprimer") == "1"
    groups = _plan_view(journey, run.answers or {}, today())
    # The déclaration unique is offered only when the answers give it at least one recipient.
    current = current_answers(journey, run.answers or {}, today())
    has_declaration = bool(journey.declaration and journey.partners_to_send(current, today()))
    return render_template(
        "runner/result.html", journey=definition(journey), groups=groups, printable=printable,
        has_declaration=has_declaration,
        print_media="all" if printable else "print",
        has_dates=any(step["deadline"] for group in groups for step in group["steps"]),
    )


@bp.get("/parcours/<slug:journey_id>/resultat.ics")
def calendar_file(journey_id: str):
    run, journey, elsewhere = _completed_or_redirect(journey_id)
    if elsewhere is not None:
        return elsewhere
    host = request.host.split(":")[0] or "parcours"
    events = []
    for group in _plan_view(journey, run.answers or {}, today()):
        for step in group["steps"]:
            if step["deadline"] is None:
                continue
            words = deadline_words(step)
            details = [gettext("%(words)s: %(date)s", words=words, date=step["deadline_text"]), step["description"],
                       step["organisation"], step["url"]]
            events.append(CalendarEvent(
                uid=f"{run.id}-{step['id']}@{host}",
                day=step["deadline"],
                summary=f"{step['title']} ({words})",
                description="\n".join(filter(None, details)),
                url=step["url"],
            ))
    body = calendar(events, name=f"Parcours — {localized(definition(journey).title)}")
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="parcours-{journey_id}.ics"'
    return response
