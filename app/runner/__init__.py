"""The citizen questionnaire: home and search, one question per page, check answers, the plan, print and .ics."""
from __future__ import annotations

from werkzeug.routing import BaseConverter


class SlugConverter(BaseConverter):
    """Journey ids in URLs: lower-case words joined by hyphens (see app/journeys/schema.py SLUG)."""
    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class IdentConverter(BaseConverter):
    """Question ids in URLs: lower case, digits, underscores (see app/journeys/schema.py QUESTION_ID)."""
    regex = r"[a-z][a-z0-9_]*"


def init_app(app) -> None:
    from app.core.lru import LRU
    from app.runner import models  # noqa: F401  (registers the table)
    from app.runner import results, views  # noqa: F401  (their routes join the blueprint)
    from app.runner.blueprint import bp
    from app.runner.display import localized
    from app.runner.navigation import MAX_URLS, URLS
    from app.runner.quick_exit import quick_exit_shown, quick_exit_url

    app.url_map.converters.setdefault("slug", SlugConverter)
    app.url_map.converters.setdefault("ident", IdentConverter)
    app.add_template_filter(localized, "localized")
    app.add_template_global(quick_exit_shown, "quick_exit_shown")
    app.add_template_global(quick_exit_url, "quick_exit_url")
    app.register_blueprint(bp)
    app.extensions[URLS] = LRU(MAX_URLS)
