"""Law 25: the forms' data is in the citizen's export and goes away with the account or the run."""
from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.core.db import db
from app.dossier import privacy
from app.forms.models import FormDraft, GovernmentRead
from tests.forms.conftest import start_run


def test_export_and_account_deletion(app, signed_in, citizen, registries):
    run_id = start_run(app, signed_in, citizen.id, "demenager", {"date_demenagement": "2026-02-15"})
    signed_in.post("/mon-dossier/informations-gouvernementales", data={"organisations": ["ramq"], "action": "consult"})
    with app.app_context():
        db.session.add(FormDraft(user_id=citizen.id, run_id=run_id, form_id="changement-adresse", form_version=1,
                                 field_values={"prenoms": "Ana"}, origins={}, status="draft"))
        db.session.commit()
        user = db.session.get(User, citizen.id)
        exported = privacy.export_data(user)
        assert exported["forms"]["drafts"][0]["values"] == {"prenoms": "Ana"}
        assert exported["forms"]["government_information"][0]["data"]["health_number"] == "TREM90041212"
    with app.test_request_context():
        privacy.delete_account(db.session.get(User, citizen.id))
        assert db.session.execute(select(FormDraft)).first() is None
        assert db.session.execute(select(GovernmentRead)).first() is None


def test_a_draft_goes_with_its_run(app, citizen):
    with app.app_context():
        db.session.add(FormDraft(user_id=citizen.id, run_id="r-1", form_id="changement-adresse", form_version=1,
                                 field_values={}, origins={}, status="draft"))
        db.session.commit()
        privacy.delete_runs(["r-1"])
        db.session.commit()
        assert db.session.execute(select(FormDraft)).first() is None
