"""A form posted with an expired or missing security token comes back with what was typed, a
message and a fresh token; nothing is saved (issue 11)."""
from __future__ import annotations

from app.core.db import db
from app.forms.models import FormDraft
from tests.forms.conftest import start_run
from tests.forms.test_review import BIRTH_ANSWERS, form_data, input_value, soup_of

URL = "/formulaires/declaration-naissance?parcours=devenir-parent"


def test_typed_values_survive_an_expired_token(app, signed_in, citizen):
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    page = soup_of(signed_in.get(URL))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = signed_in.post(URL, data={**form_data(page, enfant_prenoms="Léa-Rose", action="save"),
                                             "csrf_token": "expired"})
        assert response.status_code == 200, response.headers.get("Location")
        page = soup_of(response)
        assert input_value(page, "enfant_prenoms") == "Léa-Rose"
        assert "la page avait expiré" in page.find(id="error-summary").get_text()
        assert page.title.get_text().startswith("Erreur")
        fresh = page.find("input", attrs={"name": "csrf_token"})["value"]
        with app.app_context():
            assert db.session.query(FormDraft).count() == 0
        saved = signed_in.post(URL, data={**form_data(page, action="save"), "csrf_token": fresh})
        assert saved.status_code == 302
        with app.app_context():
            assert db.session.query(FormDraft).one().field_values["enfant_prenoms"] == "Léa-Rose"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
