"""Indicators for the studio's dashboard: businesses created and journeys completed, by sector."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.auth.testing import login
from app.entreprises.indicators import business_indicators
from tests.entreprises.conftest import BUSINESS_FORM
from tests.entreprises.test_dossier_entreprise import answer_first_hire, pinned_today  # noqa: F401


def test_counts_businesses_and_completed_journeys_by_sector(app, client, business, pinned_today):  # noqa: F811
    client.post("/entreprises/nouvelle", data={**BUSINESS_FORM, "name": "Rénovations Côté", "sector": "construction"})
    answer_first_hire(client, business)
    client.post(f"{business.url}/parcours", data={"parcours": "fermer-entreprise"})  # started, not completed: not counted
    with app.app_context():
        data = business_indicators()
        assert data.businesses_created == 2
        assert data.businesses_by_sector == {"restauration": 1, "construction": 1}
        assert data.journeys_completed_by_sector == {"restauration": {"embaucher-premier-employe": 1}}
        assert data.as_dict()["since"] is None
        later = business_indicators(since=datetime.now(timezone.utc) + timedelta(days=1))
        assert later.businesses_created == 0 and later.journeys_completed_by_sector == {}


def test_no_business_yet(app):
    with app.app_context():
        assert business_indicators().as_dict() == {
            "since": None, "businesses_created": 0, "businesses_by_sector": {}, "journeys_completed_by_sector": {}}
