"""The staff studio (`/studio`): edit journeys as drafts, check them, run their scenarios, publish,
compare and roll back versions, read the audit log. Only staff see it (access.py)."""
from __future__ import annotations


def init_app(app) -> None:
    from app.studio import views  # noqa: F401  (its routes join the blueprint)
    from app.studio.blueprint import bp

    app.register_blueprint(bp)
    from app.studio import preview

    preview.init_app(app)
    app.add_template_filter(_datetime, "studio_datetime")


def _datetime(value) -> str:
    from flask_babel import format_datetime

    return format_datetime(value, "d MMM y HH:mm")
