"""Every journey with a declaration, on every one of its scenarios: the review offers exactly the
scenario's recipients (none when the answers say so), each with at most its listed fields, and what
is submitted passes the registries' schemas (content and registries agree on real answers)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.core.db import db
from app.declarations.models import Delivery
from tests.declarations.conftest import make_citizen, make_run

JOURNEYS = Path(__file__).resolve().parents[2] / "journeys"


def scenarios():
    for path in sorted(JOURNEYS.glob("*.yaml")):
        definition = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(definition, dict) or not definition.get("declaration"):
            continue
        for scenario in sorted((JOURNEYS / "tests" / definition["id"]).glob("*.yaml")):
            yield pytest.param(definition["id"], scenario, id=f"{definition['id']}/{scenario.stem}")


@pytest.mark.parametrize("journey_id, scenario", list(scenarios()))
def test_real_answers_make_declarations_the_registries_accept(app, client, make_worker, clock, journey_id, scenario):
    from app.auth.testing import login

    data = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    app.config["TODAY"] = str(data["today"])
    try:
        user_id = make_citizen(app)
        run_id = make_run(app, user_id, answers=data["answers"], journey_id=journey_id)
        login(client)
        with client.session_transaction() as session:
            session["runs"] = {journey_id: run_id}
        url = f"/parcours/{journey_id}/declaration"
        response = client.get(url)
        if response.status_code == 302:  # a scenario that stops early has nothing to declare yet
            pytest.skip(f"{scenario.name}: the journey is not complete with these answers")
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        boxes = [box["name"] for box in page.select("input[type=checkbox][name^=consent-]")]
        sections = page.select("section.parcours-declaration-partner")
        recipients = data["recipients"]
        assert [s["id"].removeprefix("partner-") for s in sections] == list(recipients)
        for section in sections:  # never more than the fields the scenario lists
            organisation = section["id"].removeprefix("partner-")
            sent = {row["id"].removeprefix(f"partner-{organisation}-") for row in section.select("tbody tr")
                    if "parcours-missing" not in (row.get("class") or [])}
            assert sent <= set(recipients[organisation])
        if not recipients:  # nothing goes from here, and the page says why
            assert page.find(id="nothing-to-send") is not None
            assert page.find(id="declaration-form") is None
            return
        # Each organisation is either offered or explained (what is missing, how to reach it instead).
        assert len(boxes) + len(page.select(".parcours-declaration-blocked")) == len(sections) > 0
        if not boxes:
            return
        form = {"fingerprint": page.find("input", attrs={"name": "fingerprint"})["value"], "attestation": "oui"}
        form |= {name: "oui" for name in boxes}
        assert client.post(url, data=form).status_code == 302
    finally:
        app.config["TODAY"] = None
    clock.now = datetime.now(timezone.utc) + timedelta(seconds=1)
    with app.app_context():
        make_worker().run_once()
        failures = {d.partner: d.last_error for d in db.session.scalars(select(Delivery)) if d.status != "delivered"}
    assert failures == {}

