"""The registries' HTTP JSON API (one registry per organisation, all served by one WSGI app).

    POST /<org>/v1/declarations          receive a declaration (signed, idempotent) -> 201 {reference}
    GET  /<org>/v1/declarations/<ref>    its status
    GET  /<org>/v1/receipts/<key>        the receipt of the declaration sent with this Idempotency-Key
    POST /<org>/v1/lookups               what the registry knows about a person, for prefill
    GET|PUT|DELETE /<org>/v1/admin/faults  the simulated faults of this registry
    GET  /<org>/v1/admin/stats           how many declarations it holds (tests and benchmarks)
    GET  /openapi.json                   the OpenAPI 3 description of this API (unsigned)

Every other call carries the `X-Parcours-Signature` header (see signing.py): signed less than five
minutes ago, with a nonce never seen before, over the exact method, path, Idempotency-Key and body.
Bodies are capped in size before they are read and in nesting depth before they are parsed; answers
are JSON. A look-up must name the person by NAS, family name and birth date, and finds them only
when all three match.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import re
import secrets
import time

from flask import Blueprint, abort, current_app, g, jsonify, request
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from app.partners import openapi, schemas, signing, store
from app.partners.faults import FaultError

bp = Blueprint("registries", __name__)
MAX_KEY_LENGTH = 100
MAX_JSON_DEPTH = 16
UNSIGNED_ENDPOINTS = {"registries.index", "registries.openapi_document"}
_STRUCTURE = re.compile(rb'[\[\]{}"\\]')
_requests = itertools.count()  # every so many signed requests, expired nonces are deleted


def state():
    return current_app.extensions["partners"]


@bp.url_value_preprocessor
def known_registry(endpoint, values):
    if values and "org" in values and values["org"] not in state().organisations:
        abort(404)


@bp.before_request
def require_signature():
    if request.endpoint in UNSIGNED_ENDPOINTS:
        return None
    length = request.content_length
    if length is not None and length > state().max_body_bytes:
        # Refused on the header alone: not one byte of the body is read.
        return problem(413, "too_large", f"The body may not exceed {state().max_body_bytes} bytes.")
    g.body = bounded_read(request.stream, state().max_body_bytes + 1)
    if len(g.body) > state().max_body_bytes:
        return problem(413, "too_large", f"The body may not exceed {state().max_body_bytes} bytes.")
    key = request.headers.get("Idempotency-Key", "")
    signed = signing.verify(state().secret, request.method, request.path, g.body, key,
                            request.headers.get(signing.HEADER))
    if signed is None:
        return problem(401, "bad_signature", "Missing or invalid X-Parcours-Signature header.")
    if not signing.fresh(signed):
        return problem(401, "stale_signature",
                       f"The signature is more than {signing.WINDOW_SECONDS} seconds away from the registry's clock.")
    if next(_requests) % 500 == 0:
        store.forget_expired_nonces(state().engine)
    if not store.remember_nonce(state().engine, signed.nonce, signing.WINDOW_SECONDS):
        return problem(401, "replayed_request", "This signed request was already received.")
    return None


def bounded_read(stream, limit: int) -> bytes:
    """At most `limit` bytes (a chunked body has no length: one byte past the cap is enough to refuse)."""
    chunks, size = [], 0
    while size < limit:
        chunk = stream.read(limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON nests objects or arrays more than `limit` deep (strings do not count)."""
    depth, in_string, escaped, last = 0, False, False, -1
    for match in _STRUCTURE.finditer(body):  # one pass, linear in the size of the body
        char, position = match.group(), match.start()
        if escaped and position == last + 1:
            escaped, last = False, position
            continue
        escaped, last = False, position
        if char == b"\\":
            escaped = in_string
        elif char == b'"':
            in_string = not in_string
        elif not in_string:
            depth += 1 if char in (b"[", b"{") else -1
            if depth > limit:
                return True
    return False


def json_body():
    """The parsed JSON body, or an error response (400) when it is not JSON or nests too deep."""
    body = g.get("body", b"")
    if too_deep(body):
        return None, problem(400, "too_deep", f"The JSON may not nest more than {MAX_JSON_DEPTH} levels.")
    try:
        return json.loads(body), None
    except (ValueError, RecursionError):
        return None, problem(400, "invalid_json", "The body is not valid JSON.")


def problem(status: int, code: str, message: str, **extra):
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


def simulate_faults(org: str):
    """Apply the registry's configured faults; returns an error response when this call must fail."""
    faults = state().faults.get(org)
    if faults.timeout_seconds:
        time.sleep(faults.timeout_seconds)
    if faults.latency_ms:
        time.sleep(faults.latency_ms / 1000)
    status = state().faults.should_fail(org)
    if status:
        return problem(status, "simulated_fault", "The registry is unavailable (simulated fault).")
    return None


@bp.get("/")
def index():
    return jsonify({"registries": sorted(state().organisations), "schema_version": schemas.SCHEMA_VERSION})


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document(sorted(state().organisations), request.script_root))


