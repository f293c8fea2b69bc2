"""Drafts and publication: what an editor and a publisher do to a journey (or the organisations file).

A journey has at most one draft, started from its newest published version. Saving keeps the text
even when it has errors (staff never lose work); `check` runs the same loader as the files, so every
error comes with its line and field. Publishing (publisher only, checked by the views) stores the
draft as the next immutable version, and only when it loads without error and every scenario passes.
A rollback publishes an older version's text as a new version. Every change is written to the
audit log with the checksum of the text before and after.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from flask import current_app
from sqlalchemy import select

from app.catalog import catalog_changed, get_catalog
from app.catalog.live import stored_text
from app.catalog.models import DRAFT, DRAFT_STATUSES, ORGANISATIONS_ID, PUBLISHED, REVIEW, JourneyVersion
from app.catalog.publishing import add_published, latest_version, next_version_number, text_checksum, with_version
from app.core import audit
from app.core.db import db, utcnow
from app.journeys.errors import DefinitionError
from app.journeys.loader import check_journey_text, check_organisations_text, read_yaml
from app.journeys.schema import OrganisationsFile
from app.studio import scenarios as scenario_runs


class NotAJourney(ValueError):
    """The text names no journey id, so it cannot become anyone's draft."""


class PublicationRefused(RuntimeError):
    """The draft cannot be published: it has errors or a scenario fails."""


@dataclass
class Checked:
    """A text as the loader sees it: the compiled journey (or organisations) and every error."""
    compiled: object
    errors: list[DefinitionError]
    definition: Optional[dict] = None
    problems: list[str] = field(default_factory=list)  # organisations: journeys the change would break

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems


def is_organisations(document_id: str) -> bool:
    return document_id == ORGANISATIONS_ID


def file_name(document_id: str) -> str:
    return "organisations.yaml" if is_organisations(document_id) else f"{document_id}.yaml"


def check(document_id: str, text: str) -> Checked:
    """Validate a text with the journeys loader, against the organisations citizens see now."""
    catalog = get_catalog()
    if is_organisations(document_id):
        organisations, errors = check_organisations_text(text, file_name(document_id))
        if organisations is None:
            return Checked(None, errors)
        broken = []
        for journey_id, journey in sorted(catalog.journeys.items()):
            row = latest_version(journey_id)
            journey_text = stored_text(row) if row is not None else _file_text(journey)
            if journey_text is not None:
                compiled, journey_errors = check_journey_text(journey_text, file_name(journey_id), organisations)
                if compiled is None:
                    broken.append(journey_id)
        definition = OrganisationsFile.model_validate(read_yaml(text)[1]).model_dump(
            mode="json", by_alias=True, exclude_none=True)
        return Checked(organisations, [], definition, broken)
    compiled, errors = check_journey_text(text, file_name(document_id), catalog.organisations)
    if compiled is not None and compiled.id != document_id:
        errors = [DefinitionError(file_name(document_id), _line_of_id(text), "id", "invalid_value",
                                  {"value": compiled.id, "detail": document_id})]
        compiled = None
    if compiled is None:
        return Checked(None, errors)
    definition = compiled.journey.model_dump(mode="json", by_alias=True, exclude_none=True)
    return Checked(compiled, [], definition)


