"""Configuration: defaults here, overridden by `instance/config.py` and `PARCOURS_*` environment variables.

Two modes (README, "Production configuration"):
  - production: `PARCOURS_ENV=production`, and also whenever PARCOURS_ENV is unset and the app is
    neither in debug (FLASK_DEBUG) nor testing. Every secret and shared service must be configured;
    if one is missing the app refuses to start and lists them all. Nothing is generated.
  - development: `PARCOURS_ENV=development` (the Makefile's `make run`, `make test`, `make bench`
    set it), debug or testing. Missing secrets are generated into instance/ (git-ignored).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

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
    # hide_parameters: a database error must never carry names, addresses or e-mails into a log.
    # Connections are checked after they sat idle, not before every use (app/core/db.py), and
    # replaced after 30 minutes whatever happens.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": 1800, "hide_parameters": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # forced on in production
    # "production" or "development" (PARCOURS_ENV); unset means production unless debug or testing.
    ENV = None
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host/-Port are trusted
    # (werkzeug ProxyFix); 0 = none: the headers are ignored.
    PROXY_FIX_HOPS = 0
    # Host names the app answers to (any other Host header gets a 400). In production the host of
    # PUBLIC_BASE_URL is always added; in development the loopback names are the default.
    TRUSTED_HOSTS = None
    # A citizen may read a question for a long time: the CSRF token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Longest text a citizen may type in any single field, whatever the journey says.
    MAX_ANSWER_LENGTH = 2000
    RUN_COOKIE_NAME = "parcours_run"
    # Accounts and Mon dossier (app/auth, app/dossier).
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False  # forced on in production
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
    # Failures are throttled per (account, IP), so someone elsewhere cannot lock the owner out
    # (NIST SP 800-63B 5.2.2); the per-account ceiling over all addresses stops online guessing.
    LOGIN_FAILURES_PER_ACCOUNT_AND_IP = "5 per 15 minutes"
    LOGIN_FAILURES_PER_ACCOUNT = "100 per 24 hours"
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
    # The purge runs as a background service of every server process (app/dossier/retention.py),
    # at this interval; set RETENTION_IN_PROCESS=False when a timer runs `flask retention purge`.
    RETENTION_IN_PROCESS = True
    RETENTION_PURGE_INTERVAL_SECONDS = 3600
    # Déclaration unique (app/declarations) and partner registries (app/partners).
    # Unset: the address Parcours is served on (HOST/PORT; `flask serve` and `flask run-all` give
    # their own), never a fixed port where something else may listen.
    PARTNERS_BASE_URL = None
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
    # Refused and dead-lettered deliveries are mailed here (ids and reasons, no personal data). Unset:
    # nobody is told, and the citizen's page does not claim that anyone was.
    OPS_MAILBOX = None


DEVELOPMENT_HOSTS = ["localhost", "127.0.0.1", "::1"]
# Settings production cannot run without, and why (shown when the app refuses to start).
REQUIRED_IN_PRODUCTION = {
    "SECRET_KEY": "signs sessions and mail links; every process must share it",
    "FIELD_ENCRYPTION_KEYS": "encrypts NAS, RAMQ numbers and declarations; every process must share it",
    "PARTNER_HMAC_SECRET": "signs requests to the partner registries",
    "PUBLIC_BASE_URL": "the https:// address put in mails (never taken from the Host header)",
    "RATELIMIT_STORAGE_URI": "a rate-limit store shared by every process (redis://...), not memory://",
}


def configure(app, overrides: dict | None = None) -> None:
    """Layer the configuration: defaults, instance/config.py, environment, then explicit overrides."""
    app.config.from_object(Config)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "parcours.db")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PARCOURS")
    if overrides:
        app.config.update(overrides)
    if is_production(app):
        _configure_production(app)
    else:
        _configure_development(app)
    if not app.config.get("PARTNERS_BASE_URL"):
        # The registries are reached where this server is bound (make run's HOST and PORT), never
        # on a fixed port where something else may listen.
        app.config["PARTNERS_BASE_URL"] = partners_base_url(os.environ.get("HOST", "127.0.0.1"),
                                                            int(os.environ.get("PORT", "5000")))
        app.config["PARTNERS_BASE_URL_FROM_ADDRESS"] = True


def is_production(app) -> bool:
    env = str(app.config.get("ENV") or "").strip().lower()
    if env:
        if env not in ("production", "development"):
            from app.core.factory import exit_with

            exit_with(f"Parcours: PARCOURS_ENV must be 'production' or 'development', not {env!r}.")
        return env == "production"
    return not (app.debug or app.config.get("TESTING"))


def production_problems(config) -> list[str]:
    """Every setting production lacks, as readable lines (empty when production may start)."""
    problems = [f"PARCOURS_{name} is not set: {why}" for name, why in REQUIRED_IN_PRODUCTION.items()
                if not config.get(name)]
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "")
    if storage.startswith("memory://"):
        problems.append(f"PARCOURS_RATELIMIT_STORAGE_URI is {storage}: {REQUIRED_IN_PRODUCTION['RATELIMIT_STORAGE_URI']}")
    base = config.get("PUBLIC_BASE_URL")
    if base and (urlsplit(str(base)).scheme != "https" or not urlsplit(str(base)).hostname):
        problems.append(f"PARCOURS_PUBLIC_BASE_URL must be an https:// address, not {base!r}")
    return problems


def _configure_production(app) -> None:
    problems = production_problems(app.config)
    if problems:
        from app.core.factory import exit_with

        exit_with("Parcours refuses to start in production mode (PARCOURS_ENV=production, or not debug):\n  - "
                  + "\n  - ".join(problems)
                  + "\nSet them in the environment (README, \"Production configuration\"), or run in "
                    "development with PARCOURS_ENV=development.")
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["REMEMBER_COOKIE_SECURE"] = True
    public_host = urlsplit(app.config["PUBLIC_BASE_URL"]).hostname
    app.config["TRUSTED_HOSTS"] = _unique([public_host, *_as_list(app.config.get("TRUSTED_HOSTS"))])
    if not app.config.get("MAIL_DIR"):
        app.config["MAIL_DIR"] = str(Path(app.instance_path) / "mail")
    if not app.config.get("PARTNERS_DATABASE_URL"):
        app.config["PARTNERS_DATABASE_URL"] = "sqlite:///" + str(Path(app.instance_path) / "partners.db")


def _configure_development(app) -> None:
    """Development only: secrets generated into instance/ so a restart keeps sessions and data."""
    app.config["TRUSTED_HOSTS"] = _unique(_as_list(app.config.get("TRUSTED_HOSTS")) or DEVELOPMENT_HOSTS)
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


def _as_list(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def partners_base_url(host: str, port: int) -> str:
    """The registries' URL for a server bound to host:port (a wildcard bind is reached on loopback)."""
    host = "127.0.0.1" if host in ("", "0.0.0.0") else "[::1]" if host == "::" else host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/partenaires"


def _local_secret(instance: Path, name: str = "secret_key") -> str:
    """Development only: a random key kept in instance/ (git-ignored) so sessions survive a restart."""
    from app.core.files import write_private

    key_file = instance / name
    if not key_file.exists():
        try:
            write_private(key_file, secrets.token_hex(32), exclusive=True)
        except FileExistsError:
            pass  # another process made it first: use theirs
    return key_file.read_text().strip()
