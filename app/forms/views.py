"""Pages of the prefilled forms (blueprint `forms`), all for a signed-in citizen.

    GET|POST /formulaires/<form>?parcours=<journey>     review page: prefilled fields, sources, save / PDF
    GET|POST /formulaires/<form>/consultation           consent to read the registries this form uses
    GET      /formulaires/brouillons/<draft>/pdf        the PDF of a saved draft
    POST     /formulaires/brouillons/<draft>/supprimer  delete a draft
    GET      /mon-dossier/formulaires                   my drafts, and the forms I can fill
    GET|POST /mon-dossier/informations-gouvernementales what the registries hold about me, read with consent

Every id in a URL is checked against the signed-in citizen: another citizen's draft is a 404.
Consulting a registry needs a confirmed e-mail address (`verified_required`), and every page here
shows personal data, so none is kept in a cache (`no_store`). Numbers a registry gave are shown masked.
"""
from __future__ import annotations

import re
from datetime import date

from flask import (Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request,
                   session, url_for)
from flask_babel import format_date, format_time, gettext
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from sqlalchemy import select

from app.auth.decorators import unverified_page, verified_required
from app.core import audit
from app.core.db import db
from app.core.i18n import current_language
from app.core.security import no_store
from app.forms import government
from app.forms.filling import Context, fill
from app.forms.models import FOUND, UNAVAILABLE, FormDraft
from app.forms.pdf import build_pdf
from app.forms.registry import all_forms, get_form, organisation
from app.forms.values import ADDRESS_PARTS, display
from app.runner.clock import today
from app.runner.models import Run

bp = Blueprint("forms", __name__, template_folder="templates")
bp.after_request(no_store)
HEALTH_NUMBER = re.compile(r"[A-Z]{4}\d{8}")
SIN = re.compile(r"\d{9}")
SENSITIVE_TYPES = ("sin", "health_number")


# --- helpers ---------------------------------------------------------------------------------------

def _form_or_404(form_id: str):
    form = get_form(form_id)
    if form is None:
        abort(404)
    return form


def _journey_param() -> str | None:
    value = request.values.get("parcours")
    return value if value and value.replace("-", "").isalnum() and len(value) <= 80 else None


def _run_for(journey_id: str | None) -> Run | None:
    """The citizen's run of that journey: the one in this browser's session, else their latest."""
    if not journey_id:
        return None
    run_id = session.get("runs", {}).get(journey_id)
    run = db.session.get(Run, run_id) if isinstance(run_id, str) else None
    if run is not None and run.journey_id == journey_id and run.user_id in (None, current_user.id):
        return run
    return db.session.execute(
        select(Run).filter_by(journey_id=journey_id, user_id=current_user.id).order_by(Run.updated_at.desc())
    ).scalars().first()


def _current_answers(run: Run | None) -> dict:
    if run is None:
        return {}
    from app.catalog import get_journey
    from app.journeys.engine import current_answers

    journey = get_journey(run.journey_id, run.journey_version)
    return current_answers(journey, run.answers or {}, today()) if journey is not None else {}


def _profile() -> dict:
    from app.dossier.profile import profile_values

    return profile_values(current_user, purpose="forms") or {}


def _draft_for(form_id: str, run: Run | None) -> FormDraft | None:
    return db.session.execute(select(FormDraft).filter_by(
        user_id=current_user.id, form_id=form_id, run_id=run.id if run else None)).scalars().first()


def _review_url(form_id: str, journey_id: str | None, **extra) -> str:
    return url_for("forms.review", form_id=form_id, **({"parcours": journey_id} if journey_id else {}), **extra)


def _org_name(org_id: str, short: bool = False) -> str:
    org = organisation(org_id)
    if org is None:
        return org_id
    lang = current_language()
    if short and org.short_name:
        return org.short_name.get(lang) or org.name[lang]
    return org.name.get(lang) or org_id


def _origin_label(form, origin: str | None) -> str | None:
    """"According to your profile", "according to your answers", "according to the RAMQ"..."""
    if not origin:
        return None
    lang = current_language()
    if origin.startswith("profile."):
        return gettext("From your profile")
    if origin.startswith("answers."):
        return gettext("From your answers")
    if origin.startswith("lookup."):
        org = origin.split(".")[1]
        lookup = form.lookups.get(org)
        label = lookup.source_label[lang] if lookup else _org_name(org, short=True)
        return label[:1].upper() + label[1:]
    if origin == "computed":
        return gettext("Computed by Parcours")
    return None


def _when(moment) -> str:
    """A moment in words, in Québec's time zone: 25 novembre 2026 à 06 h 27."""
    return gettext("%(date)s at %(time)s", date=format_date(moment, "long"), time=format_time(moment, "short"))


