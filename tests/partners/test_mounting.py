"""The registries as the portal serves them: mounted at /partenaires by `flask serve` (built lazily,
with the portal's secret), and alone at the same prefix for `flask partners serve` / gunicorn."""
from __future__ import annotations

import json

from werkzeug.test import Client

from app.core.serve import build_wsgi
from app.partners import LazyPartnersApp, registry_ids, signing
from app.partners.cli import standalone_wsgi
from tests.partners.conftest import SECRET, birth


def signed_post(client, path, payload, secret, key="k-1"):
    body = json.dumps(payload).encode()
    return client.post("/partenaires" + path, data=body, headers={
        "Content-Type": "application/json", "Idempotency-Key": key,
        signing.HEADER: signing.sign(secret, "POST", path, body)})


def test_the_portal_mounts_the_registries_and_registers_the_worker(app, tmp_path):
    from app.declarations.worker import delivery_service

    mount = app.extensions["mounts"]["/partenaires"]
    assert isinstance(mount, LazyPartnersApp)
    assert delivery_service in app.extensions["background_services"]
    previous = app.config["PARTNERS_DATABASE_URL"]
    app.config["PARTNERS_DATABASE_URL"] = f"sqlite:///{tmp_path / 'mounted.db'}"
    try:
        client = Client(build_wsgi(app))
        response = signed_post(client, "/ramq/v1/declarations", birth(), app.config["PARTNER_HMAC_SECRET"])
        assert response.status_code == 201
        assert client.get("/partenaires/").json["registries"] == sorted(registry_ids(app.config["JOURNEYS_DIR"]))
    finally:
        app.config["PARTNERS_DATABASE_URL"] = previous


def test_standalone_registries_answer_under_the_same_prefix(tmp_path):
    wsgi = standalone_wsgi({"DATABASE_URL": f"sqlite:///{tmp_path / 'alone.db'}", "HMAC_SECRET": SECRET})
    client = Client(wsgi)
    assert signed_post(client, "/saaq/v1/declarations", birth(), SECRET).status_code == 201
    assert client.get("/ramq/v1/declarations").status_code == 404


def test_one_registry_per_partner_api_in_organisations_yaml(app):
    ids = registry_ids(app.config["JOURNEYS_DIR"])
    for expected in ("dec", "ramq", "retraite-quebec", "revenu-quebec", "arc", "service-canada", "rqap", "saaq",
                     "elections-quebec", "mess"):
        assert expected in ids


def test_every_journey_declaration_uses_the_registries_vocabulary(app):
    """The journeys' partner field names are the ones the registries validate (content cannot drift)."""
    from app.catalog import get_catalog
    from app.partners.schemas import REQUIRED_BY_KIND, accepted_fields

    with app.app_context():
        catalog = get_catalog()
    declared = 0
    for journey in catalog.journeys.values():
        if journey.declaration is None:
            continue
        kind = journey.declaration.kind
        for partner in journey.declaration.partners:
            assert set(partner.fields) <= set(accepted_fields(partner.organisation, kind)), (journey.id, partner.organisation)
            assert set(REQUIRED_BY_KIND[kind]) <= set(partner.fields), (journey.id, partner.organisation)
            assert catalog.organisations[partner.organisation].partner_api in registry_ids(app.config["JOURNEYS_DIR"])
            declared += 1
    assert declared >= 3
