"""The citizen's pages of the déclaration unique.

  /parcours/<journey>/declaration           review grouped by organisation, consent, attestation, submit
  /mon-dossier/declarations                 my declarations
  /mon-dossier/declarations/<id>            one declaration: its number and each organisation's status

Every page needs a signed-in citizen. The submission recomputes the values from the run and the
profile; a form carrying anything else (an organisation not offered, a field value) is refused
and nothing is queued.
"""
from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from app.catalog import get_catalog, get_journey
from app.core.db import db
from app.declarations import outbox, review as reviewing
from app.declarations.labels import field_label, status_label
from app.declarations.models import Declaration
from app.journeys.engine import current_answers, is_complete
from app.runner import store as runs
from app.runner.clock import today
from app.runner.display import localized

bp = Blueprint("declarations", __name__, template_folder="templates")

ALLOWED_FIELDS = {"csrf_token", "attestation", "fingerprint"}
CONSENT_PREFIX = "consent-"  # one checkbox per organisation: consent-<organisation id>=oui
ATTESTED = "oui"


@bp.after_request
def no_store(response):
    """These pages show personal data: never keep them in a shared or back-button cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _profile(user) -> dict:
    from app.dossier.profile import profile_values

    return profile_values(user, purpose="declaration")


def _run_and_journey(journey_id: str):
    run = runs.current_run(journey_id)
    if run is None:
        return None, None
    if run.user_id is not None and run.user_id != current_user.id:
        abort(404)
    return run, get_journey(run.journey_id, run.journey_version)


@bp.route("/parcours/<slug:journey_id>/declaration", methods=["GET", "POST"])
@login_required
def review(journey_id: str):
    current = get_journey(journey_id)
    if current is None or current.declaration is None:
        abort(404)
    run, journey = _run_and_journey(journey_id)
    if run is None:
        return redirect(url_for("runner.start", journey_id=journey_id))
    if journey is None or journey.declaration is None:
        abort(404)
    answers = run.answers or {}
    if not is_complete(journey, answers, today()):
        return redirect(url_for("runner.result", journey_id=journey_id))
    existing = outbox.declaration_for_run(run.id)
    if existing is not None:
        return redirect(url_for("declarations.show", declaration_id=existing.id))

    current = current_answers(journey, answers, today())
    organisations = get_catalog().organisations
    offers = reviewing.build_offers(journey, organisations, current, _profile(current_user), today())
    offered = [offer for offer in offers if offer.can_send]
    context = {"journey": journey, "offers": offers, "fingerprint": reviewing.fingerprint(offers),
               "not_sent": reviewing.not_sent(journey, organisations, current, today()),
               "notices": journey.declaration_notices(current, today()),
               "profile_gaps": reviewing.profile_gaps(offers),
               "errors": {}, "consented": set(), "attested": False, "notice": None}
    if request.method == "GET":
        return render_template("declarations/review.html", **context)

    consents = _consents_or_none(request.form, offered)
    if consents is None:
        context["notice"] = gettext("This form was changed outside this page, so nothing was sent. "
                                    "Check the information below and submit again.")
        return render_template("declarations/review.html", **context), 400
    form = request.form
    context.update(consented=set(consents), attested=bool(form.get("attestation")))
    if form.get("fingerprint") != context["fingerprint"]:
        context["notice"] = gettext("Your information changed since you opened this page, so nothing was sent. "
                                    "Check it below and submit again.")
        context.update(consented=set(), attested=False)
        return render_template("declarations/review.html", **context), 409
    errors = {}
    if not consents:
        target = f"{CONSENT_PREFIX}{offered[0].id}-oui" if offered else "attestation-oui"  # the first box
        errors[target] = gettext("Choose at least one organisation to send your declaration to")
    if not form.get("attestation"):
        errors["attestation-oui"] = gettext("Confirm that the information is accurate and that you may declare it")
    if errors:
        context["errors"] = errors
        return render_template("declarations/review.html", page_has_errors=True, **context), 400

    declaration, _ = outbox.submit(
        user_id=current_user.id, run_id=run.id, journey_id=journey.id, journey_version=journey.version,
        kind=journey.declaration.kind,
        payloads=[offer.payload() for offer in offered if offer.id in consents],
        offered=[offer.id for offer in offered])
    return redirect(url_for("declarations.show", declaration_id=declaration.id))


def _consents_or_none(form, offered) -> list[str] | None:
    """The organisations ticked, or None when the form holds anything this page never offered
    (another organisation, a field value, a changed checkbox value): a tampered form."""
    consent_fields = {f"{CONSENT_PREFIX}{offer.id}" for offer in offered}
    if (set(form) - ALLOWED_FIELDS - consent_fields
            or any(form.getlist(name) != [ATTESTED] for name in set(form) & consent_fields)
            or form.getlist("attestation") not in ([], [ATTESTED])
            or len(form.getlist("fingerprint")) > 1):
        return None
    return [offer.id for offer in offered if f"{CONSENT_PREFIX}{offer.id}" in form]


@bp.get("/mon-dossier/declarations")
@login_required
def index():
    declarations = db.session.execute(
        select(Declaration).filter_by(user_id=current_user.id).order_by(Declaration.created_at.desc())
    ).scalars().all()
    return render_template("declarations/index.html",
                           declarations=[_summary(declaration) for declaration in declarations])


@bp.get("/mon-dossier/declarations/<uuid:declaration_id>")
@login_required
def show(declaration_id: UUID):
    declaration = db.session.get(Declaration, str(declaration_id))
    if declaration is None or declaration.user_id != current_user.id:
        abort(404)
    return render_template("declarations/show.html", declaration=_summary(declaration))


def _summary(declaration: Declaration) -> dict:
    organisations = get_catalog().organisations
    journey = get_journey(declaration.journey_id, declaration.journey_version)
    deliveries = []
    for delivery in declaration.deliveries:
        organisation = organisations.get(delivery.organisation)
        deliveries.append({
            "id": delivery.id,
            "organisation": localized(organisation.name) if organisation else delivery.organisation,
            "url": localized(organisation.url) if organisation else None,
            "phone": organisation.phone if organisation else None,
            "status": delivery.status,
            "status_label": status_label(delivery.status),
            "reference": delivery.reference,
            "retrying": delivery.status == "pending" and delivery.attempts > 0 and bool(delivery.last_error),
            "rejected": [field_label(name) for name in (delivery.rejected_fields or [])],
            "fields": [field_label(name) for name in delivery.fields],
        })
    return {"id": declaration.id, "number": declaration.number, "created_at": declaration.created_at,
            "journey_title": localized(journey.title) if journey else declaration.journey_id,
            "deliveries": deliveries}
