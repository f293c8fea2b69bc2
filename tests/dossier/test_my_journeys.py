"""Mon dossier as a citizen expects it (issue 11): starting over does not duplicate a journey, two
journeys of one kind can be told apart, a journey can be deleted (confirmed, owned, CSRF), and
"Mes données" reads as words — dates in the reader's language, names instead of ids, no JSON."""
from __future__ import annotations

import json

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.core.db import db
from app.dossier.models import StepProgress
from app.runner.models import Run


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True).replace("\u00a0", " "), "html.parser")


def runs_of(app, user_id) -> list:
    with app.app_context():
        return list(db.session.execute(select(Run).where(Run.user_id == user_id)).scalars())


def test_starting_over_an_unfinished_journey_reuses_the_same_run(app, client, user, signed_in):
    client.post("/parcours/demenager/commencer")
    client.post("/parcours/demenager/questions/date_demenagement", data={"date_demenagement": "2026-07-01"})
    assert len(runs_of(app, user.id)) == 1
    start = soup(client.get("/parcours/demenager"))
    assert "efface les réponses" in start.find(id="start-over-hint").get_text()
    client.post("/parcours/demenager/commencer")
    runs = runs_of(app, user.id)
    assert len(runs) == 1 and runs[0].answers == {}
    home = soup(client.get("/mon-dossier"))
    assert len(home.select("li.parcours-run")) == 1


def test_starting_over_a_completed_journey_keeps_its_plan(app, client, user, signed_in, make_run):
    run_id = make_run(user.id)
    with client.session_transaction() as session:
        session["runs"] = {"devenir-parent": run_id}
    assert "reste dans Mon dossier" in soup(client.get("/parcours/devenir-parent")).find(id="start-over-hint").get_text()
    client.post("/parcours/devenir-parent/commencer")
    assert {run.status for run in runs_of(app, user.id)} == {"completed", "in_progress"}


def test_two_runs_of_one_journey_are_told_apart(app, client, user, signed_in, make_run):
    first = make_run(user.id, answers={"type_evenement": "naissance", "date_naissance": "2026-02-20"})
    second = make_run(user.id, answers={"type_evenement": "naissance", "date_naissance": "2024-05-03"})
    home = soup(client.get("/mon-dossier"))
    first_item, second_item = home.find(id=f"run-{first}").get_text(" ", strip=True), home.find(id=f"run-{second}").get_text(" ", strip=True)
    assert first_item != second_item
    assert "20 février 2026" in first_item and "3 mai 2024" in second_item
    assert "Commencé le" in first_item
    titles = {soup(client.get(f"/mon-dossier/parcours/{run}")).title.get_text() for run in (first, second)}
    assert len(titles) == 2


def test_a_journey_is_deleted_after_confirmation(app, client, user, signed_in, make_run, today):
    run_id = make_run(user.id)
    with app.app_context():
        db.session.add(StepProgress(run_id=run_id, step_id="declarer-naissance", status="done"))
        db.session.commit()
    home = soup(client.get("/mon-dossier"))
    link = home.find(id=f"delete-run-{run_id}")["href"]
    confirm = soup(client.get(link))
    assert confirm.h1.get_text(strip=True) == "Supprimer ce parcours?"
    assert len(runs_of(app, user.id)) == 1  # a GET deletes nothing
    form = confirm.find("main").find("form", attrs={"method": "post"})
    response = client.post(form["action"], data={})
    assert response.status_code == 302, response.headers.get("Location")
    assert "supprime=1" in response.headers["Location"], response.headers["Location"]
    assert runs_of(app, user.id) == []
    with app.app_context():
        assert db.session.execute(select(StepProgress)).first() is None
    assert "Le parcours est supprimé." in soup(client.get(response.headers["Location"])).get_text()


def test_deleting_a_journey_needs_the_csrf_token(app, csrf_app, user, make_run):
    from app.auth.testing import login

    run_id = make_run(user.id)
    client = csrf_app.test_client()
    login(client)
    client.post(f"/mon-dossier/parcours/{run_id}/supprimer", data={})
    assert len(runs_of(app, user.id)) == 1


def test_my_data_reads_as_words(client, user, make_run, signed_in, valid_profile):
    client.post("/mon-dossier/profil", data={**valid_profile, "given_names": "Léa"})
    run_id = make_run(user.id)
    page = soup(client.get("/mon-dossier/mes-donnees"))
    text = page.find("main").get_text(" ", strip=True)
    assert run_id not in text  # no internal ids
    assert "\\u00e9" not in text and "&quot;" not in str(page.find("main"))
    assert "Devenir parent" in text and "devenir-parent" not in text
    assert "T" not in [part[10:11] for part in text.split() if len(part) > 18 and part[:4].isdigit()]  # no ISO timestamps
    assert "Connexion" in text  # the log in words
    exported = client.get("/mon-dossier/mes-donnees.json").get_data(as_text=True)
    assert "Léa" in exported and "\\u00e9" not in exported
    assert json.loads(exported)["profile"]["given_names"] == "Léa"
