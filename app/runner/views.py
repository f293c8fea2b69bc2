"""The questionnaire's pages: home and search, start, one question per page, groups, check answers.

Each view reads the run, asks the engine (through `flow`), and renders; the plan is in results.py.

URLs (stable; browser tests rely on them):
  /                                             home: life events, search (?q=)
  /parcours/<journey>                           start page; POST .../commencer starts a run
  /parcours/<journey>/questions/<id>            one question (a repeating group: its list of items)
  /parcours/<journey>/questions/<group>/<n>/<id>   one question about item n of a group (n = count: a new item)
  /parcours/<journey>/questions/<group>/<n>/retirer  confirm removal of item n
  /parcours/<journey>/verifier                  check your answers
  /parcours/<journey>/resultat                  your plan (?imprimer=1: printable); .../resultat.ics: calendar
`?retour=verifier` on a question sends the citizen back to the check page once the route is complete again.
"""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext

from app.catalog import get_catalog
from app.core.i18n import current_language
from app.core.shared_pages import render_shared
from app.runner import flow, prefill, store
from app.runner.blueprint import bp
from app.runner.clock import today
from app.runner.display import definition, human_answer, item_name, localized
from app.runner.fields import (NOT_SHAREABLE, error_text, field_anchor, field_value, posted_value,
                               shareable_value)
from app.runner.navigation import (RETURN_TO_CHECK, after_answer, back_url, item_url, journey_of, journey_or_404,
                                   load, progress, question_url, resume_url, returning, to_start)
from app.runner.search import MAX_QUERY_LENGTH, search


# -- home and start -------------------------------------------------------------------------------

@bp.get("/")
def home():
    catalog = get_catalog()
    lang = current_language()
    query = request.args.get("q", "")[:MAX_QUERY_LENGTH].strip()
    journeys = list(catalog.journeys.values())
    results = search([definition(j) for j in journeys], query, lang) if query else None
    sections = [
        ("citoyens", gettext("Citizens"), [definition(j) for j in journeys if definition(j).audience == "citoyens"]),
        ("entreprises", gettext("Businesses"), [definition(j) for j in journeys if definition(j).audience == "entreprises"]),
    ]
    return render_template("runner/home.html", query=query, results=results, sections=sections)


@bp.get("/parcours/<slug:journey_id>")
def start(journey_id: str):
    journey = journey_or_404(journey_id)
    run = store.current_run(journey_id)
    resume = None
    if run is not None and run.answers:
        loaded = journey_of(run)
        if loaded is not None:
            resume = resume_url(loaded, run)
    question_count = len(flow.visible_questions(journey, {}, today()))
    return render_template("runner/start.html", journey=definition(journey), run=run,
                           resume_url=resume, question_count=question_count)


@bp.post("/parcours/<slug:journey_id>/commencer")
def begin(journey_id: str):
    journey = journey_or_404(journey_id)
    store.start_run(journey)
    first = flow.first_unanswered(journey, {}, today())
    return redirect(question_url(journey_id, first.id))


# -- one question per page ------------------------------------------------------------------------

@bp.route("/parcours/<slug:journey_id>/questions/<ident:question_id>", methods=["GET", "POST"])
def question(journey_id: str, question_id: str):
    run, journey = load(journey_id)
    if run is None:
        return to_start(journey_id)
    answers = run.answers or {}
    now = today()
    visible = flow.visible_questions(journey, answers, now)
    asked = next((q for q in visible if q.id == question_id), None)
    if asked is None:
        abort(404)
    if asked.type == "group":
        return _group_page(journey, run, asked, visible)

    error = error_part = None
    suggested = prefill.suggestion(asked) if question_id not in answers else None
    value = field_value(asked, answers.get(question_id) if suggested is None else suggested)
    if request.method == "POST":
        parsed, value, error, error_part = _read_answer(asked, value, now)
        if error is None:
            updated = flow.current_answers(journey, {**answers, question_id: parsed}, now)
            store.save_answers(run, updated, flow.is_complete(journey, updated, now))
            return redirect(after_answer(journey, updated, question_id))

    page = dict(
        journey=definition(journey), question=asked, value=value, error=error, error_part=error_part,
        prefilled=suggested is not None and not error,
        errors={field_anchor(asked, error_part): error} if error else None,
        page_has_errors=bool(error),
        back_url=back_url(journey, answers, question_id, visible),
        progress=progress(journey, answers, question_id, visible),
        action=question_url(journey_id, question_id),
    )
    shown = shareable_value(asked, value)
    if error is None and suggested is None and shown is not NOT_SHAREABLE:
        state = (journey.id, journey.version, question_id, shown, page["back_url"],
                 page["progress"]["number"], page["progress"]["total"], page["action"])
        return render_shared("runner/question.html", state, **page)
    return render_template("runner/question.html", **page)


