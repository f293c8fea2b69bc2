"""Déclaration unique: review, consent per partner, submission, the outbox of deliveries, the delivery
worker (receipts, retries, dead letters) and the citizen's view of each organisation's status."""
from __future__ import annotations


def init_app(app) -> None:
    from app.declarations import models, privacy  # noqa: F401  (models registers the tables)
    from app.declarations.cli import deliveries_cli
    from app.declarations.views import bp
    from app.declarations.worker import delivery_service

    app.register_blueprint(bp)
    privacy.init_app(app)
    app.cli.add_command(deliveries_cli)
    if app.config.get("DELIVERY_IN_PROCESS_WORKER", True):
        services = app.extensions.setdefault("background_services", [])
        if delivery_service not in services:
            services.append(delivery_service)
