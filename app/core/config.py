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
    # Each process asks the database this often whether a journey was published (app/catalog/live.py).
    CATALOG_REFRESH_SECONDS = 2.0
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
    # Accounts and Mon dossier (app/auth, app/dossier).
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    HSTS_ENABLED = True  # sent whenever the app is not in debug mode
    IDLE_TIMEOUT_MINUTES = 30
    IDLE_WARNING_MINUTES = 25
    EMAIL_VERIFICATION_MAX_AGE = 48 * 3600
    PASSWORD_RESET_MAX_AGE = 3600
    PASSWORD_MIN_LENGTH = 12
    # argon2id parameters (argon2-cffi's RFC 9106 low-memory profile: 3 passes, 64 MiB, 4 lanes).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST_KIB = 65536
    ARGON2_PARALLELISM = 4
    # Flask-Limiter: memory by default; set e.g. PARCOURS_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    # Only failed sign-ins count, so a citizen who types their password right is never slowed down.
    LOGIN_FAILURES_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_FAILURES_PER_IP = "20 per 15 minutes"
    ACCOUNT_EMAILS_PER_IP = "10 per hour"
    FEEDBACK_PER_IP = "30 per hour"  # feedback and complaints (app/studio/feedback.py), open to everyone
    # Mail: "file" writes .eml files under MAIL_DIR (instance/mail by default); "smtp" sends for real.
    MAIL_BACKEND = "file"
    # Links in mails are built on this (e.g. https://parcours.quebec.ca); set it in production so a
    # forged Host header can never put another site in a password-reset mail.
    PUBLIC_BASE_URL = None
    MAIL_DIR = None
    MAIL_SENDER = "Parcours <no-reply@parcours.quebec.example>"
    MAIL_SMTP_HOST = "localhost"
    MAIL_SMTP_PORT = 587
    MAIL_SMTP_STARTTLS = True
    MAIL_SMTP_USERNAME = None
    MAIL_SMTP_PASSWORD = None
    # Field encryption (app/core/crypto.py): {key id: base64 32-byte key}; a dev key is made in instance/.
    FIELD_ENCRYPTION_KEYS = None
    FIELD_ENCRYPTION_KEY_ID = None
    # Law 25: anonymous runs are deleted this many days after their last change (`flask retention purge`).
    RETENTION_DAYS = 30
    # Déclaration unique (app/declarations) and partner registries (app/partners).
    PARTNERS_BASE_URL = "http://127.0.0.1:5000/partenaires"
    PARTNER_HMAC_SECRET = None  # shared with the registries; a dev value is made in instance/
    PARTNERS_DATABASE_URL = None  # the registries' own database; instance/partners.db by default
    PARTNERS_MOUNT = True  # `flask serve` mounts the registries under /partenaires
    PARTNERS_FAULTS = {}  # {registry id: {latency_ms, error_rate, error_status, fail_next, down, ...}}
    DELIVERY_IN_PROCESS_WORKER = True  # `flask serve` runs one delivery worker in a thread
    DELIVERY_MAX_ATTEMPTS = 100  # with the backoff below: about 3 days of retries, then dead-lettered
    DELIVERY_BACKOFF_BASE_SECONDS = 30.0
    DELIVERY_BACKOFF_MAX_SECONDS = 3600.0
    DELIVERY_LEASE_SECONDS = 120.0  # a claimed delivery whose worker died is retried after this
    DELIVERY_HTTP_TIMEOUT_SECONDS = 10.0
    DELIVERY_BATCH_SIZE = 20
    DELIVERY_POLL_SECONDS = 1.0


def configure(app, overrides: dict | None = None) -> None:
    """Layer the configuration: defaults, instance/config.py, environment, then explicit overrides."""
    app.config.from_object(Config)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "parcours.db")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PARCOURS")
    if overrides:
        app.config.update(overrides)
    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        # A SQLite file never drops a connection: checking it before each use is a wasted query.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            key: value for key, value in app.config["SQLALCHEMY_ENGINE_OPTIONS"].items() if key != "pool_pre_ping"}
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _local_secret(Path(app.instance_path))
    if not app.config.get("FIELD_ENCRYPTION_KEYS"):
        from app.core.crypto import local_dev_keys

        app.config["FIELD_ENCRYPTION_KEYS"] = local_dev_keys(Path(app.instance_path))
    if not app.config.get("MAIL_DIR"):
        app.config["MAIL_DIR"] = str(Path(app.instance_path) / "mail")
    if not app.config.get("PARTNER_HMAC_SECRET"):
        app.config["PARTNER_HMAC_SECRET"] = _local_secret(Path(app.instance_path), "partner_hmac_secret")
    if not app.config.get("PARTNERS_DATABASE_URL"):
        app.config["PARTNERS_DATABASE_URL"] = "sqlite:///" + str(Path(app.instance_path) / "partners.db")


def _local_secret(instance: Path, name: str = "secret_key") -> str:
    """Development only: a random key kept in instance/ (git-ignored) so sessions survive a restart."""
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / name
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
