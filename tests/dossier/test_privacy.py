"""Law 25: download my data (JSON and HTML), delete my account, retention of anonymous runs."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import LoginSession, User
from app.core.audit import AuditEvent
from app.core.db import db, utcnow
from app.dossier.models import Profile, ReminderSend, StepProgress
from app.runner.models import Run


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_download_my_data_as_json_holds_profile_runs_answers_and_progress(app, client, user, make_run, today, signed_in, valid_profile):
    client.post("/mon-dossier/profil", data=valid_profile)
    run_id = make_run(user.id)
    client.post(f"/mon-dossier/parcours/{run_id}", data={"step-declarer-naissance": "done"})
    response = client.get("/mon-dossier/mes-donnees.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "ana@example.ca"
    assert data["profile"]["sin"] == "130692544" and data["profile"]["family_name"] == "Tremblay"
    assert data["runs"][0]["id"] == run_id and data["runs"][0]["answers"]["date_naissance"] == "2026-02-20"
    assert data["step_progress"] == [{"run_id": run_id, "step_id": "declarer-naissance", "status": "done",
                                      "updated_at": data["step_progress"][0]["updated_at"]}]
    assert any(event["action"] == "profile.updated" for event in data["audit_events"])
    with app.app_context():
        reads = db.session.execute(select(AuditEvent).where(AuditEvent.action == "profile.sensitive_read")).scalars()
        assert [event.details["purpose"] for event in reads] == ["export"]


def test_my_data_page_is_readable_html(client, user, make_run, today, signed_in, valid_profile):
    client.post("/mon-dossier/profil", data=valid_profile)
    make_run(user.id)
    html = client.get("/mon-dossier/mes-donnees").get_data(as_text=True)
    assert "Mes données" in html and "Tremblay" in html and "Devenir parent" in html
    assert "*** *** 544" in html and "130692544" not in html and "130 692 544" not in html
    assert "Télécharger mes données (JSON)" in html


def test_delete_account_needs_the_box_and_the_password(app, client, user, signed_in):
    page = client.post("/mon-dossier/supprimer", data={"password": "violon orange tempête 42"})
    assert "Cochez la case pour confirmer" in page.get_data(as_text=True)
    page = client.post("/mon-dossier/supprimer", data={"confirm": "1", "password": "faux"})
    assert "Entrez votre mot de passe actuel" in page.get_data(as_text=True)
    assert count(app, User) == 1


def test_delete_account_removes_everything_and_keeps_one_anonymous_audit_event(app, client, user, make_run, today, signed_in, valid_profile):
    client.post("/mon-dossier/profil", data=valid_profile)
    run_id = make_run(user.id)
    other_run = make_run(None, status="in_progress")
    client.post(f"/mon-dossier/parcours/{run_id}", data={"step-declarer-naissance": "done"})
    with app.app_context():
        db.session.add(ReminderSend(user_id=user.id, run_id=run_id, step_id="x", due_date=utcnow().date()))
        db.session.commit()
    response = client.post("/mon-dossier/supprimer", data={"confirm": "1", "password": "violon orange tempête 42"})
    assert response.location.endswith("/compte-supprime")
    assert "Votre compte est supprimé" in client.get("/compte-supprime").get_data(as_text=True)
    for model in (User, Profile, StepProgress, ReminderSend, LoginSession):
        assert count(app, model) == 0, model
    assert count(app, Run) == 1 and count(app, Run, Run.id == other_run) == 1
    with app.app_context():
        [event] = db.session.execute(select(AuditEvent).where(AuditEvent.action == "account.deleted")).scalars().all()
        assert event.details == {"runs_deleted": 1}
        assert "ana" not in json.dumps(event.details)
    assert client.get("/mon-dossier").status_code == 302


def test_privacy_page_states_the_retention(client):
    html = client.get("/confidentialite").get_data(as_text=True)
    assert "30 jours" in html and "Loi 25" in html


def test_retention_purge_deletes_only_old_anonymous_runs(app, user, make_run):
    old = utcnow() - timedelta(days=31)
    old_anonymous = make_run(None, status="in_progress", updated_at=old)
    recent_anonymous = make_run(None, status="in_progress")
    old_owned = make_run(user.id, updated_at=old)
    with app.app_context():
        db.session.add(StepProgress(run_id=old_anonymous, step_id="declarer-naissance", status="done"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert result.exit_code == 0 and "1 anonymous run(s) deleted" in result.output
    with app.app_context():
        remaining = set(db.session.execute(select(Run.id)).scalars())
    assert remaining == {recent_anonymous, old_owned}
    assert count(app, StepProgress) == 0
    again = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert "0 anonymous run(s) deleted" in again.output


def test_old_anonymous_runs_disappear_without_any_command(app, user, make_run):
    """The server's background service purges on a schedule: the privacy page's promise holds."""
    import threading
    import time

    from app.dossier.retention import retention_service

    assert retention_service in app.extensions["background_services"]
    old = utcnow() - timedelta(days=31)
    old_anonymous = make_run(None, status="in_progress", updated_at=old)
    recent_anonymous = make_run(None, status="in_progress")
    app.config["RETENTION_PURGE_INTERVAL_SECONDS"] = 0.05
    stop = threading.Event()
    service = threading.Thread(target=retention_service, args=(app, stop), daemon=True)
    try:
        service.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with app.app_context():
                remaining = set(db.session.execute(select(Run.id)).scalars())
                db.session.remove()
            if old_anonymous not in remaining:
                break
            time.sleep(0.05)
        # A second run arrives while the service runs: purged at the next tick, not at the next restart.
        later = make_run(None, status="in_progress", updated_at=old)
        time.sleep(0.3)
        with app.app_context():
            remaining = set(db.session.execute(select(Run.id)).scalars())
    finally:
        stop.set()
        service.join(5)
        app.config["RETENTION_PURGE_INTERVAL_SECONDS"] = 3600
    assert remaining == {recent_anonymous}
    assert later not in remaining


def submit_declaration(app, user_id, run_id, organisations):
    from app.declarations import outbox

    with app.app_context():
        declaration, _ = outbox.submit(
            user_id=user_id, run_id=run_id, journey_id="devenir-parent", journey_version=1, kind="naissance",
            payloads=[outbox.PartnerPayload(organisation=org, partner=org, data={"nas": "130692544"})
                      for org in organisations])
        return declaration.id, declaration.number


def test_deleting_an_account_tells_which_declarations_still_go_out_and_keeps_them_detached(
        app, client, user, make_run, signed_in):
    from app.declarations.models import DELIVERED, Declaration, Delivery
    from app.declarations.worker import DeliveryWorker  # noqa: F401  (the worker still finds them: status pending)
    from app.dossier.privacy import purge_anonymous_runs

    pending_id, pending_number = submit_declaration(app, user.id, make_run(user.id), ["ramq", "retraite-quebec"])
    done_id, done_number = submit_declaration(app, user.id, make_run(user.id), ["dec"])
    with app.app_context():
        db.session.execute(Delivery.__table__.update().where(Delivery.declaration_id == done_id)
                           .values(status=DELIVERED))
        db.session.commit()

    from html import unescape

    warning = unescape(client.get("/mon-dossier/supprimer").get_data(as_text=True))
    assert "Déclarations en cours d’envoi" in warning
    assert pending_number in warning and "Régie de l'assurance maladie du Québec" in warning
    assert "Retraite Québec" in warning and done_number not in warning

    deleted = client.post("/mon-dossier/supprimer", data={"confirm": "1", "password": "violon orange tempête 42"},
                          follow_redirects=True)
    page = unescape(deleted.get_data(as_text=True))
    assert pending_number in page and "seront quand même livrées" in page

    with app.app_context():
        kept = db.session.get(Declaration, pending_id)
        assert kept is not None and kept.user_id is None  # detached, still in the outbox
        assert {d.status for d in kept.deliveries} == {"pending"}
        assert db.session.get(Declaration, done_id) is None
        # Once delivered, the retention purge removes it.
        db.session.execute(Delivery.__table__.update().where(Delivery.declaration_id == pending_id)
                           .values(status=DELIVERED))
        db.session.commit()
        purge_anonymous_runs()
        assert db.session.get(Declaration, pending_id) is None
        assert count(app, Delivery) == 0
