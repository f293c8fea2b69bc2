"""Business space pages. Routes and who may use them:

- GET  /entreprises                                      anyone: business journeys by sector and phase; my businesses
- GET/POST /entreprises/nouvelle                         signed in: create a business (creator is administrateur)
- GET  /entreprises/<uuid:business_id>                   members: Mon dossier entreprise
- POST /entreprises/<uuid:business_id>/obligations       members: tick off / reopen an obligation
- GET  /entreprises/<uuid:business_id>/echeances.ics     members: the next due dates as a calendar file
- GET/POST /entreprises/<uuid:business_id>/membres       members see; administrateurs invite
- GET/POST /entreprises/<uuid:business_id>/membres/<int:member_id>/role     administrateurs: change a role
- GET/POST /entreprises/<uuid:business_id>/membres/<int:member_id>/retirer  administrateurs: remove a member
- POST /entreprises/<uuid:business_id>/parcours        members: start a business journey (form field `parcours`) in the real runner
- GET/POST /entreprises/invitation/<token>               the invited address, signed in: join the business

Every route taking a business id goes through `access.member_business`: non-members get 404.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from app.auth.forms import EMAIL, EmptyForm, normalize_email
from app.auth.tokens import LinkProblem
from app.core.db import db, utcnow
from app.entreprises import dossier, invitations, members_admin, segments
from app.entreprises.access import member_business, membership, user_businesses
from app.entreprises.choices import LEGAL_FORMS, SECTORS
from app.entreprises.forms import parse_business
from app.entreprises.models import ADMIN, COLLABORATOR, MEMBER_ROLES, Business, BusinessInvitation, BusinessMember, BusinessRun
from app.runner.clock import today

bp = Blueprint("entreprises", __name__, template_folder="templates")


@bp.context_processor
def dates():
    """Due dates read like the plan's ('1er mars 2027')."""
    from app.runner.display import long_date

    return {"long_date": long_date}


@bp.route("/entreprises")
def home():
    sector = request.args.get("secteur") or None
    phase = request.args.get("phase") or None
    sector = sector if sector in SECTORS else None
    phase = phase if phase in segments.PHASES else None
    mine = user_businesses(current_user.id) if current_user.is_authenticated else []
    return render_template("entreprises/home.html", sector=sector, phase=phase, sectors=SECTORS,
                           phases=segments.PHASES, journeys=segments.segmented(sector, phase), mine=mine)


@bp.route("/entreprises/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    form, values, errors = EmptyForm(), {}, {}
    if request.method == "POST" and form.validate_on_submit():
        values, errors = parse_business(request.form)
        if not errors:
            business = Business(created_by=current_user.id, **values)
            db.session.add(business)
            db.session.flush()
            db.session.add(BusinessMember(business_id=business.id, user_id=current_user.id, role=ADMIN))
            dossier.record(business.id, current_user.id, "business_created")
            db.session.commit()
            return redirect(url_for("entreprises.show", business_id=business.id))
    return render_template("entreprises/create.html", form=form, values=request.form, errors=errors,
                           legal_forms=_options(LEGAL_FORMS), sectors=_options(SECTORS))


def _options(labels: dict) -> list[dict]:
    return [{"value": value, "label": label} for value, label in labels.items()]


@bp.route("/entreprises/<uuid:business_id>")
@member_business()
def show(business_id):
    now = today()
    results = dossier.business_results(g.business.id)
    declarations, drafts = dossier.declarations_and_forms(g.business.id)
    return render_template(
        "entreprises/show.html", business=g.business, member=g.member, results=results,
        obligations=dossier.obligations(g.business.id, now, results), activity=dossier.activity(g.business.id),
        declarations=declarations, drafts=drafts, journeys=segments.segmented(None, None), form=EmptyForm(),
        today=now, legal_forms=LEGAL_FORMS, sectors=SECTORS, saved=request.args.get("enregistre") == "1")


@bp.route("/entreprises/<uuid:business_id>/obligations", methods=["POST"])
@member_business()
def tick(business_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    wanted = request.form.get("obligation", "")
    found = next((o for o in dossier.obligations(g.business.id, today()) if o.key == wanted), None)
    if found is None:
        abort(404)
    done = request.form.get("action") == "done"
    if dossier.set_tick(g.business.id, found, current_user.id, done):
        dossier.record(g.business.id, current_user.id, "obligation_done" if done else "obligation_reopened",
                       step=found.step_id, due=found.due.isoformat() if found.due else None)
        db.session.commit()
    return redirect(url_for("entreprises.show", business_id=g.business.id, enregistre=1) + "#obligations")


@bp.route("/entreprises/<uuid:business_id>/echeances.ics")
@member_business()
def calendar_file(business_id):
    from app.entreprises.calendar import business_calendar

    body = business_calendar(g.business, dossier.obligations(g.business.id, today()))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'attachment; filename="echeances-entreprise.ics"', "Cache-Control": "no-store"})


