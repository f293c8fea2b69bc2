"""Mon dossier: saved journeys and their step progress, *À venir*, profile (encrypted NAS and RAMQ
number, prefill), Law 25 rights (download my data, delete my account), reminders and retention."""
from __future__ import annotations


def init_app(app) -> None:
    from app.dossier import models  # noqa: F401  (registers the tables)
    from app.dossier import prefill, retention
    from app.dossier.cli import dossier_cli, reminders_cli, retention_cli
    from app.dossier.views import bp

    # How often a citizen may set or remove their NAS (Flask-Limiter syntax); each change is audited.
    app.config.setdefault("PROFILE_SIN_CHANGES", "3 per day")
    app.register_blueprint(bp)
    prefill.init_app(app)
    retention.init_app(app)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(dossier_cli)
