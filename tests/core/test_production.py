"""Production fails closed: it refuses to start without its secrets and shared services, never
generates a secret, sets secure cookies, trusts only its own host and configured proxies, and
processes sharing a database read each other's encrypted data."""
from __future__ import annotations

import base64
import os

import pytest

from app import create_app
from app.core.crypto import new_key

SHARED_KEYS = {"k2026": new_key()}


def production_settings(tmp_path, **overrides) -> dict:
    return {
        "ENV": "production",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "a-long-production-secret",
        "FIELD_ENCRYPTION_KEYS": SHARED_KEYS,
        "PARTNER_HMAC_SECRET": "partner-secret",
        "PUBLIC_BASE_URL": "https://parcours.example",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": "parcours-trust-prod-test"},
        **overrides,
    }


def refusal(capsys, settings) -> str:
    with pytest.raises(SystemExit) as stopped:
        create_app(settings)
    assert stopped.value.code == 1
    return capsys.readouterr().err


def test_production_refuses_to_start_and_lists_every_missing_setting(tmp_path, capsys):
    message = refusal(capsys, {"ENV": "production", "INSTANCE_PATH": str(tmp_path / "instance")})
    assert "refuses to start" in message
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "PARTNER_HMAC_SECRET", "PUBLIC_BASE_URL",
                 "RATELIMIT_STORAGE_URI"):
        assert f"PARCOURS_{name}" in message
    # Nothing was generated: development secrets are for development only.
    assert not (tmp_path / "instance").exists() or not any((tmp_path / "instance").iterdir())


def test_an_app_neither_in_debug_nor_testing_is_in_production(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PARCOURS_ENV", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    message = refusal(capsys, {"INSTANCE_PATH": str(tmp_path / "instance")})
    assert "PARCOURS_SECRET_KEY" in message


def test_production_refuses_a_per_process_rate_limit_store_and_a_plain_http_address(tmp_path, capsys):
    message = refusal(capsys, production_settings(tmp_path, RATELIMIT_STORAGE_URI="memory://",
                                                  PUBLIC_BASE_URL="http://parcours.example"))
    assert "PARCOURS_RATELIMIT_STORAGE_URI is memory://" in message
    assert "PARCOURS_PUBLIC_BASE_URL must be an https:// address" in message


def test_an_unknown_mode_is_refused(tmp_path, capsys):
    assert "PARCOURS_ENV must be" in refusal(capsys, {"ENV": "prod", "INSTANCE_PATH": str(tmp_path)})


def test_production_cookies_are_secure(make_app, tmp_path):
    app = make_app(production_settings(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    from app.auth.testing import create_user

    with app.app_context():
        create_user()
    client = app.test_client()
    response = client.post("/connexion", data={"email": "ana@example.ca", "password": "violon orange tempête 42",
                                               "remember": "y"}, base_url="https://parcours.example")
    assert response.status_code == 302
    cookies = [value for name, value in response.headers.items() if name == "Set-Cookie"]
    assert cookies and all("Secure" in cookie for cookie in cookies)


def test_a_forged_host_header_is_refused_and_mail_links_use_the_public_address(make_app, tmp_path):
    from app.auth.testing import create_user

    app = make_app(production_settings(tmp_path, MAIL_DIR=str(tmp_path / "mail")))
    with app.app_context():
        create_user()
    client = app.test_client()
    forged = client.post("/mot-de-passe/oublie", data={"email": "ana@example.ca"},
                         base_url="https://evil.example")
    assert forged.status_code == 400
    assert not (tmp_path / "mail").exists()
    real = client.post("/mot-de-passe/oublie", data={"email": "ana@example.ca"},
                       base_url="https://parcours.example")
    assert real.status_code == 200
    [mail] = list((tmp_path / "mail").glob("*.eml"))
    assert "https://parcours.example/mot-de-passe/nouveau/" in mail.read_text()
    assert "evil.example" not in mail.read_text()


def test_in_development_a_forged_host_is_refused_too(client, mailbox, user):
    forged = client.post("/mot-de-passe/oublie", data={"email": user.email}, headers={"Host": "evil.example"})
    assert forged.status_code == 400
    assert mailbox.messages() == []


def test_proxy_headers_are_believed_only_for_the_configured_hops(make_app, tmp_path):
    seen = {}

    def remember():
        from flask import request

        seen.update(addr=request.remote_addr, scheme=request.scheme)
        return "ok"

    for hops in (0, 1):
        app = make_app(production_settings(tmp_path, PROXY_FIX_HOPS=hops), migrate=False)
        app.add_url_rule("/test-proxy", "test_proxy", remember)
        app.test_client().get("/test-proxy", base_url="http://parcours.example", check_page=False,
                              headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
        assert seen == ({"addr": "127.0.0.1", "scheme": "http"} if hops == 0
                        else {"addr": "203.0.113.9", "scheme": "https"})


def save_nas(app) -> int:
    from app.auth.testing import create_user
    from app.core.db import db
    from app.dossier.profile import save_profile

    with app.app_context():
        user = create_user()
        save_profile(user, {"sin": "130692544", "given_names": "Ana"})
        db.session.commit()
        return user.id


def read_nas(app, user_id: int):
    from app.auth.models import User
    from app.core.db import db
    from app.dossier.profile import profile_values

    with app.app_context():
        return profile_values(db.session.get(User, user_id))["sin"]


def test_two_production_processes_sharing_a_database_read_each_others_encrypted_data(make_app, tmp_path):
    first = make_app(production_settings(tmp_path, INSTANCE_PATH=str(tmp_path / "host1")))
    second = make_app(production_settings(tmp_path, INSTANCE_PATH=str(tmp_path / "host2")), migrate=False)
    user_id = save_nas(first)
    assert read_nas(second, user_id) == "130692544"


def test_two_development_processes_with_their_own_keys_get_a_clear_page_not_a_500(make_app, tmp_path, capfd):
    first = make_app({"INSTANCE_PATH": str(tmp_path / "host1")})
    second = make_app({"INSTANCE_PATH": str(tmp_path / "host2")}, migrate=False)
    assert first.config["FIELD_ENCRYPTION_KEYS"] != second.config["FIELD_ENCRYPTION_KEYS"]
    [key_id] = first.config["FIELD_ENCRYPTION_KEYS"]
    assert key_id.startswith("dev-")  # the key's fingerprint: two different keys never share an id
    save_nas(first)
    client = second.test_client()
    assert client.post("/connexion", data={"email": "ana@example.ca",
                                           "password": "violon orange tempête 42"}).status_code == 302
    page = client.get("/mon-dossier/mes-donnees")
    assert page.status_code == 503
    assert "ne peuvent pas être lus pour le moment" in page.get_data(as_text=True)
    logged = capfd.readouterr().err
    assert key_id in logged and "FIELD_ENCRYPTION_KEYS" in logged
    assert "130692544" not in logged


def test_development_keys_stay_in_instance_with_private_permissions(make_app, tmp_path):
    app = make_app({"INSTANCE_PATH": str(tmp_path / "dev")}, migrate=False)
    key_file = tmp_path / "dev" / "field_keys.json"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    [key] = app.config["FIELD_ENCRYPTION_KEYS"].values()
    assert len(base64.b64decode(key)) == 32
    assert os.environ.get("PARCOURS_ENV") == "development"