@bp.post("/<org>/v1/declarations")
def receive_declaration(org: str):
    failure = simulate_faults(org)
    if failure is not None:
        return failure
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        return problem(400, "idempotency_key_required",
                       f"An Idempotency-Key header of 1 to {MAX_KEY_LENGTH} characters is required.")
    body = g.body
    payload, failure = json_body()
    if failure is not None:
        return failure
    errors = schemas.validation_errors(org, payload)
    if errors:
        return problem(422, "invalid_declaration", "The declaration does not match the schema.", errors=errors)

    body_sha256 = hashlib.sha256(body).hexdigest()
    row = {
        "organisation": org,
        "reference": f"{org.upper()}-{secrets.token_hex(5).upper()}",
        "idempotency_key": key,
        "body_sha256": body_sha256,
        "kind": payload["kind"],
        "declaration_id": payload["declaration_id"],
        "data": payload["data"],
        "status": "received",
        "received_at": store.utcnow(),
    }
    replayed = False
    try:
        with state().engine.begin() as connection:
            connection.execute(insert(store.declarations), row)
    except IntegrityError:
        # Same key already stored (a retry, or a concurrent twin that won the race): answer as the first time.
        existing = _by_key(org, key)
        if existing is None:
            raise
        if existing["body_sha256"] != body_sha256:
            return problem(409, "idempotency_key_reused",
                           "This Idempotency-Key was already used with a different body.")
        row, replayed = existing, True
    delay = state().faults.get(org).delay_after_store_ms
    if delay:
        time.sleep(delay / 1000)
    response = jsonify(_public(row))
    response.status_code = 201
    response.headers["Location"] = f"{request.script_root}/{org}/v1/declarations/{row['reference']}"
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _by_key(org: str, key: str):
    with state().engine.connect() as connection:
        found = connection.execute(select(store.declarations).where(
            store.declarations.c.organisation == org, store.declarations.c.idempotency_key == key)).mappings().first()
    return dict(found) if found else None


def _public(row) -> dict:
    received_at = row["received_at"]
    return {"reference": row["reference"], "kind": row["kind"], "status": row["status"],
            "received_at": received_at.isoformat() if hasattr(received_at, "isoformat") else received_at}


@bp.get("/<org>/v1/declarations/<reference>")
def declaration_status(org: str, reference: str):
    with state().engine.connect() as connection:
        found = connection.execute(select(store.declarations).where(
            store.declarations.c.organisation == org, store.declarations.c.reference == reference)).mappings().first()
    if found is None:
        return problem(404, "not_found", "No declaration with this reference.")
    return jsonify(_public(found))


@bp.get("/<org>/v1/receipts/<key>")
def receipt_by_key(org: str, key: str):
    """Whether this registry already holds the declaration sent with `key`: the sender asks before
    giving up, so a declaration received while its answer was lost is never reported as failed."""
    failure = simulate_faults(org)
    if failure is not None:
        return failure
    found = _by_key(org, key) if len(key) <= MAX_KEY_LENGTH else None
    if found is None:
        return problem(404, "not_found", "No declaration with this Idempotency-Key.")
    return jsonify(_public(found))


@bp.post("/<org>/v1/lookups")
def lookup(org: str):
    failure = simulate_faults(org)
    if failure is not None:
        return failure
    payload, failure = json_body()
    if failure is not None:
        return failure
    errors = schemas.lookup_errors(payload)
    if errors:
        return problem(400, "invalid_lookup", 'Expected {"subject": {"sin", "family_name", "birth_date"}, '
                       '"fields": [...]}.', errors=errors)
    subject, wanted = payload["subject"], set(payload["fields"])
    with state().engine.connect() as connection:
        found = connection.execute(select(store.records.c.data).where(
            store.records.c.organisation == org, store.records.c.sin == subject["sin"])).scalar_one_or_none()
    # NAS, family name and birth date must all match: a NAS alone (someone else's) finds nothing.
    if found is None or not _same_person(subject, found):
        return jsonify({"found": False}), 404
    data = {name: value for name, value in found.items() if name in wanted}
    return jsonify({"found": True, "data": data, "read_at": store.utcnow().isoformat()})


def _same_person(subject: dict, record: dict) -> bool:
    return (" ".join(subject["family_name"].split()).casefold() == str(record.get("family_name", "")).casefold()
            and subject["birth_date"] == record.get("birth_date"))


@bp.route("/<org>/v1/admin/faults", methods=["GET", "PUT", "DELETE"])
def faults(org: str):
    board = state().faults
    if request.method == "DELETE":
        return jsonify(board.reset(org).as_dict())
    if request.method == "PUT":
        settings, failure = json_body()
        if failure is not None:
            return failure
        try:
            return jsonify(board.update(org, settings).as_dict())
        except FaultError as error:
            return problem(422, "invalid_faults", str(error))
    return jsonify(board.get(org).as_dict())


@bp.get("/<org>/v1/admin/stats")
def stats(org: str):
    table = store.declarations
    with state().engine.connect() as connection:
        total, distinct_keys = connection.execute(
            select(func.count(), func.count(table.c.idempotency_key.distinct())).where(table.c.organisation == org)
        ).one()
    return jsonify({"declarations": total, "distinct_idempotency_keys": distinct_keys})
