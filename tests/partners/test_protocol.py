"""The partner protocol against an attacker on the wire: signed requests are single use and bound to
their Idempotency-Key, bodies are capped before they are read, deep JSON is a 400, every answer
carries security headers, each registry receives only its own fields, and faults are shared by
every process serving a registry."""
from __future__ import annotations

import io
import json
import time

from werkzeug.test import EnvironBuilder, run_wsgi_app

from app.partners import create_partners_app, signing
from tests.partners.conftest import SECRET, SignedClient, birth

DECLARATIONS = "/dec/v1/declarations"


def captured(api, payload, key="k-1", **sign_options):
    """A request as an eavesdropper sees it: body and headers."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": key,
               signing.HEADER: signing.sign(SECRET, "POST", DECLARATIONS, body, key, **sign_options)}
    return body, headers


def test_a_captured_request_does_not_replay(registries, api):
    plain = registries.test_client()
    body, headers = captured(api, birth())
    assert plain.post(DECLARATIONS, data=body, headers=headers).status_code == 201
    replay = plain.post(DECLARATIONS, data=body, headers=headers)
    assert replay.status_code == 401
    assert replay.get_json()["error"] == "replayed_request"


def test_a_captured_body_under_a_new_key_does_not_validate(registries, api):
    plain = registries.test_client()
    body, headers = captured(api, birth())
    assert plain.post(DECLARATIONS, data=body, headers={**headers, "Idempotency-Key": "new-key"}).status_code == 401
    assert api.get("/dec/v1/admin/stats").get_json()["declarations"] == 0


def test_a_request_signed_outside_five_minutes_is_refused(registries, api):
    plain = registries.test_client()
    for offset in (-301, 301):
        body, headers = captured(api, birth(), timestamp=int(time.time()) + offset)
        response = plain.post(DECLARATIONS, data=body, headers=headers)
        assert response.status_code == 401 and response.get_json()["error"] == "stale_signature"
    body, headers = captured(api, birth(), timestamp=int(time.time()) - 200)
    assert plain.post(DECLARATIONS, data=body, headers=headers).status_code == 201


def test_the_old_signature_format_is_refused(registries):
    import hashlib
    import hmac

    body = json.dumps(birth()).encode()
    old = "sha256=" + hmac.new(SECRET.encode(), b"POST\n" + DECLARATIONS.encode() + b"\n" + body,
                               hashlib.sha256).hexdigest()
    response = registries.test_client().post(DECLARATIONS, data=body, headers={
        "Idempotency-Key": "k", signing.HEADER: old})
    assert response.status_code == 401


def test_a_retry_signed_again_gets_the_first_reference(api):
    first = api.post(DECLARATIONS, birth(), key="retry")
    second = api.post(DECLARATIONS, birth(), key="retry")
    assert second.status_code == 201 and second.get_json()["reference"] == first.get_json()["reference"]


def test_nonces_are_kept_in_the_registry_database_across_app_instances(tmp_path):
    """Two processes (two app instances on one database) share the nonces: a replay to the other fails."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    one = create_partners_app({"DATABASE_URL": url, "HMAC_SECRET": SECRET})
    two = create_partners_app({"DATABASE_URL": url, "HMAC_SECRET": SECRET})
    body, headers = captured(None, birth())
    assert one.test_client().post(DECLARATIONS, data=body, headers=headers).status_code == 201
    assert two.test_client().post(DECLARATIONS, data=body, headers=headers).status_code == 401


def call(app, environ):
    """Run the WSGI app on a hand-made environ (the test client would read the stream to copy it)."""
    body, status, headers = run_wsgi_app(app, environ, buffered=True)
    return int(status.split()[0]), json.loads(b"".join(body))


class CountingStream(io.RawIOBase):
    """An endless body that counts what the server reads of it."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        size = min(len(buffer), 65536)
        buffer[:size] = b"[" * size
        self.read_bytes += size
        return size


def test_a_huge_declared_body_is_refused_before_it_is_read(registries):
    stream = CountingStream()
    environ = EnvironBuilder(path=DECLARATIONS, method="POST", content_type="application/json").get_environ()
    environ.update({"wsgi.input": stream, "CONTENT_LENGTH": str(300 * 1024 * 1024)})
    status, answer = call(registries, environ)
    assert status == 413 and answer["error"] == "too_large"
    assert stream.read_bytes == 0


def test_a_chunked_body_without_length_is_cut_at_the_cap(registries):
    stream = CountingStream()
    environ = EnvironBuilder(path=DECLARATIONS, method="POST", content_type="application/json",
                             headers={"Transfer-Encoding": "chunked"}).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": stream, "wsgi.input_terminated": True})
    status, _ = call(registries, environ)
    assert status == 413
    assert stream.read_bytes <= 2 * registries.config["MAX_CONTENT_LENGTH"]


def test_deep_json_is_a_400_not_a_500(api):
    deep = b"[" * 100_000 + b"]" * 100_000
    api_small = api  # the cap would refuse 200 kB: stay below it
    for body in (b"[" * 30_000 + b"]" * 30_000, b'{"a":' * 20 + b"1" + b"}" * 20):
        response = api_small.post(DECLARATIONS, raw=body, key="deep")
        assert response.status_code == 400, body[:20]
        assert response.get_json()["error"] == "too_deep"
    assert api.post(DECLARATIONS, raw=deep, key="deep").status_code == 413
    for path in ("/ramq/v1/lookups", "/ramq/v1/admin/faults"):
        method = "PUT" if path.endswith("faults") else "POST"
        assert api.request(method, path, raw=b"[" * 30_000 + b"]" * 30_000).status_code == 400
    # brackets inside strings are text, not nesting
    text = {"child_given_names": "[" * 50 + "{" * 50}
    assert api.post(DECLARATIONS, birth(**text), key="brackets").status_code == 201


def test_every_answer_carries_security_headers(registries, api):
    for response in (api.post(DECLARATIONS, birth(), key="h"), registries.test_client().post(DECLARATIONS),
                     registries.test_client().get("/nope"), registries.test_client().get("/openapi.json")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_each_registry_receives_only_the_fields_it_needs(api):
    """Issue 9: the RAMQ accepted a parent's NAS it has no use for."""
    response = api.post("/ramq/v1/declarations", birth(parent_sin="130692544"), key="ramq-sin")
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["data.parent_sin"]
    assert api.post("/retraite-quebec/v1/declarations", birth(parent_sin="130692544"), key="rq-sin").status_code == 201
    # a kind a registry does not receive at all
    assert api.post("/saaq/v1/declarations", birth(), key="saaq-birth").status_code == 422


def test_faults_are_shared_by_every_process_of_a_registry(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    one, two = (SignedClient(create_partners_app({"DATABASE_URL": url, "HMAC_SECRET": SECRET})) for _ in range(2))
    assert one.put("/dec/v1/admin/faults", {"fail_next": 2, "error_status": 500}).status_code == 200
    assert two.get("/dec/v1/admin/faults").get_json()["fail_next"] == 2
    assert two.post(DECLARATIONS, birth(), key="a").status_code == 500
    assert one.post(DECLARATIONS, birth(), key="a").status_code == 500
    assert two.post(DECLARATIONS, birth(), key="a").status_code == 201  # two failures in all, not per process
    one.put("/dec/v1/admin/faults", {"down": True})
    assert two.post(DECLARATIONS, birth(), key="b").status_code == 503
    two.request("DELETE", "/dec/v1/admin/faults")
    assert one.post(DECLARATIONS, birth(), key="b").status_code == 201
