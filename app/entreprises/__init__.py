"""The business space: businesses with several members (administrateur, collaborateur), invitations
by signed mail link, business journeys answered through the real runner, Mon dossier entreprise
(saved results, obligations tracker with recurring due dates and an .ics feed, declarations and
forms, who did what), the entreprises home segmented by sector and phase, and indicators."""
from __future__ import annotations


def init_app(app) -> None:
    from app.entreprises import models  # noqa: F401  (registers the tables)
    from app.entreprises.views import bp

    app.config.setdefault("BUSINESS_INVITATION_MAX_AGE", 7 * 24 * 3600)
    app.register_blueprint(bp)
