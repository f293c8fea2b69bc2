"""Bad input never gives a 500: control characters are refused with a clear French message wherever
a citizen types, and answers stored with extreme dates still show their plan, calendar and Mon dossier."""
from __future__ import annotations

import pytest

from app.auth.testing import STRONG_PASSWORD, login
from tests.dossier.conftest import BIRTH_ANSWERS, VALID_PROFILE

CONTROL_MESSAGE = "Retirez les caractères de contrôle invisibles de ce champ."


@pytest.mark.parametrize("path, data", [
    ("/inscription", {"email": "ana\x00@example.ca", "password": STRONG_PASSWORD}),
    ("/connexion", {"email": "ana@example.ca\x00", "password": "x"}),
    ("/mot-de-passe/oublie", {"email": "\x00ana@example.ca"}),
])
def test_control_characters_in_account_forms_get_a_clear_message(client, path, data):
    response = client.post(path, data=data)
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize("field", ["given_names", "family_name", "address.street", "address.city"])
def test_control_characters_in_the_profile_get_a_clear_message(client, user, field):
    valid_profile = dict(VALID_PROFILE)
    login(client)
    response = client.post("/mon-dossier/profil", data={**valid_profile, field: "Ana\x00Tremblay"})
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.get_data(as_text=True)


def test_a_control_character_in_a_questionnaire_answer_is_refused(client):
    client.post("/parcours/devenir-parent/commencer")
    response = client.post("/parcours/devenir-parent/questions/date_naissance",
                           data={"date_naissance": "2026-02-20\x00"})
    assert response.status_code == 200
    assert "Retirez les caractères de contrôle invisibles de cette réponse." in response.get_data(as_text=True)


def test_an_implausible_date_answer_names_the_allowed_range(client):
    client.post("/parcours/devenir-parent/commencer")
    response = client.post("/parcours/devenir-parent/questions/date_naissance", data={"date_naissance": "9999-12-31"})
    assert response.status_code == 200
    assert "Entrez une date entre le" in response.get_data(as_text=True)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_runs_saved_with_extreme_dates_still_show_plan_calendar_and_dossier(app, client, user, day):
    from app.core.db import db
    from app.runner.models import Run

    from app.catalog import get_journey

    with app.app_context():
        version = get_journey("devenir-parent").version
        run = Run(journey_id="devenir-parent", journey_version=version, status="completed", user_id=user.id,
                  answers={**BIRTH_ANSWERS, "date_naissance": day})
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    login(client)
    assert client.get("/mon-dossier").status_code == 200
    assert client.get(f"/mon-dossier/parcours/{run_id}/reprendre").status_code == 302
    assert client.get("/parcours/devenir-parent/resultat").status_code == 200
    ics = client.get("/parcours/devenir-parent/resultat.ics")
    assert ics.status_code == 200 and "BEGIN:VCALENDAR" in ics.get_data(as_text=True)
