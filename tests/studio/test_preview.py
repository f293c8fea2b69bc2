"""Preview runs the draft through the real questionnaire, marked as a draft, with a way back to the
editor from every question; preview runs never mix with real runs; a preview run becomes a scenario."""
from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.core.config import PROJECT_ROOT
from app.core.db import db
from app.runner.mode import PREVIEW_VERSION
from app.runner.models import Run

SOURCE = (PROJECT_ROOT / "journeys" / "demenager.yaml").read_text(encoding="utf-8")
NEW_LABEL = "Quelle est la date du déménagement?"


def _draft(client):
    client.post("/studio/parcours/demenager/brouillon/creer")
    client.post("/studio/parcours/demenager/brouillon",
                data={"source": SOURCE.replace("À quelle date déménagez-vous?", NEW_LABEL)})


def test_preview_shows_the_draft_through_the_runner_with_a_link_back(editor, app, client):
    _draft(editor)
    start = editor.get("/studio/apercu/parcours/demenager")
    assert start.status_code == 200 and "preview-banner" in start.get_data(as_text=True)
    begun = editor.post("/studio/apercu/parcours/demenager/commencer")
    assert begun.headers["Location"].startswith("/studio/apercu/parcours/demenager/questions/")
    page = editor.get(begun.headers["Location"])
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert NEW_LABEL in soup.h1.get_text()
    assert soup.select_one("#edit-this-question")["href"] == \
        "/studio/parcours/demenager/brouillon?question=date_demenagement"
    assert soup.select_one("main form")["action"].startswith("/studio/apercu/")
    with app.app_context():
        run = db.session.execute(select(Run)).scalar_one()
        assert run.journey_version == PREVIEW_VERSION
    # The citizen side still shows the published text, and the preview run is not the staff's real run.
    assert editor.get("/parcours/demenager/questions/date_demenagement").status_code == 302
    client.post("/parcours/demenager/commencer")
    assert "À quelle date déménagez-vous?" in client.get("/parcours/demenager/questions/date_demenagement").get_data(as_text=True)


def test_preview_is_a_404_for_citizens_and_visitors(editor, citizen, client):
    _draft(editor)
    assert citizen.get("/studio/apercu/parcours/demenager", check_page=False).status_code == 404
    assert client.get("/studio/apercu/parcours/demenager", check_page=False).status_code == 404
    assert client.post("/studio/apercu/parcours/demenager/commencer", check_page=False).status_code == 404


def answer_simple_run(client, prefix="/studio/apercu/parcours/demenager"):
    """Answer every question of Déménager with the first option (or a date), as a citizen would."""
    location = client.post(f"{prefix}/commencer").headers["Location"]
    for _ in range(40):
        if not location.startswith(f"{prefix}/questions/"):
            break
        html = client.get(location).get_data(as_text=True)
        soup = BeautifulSoup(html, "html.parser")
        form = soup.select_one("main form[method=post]")
        data = {}
        radio = form.select_one("input[type=radio]")
        if radio is not None:
            data[radio["name"]] = radio["value"]
        elif form.select_one("input[type=checkbox]") is not None:
            box = form.select_one("input[type=checkbox]")
            data[box["name"]] = box["value"]
        else:
            for field in form.select("input[type=text], textarea"):
                name = field["name"]
                is_date = "date" in name or ("2026-03-14" in html and "." not in name)
                data[name] = ("2026-07-01" if is_date else "H2X 1Y4" if name.endswith("postal_code")
                              else "1" if field.get("inputmode") in ("numeric", "decimal") else "Montréal")
            for select_ in form.select("select"):
                chosen = select_.select_one("option[selected]") or select_.select_one("option")
                data[select_["name"]] = chosen["value"]
        response = client.post(form["action"], data=data)
        assert response.status_code == 302, location
        location = response.headers["Location"]
    return location


def test_plan_preview_explains_each_step_and_saves_as_a_scenario(editor, app):
    _draft(editor)
    check = answer_simple_run(editor)
    assert check.endswith("/verifier")
    plan = editor.post(check)
    assert plan.headers["Location"] == "/studio/apercu/parcours/demenager/resultat"
    page = editor.get(plan.headers["Location"])
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    notes = [p.get_text() for p in soup.select(".parcours-preview-note")]
    assert notes and all("Aperçu" in note for note in notes)
    saved = editor.post("/studio/parcours/demenager/brouillon/scenarios/enregistrer", data={"name": "08-apercu"})
    assert saved.headers["Location"] == "/studio/parcours/demenager/brouillon/scenarios"
    results = BeautifulSoup(editor.get(saved.headers["Location"]).get_data(as_text=True), "html.parser")
    assert "Réussit" in results.select_one("#scenario-08-apercu").get_text()


def test_preview_in_english_shows_the_draft_in_english(editor):
    editor.post("/studio/parcours/demenager/brouillon/creer")
    editor.post("/studio/parcours/demenager/brouillon",
                data={"source": SOURCE.replace("On what date are you moving?", "When is the move?")})
    journey_page = BeautifulSoup(editor.get("/studio/parcours/demenager").get_data(as_text=True), "html.parser")
    switch = journey_page.select_one("#preview-draft-other-language")["href"]
    assert editor.get(switch).headers["Location"] == "/studio/apercu/parcours/demenager"
    begun = editor.post("/studio/apercu/parcours/demenager/commencer")
    page = editor.get(begun.headers["Location"])
    text = page.get_data(as_text=True)
    assert "When is the move?" in text and "Preview of the draft" in text and 'lang="en"' in text


def test_a_preview_run_is_nobody_s_run(editor, app):
    _draft(editor)
    editor.post("/studio/apercu/parcours/demenager/commencer")
    with app.app_context():
        run = db.session.execute(select(Run)).scalar_one()
        assert run.user_id is None and run.journey_version == PREVIEW_VERSION
    assert "Déménager" not in BeautifulSoup(editor.get("/mon-dossier").get_data(as_text=True),
                                            "html.parser").select_one("main").get_text()
