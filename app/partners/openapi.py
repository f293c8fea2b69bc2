"""The OpenAPI 3.1 description of the registries' API, built from the same schemas the registries
enforce (app/partners/schemas.py), so the document cannot drift from the code. Served unsigned at
/partenaires/openapi.json; fuzzed by tests/partners/test_openapi_fuzz.py (schemathesis).
"""
from __future__ import annotations

from functools import lru_cache

from app.partners import schemas, signing

PROBLEM = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                   "errors": {"type": "array", "items": {"type": "object"}}},
    "required": ["error"],
}
RECEIPT = {
    "type": "object",
    "properties": {"reference": {"type": "string"}, "kind": {"type": "string"}, "status": {"type": "string"},
                   "received_at": {"type": "string"}},
    "required": ["reference", "kind", "status", "received_at"],
}
FAULT_TYPES = {"latency_ms": {"type": "integer", "minimum": 0, "maximum": 60000},
               "error_rate": {"type": "number", "minimum": 0, "maximum": 1},
               "error_status": {"enum": [500, 502, 503, 504]},
               "fail_next": {"type": "integer", "minimum": 0, "maximum": 1000000},
               "timeout_seconds": {"type": "number", "minimum": 0, "maximum": 120}, "down": {"type": "boolean"},
               "delay_after_store_ms": {"type": "integer", "minimum": 0, "maximum": 60000}}


def _problem(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SIGNED_ERRORS = {"400": _problem("Not JSON, nested too deep, or outside the schema"),
                 "401": _problem("Signature missing, invalid, outside the five-minute window, or replayed"),
                 "404": _problem("Unknown registry"),
                 "413": _problem("Body larger than the registries accept"),
                 "503": _problem("Simulated fault: the registry is unavailable")}


def _declaration_body() -> dict:
    """Any declaration some registry receives (each registry accepts only its own kinds and fields)."""
    variants = []
    for kind in schemas.KINDS:
        fields = sorted({name for (org, k), names in schemas.ORGANISATION_FIELDS.items() if k == kind for name in names})
        variants.append({
            "type": "object",
            "properties": {"kind": {"const": kind}, "schema_version": {"const": schemas.SCHEMA_VERSION},
                           "declaration_id": {"type": "string", "minLength": 1, "maxLength": 64},
                           "data": {"type": "object", "properties": {n: schemas.VOCABULARY[kind][n] for n in fields},
                                    "required": schemas.REQUIRED_BY_KIND[kind], "additionalProperties": False}},
            "required": ["kind", "schema_version", "declaration_id", "data"],
            "additionalProperties": False,
        })
    return {"oneOf": variants}


@lru_cache(maxsize=8)
def _document(organisations: tuple[str, ...], server: str) -> dict:
    org = {"name": "org", "in": "path", "required": True, "schema": {"enum": list(organisations)},
           "description": "The registry (one per organisation)"}
    key = {"name": "Idempotency-Key", "in": "header", "required": True,
           "schema": {"type": "string", "minLength": 1, "maxLength": 100},
           "description": "The same key and body always give the same reference"}
    signed = [{"signature": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Parcours partner registries", "version": str(schemas.SCHEMA_VERSION),
                 "description": "Stand-ins for the organisations' systems: declarations and look-ups. "
                                f"Every call except this document and the index is signed ({signing.HEADER}: "
                                "t=<unix time>,n=<nonce>,v1=<HMAC-SHA256 hex>).",
                 },
        "servers": [{"url": server or "/"}],
        "components": {
            "securitySchemes": {"signature": {"type": "apiKey", "in": "header", "name": signing.HEADER}},
            "schemas": {"Problem": PROBLEM, "Receipt": RECEIPT, "Declaration": _declaration_body(),
                        "Lookup": schemas.LOOKUP,
                        "Faults": {"type": "object", "properties": FAULT_TYPES, "additionalProperties": False}},
        },
        "paths": {
            "/": {"get": {"operationId": "index", "security": [],
                          "responses": {"200": _json("The registries served here", {"type": "object"})}}},
            "/openapi.json": {"get": {"operationId": "openapi", "security": [],
                                      "responses": {"200": _json("This document", {"type": "object"})}}},
            "/{org}/v1/declarations": {"post": {
                "operationId": "receiveDeclaration", "security": signed, "parameters": [org, key],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Declaration"}}}},
                "responses": {"201": _json("Received (or the same key and body again)", {"$ref": "#/components/schemas/Receipt"}),
                              "409": _problem("This key was used with another body"),
                              "422": _problem("Not a declaration this registry receives"), **SIGNED_ERRORS}}},
            "/{org}/v1/declarations/{reference}": {"get": {
                "operationId": "declarationStatus", "security": signed,
                "parameters": [org, {"name": "reference", "in": "path", "required": True,
                                     "schema": {"type": "string", "maxLength": 40}}],
                "responses": {"200": _json("Its status", {"$ref": "#/components/schemas/Receipt"}), **SIGNED_ERRORS}}},
            "/{org}/v1/lookups": {"post": {
                "operationId": "lookup", "security": signed, "parameters": [org],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Lookup"}}}},
                "responses": {"200": _json("The fields asked for, when NAS, family name and birth date all match",
                                           {"type": "object"}), **SIGNED_ERRORS}}},
            "/{org}/v1/admin/faults": {
                op: {"operationId": f"{op}Faults", "security": signed, "parameters": [org],
                     **({"requestBody": {"required": True, "content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/Faults"}}}}} if op == "put" else {}),
                     "responses": {"200": _json("The faults now", {"$ref": "#/components/schemas/Faults"}),
                                   "422": _problem("A fault setting that makes no sense"), **SIGNED_ERRORS}}
                for op in ("get", "put", "delete")},
            "/{org}/v1/admin/stats": {"get": {
                "operationId": "stats", "security": signed, "parameters": [org],
                "responses": {"200": _json("How many declarations it holds", {"type": "object"}), **SIGNED_ERRORS}}},
        },
    }


def document(organisations: list[str], server: str = "") -> dict:
    return _document(tuple(organisations), server)

