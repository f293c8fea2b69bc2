"""Mon dossier pages: my journeys and *À venir*, one plan with its step ticks, resume, delete a
journey (confirmation page, POST), profile,
download my data, delete my account, and the (public) privacy page.

Every route that takes a run id checks ownership through `overview.owned_run`: another account's
run answers 404, exactly like a run that does not exist.
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from app.auth.forms import EmptyForm
from app.auth.passwords import verify_password
from app.core import audit
from app.core.db import db
from app.core.security import no_store
from app.dossier import overview, privacy, readable
from app.dossier.models import DONE, NOT_APPLICABLE
from app.dossier.profile import (PROVINCES, get_profile, masked, parse_profile_form, save_profile,
                                 sensitive_problems)
from app.runner.clock import today

bp = Blueprint("dossier", __name__, template_folder="templates")


@bp.route("/mon-dossier")
@login_required
def home():
    now = today()
    views = [overview.run_view(run, now) for run in overview.user_runs(current_user)]
    return render_template(
        "dossier/home.html",
        in_progress=[view for view in views if not view.completed],
        completed=[view for view in views if view.completed],
        upcoming=overview.upcoming(current_user, now, views=views),
        today=now, form=EmptyForm(), deleted=request.args.get("supprime") == "1",
    )


@bp.route("/mon-dossier/parcours/<uuid:run_id>", methods=["GET", "POST"])
@login_required
def run_plan(run_id):
    run = overview.owned_run(current_user, run_id)
    view = overview.run_view(run, today())
    saved = False
    if request.method == "POST" and EmptyForm().validate_on_submit():
        wanted = {step.id: request.form.get(f"step-{step.id}") or None for step in view.steps}
        if overview.set_statuses(run, wanted, {step.id for step in view.steps}):
            db.session.commit()
        return redirect(url_for("dossier.run_plan", run_id=run.id, enregistre=1))
    saved = request.args.get("enregistre") == "1"
    return render_template("dossier/run.html", view=view, form=EmptyForm(), saved=saved,
                           today=today(), DONE=DONE, NOT_APPLICABLE=NOT_APPLICABLE)


@bp.route("/mon-dossier/parcours/<uuid:run_id>/reprendre")
@login_required
def resume(run_id):
    """Make this run the browser's run for its journey, then continue where the citizen left off."""
    from app.catalog import get_journey
    from app.runner import flow

    run = overview.owned_run(current_user, run_id)
    runs = dict(session.get("runs") or {})
    runs[run.journey_id] = run.id
    session["runs"] = runs
    journey = get_journey(run.journey_id, run.journey_version)
    if journey is None:
        return redirect(url_for("runner.start", journey_id=run.journey_id))
    if run.status == "completed":
        return redirect(url_for("runner.result", journey_id=run.journey_id))
    missing = flow.first_unanswered(journey, run.answers or {}, today())
    if missing is None:
        return redirect(url_for("runner.check", journey_id=run.journey_id))
    return redirect(url_for("runner.question", journey_id=run.journey_id, question_id=missing.id))


# Last of the routes with a run id (the authorization test visits them in order, deleting last).
@bp.route("/mon-dossier/parcours/<uuid:run_id>/supprimer", methods=["GET", "POST"])
@login_required
def delete_run(run_id):
    """Confirm, then delete one of my journeys with its answers, ticks and form drafts."""
    run = overview.owned_run(current_user, run_id)
    view = overview.run_view(run, today())
    if request.method == "POST" and EmptyForm().validate_on_submit():
        privacy.delete_runs([run.id])
        audit.record("run.deleted", current_user.id, journey_id=run.journey_id)
        db.session.commit()
        session["runs"] = {journey: kept for journey, kept in (session.get("runs") or {}).items() if kept != run.id}
        return redirect(url_for("dossier.home", supprime=1))
    return render_template("dossier/delete_run.html", view=view, form=EmptyForm())


@bp.route("/mon-dossier/profil", methods=["GET", "POST"])
@login_required
def profile():
    profile_row = get_profile(current_user)
    errors, values = {}, None
    if request.method == "POST" and EmptyForm().validate_on_submit():
        parsed = parse_profile_form(request.form, today())
        limited = False
        if not parsed.errors:
            problems, limited = sensitive_problems(current_user, parsed.values)
            parsed.errors.update(problems)
        if not parsed.errors:
            save_profile(current_user, parsed.values)
            db.session.commit()
            return redirect(url_for("dossier.profile", enregistre=1))
        errors, values = parsed.errors, request.form
        return render_template("dossier/profile.html", profile=profile_row, masked=masked(profile_row),
                               errors=errors, posted=values, provinces=PROVINCES, form=EmptyForm(),
                               saved=False), (429 if limited else 200)
    return render_template("dossier/profile.html", profile=profile_row, masked=masked(profile_row),
                           errors=errors, posted=values, provinces=PROVINCES, form=EmptyForm(),
                           saved=request.args.get("enregistre") == "1")


@bp.route("/mon-dossier/mes-donnees")
@login_required
def my_data():
    data = privacy.export_data(current_user)
    db.session.commit()
    # On screen the numbers stay masked (shoulder surfing); the downloaded file holds them in full.
    from app.catalog import get_journey

    return render_template("dossier/my_data.html", data=data, masked=masked(get_profile(current_user)),
                           runs=readable.runs(data, get_journey), when=readable.when, day=readable.day,
                           action_label=readable.action_label, details=readable.details)


@bp.route("/mon-dossier/mes-donnees.json")
@login_required
def my_data_json():
    data = privacy.export_data(current_user)
    audit.record("account.data_exported", current_user.id, format="json")
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="parcours-mes-donnees.json"',
        "Cache-Control": "no-store",
    })


@bp.route("/mon-dossier/supprimer", methods=["GET", "POST"])
@login_required
def delete_account():
    error = None
    if request.method == "POST" and EmptyForm().validate_on_submit():
        if request.form.get("confirm") != "1":
            error = ("confirm", gettext("Tick the box to confirm that you want to delete your account."))
        elif not verify_password(current_user.password_hash, request.form.get("password", "")):
            error = ("password", gettext("Enter your current password to confirm."))
        else:
            pending = privacy.pending_before_deletion(current_user.id)
            privacy.delete_account(current_user._get_current_object())
            # The account is gone: what still goes out is told on the next page (organisation keys only).
            session["deleted_pending"] = pending
            return redirect(url_for("dossier.account_deleted"))
    return render_template("dossier/delete.html", error=error, form=EmptyForm(),
                           run_count=len(overview.user_runs(current_user)),
                           pending=_named(privacy.pending_before_deletion(current_user.id)))


@bp.route("/compte-supprime")
def account_deleted():
    return render_template("dossier/deleted.html", pending=_named(session.pop("deleted_pending", [])))


def _named(pending: list[dict]) -> list[dict]:
    """Organisation keys to their names, in the page's language."""
    from app.catalog import get_catalog
    from app.runner.display import localized

    organisations = get_catalog().organisations

    def name(key: str) -> str:
        return localized(organisations[key].name) if key in organisations else key

    return [{"number": item["number"], "organisations": [name(key) for key in item["organisations"]]}
            for item in pending]


@bp.route("/confidentialite", endpoint="privacy")
def privacy_page():
    from flask import current_app

    return render_template("dossier/privacy.html", retention_days=current_app.config["RETENTION_DAYS"])


@bp.after_request
def _no_store(response):
    """Pages with personal data must not stay in a shared computer's cache (the privacy page is public)."""
    return response if request.endpoint == "dossier.privacy" else no_store(response)
