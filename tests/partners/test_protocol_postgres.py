"""The registries' shared state on PostgreSQL: nonces refused across processes (two app instances on
one database), faults counted down once for the whole registry."""
from __future__ import annotations

import pytest

from app.partners import create_partners_app
from tests.declarations.test_postgres import pg_database  # noqa: F401 (fixture)
from tests.partners.conftest import SECRET, SignedClient, birth
from tests.partners.test_protocol import DECLARATIONS, captured

pytestmark = pytest.mark.postgres


def test_nonces_and_faults_are_shared_on_postgresql(pg_database):  # noqa: F811
    url = pg_database()
    one, two = (create_partners_app({"DATABASE_URL": url, "HMAC_SECRET": SECRET}) for _ in range(2))
    body, headers = captured(None, birth())
    assert one.test_client().post(DECLARATIONS, data=body, headers=headers).status_code == 201
    assert two.test_client().post(DECLARATIONS, data=body, headers=headers).status_code == 401
    api_one, api_two = SignedClient(one), SignedClient(two)
    assert api_one.put("/dec/v1/admin/faults", {"fail_next": 1, "error_status": 502}).status_code == 200
    assert api_two.post(DECLARATIONS, birth(), key="pg").status_code == 502
    assert api_one.post(DECLARATIONS, birth(), key="pg").status_code == 201
    for app in (one, two):
        app.extensions["partners"].engine.dispose()
