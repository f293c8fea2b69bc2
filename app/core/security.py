"""Security headers on every response (a CSP without inline scripts, no framing, no referrer leaks),
`no_store` for pages with personal data, and when the CSRF check runs."""
from __future__ import annotations

from functools import wraps

from flask import make_response, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def no_store(view_or_response):
    """Pages with personal data never stay in a shared computer's or a proxy's cache.

    On a view, a decorator (`@no_store`); on a blueprint, its after_request hook
    (`bp.after_request(no_store)`): either way the answer carries `Cache-Control: no-store`."""
    if callable(view_or_response) and not hasattr(view_or_response, "headers"):
        view = view_or_response

        @wraps(view)
        def wrapped(*args, **kwargs):
            return no_store(make_response(view(*args, **kwargs)))

        return wrapped
    view_or_response.headers["Cache-Control"] = "no-store"
    return view_or_response


def init_app(app) -> None:
    always = [("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
              ("Referrer-Policy", "same-origin"), ("Permissions-Policy", "geolocation=(), camera=(), microphone=()")]
    # Browsers ignore HSTS received over plain HTTP, so sending it outside debug is always safe.
    if not app.debug and app.config.get("HSTS_ENABLED", True):
        always.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    app.wsgi_app = SecurityHeaders(app.wsgi_app, always)


class SecurityHeaders:
    """WSGI middleware: the headers every response of the portal carries, added where the response
    starts, so that error pages Flask builds outside the views get them too.

    A view may set its own value (a stricter CSP, say): only the headers a response lacks are added.
    The values are constants checked once here, rather than by Werkzeug's `Headers` on every
    response (about 10 µs of a question page, bench/profile_question.py)."""

    def __init__(self, wsgi_app, headers: list[tuple[str, str]]):
        for name, value in headers:
            if any(character in f"{name}{value}" for character in "\r\n\0"):
                raise ValueError(f"header {name} holds a line break")
        self.wsgi_app = wsgi_app
        self.headers = [(name.lower(), (name, value)) for name, value in headers]

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(header for lowered, header in self.headers if lowered not in present)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def check_csrf_on_unsafe_methods_only(app, csrf) -> None:
    """Flask-WTF's check, with the request method looked at first.

    Flask-WTF's own before_request hook works out whether the view is exempt (blueprint, view
    name) before it looks at the method, so every GET paid about 15 µs for a check that then did
    nothing. The same check now runs, exemptions included, for the methods it protects only."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False

    @app.before_request
    def csrf_protect():
        if app.config["WTF_CSRF_ENABLED"] and request.method in app.config["WTF_CSRF_METHODS"]:
            csrf.protect(apply_exemptions=True)