def _read_answer(asked, shown, now):
    """The posted answer parsed: (value, shown, None, None), or (None, what was typed, error, part)."""
    raw = posted_value(asked, request.form)
    try:
        return flow.parse(asked, raw, now), shown, None, None
    except flow.AnswerError as problem:
        return None, raw, error_text(problem.message(current_language()), problem.field), problem.field


# -- repeating groups ------------------------------------------------------------------------------

def _group_page(journey, run, group, visible):
    """The list of a group's items, with add / change / remove, and Continue when the list is right.

    `visible`: the route for the run's answers, as the question view already found it."""
    answers = run.answers or {}
    now = today()
    items = list(answers.get(group.id) or [])
    error = None
    if request.method == "POST":
        problem = flow.group_problem(journey, group, items, answers, now)
        if problem is None:
            updated = flow.current_answers(journey, {**answers, group.id: items}, now)
            store.save_answers(run, updated, flow.is_complete(journey, updated, now))
            return redirect(after_answer(journey, updated, group.id))
        error = problem
    rows = []
    for index, item in enumerate(items):
        first = flow.item_questions(journey, group, item, answers, now)[0]
        missing = flow.first_unanswered_item_question(journey, group, item, answers, now)
        rows.append({
            "index": index,
            "name": item_name(group, item, index),
            "complete": missing is None,
            "change_url": item_url(journey.id, group.id, index, (missing or first).id),
            "remove_url": url_for("runner.remove_item", journey_id=journey.id, group_id=group.id, index=index,
                                  **({"retour": RETURN_TO_CHECK} if returning() else {})),
        })
    can_add = len(items) < group.max_items
    first_item_question = flow.item_questions(journey, group, {}, answers, now)[0]
    add_url = item_url(journey.id, group.id, len(items), first_item_question.id) if can_add else None
    return render_template(
        "runner/group.html",
        journey=definition(journey), group=group, rows=rows, add_url=add_url, error=error,
        errors={"add-item" if add_url else "group-continue": error} if error else None,
        page_has_errors=bool(error),
        back_url=back_url(journey, answers, group.id, visible),
        progress=progress(journey, answers, group.id, visible),
        action=question_url(journey.id, group.id),
    )


def _group_and_item(journey, answers, group_id: str, index: int, allow_new: bool):
    now = today()
    group = next((q for q in flow.visible_questions(journey, answers, now) if q.id == group_id), None)
    if group is None or group.type != "group":
        abort(404)
    items = list(answers.get(group_id) or [])
    if index < len(items):
        return group, items, dict(items[index])
    if allow_new and index == len(items) and len(items) < group.max_items:
        return group, items, {}
    abort(404)


@bp.route("/parcours/<slug:journey_id>/questions/<ident:group_id>/<int:index>/<ident:question_id>",
          methods=["GET", "POST"])
