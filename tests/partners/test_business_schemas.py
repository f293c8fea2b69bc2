"""The business address change: each registry accepts only the fields it needs (least data)."""
from __future__ import annotations

from app.partners.schemas import validation_errors

ADDRESS = {"street": "350, rue Saint-Paul Ouest", "city": "Montréal", "province": "QC", "postal_code": "H2Y 2A6"}


def _payload(**data):
    return {"kind": "changement_adresse_entreprise", "schema_version": 1, "declaration_id": "D-1", "data": data}


def test_each_registry_accepts_its_own_fields():
    full = dict(neq="1171234567", business_name="Boulangerie du Quartier inc.", new_address=ADDRESS,
                effective_date="2026-07-01")
    assert validation_errors("registraire-entreprises", _payload(**full)) == []
    assert validation_errors("cnesst", _payload(**full)) == []
    without_name = {k: v for k, v in full.items() if k != "business_name"}
    assert validation_errors("revenu-quebec", _payload(**without_name)) == []


def test_revenu_quebec_refuses_the_business_name_it_does_not_need():
    errors = validation_errors("revenu-quebec", _payload(neq="1171234567", business_name="X", new_address=ADDRESS))
    assert [(e["field"], e["code"]) for e in errors] == [("data.business_name", "additionalProperties")]


def test_a_neq_must_have_ten_digits_and_an_address_is_required():
    errors = validation_errors("registraire-entreprises", _payload(neq="12345"))
    assert {(e["field"], e["code"]) for e in errors} == {("data.neq", "pattern"), ("data.new_address", "required")}


def test_the_citizen_address_change_is_unchanged():
    assert validation_errors("revenu-quebec", {"kind": "changement_adresse", "schema_version": 1, "declaration_id": "D",
                                               "data": {"sin": "130692544", "new_address": ADDRESS}}) == []