def _lookup_notices(form, reads) -> list[dict]:
    notices = []
    for org, lookup in form.lookups.items():
        read = reads.get(org)
        notices.append({
            "organisation": org, "name": _org_name(org), "required": lookup.required,
            "status": read.status if read else None,
            "read_at": _when(read.read_at) if read and read.read_at else None,
            "failed_at": _when(read.failed_at) if read and read.failed_at else None,
            "fields": [label[current_language()] for label in lookup.fields.values()],
        })
    return notices


def _blocking_lookup(form, reads) -> dict | None:
    """The first required look-up that did not give data (never asked or not for these fields,
    holds nothing, or down)."""
    for org, lookup in form.lookups.items():
        if not lookup.required:
            continue
        read = reads.get(org)
        if read is None:
            return {"organisation": org, "status": None}
        if read.status != FOUND:
            return {"organisation": org, "status": read.status}
        if not read.covers(lookup.fields):
            # Read for another form, without this one's fields: ask consent for them (unless it is down).
            return {"organisation": org, "status": UNAVAILABLE if read.failed_at else None}
    return None


def identity_gaps(profile: dict) -> list[str]:
    """What the profile lacks for a look-up, in words ("your social insurance number", ...)."""
    names = {"sin": gettext("your social insurance number"), "family_name": gettext("your family name"),
             "birth_date": gettext("your date of birth")}
    return [names[name] for name in government.missing_identity(profile)]


def mask_number(value) -> str | None:
    """A NAS or health insurance number as pages show it (GAGR •••• 3018, ••• ••• 544); None otherwise."""
    if isinstance(value, str) and HEALTH_NUMBER.fullmatch(value):
        return f"{value[:4]} •••• {value[-4:]}"
    if isinstance(value, str) and SIN.fullmatch(value):
        return f"••• ••• {value[-3:]}"
    return None


def _display_masked(f, value, lang, **options) -> str:
    """A read-only value: NAS and health insurance numbers masked, as on the profile page."""
    if f.type in SENSITIVE_TYPES:
        masked = mask_number(value)
        if masked:
            return masked
    return display(f, value, lang, **options)


# --- review page -----------------------------------------------------------------------------------

@bp.route("/formulaires/<slug:form_id>", methods=["GET", "POST"])
@login_required
def review(form_id: str):
    form = _form_or_404(form_id)
    journey_id = _journey_param()
    run = _run_for(journey_id)
    reads = government.reads_of(current_user.id)
    blocking = _blocking_lookup(form, reads)
    if blocking is not None:
        if blocking["status"] is None:
            if government.missing_identity(_profile()):  # the registry could not find them: say what to add
                return _render_blocked(form, journey_id, {**blocking, "status": government.NO_IDENTITY})
            if not current_user.is_verified:
                return unverified_page()
            return redirect(url_for("forms.consult", form_id=form_id, **({"parcours": journey_id} if journey_id else {})))
        return _render_blocked(form, journey_id, blocking)

    context = Context(_current_answers(run), _profile(), government.found_data(reads), today())
    draft = _draft_for(form_id, run)
    lang = current_language()
    if request.method == "POST":
        action = request.form.get("action")
        wants_pdf = action == "pdf"
        filling = fill(form, context, posted=request.form, lang=lang, enforce_required=wants_pdf)
        if not filling.errors and not g.get("csrf_expired"):
            draft = _save(form, run, draft, filling)
            if wants_pdf:
                return redirect(url_for("forms.pdf", draft_id=draft.id))
            flash(gettext("Your draft is saved. You will find it in Mon dossier."), "success")
            return redirect(_review_url(form_id, journey_id))
    else:
        saved = draft.field_values if draft and draft.form_version == form.version else None
        filling = fill(form, context, saved=saved, saved_origins=draft.origins if saved is not None else None,
                       lang=lang)
    return render_template(
        "forms/review.html", form=form, definition=form.definition, filling=filling, lang=lang,
        organisation_name=_org_name(form.definition.organisation), journey_id=journey_id, draft=draft,
        notices=_lookup_notices(form, reads), origin_label=lambda origin: _origin_label(form, origin),
        display=display, display_readonly=_display_masked, options_of=lambda f: [{"value": o.value, "label": o.label[lang]} for o in f.options],
        consult_url=url_for("forms.consult", form_id=form_id, **({"parcours": journey_id} if journey_id else {})),
        back_url=url_for("runner.result", journey_id=journey_id) if run else url_for("forms.my_forms"),
        errors=_expired_notice() + [(_error_target(s), s.error) for s in filling.errors],
        page_has_errors=bool(filling.errors) or bool(_expired_notice()),
    )


