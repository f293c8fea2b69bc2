"""Whole pages shared between anonymous visitors: a page that depends on nothing but what its view
names (its `state`), the language, the URL and the CSRF token is rendered once per process and
reused for every anonymous visitor who reaches it in the same state.

Why: rendering a question page with Jinja (the layout, the field macros, a dozen `_()` and
`url_for`) was a third of its time; the same page for the next visitor is a dictionary look-up and
the visitor's CSRF token put in its place (bench/profile_question.py, bench/http.py).

What keeps it safe:
- only GET requests of visitors who are not signed in, with no flashed message waiting, and never
  in debug (templates reloaded on change) are shared; anything else is rendered as usual; a shared
  page is rendered for an anonymous user, so it cannot show an account;
- the view passes everything the page shows in `state` (values a citizen typed never go there:
  the runner shares a question page that is empty or shows one of the listed options as is, and a
  page showing what a citizen typed only with a placeholder where the value goes: `typed` maps
  that placeholder to the visitor's value, escaped like Jinja escapes it, on every response);
- while a shared page is rendered, `csrf_token()` gives a per-process placeholder, replaced by the
  visitor's own token on every response, and reading `session`, `request` or `g`, or calling
  `get_flashed_messages()`, fails loudly, exactly as in a layout fragment (app/core/fragments.py);
- the key also holds the language, the mount point and the full URL (the language switch and the
  form's action come from it).
"""
from __future__ import annotations

import secrets

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from app.core.fragments import PER_VISITOR
from app.core.lru import LRU

EXTENSION = "shared_pages"
CSRF_EXTENSION = "shared_pages_csrf"
# Journeys x questions x languages x route positions: a few thousand pages of about 5 KB at most.
MAX_PAGES = 2048
MAX_SIGNED_TOKENS = 4096  # one per recent visitor
CSRF_PLACEHOLDER = "shared-page-csrf-" + secrets.token_hex(16)
TYPED_PLACEHOLDER = "shared-page-typed-" + secrets.token_hex(16)


def render_shared(template: str, state: tuple, typed: dict[str, str] | None = None, **context) -> str:
    """`render_template(template, **context)`, reused for anonymous visitors asking in the same `state`.

    `typed`: {placeholder in `context`: the visitor's own value}: the page is kept with the
    placeholder and each response gets the value, HTML-escaped, in its place."""
    app = current_app._get_current_object()
    if not _can_share(app):
        html = render_template(template, **context)
        return _put_typed(html, typed) if typed else html
    key = (template, state, str(get_locale()), request.script_root, request.full_path)
    pages = app.extensions[EXTENSION]
    html = pages.get(key)
    if html is None:
        html = render_template(template, **{**context, **PER_VISITOR, "csrf_token": _placeholder,
                                            "current_user": AnonymousUserMixin()})
        pages.put(key, html)
    if typed:
        html = _put_typed(html, typed)
    return html.replace(CSRF_PLACEHOLDER, _visitor_csrf_token(app)) if CSRF_PLACEHOLDER in html else html


def typed_placeholder() -> str:
    """A per-process marker standing for a typed value in a shared page: letters, digits and
    hyphens only, so escaping leaves it as is and no text a page holds can look like it."""
    return TYPED_PLACEHOLDER


def _put_typed(html: str, typed: dict[str, str]) -> str:
    for placeholder, value in typed.items():
        html = html.replace(placeholder, str(escape(value)))
    return html


def _visitor_csrf_token(app) -> str:
    """The visitor's signed CSRF token (Flask-WTF's `generate_csrf`), signed once per session secret.

    Tokens have no time limit here (`WTF_CSRF_TIME_LIMIT = None`: a token lives as long as the
    session's secret), so the token signed for a secret stays valid and is kept rather than signed
    again at every page. With a time limit configured, every page signs afresh."""
    if app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    secret = session.get(field)
    tokens = app.extensions[CSRF_EXTENSION]
    token = tokens.get(secret) if isinstance(secret, str) else None
    if token is None:
        token = generate_csrf()  # also makes the session's secret on a first visit
        tokens.put(session[field], token)
    else:
        setattr(g, field, token)  # what generate_csrf would give for the rest of this request
    return token


def _placeholder() -> str:
    return CSRF_PLACEHOLDER


def _can_share(app) -> bool:
    # Flask-Login marks a signed-in session with `_user_id` (we use no remember cookie); the page
    # is rendered for an anonymous user whatever happens, so it can never show an account.
    return (request.method == "GET" and not app.jinja_env.auto_reload
            and "_user_id" not in session and "_flashes" not in session)


def init_app(app) -> None:
    app.extensions[EXTENSION] = LRU(app.config.get("SHARED_PAGES_MAX", MAX_PAGES))
    app.extensions[CSRF_EXTENSION] = LRU(MAX_SIGNED_TOKENS)
