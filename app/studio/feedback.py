"""What citizens tell us from the plan page (blueprint `feedback`, open to everyone, no account needed).

    POST      /avis/parcours/<journey>/utile        Cette page vous a-t-elle aidé ? yes/no + optional comment
    GET|POST  /avis/parcours/<journey>/etape        a step is wrong or out of date
    GET|POST  /avis/plainte                         a complaint (about a journey or the service)
    GET       /avis/merci                           thanks, and what happens next

Comments are scrubbed of personal data before they are stored (scrub.py); nothing links them to a
person or a run. The staff read and answer them in the studio (views_feedback.py).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext

from app.auth.limits import limiter
from app.catalog import get_journey
from app.core.db import db
from app.studio.models import COMPLAINT, HELPFUL, STEP_REPORT, Feedback
from app.studio.scrub import scrub

bp = Blueprint("feedback", __name__, url_prefix="/avis", template_folder="templates")
# Open to everyone without an account: a flood of messages from one address is refused (429).
_posts_per_ip = limiter.limit(lambda: current_app.config.get("FEEDBACK_PER_IP", "30 per hour"), methods=["POST"])


def _journey_or_404(journey_id: str):
    journey = get_journey(journey_id)
    if journey is None:
        abort(404)
    return journey


@bp.post("/parcours/<slug:journey_id>/utile")
@_posts_per_ip
def helpful(journey_id: str):
    _journey_or_404(journey_id)
    answer = request.form.get("helpful")
    if answer not in ("oui", "non"):
        return redirect(url_for("runner.result", journey_id=journey_id))
    db.session.add(Feedback(kind=HELPFUL, journey_id=journey_id, helpful=answer == "oui",
                            comment=scrub(request.form.get("comment"))))
    db.session.commit()
    return redirect(url_for("feedback.thanks"))


@bp.route("/parcours/<slug:journey_id>/etape", methods=["GET", "POST"])
@_posts_per_ip
def step_report(journey_id: str):
    journey = _journey_or_404(journey_id)
    steps = [(s.id, s.title) for s in journey.journey.steps]
    chosen = request.values.get("etape")
    errors = {}
    comment = request.form.get("comment", "")
    if request.method == "POST":
        if chosen not in {step_id for step_id, _ in steps}:
            errors["etape-" + steps[0][0]] = gettext("Choose the step that is wrong or out of date.")
        if not comment.strip():
            errors["comment"] = gettext("Say what is wrong, so that we can fix it.")
        if not errors:
            db.session.add(Feedback(kind=STEP_REPORT, journey_id=journey_id, step_id=chosen, comment=scrub(comment)))
            db.session.commit()
            return redirect(url_for("feedback.thanks"))
    return render_template("studio/feedback_step.html", journey=journey, steps=steps, chosen=chosen,
                           comment=comment, errors=errors, page_has_errors=bool(errors))


@bp.route("/plainte", methods=["GET", "POST"])
@_posts_per_ip
def complaint():
    journey_id = request.values.get("parcours")
    journey = get_journey(journey_id) if journey_id else None
    comment = request.form.get("comment", "")
    error = None
    if request.method == "POST":
        if not comment.strip():
            error = gettext("Describe your complaint.")
        else:
            db.session.add(Feedback(kind=COMPLAINT, journey_id=journey.id if journey else None, comment=scrub(comment)))
            db.session.commit()
            return redirect(url_for("feedback.thanks", plainte=1))
    return render_template("studio/feedback_complaint.html", journey=journey, comment=comment, error=error,
                           page_has_errors=bool(error))


@bp.get("/merci")
def thanks():
    return render_template("studio/feedback_thanks.html", complaint=request.args.get("plainte") == "1")
