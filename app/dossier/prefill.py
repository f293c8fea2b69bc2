"""Prefill from the profile: the provider the runner asks (app.runner.prefill) for questions with
`prefill: profile.<field>`. The runner shows the value in the field for the citizen to confirm and
marks it *d'après votre profil* on the check page: nothing is ever answered silently.

Profile values are read once per request; NAS and RAMQ number are decrypted (and the read audited)
only when a question asks for one of them.
"""
from __future__ import annotations

from flask import g
from flask_login import current_user

from app.journeys.sources import SourceError, parse_source, resolve

SENSITIVE_FIELDS = ("sin", "health_number")


def _values(sensitive: bool) -> dict:
    from app.dossier.profile import profile_values

    cache = g.setdefault("_dossier_prefill_values", {})
    if sensitive not in cache:
        cache[sensitive] = profile_values(current_user, purpose="prefill", include_sensitive=sensitive)
    return cache[sensitive]


def profile_suggestion(question):
    """The profile's value for this question in the answer's canonical form, or None."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    try:
        source = parse_source(question.prefill or "")
    except SourceError:
        return None
    if source.kind != "profile":
        return None
    value = resolve(source, {}, _values(source.name.split(".")[0] in SENSITIVE_FIELDS), {})
    return None if value in ("", {}) else value


def init_app(app) -> None:
    from app.runner import prefill

    prefill.register(app, profile_suggestion)
