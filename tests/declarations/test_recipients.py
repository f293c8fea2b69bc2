"""The déclaration unique goes only where the answers say: each partner's send_if is applied on the
review and again at submit, a partner left out says where to go instead, and the funeral home's
simplified transmission means nothing is sent twice."""
from __future__ import annotations

from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.core.db import db
from app.declarations.models import Delivery
from tests.declarations.conftest import make_citizen, make_run

SCENARIOS = Path(__file__).resolve().parents[2] / "journeys" / "tests"


def scenario(name: str) -> dict:
    return yaml.safe_load((SCENARIOS / name).read_text(encoding="utf-8"))


def open_review(app, client, journey_id: str, data: dict, answers: dict | None = None):
    from app.auth.testing import login

    app.config["TODAY"] = str(data["today"])
    run_id = make_run(app, make_citizen(app), answers=answers or data["answers"], journey_id=journey_id)
    login(client)
    with client.session_transaction() as session:
        session["runs"] = {journey_id: run_id}
    response = client.get(f"/parcours/{journey_id}/declaration")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser"), run_id


def offered(page) -> list[str]:
    return [s["id"].removeprefix("partner-") for s in page.select("section.parcours-declaration-partner")]


def test_an_adopted_child_is_not_declared_to_the_civil_registry_and_the_page_says_why(app, client):
    page, _ = open_review(app, client, "devenir-parent", scenario("devenir-parent/03-adoption.yaml"))
    assert "dec" not in offered(page)
    assert "pas de déclaration de naissance" in page.find(id="not-sent-dec").get_text()


def test_no_work_income_means_nothing_goes_to_the_rqap(app, client):
    page, _ = open_review(app, client, "devenir-parent", scenario("devenir-parent/02-jumeaux-enfant-handicape.yaml"))
    assert offered(page) == ["dec", "ramq", "retraite-quebec"]
    assert page.find(id="not-sent-rqap") is not None


def test_moving_without_recent_tax_returns_or_citizenship_leaves_out_revenu_quebec_and_elections(app, client):
    data = scenario("demenager/04-sans-declarations-revenus.yaml")
    page, _ = open_review(app, client, "demenager", data, {**data["answers"], "citoyen": False})
    assert offered(page) == ["ramq", "retraite-quebec"]  # no licence or vehicle: no SAAQ either
    assert "Donnez-la-lui directement" in page.find(id="not-sent-revenu-quebec").get_text()


def test_the_funeral_home_transmission_means_nothing_is_sent_twice(app, client):
    page, _ = open_review(app, client, "deces-proche", scenario("deces-proche/08-salon-funeraire-transmission.yaml"))
    assert offered(page) == []
    assert page.find(id="declaration-form") is None
    assert "nous n'envoyons rien d'ici" in page.find(id="declaration-notice-1").get_text()


def test_a_partner_left_out_cannot_be_forced_at_submit(app, client):
    data = scenario("devenir-parent/03-adoption.yaml")
    page, _ = open_review(app, client, "devenir-parent", data)
    form = {"fingerprint": page.find("input", attrs={"name": "fingerprint"})["value"], "attestation": "oui",
            "consent-ramq": "oui", "consent-dec": "oui"}
    response = client.post("/parcours/devenir-parent/declaration", data=form)
    assert response.status_code == 400  # a consent for an organisation never offered: tampered form
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0


def test_the_condition_is_computed_again_at_submit(app, client):
    from app.runner.models import Run

    data = scenario("devenir-parent/01-naissance-quebec-deux-parents.yaml")
    page, run_id = open_review(app, client, "devenir-parent", data)
    assert "rqap" in offered(page)
    with app.app_context():  # the answers change after the page was shown: no work income any more
        run = db.session.get(Run, run_id)
        run.answers = {**run.answers, "travail_parent": False}
        db.session.commit()
    form = {"fingerprint": page.find("input", attrs={"name": "fingerprint"})["value"], "attestation": "oui",
            "consent-rqap": "oui"}
    assert client.post("/parcours/devenir-parent/declaration", data=form).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0


def test_the_plan_offers_the_declaration_only_when_someone_would_receive_it(app, client):
    open_review(app, client, "deces-proche", scenario("deces-proche/08-salon-funeraire-transmission.yaml"))
    page = BeautifulSoup(client.get("/parcours/deces-proche/resultat").get_data(as_text=True), "html.parser")
    assert page.find(id="step-declarer-deces") is not None and page.find(id="declaration-cta") is None


def test_the_plan_offers_the_declaration_when_the_answers_give_recipients(app, client):
    open_review(app, client, "deces-proche", scenario("deces-proche/01-conjoint-mars.yaml"))
    page = BeautifulSoup(client.get("/parcours/deces-proche/resultat").get_data(as_text=True), "html.parser")
    assert page.find(id="declaration-cta") is not None
