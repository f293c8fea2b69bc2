"""The registries' API: signature, schema, idempotency, status, look-ups and simulated faults."""
from __future__ import annotations

import threading

from tests.partners.conftest import SECRET, SignedClient, birth

DECLARATIONS = "/ramq/v1/declarations"


def test_a_valid_signed_declaration_gets_a_reference_and_its_status_can_be_read(api):
    response = api.post(DECLARATIONS, birth(), key="k-1")
    assert response.status_code == 201
    reference = response.get_json()["reference"]
    assert reference.startswith("RAMQ-")
    status = api.get(f"{DECLARATIONS}/{reference}")
    assert status.status_code == 200
    assert status.get_json() == {**status.get_json(), "reference": reference, "status": "received"}
    assert api.get(f"{DECLARATIONS}/RAMQ-NOPE").status_code == 404


def test_missing_or_wrong_signature_is_refused_with_401(registries, api):
    plain = registries.test_client()
    assert plain.post(DECLARATIONS, json=birth(), headers={"Idempotency-Key": "k"}).status_code == 401
    assert api.post(DECLARATIONS, birth(), key="k", secret="not-the-secret").status_code == 401
    # A body signed for one registry cannot be replayed at another.
    signed_for_ramq = api.post(DECLARATIONS, birth(), key="k").request.headers["X-Parcours-Signature"]
    replay = plain.post("/saaq/v1/declarations", json=birth(), headers={
        "Idempotency-Key": "k", "X-Parcours-Signature": signed_for_ramq})
    assert replay.status_code == 401
    assert api.get(f"{DECLARATIONS}/RAMQ-X", secret="wrong").status_code == 401


def test_a_declaration_outside_the_schema_gets_422_with_each_field_error(api):
    payload = birth(child_birth_date="20 février", parent_sin="12345", favourite_colour="bleu")
    response = api.post(DECLARATIONS, payload, key="k-bad")
    assert response.status_code == 422
    fields = {error["field"] for error in response.get_json()["errors"]}
    assert fields == {"data.child_birth_date", "data.parent_sin", "data.favourite_colour"}
    missing = api.post(DECLARATIONS, {"kind": "deces", "schema_version": 1, "declaration_id": "D", "data": {}}, key="k2")
    assert {e["field"] for e in missing.get_json()["errors"]} == {"data.deceased_family_name", "data.death_date"}
    unknown_kind = api.post(DECLARATIONS, {"kind": "mariage"}, key="k3")
    assert unknown_kind.status_code == 422
    assert api.post(DECLARATIONS, raw=b"{not json", key="k4").status_code == 400
    assert api.post(DECLARATIONS, birth()).status_code == 400  # no Idempotency-Key


def test_same_idempotency_key_gives_the_same_reference_and_one_record(api):
    first = api.post(DECLARATIONS, birth(), key="same-key")
    second = api.post(DECLARATIONS, birth(), key="same-key")
    assert first.status_code == second.status_code == 201
    assert first.get_json()["reference"] == second.get_json()["reference"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert api.get("/ramq/v1/admin/stats").get_json()["declarations"] == 1
    # The same key with another body is a client bug, not a retry.
    assert api.post(DECLARATIONS, birth(child_given_names="Zoé"), key="same-key").status_code == 409
    # Keys are per registry.
    assert api.post("/dec/v1/declarations", birth(), key="same-key").status_code == 201


def test_concurrent_requests_with_one_key_store_one_record(registries):
    references, barrier = [], threading.Barrier(8)

    def send():
        client = SignedClient(registries)
        barrier.wait()
        response = client.post(DECLARATIONS, birth(), key="raced-key")
        references.append((response.status_code, response.get_json()["reference"]))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _ in references} == {201}
    assert len({reference for _, reference in references}) == 1
    assert SignedClient(registries).get("/ramq/v1/admin/stats").get_json()["declarations"] == 1


