"""Indicators computed from seeded runs, feedback and deliveries match values worked out by hand;
citizens' comments are scrubbed of personal data; staff answer and close what citizens report."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.catalog import get_journey
from app.core.db import db
from app.studio.indicators import percentile
from app.studio.models import COMPLAINT, STEP_REPORT, Feedback
from app.studio.scrub import scrub

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def seed(app):
    from app.declarations.models import DEAD, DELIVERED, FAILED, Declaration, Delivery
    from app.runner.models import Run

    with app.app_context():
        published = get_journey("demenager").version  # the runs' version: the one citizens are served

        def run(status, hours, answers=None, version=published):
            db.session.add(Run(journey_id="demenager", journey_version=version, answers=answers or {},
                               status=status, created_at=T0, updated_at=T0 + timedelta(hours=hours)))
        first, _ = first_two_questions(app)
        run("completed", 1)
        run("completed", 2)
        run("completed", 6)
        run("in_progress", 0)                                              # stopped at the first question
        run("in_progress", 0, {first: "2026-07-01"})                        # stopped at the second
        run("in_progress", 0, {first: "2026-07-01"})
        run("completed", 100, version=0)                                    # a preview run: never counted
        declaration = Declaration(number="D-1", user_id=1, run_id="r1", journey_id="demenager", journey_version=published,
                                  kind="changement_adresse", consent={})
        db.session.add(declaration)
        db.session.flush()
        for index, (status, seconds) in enumerate([(DELIVERED, 1), (DELIVERED, 2), (DELIVERED, 3), (DELIVERED, 10),
                                                   (FAILED, None), (DEAD, None)]):
            db.session.add(Delivery(declaration_id=declaration.id, organisation="rq", partner="revenu-quebec",
                                    idempotency_key=f"k{index}", payload_encrypted="x", status=status,
                                    created_at=T0, delivered_at=T0 + timedelta(seconds=seconds) if seconds else None))
        for helpful in (True, True, True, False):
            db.session.add(Feedback(kind="helpful", journey_id="demenager", helpful=helpful))
        db.session.commit()


def first_two_questions(app) -> tuple[str, str]:
    """The ids of the journey's first two questions, as the file orders them (the first is the date)."""
    with app.app_context():
        questions = get_journey("demenager").journey.questions
        return questions[0].id, questions[1].id


def values(client) -> dict:
    rows = csv.DictReader(io.StringIO(client.get("/studio/indicateurs.csv").get_data(as_text=True)))
    return {row["key"]: row for row in rows}


def test_indicators_match_hand_computed_values(publisher, app):
    seed(app)
    got = values(publisher)
    assert float(got["journey.demenager.starts"]["value"]) == 6
    assert float(got["journey.demenager.completions"]["value"]) == 3
    assert float(got["journey.demenager.completion_rate"]["value"]) == 50.0
    assert float(got["journey.demenager.median_hours"]["value"]) == 2  # of 1, 2 and 6 hours
    first, second = first_two_questions(app)
    assert float(got[f"journey.demenager.dropped_at.{first}"]["value"]) == 1
    assert float(got[f"journey.demenager.dropped_at.{second}"]["value"]) == 2
    assert float(got["service.satisfaction"]["value"]) == 75.0
    assert float(got["service.accounts"]["value"]) == 1  # the citizen; staff accounts are not counted
    assert float(got["partner.revenu-quebec.deliveries"]["value"]) == 6
    assert float(got["partner.revenu-quebec.success_rate"]["value"]) == 66.7  # 4 delivered of 6 settled
    assert float(got["partner.revenu-quebec.median_seconds"]["value"]) == 2.5
    assert float(got["partner.revenu-quebec.p95_seconds"]["value"]) == 10
    assert float(got["partner.revenu-quebec.dead_letters"]["value"]) == 1


