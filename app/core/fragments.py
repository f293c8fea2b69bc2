"""Shared layout fragments: the parts of every page that are the same for every visitor (stylesheets,
logo and site name, footer, the signed-out account links), rendered once per language and reused by
every page after that.

A fragment template sees only the keyword values the layout passes it (constants a template chose,
such as the print stylesheet's media): not the page's context (no `current_user`), and reading
`request`, `session` or `g`, or calling `csrf_token()` or `get_flashed_messages()`, fails loudly. So a fragment can never carry anything about a citizen, and sharing it between citizens is
safe. Its `url_for` and `_()` give the same result for every request with the same language and
mount point, which is the cache key. In debug (templates reloaded on change) nothing is kept.

Why: the layout alone called `url_for` and `gettext` about twenty times per page, a tenth of the
question page's time (bench/profile_question.py).
"""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import get_locale
from jinja2 import StrictUndefined
from markupsafe import Markup

EXTENSION = "layout_fragments"
# Fragments x languages x mount points: a dozen entries. The bound only guards against odd mounts.
MAX_ENTRIES = 64


def layout_fragment(name: str, **values) -> Markup:
    """The fragment template `name` rendered for this request's language (from the cache when it can be)."""
    app = current_app._get_current_object()
    if not has_request_context() or app.jinja_env.auto_reload:
        return _render(app, name, values)
    key = (name, get_locale(), request.script_root, tuple(values.items()))
    cache = app.extensions[EXTENSION]
    html = cache.get(key)
    if html is None:
        html = _render(app, name, values)
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        cache[key] = html
    return html


def _render(app, name: str, values: dict) -> Markup:
    return Markup(app.jinja_env.get_template(name).render(**{**PER_VISITOR, **values}))


def _refuse(name: str):
    def refuse(*args, **kwargs):
        raise RuntimeError(f"{name}() differs from one visitor to the next: it has no place in a shared "
                           f"layout fragment or shared page (app/core/fragments.py, shared_pages.py)")
    return refuse


# Template globals whose value belongs to one visitor (Flask and Flask-WTF put them in every template):
# in a fragment or a shared page, calling or even reading one fails, since it would be shown to everyone.
PER_VISITOR = {
    **{name: _refuse(name) for name in ("csrf_token", "csrf_meta_tag", "get_flashed_messages")},
    **{name: StrictUndefined(hint=f"`{name}` differs from one visitor to the next: it has no place in a "
                                  f"shared layout fragment or shared page (app/core/fragments.py, "
                                  f"shared_pages.py)", name=name)
       for name in ("request", "session", "g")},
}


def init_app(app) -> None:
    app.extensions[EXTENSION] = {}
    app.add_template_global(layout_fragment)
