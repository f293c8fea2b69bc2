"""Mon dossier: my journeys, resume, step ticks kept across sessions, and À venir."""
from __future__ import annotations

from sqlalchemy import select

from app.auth.testing import login
from app.core.db import db
from app.dossier.models import StepProgress


def test_mon_dossier_needs_a_login(client):
    response = client.get("/mon-dossier")
    assert response.status_code == 302 and response.location.startswith("/connexion")
    page = client.get(response.location)
    assert "Connectez-vous pour voir cette page." in page.get_data(as_text=True)


def test_lists_journeys_in_progress_and_completed(client, user, make_run, today, signed_in):
    make_run(user.id, answers={"type_evenement": "naissance"}, status="in_progress")
    make_run(user.id)
    html = client.get("/mon-dossier").get_data(as_text=True)
    assert "Parcours en cours" in html and "Parcours terminés" in html
    assert html.count("Devenir parent") >= 2
    assert "Continuer" in html


def test_resume_puts_the_run_back_and_goes_to_the_next_question(app, client, user, make_run, today, signed_in):
    run_id = make_run(user.id, answers={"type_evenement": "naissance"}, status="in_progress")
    with client.session_transaction() as session:
        session["runs"] = {}
    response = client.get(f"/mon-dossier/parcours/{run_id}/reprendre")
    assert response.status_code == 302
    assert response.location.endswith("/parcours/devenir-parent/questions/lieu_naissance")
    with client.session_transaction() as session:
        assert session["runs"]["devenir-parent"] == run_id
    page = client.get(response.location)
    assert page.status_code == 200


def test_resume_of_a_completed_run_shows_its_plan(client, user, make_run, today, signed_in):
    run_id = make_run(user.id)
    response = client.get(f"/mon-dossier/parcours/{run_id}/reprendre")
    assert response.location.endswith("/parcours/devenir-parent/resultat")


def test_ticked_steps_are_kept_across_sessions(app, client, user, make_run, today, signed_in):
    run_id = make_run(user.id)
    page = client.get(f"/mon-dossier/parcours/{run_id}")
    html = page.get_data(as_text=True)
    assert 'name="step-declarer-naissance"' in html
    response = client.post(f"/mon-dossier/parcours/{run_id}", data={
        "step-declarer-naissance": "done", "step-la-place-0-5": "not_applicable",
        "step-not-a-step": "done", "step-carte-ramq-naissance": "bogus"})
    assert response.status_code == 302
    assert "Votre progression est enregistrée." in client.get(response.location).get_data(as_text=True)
    client.post("/deconnexion")
    login(client)
    html = client.get(f"/mon-dossier/parcours/{run_id}").get_data(as_text=True)
    assert 'id="step-declarer-naissance-done" name="step-declarer-naissance" value="done" checked' in html
    assert 'value="not_applicable" checked' in html
    with app.app_context():
        rows = db.session.execute(select(StepProgress).order_by(StepProgress.step_id)).scalars().all()
        assert [(r.step_id, r.status) for r in rows] == [("declarer-naissance", "done"),
                                                          ("la-place-0-5", "not_applicable")]
    # Back to "to do" removes the tick.
    client.post(f"/mon-dossier/parcours/{run_id}", data={"step-declarer-naissance": "",
                                                          "step-la-place-0-5": "not_applicable"})
    with app.app_context():
        assert db.session.execute(select(StepProgress.step_id)).scalars().all() == ["la-place-0-5"]


def test_upcoming_lists_deadlines_in_30_days_overdue_first_and_skips_done_steps(client, user, make_run, today, signed_in, birth_answers):
    late = dict(birth_answers, date_naissance="2026-01-20")  # declaration due 2026-02-19: overdue
    make_run(user.id)  # due 2026-03-22
    late_id = make_run(user.id, answers=late)
    far = dict(birth_answers, date_naissance="2026-04-20")  # due 2026-05-20: beyond 30 days
    make_run(user.id, answers=far)
    html = client.get("/mon-dossier").get_data(as_text=True)
    section = html.split('id="upcoming-title"')[1].split("</section>")[0]
    assert section.count("<li>") == 2
    assert section.index("En retard") < section.index("22 mars 2026")
    assert "19 février 2026" in section and "20 mai 2026" not in section
    client.post(f"/mon-dossier/parcours/{late_id}", data={"step-declarer-naissance": "done"})
    section = client.get("/mon-dossier").get_data(as_text=True).split('id="upcoming-title"')[1].split("</section>")[0]
    assert section.count("<li>") == 1 and "En retard" not in section
