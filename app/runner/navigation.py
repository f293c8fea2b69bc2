"""Where the questionnaire's pages lead: the citizen's run, question URLs, next, back and progress.

`?retour=verifier` on a question means the citizen came from the check page: once the route is
complete again they go back there, and every link on the way keeps the parameter.
"""
from __future__ import annotations

from flask import abort, current_app, redirect, request, url_for

from app.catalog import get_journey
from app.runner import flow, mode, store
from app.runner.clock import today

RETURN_TO_CHECK = "verifier"
URLS = "runner_urls"  # app.extensions key: the questionnaire's URLs already built
MAX_URLS = 4096


def page_url(endpoint: str, **values) -> str:
    """`url_for` for the questionnaire's pages, each built once per mount point.

    Their URLs depend on nothing but the arguments and where the app is mounted (the runner has no
    URL defaults or preprocessors), and each question page builds two or three of them, at about
    10 µs each in Flask (bench/profile_question.py)."""
    key = (request.script_root, request.blueprint, endpoint, tuple(sorted(values.items())))
    urls = current_app.extensions[URLS]
    url = urls.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        urls.put(key, url)
    return url


def journey_or_404(journey_id: str):
    journey = mode.source().journey(journey_id) if mode.is_preview() else get_journey(journey_id)
    if journey is None:
        abort(404)
    return journey


def journey_of(run):
    if mode.is_preview():
        return mode.source().journey(run.journey_id) if run.journey_version == mode.PREVIEW_VERSION else None
    return get_journey(run.journey_id, run.journey_version)


def load(journey_id: str):
    """(run, journey pinned to the run's version) for this citizen, or (None, None) when there is no run yet.

    An unknown journey is a 404; callers send a citizen without a run to the start page (`to_start`)."""
    journey_or_404(journey_id)
    run = store.current_run(journey_id)
    journey = journey_of(run) if run is not None else None
    if run is None or journey is None:
        return None, None
    return run, journey


def to_start(journey_id: str):
    return redirect(page_url(".start", journey_id=journey_id))


def returning() -> bool:
    return request.args.get("retour") == RETURN_TO_CHECK


def question_url(journey_id: str, question_id: str, **params) -> str:
    if returning():
        params.setdefault("retour", RETURN_TO_CHECK)
    return page_url(".question", journey_id=journey_id, question_id=question_id, **params)


def item_url(journey_id: str, group_id: str, index: int, question_id: str) -> str:
    params = {"retour": RETURN_TO_CHECK} if returning() else {}
    return page_url(".item_question", journey_id=journey_id, group_id=group_id, index=index,
                    question_id=question_id, **params)


def resume_url(journey, run) -> str:
    answers = run.answers or {}
    nxt = flow.first_unanswered(journey, answers, today())
    if nxt is None:
        return page_url(".check", journey_id=journey.id)
    return page_url(".question", journey_id=journey.id, question_id=nxt.id)


def after_answer(journey, answers, question_id: str) -> str:
    """Where a valid answer leads: the next question on the route, or back to the check page."""
    now = today()
    if returning():
        nxt = flow.first_unanswered(journey, answers, now)
        if nxt is None:
            return page_url(".check", journey_id=journey.id)
        return question_url(journey.id, nxt.id)
    visible = flow.visible_questions(journey, answers, now)
    ids = [q.id for q in visible]
    if question_id in ids and ids.index(question_id) + 1 < len(ids):
        return question_url(journey.id, ids[ids.index(question_id) + 1])
    nxt = flow.first_unanswered(journey, answers, now)
    if nxt is not None:
        return question_url(journey.id, nxt.id)
    return page_url(".check", journey_id=journey.id)


def back_url(journey, answers, question_id: str, visible: list | None = None) -> str:
    """`visible`: the route the caller already asked the engine for (it is walked once per request)."""
    if returning():
        return page_url(".check", journey_id=journey.id)
    ids = [q.id for q in (visible if visible is not None else flow.visible_questions(journey, answers, today()))]
    position = ids.index(question_id)
    if position == 0:
        return page_url(".start", journey_id=journey.id)
    return page_url(".question", journey_id=journey.id, question_id=ids[position - 1])


def progress(journey, answers, question_id: str, visible: list | None = None) -> dict:
    ids = [q.id for q in (visible if visible is not None else flow.visible_questions(journey, answers, today()))]
    return {"number": ids.index(question_id) + 1, "total": len(ids)}
