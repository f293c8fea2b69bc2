"""The studio's pages. Every route carries its access decorator (a test walks the URL map to prove it).

    GET       /studio/                                      journeys and organisations, drafts awaiting review   staff
    GET       /studio/parcours/<doc>                         one journey: live version, draft, what to do next    staff
    POST      /studio/parcours/<doc>/brouillon/creer         start a draft from the live version                   staff
    GET|POST  /studio/parcours/<doc>/brouillon               the draft's YAML; saving shows every error            staff
    GET       /studio/parcours/<doc>/brouillon/structure     questions, conditions, steps and warnings             staff
    GET       /studio/parcours/<doc>/brouillon/scenarios     every scenario run against the draft                  staff
    POST      /studio/parcours/<doc>/brouillon/scenarios/enregistrer   the preview run becomes a scenario         staff
    *         /studio/apercu/…                               the questionnaire on the draft (preview.py)           staff
    POST      /studio/parcours/<doc>/brouillon/demander-publication   ask a publisher                              staff
    GET|POST  /studio/parcours/<doc>/brouillon/abandonner    discard the draft (confirmation)                      staff
    GET|POST  /studio/parcours/<doc>/brouillon/publier       publish (confirmation, diff)                          publisher
    GET       /studio/parcours/<doc>/carte                   the journey map (the draft's, else the live version's) staff
    GET       /studio/parcours/<doc>/versions                history                                               staff
    GET       /studio/parcours/<doc>/comparer?de=&a=         two versions (or the draft) side by side              staff
    GET       /studio/parcours/<doc>/versions/<n>.yaml       Exporter en YAML                                      staff
    GET|POST  /studio/parcours/<doc>/versions/<n>/restaurer  rollback: publish version n again (confirmation)      publisher
    GET       /studio/journal                                the audit log                                         staff

`<doc>` is a journey id, or `organisations` for the organisations file.
"""
from __future__ import annotations

from datetime import date
from functools import wraps

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from app.catalog import get_catalog
from app.catalog.live import stored_text
from app.catalog.models import ORGANISATIONS_ID, REVIEW
from app.catalog.publishing import latest_version
from app.core.audit import AuditEvent
from app.core.db import db
from app.core.i18n import current_language
from app.studio import analysis, diffing, drafts
from app.studio import journey_map as journey_map_drawing
from app.studio import scenarios as scenario_runs
from app.studio.access import can_publish, publisher_required, staff_required
from app.studio.blueprint import bp

ORGANISATIONS_SLUG = "organisations"
DRAFT_KEY = "brouillon"
AUDIT_PAGE_SIZE = 50


def document_id(slug: str) -> str:
    return ORGANISATIONS_ID if slug == ORGANISATIONS_SLUG else slug


def slug_of(document: str) -> str:
    return ORGANISATIONS_SLUG if document == ORGANISATIONS_ID else document


def _known_or_404(slug: str) -> str:
    document = document_id(slug)
    if document not in drafts.document_ids():
        abort(404)
    return document


def with_draft(journeys_only: bool = False):
    """The view gets the slug, the document and its draft; without a draft, the document's page.
    `journeys_only`: the organisations document has no structure, scenarios or map (404)."""
    def decorate(view):
        @wraps(view)
        def wrapped(slug: str, **kwargs):
            document = _known_or_404(slug)
            if journeys_only and document == ORGANISATIONS_ID:
                abort(404)
            draft = drafts.draft_of(document)
            if draft is None:
                return redirect(url_for("studio.journey", slug=slug))
            return view(slug, document, draft, **kwargs)

        return wrapped
    return decorate


def _title(document: str) -> str:
    if document == ORGANISATIONS_ID:
        return gettext("Organisations")
    journey = get_catalog().get(document)
    if journey is None:
        return document
    return journey.title.get(current_language()) or journey.title.get("fr") or document


@bp.context_processor
def studio_context():
    return {"can_publish": can_publish(current_user), "slug_of": slug_of}


# -- home and one journey --------------------------------------------------------------------------

@bp.get("/")
@staff_required
def home():
    rows = []
    for document in drafts.document_ids():
        live, draft = latest_version(document), drafts.draft_of(document)
        rows.append({"slug": slug_of(document), "title": _title(document), "live": live, "draft": draft})
    return render_template("studio/home.html", rows=rows,
                           waiting=[r for r in rows if r["draft"] is not None and r["draft"].status == REVIEW])


@bp.get("/parcours/<slug:slug>")
@staff_required
def journey(slug: str):
    document = _known_or_404(slug)
    return render_template("studio/journey.html", slug=slug, title=_title(document),
                           live=latest_version(document), draft=drafts.draft_of(document),
                           versions=drafts.versions_of(document)[:5],
                           is_organisations=document == ORGANISATIONS_ID)


@bp.post("/parcours/<slug:slug>/brouillon/creer")
@staff_required
def start_draft(slug: str):
    document = _known_or_404(slug)
    drafts.start_draft(document, current_user)
    return redirect(url_for("studio.edit", slug=slug))


