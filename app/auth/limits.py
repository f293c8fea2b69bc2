"""The Flask-Limiter instance (memory storage by default, Redis when RATELIMIT_STORAGE_URI says so).

No default limits: each sensitive route declares its own, next to the route.
"""
from __future__ import annotations

from functools import wraps

from flask.globals import request_ctx
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, key_prefix="parcours")
CONTEXT_ATTRIBUTE = "_limiter_request_context"  # where Flask-Limiter keeps a request's limits


def init_app(app) -> None:
    limiter.init_app(app)
    # Flask-Limiter also checks default and application-wide limits in a before_request hook, on
    # every page (about 50 µs each). With none declared, that hook never limits anything: a route's
    # own `@limiter.limit` is checked by its decorator, and failed sign-ins are still counted by the
    # after_request hook, which stays. Should defaults ever be configured, the hook is kept.
    manager = limiter.limit_manager
    if not (manager.default_limits or manager.application_limits or app.config.get("RATELIMIT_META")):
        hooks = app.before_request_funcs.get(None, [])
        hooks[:] = [hook for hook in hooks if hook != limiter._check_request_limit]
    _only_after_limited_requests(app)


def _only_after_limited_requests(app) -> None:
    """Run Flask-Limiter's after_request and teardown hooks only when a limited route ran.

    They count failed sign-ins (`deduct_when`) and forget the request's limits, both kept in a
    context that Flask-Limiter puts on the request only when one of its limits is checked. On every
    other page they found nothing to do, at about 35 µs (bench/profile_question.py). The tests of
    the sign-in limits (tests/auth) fail if a Flask-Limiter release stores that context elsewhere.
    """
    def limited() -> bool:
        return hasattr(request_ctx, CONTEXT_ATTRIBUTE)

    def wrap(hook):
        @wraps(hook)
        def when_limited(value):
            return hook(value) if limited() else value
        return when_limited

    after = app.after_request_funcs.get(None, [])
    after[:] = [wrap(hook) if _belongs_to_limiter(hook) else hook for hook in after]
    teardown = app.teardown_request_funcs.get(None, [])
    teardown[:] = [wrap(hook) if _belongs_to_limiter(hook) else hook for hook in teardown]


def _belongs_to_limiter(hook) -> bool:
    # Its teardown hook is a bound method; its after_request hook is functools.partial(method, limiter).
    return getattr(hook, "__self__", None) is limiter or limiter in getattr(hook, "args", ())
