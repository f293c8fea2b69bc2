"""The Flask-Limiter instance (memory storage by default, Redis when RATELIMIT_STORAGE_URI says so).

No default limits: each sensitive route declares its own, next to the route.
"""
from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, key_prefix="parcours")


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
