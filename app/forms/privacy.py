"""Law 25 hooks of the forms (see app/dossier/privacy.py): drafts and government reads are part of
the citizen's data export, and go with their account or with the run they were filled from."""
from __future__ import annotations

from sqlalchemy import delete, select

from app.core.db import db
from app.forms import government
from app.forms.models import FormDraft, GovernmentRead


def export_section(user) -> tuple[str, dict]:
    drafts = db.session.execute(select(FormDraft).filter_by(user_id=user.id)).scalars()
    reads = government.reads_of(user.id)
    return "forms", {
        "drafts": [{"id": d.id, "form_id": d.form_id, "form_version": d.form_version, "run_id": d.run_id,
                    "status": d.status, "values": d.field_values, "origins": d.origins,
                    "updated_at": d.updated_at.isoformat() if d.updated_at else None} for d in drafts],
        "government_information": [{"organisation": r.organisation, "status": r.status, "data": r.data,
                                    "read_at": r.read_at.isoformat() if r.read_at else None}
                                   for r in reads.values()],
    }


def delete_user_data(user_id: int) -> None:
    db.session.execute(delete(FormDraft).where(FormDraft.user_id == user_id))
    db.session.execute(delete(GovernmentRead).where(GovernmentRead.user_id == user_id))


def delete_run_drafts(run_ids: list[str]) -> None:
    """A draft copies answers of its run: it goes with the run."""
    db.session.execute(delete(FormDraft).where(FormDraft.run_id.in_(run_ids)))


def init_app(app) -> None:
    app.extensions.setdefault("dossier_export_sections", []).append(export_section)
    app.extensions.setdefault("user_deletion_hooks", []).append(delete_user_data)
    app.extensions.setdefault("run_deletion_hooks", []).append(delete_run_drafts)
