"""Answers suggested from elsewhere (the citizen's profile in Mon dossier) for questions with `prefill:`.

Other packages register a provider with `register(app, provider)`; `provider(question)` returns a
canonical answer value (as `parse_answer` would produce) or None. The runner shows the suggestion in
the field, never answers for the citizen, and marks it *d'après votre profil* on the check page.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app

EXTENSION = "runner.prefill_providers"


def register(app, provider: Callable) -> None:
    app.extensions.setdefault(EXTENSION, []).append(provider)


def suggestion(question):
    """The first provider's value for this question, or None (also when the question has no `prefill`)."""
    if not getattr(question, "prefill", None):
        return None
    for provider in current_app.extensions.get(EXTENSION, []):
        value = provider(question)
        if value is not None:
            return value
    return None
