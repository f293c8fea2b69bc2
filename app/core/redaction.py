"""Secrets out of access logs: the e-mail verification and password reset links carry a token in
their path, and the access log of the server (werkzeug in development, gunicorn in production)
writes every request line and Referer. `init_app` finds every route with a `<token>` segment and
puts one filter on those loggers that replaces the token with `[redacted]` before any handler
formats the line, whatever the log format. A `token=` query parameter is redacted too.
"""
from __future__ import annotations

import logging
import re

ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")
REDACTED = "[redacted]"
_QUERY = r"(?P<query>[?&](?:token|jeton)=)[^&\s\"']+"


class TokenRedactor(logging.Filter):
    """Redacts the token segment of known routes, and token= parameters, in a record's text."""

    def __init__(self):
        super().__init__("redact-tokens")
        self.prefixes: set[str] = set()
        self.pattern = re.compile(_QUERY)

    def add(self, prefixes) -> None:
        self.prefixes.update(prefixes)
        alternatives = "|".join(re.escape(prefix) for prefix in sorted(self.prefixes, key=len, reverse=True))
        path = rf"(?P<path>(?:{alternatives}))[^\s/?#\"']+" if alternatives else None
        self.pattern = re.compile(f"{path}|{_QUERY}" if path else _QUERY)

    def redact(self, text: str) -> str:
        def keep_prefix(match: re.Match) -> str:
            return next(value for value in match.groupdict().values() if value) + REDACTED

        return self.pattern.sub(keep_prefix, text)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self.redact(record.msg)
        args = record.args
        if isinstance(args, dict):  # gunicorn passes its atoms (request line, Referer...) as one mapping
            for key, value in list(args.items()):
                if isinstance(value, str):
                    args[key] = self.redact(value)
        elif isinstance(args, tuple):
            record.args = tuple(self.redact(a) if isinstance(a, str) else a for a in args)
        return True


redactor = TokenRedactor()


def token_prefixes(app) -> set[str]:
    """The static part before `<token>` of every route that takes one ("/courriel/verifier/")."""
    prefixes = set()
    for rule in app.url_map.iter_rules():
        if "token" in rule.arguments:
            prefix = rule.rule.split("<", 1)[0]
            if prefix.strip("/"):
                prefixes.add(prefix)
    return prefixes


def init_app(app) -> None:
    redactor.add(token_prefixes(app))
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if redactor not in logger.filters:
            logger.addFilter(redactor)
