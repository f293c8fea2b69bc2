"""The staff studio (`/studio`): edit journeys as drafts, check them, run their scenarios, publish,
compare and roll back versions, read the audit log. Only staff see it (access.py)."""
from __future__ import annotations


def init_app(app) -> None:
    from app.studio import models  # noqa: F401  (registers the tables)
    from app.studio import views, views_feedback, views_indicators  # noqa: F401  (their routes join the blueprint)
    from app.studio.blueprint import bp
    from app.studio.feedback import bp as feedback_bp

    app.register_blueprint(bp)
    app.register_blueprint(feedback_bp)
    from app.studio import preview

    preview.init_app(app)
    app.add_template_filter(_datetime, "studio_datetime")


def _datetime(value) -> str:
    from flask_babel import format_datetime

    return format_datetime(value, "d MMM y HH:mm")