def _line_of_id(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("id:"):
            return number
    return 1


def _file_text(journey) -> Optional[str]:
    path = Path(current_app.config["JOURNEYS_DIR"]).parent / journey.source_file
    return path.read_text(encoding="utf-8") if path.is_file() else None


def document_ids() -> list[str]:
    """Every journey staff can edit: published, drafted or in the files; the organisations last."""
    stored = set(db.session.execute(select(JourneyVersion.journey_id).distinct()).scalars())
    ids = (stored | set(get_catalog().journeys)) - {ORGANISATIONS_ID}
    return sorted(ids) + [ORGANISATIONS_ID]


def draft_of(document_id: str) -> Optional[JourneyVersion]:
    return db.session.execute(select(JourneyVersion).where(
        JourneyVersion.journey_id == document_id, JourneyVersion.status.in_(DRAFT_STATUSES))).scalar_one_or_none()


def versions_of(document_id: str) -> list[JourneyVersion]:
    return list(db.session.execute(select(JourneyVersion).filter_by(journey_id=document_id, status=PUBLISHED)
                                   .order_by(JourneyVersion.version.desc())).scalars())


def version(document_id: str, number: int) -> Optional[JourneyVersion]:
    return db.session.execute(select(JourneyVersion).filter_by(
        journey_id=document_id, version=number, status=PUBLISHED)).scalar_one_or_none()


def live_text(document_id: str) -> Optional[str]:
    """The text citizens are served now: the newest published version, else the file."""
    row = latest_version(document_id)
    if row is not None:
        return stored_text(row)
    if is_organisations(document_id):
        path = Path(current_app.config["JOURNEYS_DIR"]) / "organisations.yaml"
        return path.read_text(encoding="utf-8") if path.is_file() else None
    journey = get_catalog().get(document_id)
    return _file_text(journey) if journey is not None else None


def start_draft(document_id: str, user) -> JourneyVersion:
    """The journey's draft, created from the version citizens see now when there is none."""
    existing = draft_of(document_id)
    if existing is not None:
        return existing
    text = live_text(document_id)
    if text is None:
        raise LookupError(document_id)
    live = latest_version(document_id)
    if not is_organisations(document_id):
        text = with_version(text, next_version_number(document_id))
    draft = JourneyVersion(journey_id=document_id, version=None, status=DRAFT, source=text,
                           definition={}, checksum=text_checksum(text), author=user.email,
                           based_on=live.version if live else None,
                           scenarios=(live.scenarios if live and live.scenarios else None)
                           or scenario_runs.file_scenarios(document_id),
                           created_at=utcnow(), updated_at=utcnow())
    db.session.add(draft)
    audit.record("studio.draft_started", user.id, journey=document_id, based_on=draft.based_on,
                 after=draft.checksum)
    db.session.commit()
    return draft


def save(draft: JourneyVersion, text: str, user) -> Checked:
    """Keep the new text (even with errors) and return what the loader says about it."""
    text = text.replace("\r\n", "\n")
    if not is_organisations(draft.journey_id):
        # The version a draft will get is not the editor's choice: it is always the next one.
        text = with_version(text, next_version_number(draft.journey_id))
    before = draft.checksum
    draft.source = text
    draft.checksum = text_checksum(text)
    draft.author = user.email
    draft.updated_at = utcnow()
    if draft.status == REVIEW and before != draft.checksum:
        draft.status = DRAFT  # a changed draft must be reviewed again
        draft.review_requested_by = draft.review_requested_at = None
    result = check(draft.journey_id, text)
    draft.definition = result.definition or {}
    audit.record("studio.draft_saved", user.id, journey=draft.journey_id, before=before, after=draft.checksum,
                 errors=len(result.errors))
    db.session.commit()
    return result


def import_text(text: str, author: str, organisations: bool = False) -> tuple[JourneyVersion, list]:
    """`flask journeys import`: a file becomes the draft of the journey it names (replacing any draft)."""
    document_id = ORGANISATIONS_ID
    if not organisations:
        try:
            _, data = read_yaml(text)
        except Exception as error:  # noqa: BLE001 - any unreadable text
            raise NotAJourney(f"cannot be read as YAML ({error})") from error
        if isinstance(data, dict) and "organisations" in data and "id" not in data:
            document_id = ORGANISATIONS_ID
        elif isinstance(data, dict) and isinstance(data.get("id"), str) and not data["id"].startswith("_"):
            document_id = data["id"]
        else:
            raise NotAJourney("no journey id (id:) at the top of the file")
    draft = draft_of(document_id)
    live = latest_version(document_id)
    if draft is None:
        draft = JourneyVersion(journey_id=document_id, version=None, status=DRAFT, definition={},
                               checksum="", based_on=live.version if live else None, created_at=utcnow(),
                               scenarios=scenario_runs.file_scenarios(document_id))
        db.session.add(draft)
    before = draft.checksum or None
    if not is_organisations(document_id):
        text = with_version(text, next_version_number(document_id))
    draft.status, draft.source, draft.author, draft.updated_at = DRAFT, text, author, utcnow()
    draft.checksum = text_checksum(text)
    result = check(document_id, text)
    draft.definition = result.definition or {}
    audit.record("studio.draft_imported", None, journey=document_id, before=before, after=draft.checksum,
                 errors=len(result.errors))
    db.session.commit()
    return draft, result.errors


def request_review(draft: JourneyVersion, user) -> None:
    draft.status = REVIEW
    draft.review_requested_by, draft.review_requested_at = user.email, utcnow()
    audit.record("studio.review_requested", user.id, journey=draft.journey_id, after=draft.checksum)
    db.session.commit()


def discard(draft: JourneyVersion, user) -> None:
    audit.record("studio.draft_discarded", user.id, journey=draft.journey_id, before=draft.checksum)
    db.session.delete(draft)
    db.session.commit()


def readiness(draft: JourneyVersion) -> tuple[Checked, list]:
    """(what the loader says, the scenario results): the draft may be published when both are clean."""
    result = check(draft.journey_id, draft.source or "")
    results = scenario_runs.run_all(result.compiled, draft.scenarios or {}) if result.compiled is not None \
        and not is_organisations(draft.journey_id) else []
    return result, results


def publish(draft: JourneyVersion, user, note: Optional[str] = None) -> JourneyVersion:
    """Store the draft as the next version, citizens' from now on. Refused while anything fails."""
    result, results = readiness(draft)
    if not result.ok or any(not r.passed for r in results):
        raise PublicationRefused(draft.journey_id)
    number = next_version_number(draft.journey_id)
    text = draft.source if is_organisations(draft.journey_id) else with_version(draft.source, number)
    final = check(draft.journey_id, text)
    if not final.ok:
        raise PublicationRefused(draft.journey_id)
    before = latest_version(draft.journey_id)
    row = add_published(draft.journey_id, number, text, final.definition, author=user.email,
                        scenarios=draft.scenarios, note=note, based_on=draft.based_on)
    audit.record("studio.published", user.id, journey=draft.journey_id, version=number,
                 requested_by_other=bool(draft.review_requested_by and draft.review_requested_by != user.email),
                 before=text_checksum(stored_text(before)) if before else None, after=text_checksum(text))
    db.session.delete(draft)
    db.session.commit()
    catalog_changed()
    return row


def rollback(document_id: str, number: int, user) -> JourneyVersion:
    """Publish version `number`'s text again, as a new version (history is never rewritten)."""
    old = version(document_id, number)
    if old is None:
        raise LookupError(number)
    text = stored_text(old)
    new_number = next_version_number(document_id)
    if not is_organisations(document_id):
        text = with_version(text, new_number)
    result = check(document_id, text)
    if not result.ok:
        raise PublicationRefused(document_id)
    before = latest_version(document_id)
    row = add_published(document_id, new_number, text, result.definition, author=user.email,
                        scenarios=old.scenarios, note=f"rollback:{number}", based_on=number)
    audit.record("studio.rolled_back", user.id, journey=document_id, version=new_number, restored=number,
                 before=text_checksum(stored_text(before)) if before else None, after=text_checksum(text))
    db.session.commit()
    catalog_changed()
    return row


def save_scenario_from_preview(draft: JourneyVersion, name: str, user) -> str:
    """The signed-in staff member's preview run of this draft, saved as scenario `name` (its plan as expected)."""
    from datetime import date

    from flask import session

    from app.journeys.plan import build_plan
    from app.runner.mode import PREVIEW, PREVIEW_VERSION
    from app.runner.models import Run

    run_id = session.get("runs", {}).get(f"{PREVIEW}:{draft.journey_id}")
    run = db.session.get(Run, run_id) if isinstance(run_id, str) else None
    # The run id comes from this browser's signed session, where only the staff-only preview puts it.
    if run is None or run.journey_version != PREVIEW_VERSION or run.user_id is not None or not run.answers:
        raise LookupError(name)
    compiled = check(draft.journey_id, draft.source or "").compiled
    if compiled is None:
        raise LookupError(name)
    today = date.today()
    plan = build_plan(compiled, run.answers, today)
    text = scenario_runs.scenario_text(name, today, plan.answers, plan.steps)
    draft.scenarios = {**(draft.scenarios or {}), name: text}
    audit.record("studio.scenario_saved", user.id, journey=draft.journey_id, scenario=name,
                 after=text_checksum(text))
    db.session.commit()
    return text