def item_question(journey_id: str, group_id: str, index: int, question_id: str):
    run, journey = load(journey_id)
    if run is None:
        return to_start(journey_id)
    answers = run.answers or {}
    now = today()
    group, items, item = _group_and_item(journey, answers, group_id, index, allow_new=True)
    visible = flow.item_questions(journey, group, item, answers, now)
    ids = [q.id for q in visible]
    if question_id not in ids or (index == len(items) and question_id != ids[0]):
        abort(404)
    asked = visible[ids.index(question_id)]

    error = error_part = None
    value = field_value(asked, item.get(question_id))
    if request.method == "POST":
        parsed, value, error, error_part = _read_answer(asked, value, now)
        if error is None:
            item[question_id] = parsed
            new_items = items[:index] + [item] + items[index + 1:]
            updated = flow.current_answers(journey, {**answers, group_id: new_items}, now)
            store.save_answers(run, updated, flow.is_complete(journey, updated, now))
            stored_item = (updated.get(group_id) or [{}] * (index + 1))[index]
            following = [q.id for q in flow.item_questions(journey, group, stored_item, updated, now)]
            if returning() and index < len(items) and flow.is_complete(journey, updated, now):
                return redirect(url_for("runner.check", journey_id=journey_id))  # changed from the check page
            if question_id in following and following.index(question_id) + 1 < len(following):
                return redirect(item_url(journey_id, group_id, index, following[following.index(question_id) + 1]))
            return redirect(question_url(journey_id, group_id))

    position = ids.index(question_id)
    previous = (item_url(journey_id, group_id, index, ids[position - 1]) if position > 0
                else question_url(journey_id, group_id))
    return render_template(
        "runner/item_question.html",
        journey=definition(journey), group=group, index=index,
        item_title=item_name(group, item, index) if item else f"{localized(group.item_label)} {index + 1}",
        question=asked, value=value, error=error, error_part=error_part,
        errors={field_anchor(asked, error_part): error} if error else None,
        page_has_errors=bool(error),
        back_url=previous,
        progress={"number": position + 1, "total": len(ids)},
        action=item_url(journey_id, group_id, index, question_id),
    )


@bp.route("/parcours/<slug:journey_id>/questions/<ident:group_id>/<int:index>/retirer", methods=["GET", "POST"])
def remove_item(journey_id: str, group_id: str, index: int):
    run, journey = load(journey_id)
    if run is None:
        return to_start(journey_id)
    answers = run.answers or {}
    now = today()
    group, items, item = _group_and_item(journey, answers, group_id, index, allow_new=False)
    if request.method == "POST":
        remaining = items[:index] + items[index + 1:]
        updated = flow.current_answers(journey, {**answers, group_id: remaining}, now)
        store.save_answers(run, updated, flow.is_complete(journey, updated, now))
        return redirect(question_url(journey_id, group_id))
    return render_template(
        "runner/remove_item.html",
        journey=definition(journey), group=group, item_title=item_name(group, item, index),
        cancel_url=question_url(journey_id, group_id),
        action=url_for("runner.remove_item", journey_id=journey_id, group_id=group_id, index=index,
                       **({"retour": RETURN_TO_CHECK} if returning() else {})),
    )


# -- check answers and the plan --------------------------------------------------------------------

def _item_rows(journey, group, answers: dict, now) -> list[dict]:
    """Each item's answers (each child's), named after the item and each with its own Change link."""
    rows = []
    for index, item in enumerate(answers.get(group.id) or []):
        name = item_name(group, item, index)
        for asked in flow.item_questions(journey, group, item, answers, now):
            label = localized(asked.label)
            rows.append({
                "id": f"{group.id}-{index}-{asked.id}",
                "label": gettext("%(item)s: %(question)s", item=name, question=label),
                "answer": human_answer(asked, item.get(asked.id)),
                "from_profile": False,
                "change_url": url_for("runner.item_question", journey_id=journey.id, group_id=group.id,
                                      index=index, question_id=asked.id, retour=RETURN_TO_CHECK),
            })
    return rows


@bp.route("/parcours/<slug:journey_id>/verifier", methods=["GET", "POST"])
def check(journey_id: str):
    run, journey = load(journey_id)
    if run is None:
        return to_start(journey_id)
    answers = run.answers or {}
    now = today()
    missing = flow.first_unanswered(journey, answers, now)
    if missing is not None:
        return redirect(url_for("runner.question", journey_id=journey_id, question_id=missing.id))
    if request.method == "POST":
        store.mark_completed(run)
        return redirect(url_for("runner.result", journey_id=journey_id))
    rows = []
    visible = flow.visible_questions(journey, answers, now)
    for asked in visible:
        rows.append({
            "id": asked.id,
            "label": localized(asked.label),
            "answer": human_answer(asked, answers.get(asked.id)),
            "from_profile": answers.get(asked.id) is not None and answers.get(asked.id) == prefill.suggestion(asked),
            "change_url": url_for("runner.question", journey_id=journey_id, question_id=asked.id,
                                  retour=RETURN_TO_CHECK),
        })
        if asked.type == "group":
            rows.extend(_item_rows(journey, asked, answers, now))
    return render_template(
        "runner/check.html", journey=definition(journey), rows=rows,
        back_url=url_for("runner.question", journey_id=journey_id, question_id=visible[-1].id),
    )
