"""Mon dossier entreprise: a colleague answers a business journey in the real runner; every member then
sees the obligations (with recurring due dates), ticks them off with who and when, and gets an .ics."""
from __future__ import annotations

import pytest

from app.core.db import db
from app.entreprises.models import BusinessRun

TODAY = "2026-08-01"
JOURNEY = "embaucher-premier-employe"


@pytest.fixture
def pinned_today(app):
    previous = app.config.get("TODAY")
    app.config["TODAY"] = TODAY
    yield TODAY
    app.config["TODAY"] = previous


def answer_first_hire(member, business):
    """Start *Embaucher un premier employé* for the business and answer it through the runner's pages."""
    response = member.post(f"{business.url}/parcours", data={"parcours": JOURNEY})
    # The business record already answers the sector: the runner starts at the next question.
    assert response.status_code == 302 and response.location == f"/parcours/{JOURNEY}/questions/date_premier_jour"
    answers = {"date_premier_jour": "2026-09-15", "deja_inscrit_retenues": "non", "frequence_remises": "mensuelle"}
    for question_id, value in answers.items():
        response = member.post(f"/parcours/{JOURNEY}/questions/{question_id}", data={question_id: value})
        assert response.status_code == 302, (question_id, response.get_data(as_text=True)[:500])
    assert member.get(f"/parcours/{JOURNEY}/verifier").status_code == 200
    assert member.post(f"/parcours/{JOURNEY}/verifier").status_code == 302


def test_both_members_see_the_obligations_a_colleague_got(app, client, business, add_member, pinned_today):
    colleague = add_member(business.id, "marc@example.ca")
    answer_first_hire(colleague, business)
    with app.app_context():
        run = db.session.query(BusinessRun).one()
        assert (run.business_id, run.journey_id) == (business.id, JOURNEY)
    for member in (client, colleague):
        page = member.get(business.url).get_data(as_text=True)
        assert "Vous inscrire comme employeur à la CNESST" in page
        assert "Verser les retenues et vos cotisations d'employeur à Revenu Québec" in page.replace("&#39;", "'")
        assert "15 octobre 2026" in page and "16 novembre 2026" in page  # monthly remittances, recurring
        assert "marc@example.ca" in page  # who started the journey


def test_ticking_an_obligation_records_who_and_when(app, client, business, add_member, pinned_today):
    colleague = add_member(business.id, "marc@example.ca")
    answer_first_hire(colleague, business)
    key = _key(app, business, "inscription-cnesst")
    response = client.post(f"{business.url}/obligations", data={"obligation": key, "action": "done"})
    assert response.status_code == 302
    page = colleague.get(business.url).get_data(as_text=True)
    assert "ana@example.ca" in page and "parcours-obligation-done" in page
    calendar = client.get(f"{business.url}/echeances.ics").get_data(as_text=True)
    assert "SUMMARY:Vous inscrire comme employeur à la CNESST" not in calendar  # done: not in the calendar
    colleague.post(f"{business.url}/obligations", data={"obligation": key, "action": "reopen"})
    assert "parcours-obligation-done" not in client.get(business.url).get_data(as_text=True)


def test_the_calendar_lists_the_next_due_dates(app, client, business, pinned_today):
    answer_first_hire(client, business)
    response = client.get(f"{business.url}/echeances.ics")
    assert response.mimetype == "text/calendar" and response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    for day in ("20261015", "20261116", "20261215", "20270115", "20261114", "20270301"):
        assert f"DTSTART;VALUE=DATE:{day}" in body
    assert "X-WR-CALNAME:Boulangerie du Quartier" in body


def test_an_unknown_obligation_cannot_be_ticked(app, client, business, pinned_today):
    answer_first_hire(client, business)
    response = client.post(f"{business.url}/obligations", data={"obligation": "autre|inscription-cnesst|", "action": "done"})
    assert response.status_code == 404


def _key(app, business, step_id):
    from datetime import date

    from app.entreprises.dossier import obligations

    with app.test_request_context():
        found = [o for o in obligations(business.id, date.fromisoformat(TODAY)) if o.step_id == step_id]
    return found[0].key