# -- the draft ----------------------------------------------------------------------------------------

@bp.route("/parcours/<slug:slug>/brouillon", methods=["GET", "POST"])
@staff_required
@with_draft()
def edit(slug: str, document: str, draft):
    saved = False
    if request.method == "POST":
        result = drafts.save(draft, request.form.get("source", ""), current_user)
        saved = True
    else:
        result = drafts.check(document, draft.source or "")
    lines = (draft.source or "").splitlines()
    errors = [{"line": e.line, "field": e.field, "message": e.message(current_language()),
               "excerpt": lines[e.line - 1].strip() if 0 < e.line <= len(lines) else ""} for e in result.errors]
    focus = request.args.get("question")
    focus_line = None
    if focus and result.compiled is not None and document != ORGANISATIONS_ID:
        found = next((i for i, q in enumerate(result.compiled.journey.questions) if q.id == focus), None)
        if found is not None:
            focus_line = analysis.line_finder(draft.source)(("questions", found))
    return render_template("studio/edit.html", slug=slug, title=_title(document), draft=draft,
                           errors=errors, broken_journeys=result.problems, saved=saved and result.ok,
                           focus=focus if focus_line else None, focus_line=focus_line,
                           page_has_errors=bool(errors or result.problems))


@bp.get("/parcours/<slug:slug>/brouillon/structure")
@staff_required
@with_draft(journeys_only=True)
def structure(slug: str, document: str, draft):
    result, results = drafts.readiness(draft)
    view = None
    if result.compiled is not None:
        view = analysis.structure(result.compiled, draft.source, results, draft.scenarios or {}, date.today())
    return render_template("studio/structure.html", slug=slug, title=_title(document), draft=draft,
                           view=view, error_count=len(result.errors))


@bp.get("/parcours/<slug:slug>/brouillon/scenarios")
@staff_required
@with_draft(journeys_only=True)
def scenarios(slug: str, document: str, draft):
    result, results = drafts.readiness(draft)
    return render_template("studio/scenarios.html", slug=slug, title=_title(document), draft=draft,
                           results=results, error_count=len(result.errors),
                           failed=[r for r in results if not r.passed])


@bp.post("/parcours/<slug:slug>/brouillon/scenarios/enregistrer")
@staff_required
@with_draft()
def save_scenario(slug: str, document: str, draft):
    """Enregistrer comme scénario: the answers of this person's preview run, and the plan they give now."""
    name = (request.form.get("name") or "").strip().lower()
    if not scenario_runs.NAME.match(name):
        flash(gettext("The scenario was not saved: give it a name made of lower-case letters, digits and hyphens."))
        return redirect(url_for("preview.result", journey_id=document))
    try:
        drafts.save_scenario_from_preview(draft, name, current_user)
    except LookupError:
        flash(gettext("The scenario was not saved: finish a preview of the draft first."))
        return redirect(url_for("preview.start", journey_id=document))
    flash(gettext("The scenario %(name)s is saved with the draft.", name=name))
    return redirect(url_for("studio.scenarios", slug=slug))


@bp.post("/parcours/<slug:slug>/brouillon/demander-publication")
@staff_required
@with_draft()
def request_review(slug: str, document: str, draft):
    drafts.request_review(draft, current_user)
    flash(gettext("A publisher has been asked to review and publish this draft."))
    return redirect(url_for("studio.journey", slug=slug))


@bp.route("/parcours/<slug:slug>/brouillon/abandonner", methods=["GET", "POST"])
@staff_required
@with_draft()
def discard(slug: str, document: str, draft):
    if request.method == "POST":
        drafts.discard(draft, current_user)
        flash(gettext("The draft was deleted. Citizens still see the published version."))
        return redirect(url_for("studio.journey", slug=slug))
    return render_template("studio/discard.html", slug=slug, title=_title(document))


@bp.route("/parcours/<slug:slug>/brouillon/publier", methods=["GET", "POST"])
@publisher_required
@with_draft()
def publish(slug: str, document: str, draft):
    result, results = drafts.readiness(draft)
    failed = [r for r in results if not r.passed]
    blocked = not result.ok or bool(failed)
    error = None
    if request.method == "POST" and not blocked:
        choice = request.form.get("confirm")
        if choice == "non":
            return redirect(url_for("studio.journey", slug=slug))
        if choice == "oui":
            row = drafts.publish(draft, current_user)
            flash(gettext("Version %(version)s is published. Citizens who start now get it; runs already "
                          "started keep their version.", version=row.version))
            return redirect(url_for("studio.journey", slug=slug))
        error = gettext("Choose yes to publish, or no to go back.")
    live = latest_version(document)
    hunks = diffing.side_by_side(stored_text(live) if live else "", draft.source or "")
    return render_template("studio/publish.html", slug=slug, title=_title(document), draft=draft,
                           error_count=len(result.errors), broken_journeys=result.problems, failed=failed,
                           blocked=blocked, hunks=hunks, live=live, error=error, page_has_errors=bool(error))