def _expired_notice() -> list[tuple[str, str]]:
    if not g.get("csrf_expired"):
        return []
    return [("main", gettext("Your changes were not saved because the page had expired. "
                             "Check them and save again."))]


@bp.errorhandler(CSRFError)
def expired_page(error):
    """A missing or expired security token never loses what the citizen typed in a form: the form
    comes back with the typed values, a message and a fresh token, and nothing is saved."""
    if request.endpoint == "forms.review":
        g.csrf_expired = True
        return current_app.view_functions[request.endpoint](**request.view_args)
    if request.endpoint in ("forms.consult", "forms.government_information"):
        return redirect(url_for(request.endpoint, **request.view_args, **request.args))
    return redirect(url_for("forms.my_forms"))


def _error_target(state) -> str:
    if state.readonly:
        return f"{state.id}-readonly"
    if state.field.type == "address":
        return f"{state.id}-{state.error_part or 'street'}"
    if state.field.type in ("yesno",):
        return f"{state.id}-oui"
    if state.field.type == "choice" and state.field.options:
        return f"{state.id}-{state.field.options[0].value}"
    return state.id


def _save(form, run, draft: FormDraft | None, filling) -> FormDraft:
    if draft is None:
        draft = FormDraft(user_id=current_user.id, run_id=run.id if run else None, form_id=form.id)
        db.session.add(draft)
    draft.form_version = form.version
    draft.store_values(filling.values(), [f.id for f in form.fields() if f.type in SENSITIVE_TYPES])
    draft.origins = filling.origins()
    draft.status = "ready" if filling.complete() else "draft"
    audit.record("form_draft_saved", current_user.id, form_id=form.id, status=draft.status)
    db.session.commit()
    return draft


def _render_blocked(form, journey_id, blocking):
    org = organisation(blocking["organisation"])
    lang = current_language()
    return render_template(
        "forms/blocked.html", definition=form.definition, lang=lang, status=blocking["status"],
        organisation_name=_org_name(blocking["organisation"]), phone=getattr(org, "phone", None),
        website=org.url.get(lang) if org is not None else None, gaps=identity_gaps(_profile()),
        consult_url=url_for("forms.consult", form_id=form.id, **({"parcours": journey_id} if journey_id else {})),
        back_url=url_for("runner.result", journey_id=journey_id) if journey_id else url_for("forms.my_forms"),
        profile_url=url_for("dossier.profile"),
    )


# --- consent and look-ups --------------------------------------------------------------------------

@bp.route("/formulaires/<slug:form_id>/consultation", methods=["GET", "POST"])
@verified_required
def consult(form_id: str):
    form = _form_or_404(form_id)
    journey_id = _journey_param()
    lang = current_language()
    error = None
    gaps = identity_gaps(_profile())
    if request.method == "POST" and gaps and request.form.get("action") != "skip":
        error = _identity_error(gaps)
    elif request.method == "POST":
        chosen = [org for org in request.form.getlist("organisations") if org in form.lookups]
        missing_required = [org for org, lookup in form.lookups.items() if lookup.required and org not in chosen]
        if request.form.get("action") == "skip" and not any(l.required for l in form.lookups.values()):
            return redirect(_review_url(form_id, journey_id))
        if missing_required:
            error = gettext("This form can only be filled with the data of %(organisation)s. Tick the box to allow it, "
                            "or come back later.", organisation=_org_name(missing_required[0]))
        elif not chosen:
            error = gettext("Tick at least one organisation, or choose to fill in the form without consulting them.")
        else:
            # Exactly the fields this page lists for each organisation ticked, nothing more.
            government.consult(current_user.id, _profile(), {org: list(form.lookups[org].fields) for org in chosen})
            return redirect(_review_url(form_id, journey_id))
    lookups = [{"organisation": org, "name": _org_name(org), "purpose": lookup.purpose[lang],
                "required": lookup.required, "fields": [label[lang] for label in lookup.fields.values()]}
               for org, lookup in form.lookups.items()]
    if not lookups:
        return redirect(_review_url(form_id, journey_id))
    return render_template(
        "forms/consult.html", definition=form.definition, lang=lang, lookups=lookups, error=error,
        page_has_errors=error is not None, journey_id=journey_id, gaps=gaps, profile_url=url_for("dossier.profile"),
        can_skip=not any(item["required"] for item in lookups),
        back_url=url_for("runner.result", journey_id=journey_id) if journey_id else url_for("forms.my_forms"),
    ), (400 if error else 200)


def _identity_error(gaps: list[str]) -> str:
    return gettext("To consult the organisations, add to your profile: %(missing)s.", missing=", ".join(gaps))


