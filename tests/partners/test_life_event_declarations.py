"""The registries accept the déclarations uniques of the four life events (installation,
perte_autonomie, union, separation) exactly as the journeys build them, and refuse any field a
registry does not need (least data checked on the registry side too)."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.journeys import load_catalog
from app.journeys.engine import current_answers
from app.journeys.scenarios import read_scenario
from app.journeys.sources import parse_source, resolve
from app.partners.schemas import accepted_fields, required_fields

JOURNEYS = Path(__file__).resolve().parents[2] / "journeys"
NEW_JOURNEYS = ("s-installer-au-quebec", "perdre-son-autonomie", "se-marier", "se-separer")
PROFILE = {"given_names": "Marie", "family_name": "Tremblay", "birth_date": "1980-01-31", "sin": "046454286"}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(JOURNEYS)


def _payloads(catalog):
    for journey_id in NEW_JOURNEYS:
        journey = catalog.get(journey_id)
        for path in sorted((JOURNEYS / "tests" / journey_id).glob("*.yaml")):
            scenario = read_scenario(path)
            answers = current_answers(journey, scenario.answers, scenario.today)
            for partner in journey.partners_to_send(answers, scenario.today):
                data = {name: resolve(parse_source(text), answers, PROFILE, {}) for name, text in partner.fields.items()}
                data = {name: value for name, value in data.items() if value is not None}
                registry = catalog.organisations[partner.organisation].partner_api
                yield f"{journey_id}/{path.stem}/{registry}", journey.declaration.kind, registry, data


@pytest.mark.parametrize("journey_id", NEW_JOURNEYS)
def test_every_partner_field_is_one_its_registry_accepts(catalog, journey_id):
    journey = catalog.get(journey_id)
    for partner in journey.declaration.partners:
        registry = catalog.organisations[partner.organisation].partner_api
        assert registry, partner.organisation
        accepted = accepted_fields(registry, journey.declaration.kind)
        assert set(partner.fields) <= set(accepted), (registry, set(partner.fields) - set(accepted))
        assert set(required_fields(registry, journey.declaration.kind)) <= set(partner.fields), registry


def test_each_scenario_declaration_is_received_by_its_registry(api, catalog):
    sent = 0
    for name, kind, registry, data in _payloads(catalog):
        body = {"kind": kind, "schema_version": 1, "declaration_id": f"DU-TEST-{sent:04d}", "data": data}
        response = api.post(f"/{registry}/v1/declarations", body, key=f"key-{sent}")
        assert response.status_code == 201, (name, response.get_json())
        sent += 1
    assert sent >= 15


@pytest.mark.parametrize("registry, kind, extra", [
    ("ramq", "union", {"sin": "046454286"}),             # the RAMQ needs no NAS to record a union
    ("ramq", "separation", {"sin": "046454286"}),
    ("elections-quebec", "installation", {"immigration_status": "citoyen"}),
    ("cisss", "perte_autonomie", {"reason": "anything"}),  # outside the vocabulary
    ("arc", "separation", {"custody": "partagee"}),
])
def test_a_field_the_registry_does_not_need_is_refused(api, registry, kind, extra):
    base = {
        "union": {"union_type": "mariage", "union_date": "2026-05-16"},
        "separation": {"separation_date": "2026-01-05"},
        "installation": {"new_address": {"street": "1, rue A", "city": "Laval"}, "arrival_date": "2026-07-01"},
        "perte_autonomie": {"person_family_name": "Gagnon", "person_birth_date": "1942-03-14",
                            "new_living_setting": "chsld_ri"},
    }[kind]
    body = {"kind": kind, "schema_version": 1, "declaration_id": "DU-TEST-X", "data": {**base, **extra}}
    response = api.post(f"/{registry}/v1/declarations", body, key="k-extra")
    assert response.status_code == 422
    assert {error["field"] for error in response.get_json()["errors"]} == {f"data.{name}" for name in extra}
    accepted = api.post(f"/{registry}/v1/declarations", {**body, "data": base}, key="k-base")
    assert accepted.status_code == 201


def test_a_choice_value_outside_the_journey_options_is_refused(api):
    body = {"kind": "separation", "schema_version": 1, "declaration_id": "DU-TEST-Y",
            "data": {"separation_date": "2026-01-05", "custody": "the children hate him"}}
    assert api.post("/ramq/v1/declarations", body, key="k-free-text").status_code == 422