def test_targets_say_met_or_not_met_and_dead_letters_replay(publisher, app):
    seed(app)
    page = publisher.post("/studio/indicateurs/cibles", data={"cible-service.satisfaction": "90",
                                                               "cible-journey.demenager.completion_rate": "40"})
    assert page.status_code == 302
    got = values(publisher)
    assert got["service.satisfaction"]["met"] == "0" and got["journey.demenager.completion_rate"]["met"] == "1"
    soup = BeautifulSoup(publisher.get("/studio/indicateurs").get_data(as_text=True), "html.parser")
    assert "Non atteinte" in soup.select_one('tr[data-key="service.satisfaction"]').get_text()
    button = soup.select_one("#dead-letters form")
    assert publisher.post(button["action"]).status_code == 302
    assert float(values(publisher)["partner.revenu-quebec.dead_letters"]["value"]) == 0


def test_percentile_is_nearest_rank():
    assert percentile([1, 2, 3, 10], 0.95) == 10
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([], 0.5) is None


def test_comments_are_scrubbed_of_personal_data():
    text = scrub("Écrivez à ana@example.ca ou au 514 555-1234, NAS 046 454 286, H2X 1Y4, ABCD 1234 5678")
    for secret in ("ana@example.ca", "555-1234", "046 454 286", "H2X 1Y4", "ABCD"):
        assert secret not in text


def test_citizens_report_a_step_and_complain_and_staff_answer(client, publisher, app):
    page = client.get("/avis/parcours/demenager/etape")
    assert page.status_code == 200
    refused = client.post("/avis/parcours/demenager/etape", data={"etape": "aviser-proprietaire"})
    assert refused.status_code == 200 and "Erreur" in refused.get_data(as_text=True)
    sent = client.post("/avis/parcours/demenager/etape",
                       data={"etape": "aviser-proprietaire", "comment": "Le délai a changé, écrivez-moi à ana@example.ca"})
    assert sent.headers["Location"] == "/avis/merci"
    client.post("/avis/plainte?parcours=demenager", data={"comment": "Trop long"})
    client.post("/avis/parcours/demenager/utile", data={"helpful": "non", "comment": "Appelez le 514-555-1234"})
    with app.app_context():
        stored = db.session.execute(select(Feedback).order_by(Feedback.id)).scalars().all()
        assert [f.kind for f in stored] == [STEP_REPORT, COMPLAINT, "helpful"]
        assert "ana@example.ca" not in stored[0].comment and "514-555-1234" not in stored[2].comment
        report_id = stored[0].id
    listing = publisher.get("/studio/avis").get_data(as_text=True)
    assert "aviser-proprietaire" in listing and "Trop long" in listing
    answered = publisher.post(f"/studio/avis/{report_id}", data={"answer": "Délai corrigé", "close": "oui"})
    assert answered.status_code == 302
    assert "Délai corrigé" not in publisher.get("/studio/avis").get_data(as_text=True)
    assert f"feedback-{report_id}" in publisher.get("/studio/avis?etat=fermes").get_data(as_text=True)


def test_the_plan_page_offers_the_feedback_widget(client):
    from tests.studio.test_preview import answer_simple_run

    check = answer_simple_run(client, prefix="/parcours/demenager")
    client.post(check)
    page = BeautifulSoup(client.get("/parcours/demenager/resultat").get_data(as_text=True), "html.parser")
    assert page.select_one("#helpful-form") is not None and page.select_one("#file-complaint") is not None


def test_a_flood_of_feedback_from_one_address_is_refused(app, client):
    previous = app.config["FEEDBACK_PER_IP"]
    app.config["FEEDBACK_PER_IP"] = "2 per hour"
    try:
        codes = [client.post("/avis/plainte", data={"comment": "Encore"}, check_page=False).status_code
                 for _ in range(3)]
    finally:
        app.config["FEEDBACK_PER_IP"] = previous
        from app.auth.limits import limiter

        limiter.reset()
    assert codes == [302, 302, 429]