@bp.route("/mon-dossier/informations-gouvernementales", methods=["GET", "POST"])
@verified_required
def government_information():
    lang = current_language()
    wanted = government.lookup_fields()
    error = None
    gaps = identity_gaps(_profile())
    if request.method == "POST" and gaps and request.form.get("action") != "forget":
        error = _identity_error(gaps)
    elif request.method == "POST":
        if request.form.get("action") == "forget":
            government.forget(current_user.id)
            audit.record("government_reads_deleted", current_user.id)
            db.session.commit()
            flash(gettext("What the organisations said about you is deleted from Parcours."), "success")
            return redirect(url_for("forms.government_information"))
        chosen = [org for org in request.form.getlist("organisations") if org in wanted]
        if not chosen:
            error = gettext("Tick at least one organisation to consult.")
        else:
            # The page lists, for each organisation, every field it may be asked: exactly those are read.
            government.consult(current_user.id, _profile(), {org: list(wanted[org]) for org in chosen})
            return redirect(url_for("forms.government_information"))
    reads = government.reads_of(current_user.id)
    organisations = []
    for org, fields in wanted.items():
        read = reads.get(org)
        organisations.append({
            "id": org, "name": _org_name(org), "status": read.status if read else None,
            "read_at": _when(read.read_at) if read and read.read_at else None,
            "failed_at": _when(read.failed_at) if read and read.failed_at else None,
            "fields": [label[lang] for label in fields.values()],
            "data": [(fields[name][lang], _show_read_value(value)) for name, value in (read.data.items() if read else [])
                     if name in fields],
        })
    return render_template("forms/government.html", organisations=organisations, error=error,
                           page_has_errors=error is not None, gaps=gaps,
                           profile_url=url_for("dossier.profile")), (400 if error else 200)


def _show_read_value(value) -> str:
    masked = mask_number(value)
    if masked:
        return masked
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dict):
        return ", ".join(str(value[k]) for k in ADDRESS_PARTS if value.get(k)) or ", ".join(map(str, value.values()))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(date.fromisoformat(value), "long")
        except ValueError:
            return value
    return str(value)


# --- drafts and PDF --------------------------------------------------------------------------------

def _own_draft_or_404(draft_id) -> FormDraft:
    draft = db.session.get(FormDraft, str(draft_id))
    if draft is None or draft.user_id != current_user.id:
        abort(404)
    return draft


@bp.get("/formulaires/brouillons/<uuid:draft_id>/pdf")
@login_required
def pdf(draft_id):
    draft = _own_draft_or_404(draft_id)
    form = _form_or_404(draft.form_id)
    lang = current_language()
    registry_fields = {field_id for field_id, origin in (draft.origins or {}).items()
                       if (origin or "").startswith("lookup.")}
    content = build_pdf(form.definition, draft.field_values, lang=lang,
                        organisation_name=_org_name(form.definition.organisation), filled_on=today(),
                        readonly=registry_fields)
    audit.record("form_pdf_downloaded", current_user.id, form_id=form.id)
    db.session.commit()
    response = make_response(content)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{form.id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/formulaires/brouillons/<uuid:draft_id>/supprimer")
@login_required
def delete_draft(draft_id):
    draft = _own_draft_or_404(draft_id)
    audit.record("form_draft_deleted", current_user.id, form_id=draft.form_id)
    db.session.delete(draft)
    db.session.commit()
    flash(gettext("The draft is deleted."), "success")
    return redirect(url_for("forms.my_forms"))


@bp.get("/mon-dossier/formulaires")
@login_required
def my_forms():
    lang = current_language()
    forms = all_forms()
    drafts = []
    for draft in db.session.execute(select(FormDraft).filter_by(user_id=current_user.id)
                                    .order_by(FormDraft.updated_at.desc())).scalars():
        form = forms.get(draft.form_id)
        if form is None:
            continue
        run = db.session.get(Run, draft.run_id) if draft.run_id else None
        params = {"parcours": run.journey_id} if run else {}
        drafts.append({
            "id": draft.id, "title": form.definition.title[lang], "status": draft.status,
            "organisation": _org_name(form.definition.organisation),
            "updated": _when(draft.updated_at),
            "url": url_for("forms.review", form_id=form.id, **params),
            "pdf_url": url_for("forms.pdf", draft_id=draft.id),
        })
    available = [{"id": f.id, "title": f.definition.title[lang], "summary": f.definition.summary[lang],
                  "organisation": _org_name(f.definition.organisation), "url": url_for("forms.review", form_id=f.id)}
                 for f in sorted(forms.values(), key=lambda f: f.definition.title[lang])]
    return render_template("forms/my_forms.html", drafts=drafts, available=available)
