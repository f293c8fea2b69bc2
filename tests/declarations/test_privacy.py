"""Law 25: a citizen's export shows their declarations and what each organisation received; deleting
the account deletes them, except those still being delivered, which are detached from it (the
citizen is told before and after: tests/dossier/test_privacy.py)."""
from __future__ import annotations

from sqlalchemy import func, select

from app.core.db import db
from app.declarations.models import Declaration, Delivery
from tests.declarations.conftest import CITIZEN_SIN, make_citizen, queue_declaration


def test_export_and_account_deletion(app):
    from app.auth.models import User
    from app.dossier.privacy import delete_account, export_data

    user_id = make_citizen(app)
    queue_declaration(app, partners=("ramq", "retraite-quebec"), user_id=user_id,
                      data={"child_birth_date": "2026-02-20", "parent_sin": CITIZEN_SIN})
    queue_declaration(app, partners=("dec",), user_id=user_id + 1000)  # someone else's
    with app.test_request_context():
        user = db.session.get(User, user_id)
        [exported] = export_data(user)["declarations"]
        assert exported["number"].startswith("DU-")
        assert [d["organisation"] for d in exported["deliveries"]] == ["ramq", "retraite-quebec"]
        assert exported["deliveries"][1]["data"]["parent_sin"] == CITIZEN_SIN
        delete_account(user)
        assert db.session.scalar(select(func.count()).select_from(Declaration)) == 2
        assert db.session.scalar(select(func.count()).select_from(Declaration).where(
            Declaration.user_id.is_(None))) == 1
        assert db.session.scalar(select(func.count()).select_from(Delivery)) == 3
