"""Prefilled forms: form definitions from journeys/forms/, prefill from the profile, the answers and the
registries (with consent), the review page, drafts in Mon dossier and the fillable PDF."""
from __future__ import annotations


def init_app(app) -> None:
    from app.forms import models  # noqa: F401  (registers the tables)
    from app.forms import privacy, registry
    from app.forms.views import bp
    from app.runner import SlugConverter

    app.config.setdefault("FORMS_LOOKUP_TIMEOUT", 3.0)  # seconds a registry gets before it counts as down
    # A registry that answered is not asked again for this citizen within this delay (reloads, double clicks).
    app.config.setdefault("FORMS_LOOKUP_MIN_INTERVAL_SECONDS", 30)
    app.url_map.converters.setdefault("slug", SlugConverter)
    registry.init_app(app)
    privacy.init_app(app)
    app.register_blueprint(bp)
