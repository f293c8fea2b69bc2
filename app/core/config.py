"""Configuration: defaults here, overridden by `instance/config.py` and `PARCOURS_*` environment variables."""
from __future__ import annotations

import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def translation_directories() -> str:
    """Every package keeps its own catalogue under translations/<package>/; Flask-Babel merges them."""
    root = PROJECT_ROOT / "translations"
    dirs = sorted(str(p) for p in root.iterdir() if p.is_dir()) if root.exists() else []
    return ";".join(dirs) or str(root)


class Config:
    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "America/Toronto"
    JOURNEYS_DIR = str(PROJECT_ROOT / "journeys")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    # A citizen may read a question for a long time: the CSRF token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Longest text a citizen may type in any single field, whatever the journey says.
    MAX_ANSWER_LENGTH = 2000
    RUN_COOKIE_NAME = "parcours_run"


def configure(app, overrides: dict | None = None) -> None:
    """Layer the configuration: defaults, instance/config.py, environment, then explicit overrides."""
    app.config.from_object(Config)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "parcours.db")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PARCOURS")
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _local_secret(Path(app.instance_path))


def _local_secret(instance: Path) -> str:
    """Development only: a random key kept in instance/ (git-ignored) so sessions survive a restart."""
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