@bp.route("/entreprises/<uuid:business_id>/membres", methods=["GET", "POST"])
@member_business()
def members(business_id):
    form, errors, sent = EmptyForm(), {}, request.args.get("envoye") == "1"
    changed, removed = request.args.get("modifie") == "1", request.args.get("retire") == "1"
    if request.method == "POST":
        if g.member.role != ADMIN:
            abort(403)
        if form.validate_on_submit():
            email = normalize_email(request.form.get("email"))
            role = request.form.get("role")
            if not EMAIL.match(email) or len(email) > 254:
                errors["email"] = gettext("Enter an email address in the right format, like nom@exemple.ca")
            if role not in MEMBER_ROLES:
                errors[f"role-{COLLABORATOR}"] = gettext("Choose a role")
            if not errors:
                invitation = BusinessInvitation(business_id=g.business.id, email=email, role=role,
                                                invited_by=current_user.id)
                db.session.add(invitation)
                dossier.record(g.business.id, current_user.id, "member_invited", role=role)
                db.session.commit()
                invitations.send_invitation(invitation, g.business.name)
                return redirect(url_for("entreprises.members", business_id=g.business.id, envoye=1))
    rows = db.session.execute(select(BusinessMember).where(BusinessMember.business_id == g.business.id)
                              .order_by(BusinessMember.joined_at)).scalars().all()
    who = dossier.emails(m.user_id for m in rows)
    pending = db.session.execute(select(BusinessInvitation).where(
        BusinessInvitation.business_id == g.business.id, BusinessInvitation.accepted_at.is_(None))
        .order_by(BusinessInvitation.created_at)).scalars().all()
    return render_template("entreprises/members.html", business=g.business, member=g.member, form=form,
                           errors=errors, values=request.form, sent=sent, changed=changed, removed=removed,
                           pending=pending,
                           members=[(m, who.get(m.user_id)) for m in rows], ADMIN=ADMIN)


@bp.route("/entreprises/<uuid:business_id>/membres/<int:member_id>/role", methods=["GET", "POST"])
@member_business(admin=True)
def member_role(business_id, member_id: int):
    """An administrator gives a member the other role; the business always keeps an administrator."""
    target, email = members_admin.member_of(g.business.id, member_id)
    form, errors = EmptyForm(), {}
    role = target.role
    if request.method == "POST" and form.validate_on_submit():
        role = request.form.get("role")
        if role not in MEMBER_ROLES:
            errors[f"role-{COLLABORATOR}"] = gettext("Choose a role")
        elif not members_admin.change_role(target, role, by=current_user.id):
            errors[f"role-{COLLABORATOR}"] = members_admin.last_administrator_message()
        else:
            return redirect(url_for("entreprises.members", business_id=g.business.id, modifie=1))
    return render_template("entreprises/member_role.html", business=g.business, target=target, email=email,
                           form=form, errors=errors, role=role)


@bp.route("/entreprises/<uuid:business_id>/membres/<int:member_id>/retirer", methods=["GET", "POST"])
@member_business(admin=True)
def remove_member(business_id, member_id: int):
    """An administrator removes a member (themselves too); they lose access at their next page."""
    target, email = members_admin.member_of(g.business.id, member_id)
    form, errors = EmptyForm(), {}
    if request.method == "POST" and form.validate_on_submit():
        leaving = target.user_id == current_user.id
        if members_admin.remove(target, by=current_user.id):
            if leaving:
                return redirect(url_for("entreprises.home"))
            return redirect(url_for("entreprises.members", business_id=g.business.id, retire=1))
        errors["remove"] = members_admin.last_administrator_message()
    return render_template("entreprises/member_remove.html", business=g.business, target=target, email=email,
                           form=form, errors=errors, ADMIN=ADMIN)


@bp.route("/entreprises/<uuid:business_id>/parcours", methods=["POST"])
@member_business()
def start_journey(business_id):
    """Start a business journey in the real runner; the run is attached to the business."""
    from app.catalog import get_journey
    from app.runner import flow, store

    journey_id = request.form.get("parcours", "")
    journey = get_journey(journey_id)  # a lookup in the loaded catalogue: unknown text finds nothing
    if journey is None or journey.journey.audience != "entreprises":
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    run = store.start_run(journey)
    db.session.add(BusinessRun(run_id=run.id, business_id=g.business.id, journey_id=journey.id,
                               started_by=current_user.id))
    dossier.record(g.business.id, current_user.id, "journey_started", journey=journey.id)
    db.session.commit()
    known = segments.known_answers(journey, g.business)
    if known:
        store.save_answers(run, known, complete=False)
    missing = flow.first_unanswered(journey, known, today())
    if missing is None:
        return redirect(url_for("runner.check", journey_id=journey.id))
    return redirect(url_for("runner.question", journey_id=journey.id, question_id=missing.id))


@bp.route("/entreprises/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = invitations.invitation_for(token)
    if isinstance(invitation, LinkProblem):
        return render_template("entreprises/invitation_problem.html", problem=invitation.value), 400
    business = db.session.get(Business, invitation.business_id)
    if not current_user.is_authenticated:
        return render_template("entreprises/invitation.html", business=business, invitation=invitation,
                               signed_in=False, wrong_account=False, form=EmptyForm(),
                               login_url=url_for("auth.login", next=request.path))
    if normalize_email(current_user.email) != invitation.email:
        return render_template("entreprises/invitation.html", business=business, invitation=invitation,
                               signed_in=True, wrong_account=True, form=EmptyForm(), login_url=None), 403
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        if membership(current_user.id, business.id) is None:
            db.session.add(BusinessMember(business_id=business.id, user_id=current_user.id, role=invitation.role))
        invitation.accepted_at, invitation.accepted_by = utcnow(), current_user.id
        dossier.record(business.id, current_user.id, "member_joined", role=invitation.role)
        db.session.commit()
        return redirect(url_for("entreprises.show", business_id=business.id))
    return render_template("entreprises/invitation.html", business=business, invitation=invitation,
                           signed_in=True, wrong_account=False, form=form, login_url=None)