def test_unknown_registry_is_404(api):
    assert api.post("/nasa/v1/declarations", birth(), key="k").status_code == 404


def test_lookup_finds_a_seeded_person_by_sin_name_and_birth_date_and_returns_only_the_fields_asked(api):
    tremblay = {"sin": "130692544", "family_name": "tremblay", "birth_date": "1990-04-12"}
    response = api.post("/ramq/v1/lookups", {"subject": tremblay, "fields": ["health_card_expiry"]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["found"] is True and body["data"] == {"health_card_expiry": "2027-05-31"} and body["read_at"]
    assert api.post("/ramq/v1/lookups", {"subject": {**tremblay, "family_name": "Roy"},
                                         "fields": ["health_number"]}).status_code == 404
    assert api.post("/ramq/v1/lookups", {"subject": {**tremblay, "birth_date": "1990-04-13"},
                                         "fields": ["health_number"]}).status_code == 404
    assert api.post("/ramq/v1/lookups", {"subject": {**tremblay, "sin": "046454286"},
                                         "fields": ["health_number"]}).get_json() == {"found": False}
    assert api.post("/ramq/v1/lookups", {"fields": ["health_number"]}).status_code == 400


def test_a_nas_alone_never_reads_someone_elses_file(api):
    """Issue 9: a profile holding only another person's NAS read their RAMQ file."""
    for subject in ({"sin": "193456787"}, {"sin": "193456787", "family_name": "Gagnon"},
                    {"sin": "193456787", "birth_date": "1948-09-30"},
                    {"sin": "193456787", "family_name": "", "birth_date": ""}):
        response = api.post("/ramq/v1/lookups", {"subject": subject, "fields": ["health_number"]})
        assert response.status_code == 400, subject
        assert "GAGR" not in response.get_data(as_text=True)
    # and asking for no field in particular no longer hands over the whole file
    gagnon = {"sin": "193456787", "family_name": "Gagnon", "birth_date": "1948-09-30"}
    assert api.post("/ramq/v1/lookups", {"subject": gagnon, "fields": []}).status_code == 400


def test_faults_are_set_through_the_signed_admin_endpoint(api):
    assert api.put("/ramq/v1/admin/faults", {"fail_next": 2, "error_status": 500}).status_code == 200
    assert api.post(DECLARATIONS, birth(), key="f").status_code == 500
    assert api.post(DECLARATIONS, birth(), key="f").status_code == 500
    assert api.post(DECLARATIONS, birth(), key="f").status_code == 201
    api.put("/ramq/v1/admin/faults", {"down": True})
    assert api.post(DECLARATIONS, birth(), key="g").status_code == 503
    assert api.request("DELETE", "/ramq/v1/admin/faults").get_json()["down"] is False
    assert api.post(DECLARATIONS, birth(), key="g").status_code == 201
    api.put("/ramq/v1/admin/faults", {"error_rate": 1.0})
    assert api.post(DECLARATIONS, birth(), key="h").status_code == 503
    assert api.put("/ramq/v1/admin/faults", {"error_rate": 3}).status_code == 422
    assert api.put("/ramq/v1/admin/faults", {"explode": True}).status_code == 422
    assert api.put("/ramq/v1/admin/faults", {"down": True}, secret="wrong").status_code == 401


def test_latency_is_added(api):
    import time

    api.put("/ramq/v1/admin/faults", {"latency_ms": 200})
    started = time.monotonic()
    api.post(DECLARATIONS, birth(), key="slow")
    assert time.monotonic() - started >= 0.2


def test_faults_can_come_from_config(tmp_path):
    from app.partners import create_partners_app

    app = create_partners_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}", "HMAC_SECRET": SECRET,
                               "FAULTS": {"dec": {"down": True}}})
    client = SignedClient(app)
    assert client.post("/dec/v1/declarations", birth(), key="x").status_code == 503
    assert client.post(DECLARATIONS, birth(), key="x").status_code == 201
