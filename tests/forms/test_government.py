"""Consulting the registries: only with consent, "down" told apart from "holds nothing about you",
required look-ups blocking with a way back, and Mes informations gouvernementales with the date read."""
from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app.core.audit import AuditEvent
from app.core.db import db
from app.forms.lookups import look_up
from app.forms.models import FOUND, NOT_FOUND, UNAVAILABLE, GovernmentRead
from app.partners import create_partners_app
from tests.forms.conftest import SECRET, make_citizen, set_faults, start_run
from tests.forms.test_review import soup_of

SUBJECT = {"sin": "130692544", "birth_date": "1990-04-12", "family_name": "Tremblay"}
GOVERNMENT_PAGE = "/mon-dossier/informations-gouvernementales"


def ask(registries, subject=SUBJECT, fields=("health_card_expiry",), secret=SECRET, org="ramq"):
    return look_up(org, org, subject, list(fields), base_url="http://registries", secret=secret, timeout=2,
                   transport=httpx.WSGITransport(app=registries))


class TestLookupClient:
    def test_found_keeps_only_the_fields_asked(self, registries):
        result = ask(registries)
        assert result.status == FOUND
        assert result.data == {"health_card_expiry": "2027-05-31"}
        assert result.read_at is not None

    def test_holds_nothing_is_not_found(self, registries):
        assert ask(registries, subject={**SUBJECT, "sin": "046454286"}).status == NOT_FOUND

    def test_wrong_family_name_finds_nothing(self, registries):
        assert ask(registries, subject={**SUBJECT, "family_name": "Autre"}).status == NOT_FOUND

    @pytest.mark.parametrize("faults", [{"down": True}, {"fail_next": 1, "error_status": 500}])
    def test_registry_down_or_failing_is_unavailable_not_not_found(self, registries, faults):
        set_faults(registries, "ramq", **faults)
        assert ask(registries).status == UNAVAILABLE

    def test_bad_signature_is_unavailable(self, registries):
        assert ask(registries, secret="wrong").status == UNAVAILABLE

    def test_connection_refused_is_unavailable(self):
        result = look_up("ramq", "ramq", SUBJECT, ["health_number"], base_url="http://127.0.0.1:9",
                         secret=SECRET, timeout=1)
        assert result.status == UNAVAILABLE

    def test_real_timeout_over_http(self, tmp_path):
        partners = create_partners_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}", "HMAC_SECRET": SECRET,
                                        "FAULTS": {"ramq": {"timeout_seconds": 1.5}}})
        server = make_server("127.0.0.1", 0, partners, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            result = look_up("ramq", "ramq", SUBJECT, ["health_number"],
                             base_url=f"http://127.0.0.1:{server.server_port}", secret=SECRET, timeout=0.3)
        finally:
            server.shutdown()
            thread.join(timeout=5)
        assert result.status == UNAVAILABLE


def test_nothing_is_read_without_consent(app, signed_in, registries):
    signed_in.get("/formulaires/changement-adresse")
    with app.app_context():
        assert db.session.execute(select(GovernmentRead)).first() is None
    # ticking nothing is an error in French, and still reads nothing
    response = signed_in.post("/formulaires/changement-adresse/consultation", data={"action": "consult"})
    assert response.status_code == 400
    assert "Cochez au moins un organisme" in soup_of(response).find(id="error-summary").get_text()
    with app.app_context():
        assert db.session.execute(select(GovernmentRead)).first() is None


def test_consent_reads_and_the_dossier_shows_it_with_the_date(app, signed_in, citizen, registries):
    response = signed_in.post("/formulaires/changement-adresse/consultation",
                              data={"organisations": ["ramq", "revenu-quebec"], "action": "consult"})
    assert response.status_code == 302
    page = soup_of(signed_in.get(GOVERNMENT_PAGE))
    assert page.h1.get_text(strip=True) == "Mes informations gouvernementales"
    ramq = page.find(id="read-ramq").get_text(" ", strip=True)
    assert "Consulté le" in ramq and "2027" in ramq  # card expiry, in words
    assert "TREM •••• 1212" in ramq and "9004" not in ramq  # a registry's number is masked, like the profile's
    assert "1200, rue Saint-Denis" in page.find(id="read-revenu-quebec").get_text()
    assert "Pas encore consulté" in page.find(id="read-retraite-quebec").get_text()
    with app.app_context():
        row = db.session.execute(select(GovernmentRead).filter_by(organisation="ramq")).scalar_one()
        assert "TREM" not in row.data_encrypted  # encrypted at rest
        events = db.session.execute(select(AuditEvent).filter_by(action="government_lookup")).scalars().all()
        assert {e.details["organisation"] for e in events} == {"ramq", "revenu-quebec"}
        assert all(set(e.details) == {"organisation", "status"} for e in events)  # no personal data


def test_dossier_page_tells_down_from_holds_nothing(app, client, registries):
    make_citizen(app, email="inconnu@example.ca", sin="046454286")
    from app.auth.testing import login

    login(client, "inconnu@example.ca")
    set_faults(registries, "revenu-quebec", down=True)
    client.post(GOVERNMENT_PAGE, data={"organisations": ["ramq", "revenu-quebec"], "action": "consult"})
    page = soup_of(client.get(GOVERNMENT_PAGE))
    assert "n'a aucun renseignement à votre sujet" in page.find(id="read-ramq").get_text()
    assert "n'a pas répondu" in page.find(id="read-revenu-quebec").get_text()


def test_consulting_again_after_an_outage_fills_the_form(app, signed_in, citizen, registries):
    set_faults(registries, "revenu-quebec", down=True)
    url = "/formulaires/immatriculation-entreprise/consultation"
    signed_in.post(url, data={"organisations": ["revenu-quebec"], "action": "consult"})
    page = soup_of(signed_in.get("/formulaires/immatriculation-entreprise"))
    assert page.find(attrs={"name": "adresse_domicile.street"})["value"] == "55, rue des Érables"  # the profile
    set_faults(registries, "revenu-quebec", down=False)
    signed_in.post(url, data={"organisations": ["revenu-quebec"], "action": "consult"})
    page = soup_of(signed_in.get("/formulaires/immatriculation-entreprise"))
    assert page.find(attrs={"name": "adresse_domicile.street"}) is None
    assert "1200, rue Saint-Denis" in page.find(id="adresse_domicile-readonly").get_text()


def test_required_lookup_asks_consent_first_and_cannot_be_skipped(app, signed_in, citizen, registries):
    response = signed_in.get("/formulaires/prestation-deces-rrq")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/formulaires/prestation-deces-rrq/consultation")
    page = soup_of(signed_in.get(response.headers["Location"]))
    assert page.find(id="skip") is None  # no "fill in without consulting" for a required look-up
    response = signed_in.post("/formulaires/prestation-deces-rrq/consultation", data={"action": "skip"})
    assert response.status_code == 400
    assert "Retraite Québec" in soup_of(response).find(id="error-summary").get_text()


def test_required_lookup_holding_nothing_gives_a_clear_message_and_a_way_back(app, client, registries):
    make_citizen(app, email="inconnu@example.ca", sin="046454286")
    from app.auth.testing import login

    login(client, "inconnu@example.ca")
    start_run(app, client, 1, "deces-proche", {"lien": "conjoint"}, remember=True)
    client.post("/formulaires/prestation-deces-rrq/consultation?parcours=deces-proche",
                data={"organisations": ["retraite-quebec"], "action": "consult"})
    page = soup_of(client.get("/formulaires/prestation-deces-rrq?parcours=deces-proche"))
    assert page.h1.get_text(strip=True) == "Ce formulaire ne peut pas être rempli pour le moment"
    assert "aucun dossier" in page.find(id="blocked-reason").get_text()
    assert page.find(id="retry-link") is None
    assert page.find(id="back-link") is not None
    assert page.find(attrs={"name": "prenoms"}) is None  # not an empty form


def test_profile_without_sin_gets_told_to_add_it(app, client, registries):
    make_citizen(app, email="sansnas@example.ca", sin=None)
    from app.auth.testing import login

    login(client, "sansnas@example.ca")
    response = client.post("/formulaires/changement-adresse/consultation",
                           data={"organisations": ["ramq"], "action": "consult"}, follow_redirects=True)
    assert "numéro d'assurance sociale" in soup_of(response).get_text()


def test_forget_deletes_what_was_read(app, signed_in, registries):
    signed_in.post(GOVERNMENT_PAGE, data={"organisations": ["ramq"], "action": "consult"})
    signed_in.post(GOVERNMENT_PAGE, data={"action": "forget"})
    with app.app_context():
        assert db.session.execute(select(GovernmentRead)).first() is None


def test_required_lookup_without_sin_says_to_complete_the_profile(app, client, registries):
    make_citizen(app, email="sansnas@example.ca", sin=None)
    from app.auth.testing import login

    login(client, "sansnas@example.ca")
    page = soup_of(client.get("/formulaires/prestation-deces-rrq"))
    assert page.h1.get_text(strip=True) == "Ce formulaire ne peut pas être rempli pour le moment"
    assert page.find(id="profile-link")["href"] == "/mon-dossier/profil"


def test_a_reload_does_not_ask_the_registry_again(app, signed_in, registries):
    calls = []
    inner = app.extensions["forms_lookup_transport"]

    def counting(request):
        calls.append(request.url.path)
        return inner.handle_request(request)

    app.extensions["forms_lookup_transport"] = httpx.MockTransport(counting)
    for _ in range(3):
        signed_in.post(GOVERNMENT_PAGE, data={"organisations": ["ramq"], "action": "consult"})
    assert calls == ["/ramq/v1/lookups"]
