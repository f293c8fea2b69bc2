"""The Flask-Limiter instance (memory storage by default, Redis when RATELIMIT_STORAGE_URI says so).

No default limits: each sensitive route declares its own, next to the route.
"""
from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, key_prefix="parcours")
