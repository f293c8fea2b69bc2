"""The indicators dashboard (blueprint `studio`).

    GET       /studio/indicateurs                          every indicator, its target, met or not          staff
    GET       /studio/indicateurs.csv                      the same as CSV                                   staff
    GET|POST  /studio/indicateurs/cibles                   set the targets                                   staff
    POST      /studio/indicateurs/livraisons/<id>/relancer queue a dead-lettered delivery again              publisher
"""
from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from app.core import audit
from app.core.db import db, utcnow
from app.studio.access import publisher_required, staff_required
from app.studio.blueprint import bp
from app.studio.indicators import all_indicators
from app.studio.models import IndicatorTarget


@bp.get("/indicateurs")
@staff_required
def indicators():
    from app.declarations.models import DEAD, Delivery

    rows = all_indicators(gettext)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    dead = db.session.execute(select(Delivery).where(Delivery.status == DEAD).order_by(Delivery.id)).scalars().all()
    return render_template("studio/indicators.html", groups=groups, dead=dead)


@bp.get("/indicateurs.csv")
@staff_required
def indicators_csv():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["key", "group", "name", "value", "unit", "target", "met"])
    for row in all_indicators(gettext):
        writer.writerow([row.key, row.group, row.name, "" if row.value is None else row.value, row.unit,
                         "" if row.target is None else row.target, "" if row.met is None else int(row.met)])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="indicateurs.csv"'
    return response


@bp.route("/indicateurs/cibles", methods=["GET", "POST"])
@staff_required
def targets():
    rows = all_indicators(gettext)
    errors = {}
    if request.method == "POST":
        for row in rows:
            field = "cible-" + row.key
            raw = (request.form.get(field) or "").strip().replace(",", ".")
            if not raw:
                continue
            try:
                value = float(raw)
            except ValueError:
                errors[field] = gettext("Enter a number, for example 90.")
                continue
            target = db.session.get(IndicatorTarget, row.key) or IndicatorTarget(key=row.key)
            target.target, target.updated_by, target.updated_at = value, current_user.email, utcnow()
            db.session.add(target)
        if not errors:
            audit.record("studio.targets_set", current_user.id)
            db.session.commit()
            flash(gettext("The targets are saved."))
            return redirect(url_for("studio.indicators"))
        db.session.rollback()
    return render_template("studio/targets.html", rows=rows, errors=errors, page_has_errors=bool(errors))


@bp.post("/indicateurs/livraisons/<int:delivery_id>/relancer")
@publisher_required
def replay_delivery(delivery_id: int):
    from app.declarations.models import DEAD, FAILED, PENDING, Delivery

    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None or delivery.status not in (DEAD, FAILED):
        abort(404)
    previous = delivery.status
    delivery.status, delivery.attempts, delivery.next_attempt_at, delivery.claim_token = PENDING, 0, utcnow(), None
    audit.record("studio.delivery_replayed", current_user.id, delivery_id=delivery.id, previous_status=previous)
    db.session.commit()
    flash(gettext("The delivery %(id)s is queued again.", id=delivery_id))
    return redirect(url_for("studio.indicators"))
