"""The questionnaire's preview mode: the same blueprint mounted a second time (name `preview`) for staff.

Another package (the staff studio) mounts it with `mount_preview(app, url_prefix, source)`, where
`source` says which journey a preview shows (a draft) and who may see it. In preview mode:
- the journey comes from `source.journey(journey_id)` instead of the published catalogue;
- runs are kept under their own session key and pinned to `PREVIEW_VERSION` (0, which no
  published version can have), so they are never mixed with real runs nor counted by indicators;
- every page can show `source.banner` (what is previewed, a way back to the editor), and the plan
  can explain each step with `source.step_note(step)`.
URLs inside the questionnaire are relative to the blueprint that serves the page, so one set of
views and templates serves both mounts.
"""
from __future__ import annotations

from typing import Optional, Protocol

from flask import abort, current_app, has_request_context, request

PREVIEW = "preview"
PREVIEW_VERSION = 0
SOURCE = "runner_preview_source"


class PreviewSource(Protocol):
    banner: str  # template included at the top of every preview page

    def allowed(self) -> bool: ...
    def journey(self, journey_id: str): ...
    def step_note(self, step) -> Optional[str]: ...


def is_preview() -> bool:
    return has_request_context() and request.blueprint == PREVIEW


def source() -> PreviewSource:
    return current_app.extensions[SOURCE]


def session_key(journey_id: str) -> str:
    return f"{PREVIEW}:{journey_id}" if is_preview() else journey_id


def mount_preview(app, url_prefix: str, preview_source: PreviewSource) -> None:
    from app.runner.blueprint import bp

    app.extensions[SOURCE] = preview_source
    app.register_blueprint(bp, name=PREVIEW, url_prefix=url_prefix)

    @app.before_request
    def _only_those_allowed():
        if request.blueprint == PREVIEW and not preview_source.allowed():
            abort(404)

    @app.context_processor
    def _preview_banner():
        return {"page_banner": preview_source.banner} if is_preview() else {}
