"""Every page type is valid HTML for the W3C Nu checker (issue 11): one page of each kind is collected
through the test client — questionnaire pages of every question type, check and result pages,
search, accounts, Mon dossier, forms, declarations, errors — and the checker runs once over all
of them (it is slow to start). `make test` installs the checker (`make vnu`: vnu-jar from npm)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from runner_helpers import JOURNEY, answer_all, item_url, question_url

from app.catalog import get_journey
from app.auth.testing import create_user, login
from app.core.config import PROJECT_ROOT
from app.core.db import db
from app.runner.models import Run

VNU_JAR = PROJECT_ROOT / ".venv" / "vnu" / "vnu.jar"


def checker() -> list[str]:
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        pytest.skip("the Nu HTML checker is not installed: `make vnu` (needs Java)")
    return [java, "-Xss4m", "-jar", str(VNU_JAR)]


def run_checker(folder: Path) -> list[str]:
    result = subprocess.run([*checker(), "--errors-only", "--format", "json", *sorted(map(str, folder.glob("*.html")))],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()[:120]}]"
            for m in messages if m.get("type") == "error"]


class Pages:
    def __init__(self, folder: Path):
        self.folder, self.count = folder, 0

    def keep(self, name: str, response) -> None:
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        assert response.mimetype == "text/html", name
        (self.folder / f"{name}.html").write_text(response.get_data(as_text=True), encoding="utf-8")
        self.count += 1


def collect_questionnaire(pages: Pages, client) -> None:
    pages.keep("home", client.get("/"))
    pages.keep("search", client.get("/?q=naissance"))
    pages.keep("start", client.get(f"/parcours/{JOURNEY}"))
    client.post(f"/parcours/{JOURNEY}/commencer")
    pages.keep("question-choice", client.get(question_url("type_evenement")))
    pages.keep("question-choice-error", client.post(question_url("type_evenement"), data={}))
    client.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    pages.keep("question-date", client.get(question_url("date_evenement")))
    pages.keep("question-date-error", client.post(question_url("date_evenement"), data={"date_evenement": "x"}))
    answer_all(client)
    pages.keep("question-yesno", client.get(question_url("au_quebec")))
    pages.keep("question-text", client.get(question_url("hopital")))
    pages.keep("question-number", client.get(question_url("revenu")))
    pages.keep("question-multichoice", client.get(question_url("besoins")))
    pages.keep("group", client.get(question_url("enfants")))
    pages.keep("item-question", client.get(item_url("enfants", 0, "prenom")))
    pages.keep("remove-item", client.get(f"/parcours/{JOURNEY}/questions/enfants/0/retirer"))
    pages.keep("question-address", client.get(question_url("nouvelle_adresse")))
    pages.keep("question-person", client.get(question_url("parent")))
    pages.keep("question-person-error", client.post(question_url("parent"), data={"parent.given_names": "A"}))
    pages.keep("check", client.get(f"/parcours/{JOURNEY}/verifier"))
    client.post(f"/parcours/{JOURNEY}/verifier")
    pages.keep("result", client.get(f"/parcours/{JOURNEY}/resultat"))
    pages.keep("result-print", client.get(f"/parcours/{JOURNEY}/resultat?imprimer=1"))
    pages.keep("not-found", client.get("/parcours/inconnu"))


def collect_accounts_and_dossier(pages: Pages, app) -> None:
    client = app.test_client()
    client.get("/langue/fr")
    for name, path in [("login", "/connexion"), ("register", "/inscription"), ("forgot", "/mot-de-passe-oublie"),
                       ("privacy", "/confidentialite")]:
        pages.keep(name, client.get(path))
    pages.keep("login-error", client.post("/connexion", data={"email": "x", "password": ""}))
    with app.app_context():
        user = create_user("valide@example.ca")
        run = Run(journey_id="devenir-parent", journey_version=get_journey("devenir-parent").version,
                  status="completed", user_id=user.id,
                  answers={"type_evenement": "naissance", "date_naissance": "2026-02-20"})
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    login(client, "valide@example.ca")
    for name, path in [("dossier", "/mon-dossier"), ("profile", "/mon-dossier/profil"),
                       ("my-data", "/mon-dossier/mes-donnees"), ("delete-account", "/mon-dossier/supprimer"),
                       ("run-plan", f"/mon-dossier/parcours/{run_id}"),
                       ("delete-run", f"/mon-dossier/parcours/{run_id}/supprimer"),
                       ("my-forms", "/mon-dossier/formulaires"),
                       ("government", "/mon-dossier/informations-gouvernementales"),
                       ("declarations", "/mon-dossier/declarations")]:
        response = client.get(path)
        if response.status_code == 404 and name == "declarations":
            continue
        pages.keep(name, response)
    pages.keep("profile-error", client.post("/mon-dossier/profil", data={"birth_date": "31/02/1990", "postal_code": "x"}))
    collect_business_space(pages, app, client)


def collect_business_space(pages: Pages, app, client) -> None:
    """The business space of the signed-in `client`: its pages and the members' pages, errors included."""
    from app.entreprises.models import COLLABORATOR, BusinessMember
    from tests.entreprises.conftest import BUSINESS_FORM

    pages.keep("business-home", client.get("/entreprises"))
    pages.keep("business-create", client.get("/entreprises/nouvelle"))
    business = client.post("/entreprises/nouvelle", data=BUSINESS_FORM).location.rstrip("/")
    with app.app_context():
        colleague = create_user("collegue@example.ca")
        db.session.add(BusinessMember(business_id=business.split("/")[-1], user_id=colleague.id, role=COLLABORATOR))
        db.session.commit()
        own, other = (m.id for m in db.session.query(BusinessMember).order_by(BusinessMember.id))
    for name, path in [("business", business), ("business-members", f"{business}/membres"),
                       ("member-role", f"{business}/membres/{other}/role"),
                       ("member-remove", f"{business}/membres/{other}/retirer")]:
        pages.keep(name, client.get(path))
    pages.keep("member-role-error", client.post(f"{business}/membres/{own}/role", data={"role": COLLABORATOR}))
    pages.keep("member-remove-error", client.post(f"{business}/membres/{own}/retirer"))


def test_every_page_type_is_valid_html(runner_app, rclient, app, tmp_path):
    command = checker()
    assert command
    pages = Pages(tmp_path)
    collect_questionnaire(pages, rclient)
    collect_accounts_and_dossier(pages, app)
    assert pages.count >= 30
    errors = run_checker(tmp_path)
    assert not errors, f"{len(errors)} HTML error(s) over {pages.count} pages:\n  " + "\n  ".join(errors)
