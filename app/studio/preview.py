"""Preview: the draft run as a citizen runs it, through the real questionnaire (app/runner/mode.py).

The questionnaire is mounted a second time under /studio/apercu; this module tells it which journey
a preview shows (the draft, compiled by the same loader, once per draft text and process), who may
see it (staff only: anyone else gets a 404), what every preview page shows at its top (a draft
banner with *Modifier cette question*), and why each step of the plan appears (its condition).
"""
from __future__ import annotations

from typing import Optional

from flask_babel import gettext
from flask_login import current_user

from app.core.lru import LRU
from app.studio import drafts
from app.studio.access import is_staff

PREFIX = "/studio/apercu"
_compiled = LRU(64)  # (journey id, draft checksum) -> compiled draft


class StudioPreview:
    banner = "studio/_preview_banner.html"

    def allowed(self) -> bool:
        return is_staff(current_user)

    def journey(self, journey_id: str):
        draft = drafts.draft_of(journey_id)
        if draft is None or drafts.is_organisations(journey_id):
            return None
        key = (journey_id, draft.checksum)
        compiled = _compiled.get(key)
        if compiled is None:
            compiled = drafts.check(journey_id, draft.source or "").compiled
            if compiled is None:
                return None
            _compiled.put(key, compiled)
        return compiled

    def step_note(self, step) -> Optional[str]:
        condition = getattr(step, "applies_if", None)
        if condition:
            return gettext("Preview: this step appears because this condition holds: %(condition)s",
                           condition=condition)
        return gettext("Preview: this step has no condition; it always appears.")


def init_app(app) -> None:
    from app.runner.mode import mount_preview

    mount_preview(app, PREFIX, StudioPreview())
