"""Sign-in limits hold across worker processes when they share a store (Redis in production): two
separate Python processes, each with its own app and its own limiter, count failures together."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from app.auth.testing import create_user

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/0"

# One worker process: its own app instance; it posts `attempts` wrong passwords and prints the statuses.
WORKER = """
import json, sys
from app import create_app
settings = json.loads(sys.argv[1])
app = create_app(settings)
client = app.test_client()
statuses = [client.post("/connexion", data={"email": "ana@example.ca", "password": "mauvais mot de passe"}).status_code
            for _ in range(int(sys.argv[2]))]
print(json.dumps(statuses))
"""


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - no server: the test is skipped, not failed
        return False


def worker(settings: dict, attempts: int) -> list[int]:
    done = subprocess.run([sys.executable, "-c", WORKER, json.dumps(settings), str(attempts)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def shared_database(make_app, tmp_path):
    app = make_app()
    with app.app_context():
        create_user()
    return app.config["SQLALCHEMY_DATABASE_URI"]


def settings_for(tmp_path, database: str, storage: str, prefix: str, number: int) -> dict:
    return {"TESTING": True, "SECRET_KEY": "shared", "WTF_CSRF_ENABLED": False,
            "INSTANCE_PATH": str(tmp_path / f"worker{number}"), "SQLALCHEMY_DATABASE_URI": database,
            "RATELIMIT_STORAGE_URI": storage, "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix},
            "DELIVERY_IN_PROCESS_WORKER": False,
            "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST_KIB": 8, "ARGON2_PARALLELISM": 1}


@pytest.mark.skipif(not redis_available(), reason="needs Redis on 127.0.0.1:6379")
def test_two_workers_sharing_redis_count_failures_together(shared_database, tmp_path):
    import redis

    prefix = f"parcours-trust-prod-test-{uuid.uuid4().hex[:8]}"
    try:
        first = worker(settings_for(tmp_path, shared_database, REDIS, prefix, 1), 3)
        second = worker(settings_for(tmp_path, shared_database, REDIS, prefix, 2), 3)
    finally:
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
    assert first == [200, 200, 200]
    assert second == [200, 200, 429]  # the limit is 5 failures, whichever worker saw them

