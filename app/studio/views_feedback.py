"""Staff pages for what citizens said (blueprint `studio`).

    GET       /studio/avis                 feedback, step reports and complaints, per journey and step (?etat=ouverts|fermes)   staff
    GET|POST  /studio/avis/<id>            read one, answer it, close it                                                          staff
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from app.core import audit
from app.core.db import db, utcnow
from app.studio.access import staff_required
from app.studio.blueprint import bp
from app.studio.models import CLOSED, HELPFUL, OPEN, Feedback
from app.studio.scrub import scrub


@bp.get("/avis")
@staff_required
def feedback_list():
    state = CLOSED if request.args.get("etat") == "fermes" else OPEN
    items = db.session.execute(select(Feedback).where(Feedback.kind != HELPFUL, Feedback.status == state)
                               .order_by(Feedback.journey_id, Feedback.step_id, Feedback.id.desc())).scalars()
    grouped: dict[tuple, list] = {}
    for item in items:
        grouped.setdefault((item.journey_id or "", item.step_id or ""), []).append(item)
    comments = db.session.execute(select(Feedback).where(Feedback.kind == HELPFUL, Feedback.comment.is_not(None))
                                  .order_by(Feedback.id.desc()).limit(50)).scalars().all()
    return render_template("studio/feedback_list.html", grouped=grouped, state=state, comments=comments)


@bp.route("/avis/<int:feedback_id>", methods=["GET", "POST"])
@staff_required
def feedback_item(feedback_id: int):
    item = db.session.get(Feedback, feedback_id)
    if item is None or item.kind == HELPFUL:
        abort(404)
    error = None
    if request.method == "POST":
        answer = scrub(request.form.get("answer"))
        if not answer:
            error = gettext("Write the answer, or what was done.")
        else:
            item.answer, item.answered_by = answer, current_user.email
            if request.form.get("close") == "oui":
                item.status, item.closed_at = CLOSED, utcnow()
            audit.record("studio.feedback_answered", current_user.id, feedback=item.id, closed=item.status == CLOSED)
            db.session.commit()
            flash(gettext("The answer is saved."))
            return redirect(url_for("studio.feedback_list"))
    return render_template("studio/feedback_item.html", item=item, error=error, page_has_errors=bool(error))