@bp.get("/parcours/<slug:slug>/carte")
@staff_required
def journey_map(slug: str):
    document = _known_or_404(slug)
    if document == ORGANISATIONS_ID:
        abort(404)
    draft = drafts.draft_of(document)
    compiled = drafts.check(document, draft.source or "").compiled if draft is not None else None
    shown_draft = compiled is not None
    if compiled is None:
        compiled = get_catalog().get(document)
    if compiled is None:
        abort(404)
    return render_template("studio/map.html", slug=slug, title=_title(document), shown_draft=shown_draft,
                           draft_broken=draft is not None and not shown_draft,
                           drawing=journey_map_drawing.build(compiled, current_language()))


# -- versions -------------------------------------------------------------------------------------------

@bp.get("/parcours/<slug:slug>/versions")
@staff_required
def versions(slug: str):
    document = _known_or_404(slug)
    return render_template("studio/versions.html", slug=slug, title=_title(document),
                           versions=drafts.versions_of(document), draft=drafts.draft_of(document))


def _text_of(document: str, key: str):
    """(label, text) of a version number or of the draft; None when there is no such version."""
    if key == DRAFT_KEY:
        draft = drafts.draft_of(document)
        return (gettext("Draft"), draft.source or "") if draft else None
    if not key.isdigit():
        return None
    row = drafts.version(document, int(key))
    return (gettext("Version %(number)s", number=row.version), stored_text(row)) if row else None


@bp.get("/parcours/<slug:slug>/comparer")
@staff_required
def compare(slug: str):
    document = _known_or_404(slug)
    versions = drafts.versions_of(document)
    draft = drafts.draft_of(document)
    choices = ([(DRAFT_KEY, gettext("Draft"))] if draft else []) + \
        [(str(v.version), gettext("Version %(number)s", number=v.version)) for v in versions]
    default_new = DRAFT_KEY if draft else (str(versions[0].version) if versions else "")
    default_old = str(versions[0].version if draft else (versions[1].version if len(versions) > 1 else "")) \
        if versions else ""
    old_key, new_key = request.args.get("de", default_old), request.args.get("a", default_new)
    old, new = _text_of(document, old_key), _text_of(document, new_key)
    hunks = diffing.side_by_side(old[1], new[1]) if old and new else None
    return render_template("studio/compare.html", slug=slug, title=_title(document), choices=choices,
                           old_key=old_key, new_key=new_key, old=old, new=new, hunks=hunks)


@bp.get("/parcours/<slug:slug>/versions/<int:number>.yaml")
@staff_required
def export(slug: str, number: int):
    document = _known_or_404(slug)
    row = drafts.version(document, number)
    if row is None:
        abort(404)
    name = drafts.file_name(document)
    response = Response(stored_text(row), mimetype="application/yaml")
    response.headers["Content-Type"] = "application/yaml; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name[:-5]}-v{number}.yaml"'
    return response


@bp.route("/parcours/<slug:slug>/versions/<int:number>/restaurer", methods=["GET", "POST"])
@publisher_required
def rollback(slug: str, number: int):
    document = _known_or_404(slug)
    row = drafts.version(document, number)
    if row is None:
        abort(404)
    error = None
    if request.method == "POST":
        choice = request.form.get("confirm")
        if choice == "non":
            return redirect(url_for("studio.versions", slug=slug))
        if choice == "oui":
            try:
                new = drafts.rollback(document, number, current_user)
            except drafts.PublicationRefused:
                error = gettext("Version %(number)s no longer loads with the current organisations: "
                                "it cannot be published again.", number=number)
            else:
                flash(gettext("Version %(old)s is published again as version %(new)s.", old=number, new=new.version))
                return redirect(url_for("studio.journey", slug=slug))
        else:
            error = gettext("Choose yes to publish this version again, or no to go back.")
    live = latest_version(document)
    hunks = diffing.side_by_side(stored_text(live) if live else "", stored_text(row))
    return render_template("studio/rollback.html", slug=slug, title=_title(document), row=row, live=live,
                           hunks=hunks, error=error, page_has_errors=bool(error))


# -- audit log ----------------------------------------------------------------------------------------

@bp.get("/journal")
@staff_required
def audit_log():
    page = max(request.args.get("page", 1, type=int), 1)
    events = list(db.session.execute(
        select(AuditEvent).where(AuditEvent.action.like("studio.%") | AuditEvent.action.like("users.%"))
        .order_by(AuditEvent.id.desc()).offset((page - 1) * AUDIT_PAGE_SIZE)
        .limit(AUDIT_PAGE_SIZE + 1)).scalars())
    from app.auth.models import User

    ids = {e.user_id for e in events if e.user_id is not None}
    emails = dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all()) if ids else {}
    return render_template("studio/audit.html", events=events[:AUDIT_PAGE_SIZE], emails=emails, page=page,
                           has_next=len(events) > AUDIT_PAGE_SIZE)
