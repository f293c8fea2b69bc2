"""The registries' API against its OpenAPI document: the document is served and matches the code,
and schemathesis fuzzes every operation in-process (WSGI) — bodies valid and invalid, odd headers
and paths — with requests signed like the portal's, asserting the registries never answer 5xx."""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from app.partners import create_partners_app, signing
from app.partners.faults import FIELD_NAMES
from app.partners.openapi import FAULT_TYPES
from tests.partners.conftest import SECRET


def signing_middleware(app, secret=SECRET):
    """Signs each request as the portal would (fresh timestamp and nonce, its key and body), so the
    fuzzing reaches past the signature check into every handler."""
    def wsgi(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        key = environ.get("HTTP_IDEMPOTENCY_KEY", "")
        environ["HTTP_X_PARCOURS_SIGNATURE"] = signing.sign(secret, environ["REQUEST_METHOD"],
                                                            environ.get("PATH_INFO", ""), body, key)
        return app(environ, start_response)

    return wsgi


REGISTRIES = create_partners_app({"DATABASE_URL": f"sqlite:///{Path(tempfile.mkdtemp()) / 'fuzz.db'}",
                                  "HMAC_SECRET": SECRET})
schema = schemathesis.openapi.from_wsgi("/openapi.json", signing_middleware(REGISTRIES))
# Setting faults on purpose makes the registry answer 5xx (that is what they are for): not fuzzed.
fuzzed = schema.exclude(operation_id="putFaults")


@fuzzed.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_operation_answers_5xx(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])


def test_the_document_is_served_unsigned_and_lists_every_registry():
    client = REGISTRIES.test_client()
    document = client.get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]["/{org}/v1/lookups"]["post"]["parameters"][0]["schema"]["enum"]) == \
        REGISTRIES.extensions["partners"].organisations
    assert set(FAULT_TYPES) == set(FIELD_NAMES)  # every fault the registries know is documented


def test_absurd_fault_settings_are_refused(tmp_path):
    from tests.partners.conftest import SignedClient

    api = SignedClient(create_partners_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}", "HMAC_SECRET": SECRET}))
    for settings_ in ({"timeout_seconds": 1e9}, {"latency_ms": 10**12}, {"fail_next": 10**18}):
        assert api.put("/dec/v1/admin/faults", settings_).status_code == 422, settings_
