"""The forms catalogue inside the web app: loaded and checked once at start-up, cached per process.

When the journey catalogue carries the forms (the journeys loader loads `journeys/forms/`), they are
taken from it; otherwise they are loaded here with `app.journeys.forms_loader`, against the
organisations of the catalogue (or of `journeys/organisations.yaml`).
"""
from __future__ import annotations

from pathlib import Path

import yaml
from flask import current_app

from app.journeys.errors import DefinitionErrors
from app.journeys.forms_loader import CompiledForm, load_forms
from app.journeys.schema import OrganisationsFile


def init_app(app) -> None:
    catalog = app.extensions.get("catalog")
    if catalog is not None and getattr(catalog, "forms", None) is not None:
        app.extensions["forms"] = catalog.forms
        app.extensions["forms_organisations"] = catalog.organisations
        return
    directory = Path(app.config["JOURNEYS_DIR"])
    organisations = getattr(catalog, "organisations", None) or _organisations(directory)
    forms, errors = load_forms(directory / "forms", organisations)
    if errors:
        from app.core.factory import exit_with

        exit_with(DefinitionErrors(errors).format(app.config["BABEL_DEFAULT_LOCALE"]))
    app.extensions["forms"] = forms
    app.extensions["forms_organisations"] = organisations


def _organisations(directory: Path) -> dict:
    data = yaml.safe_load((directory / "organisations.yaml").read_text(encoding="utf-8"))
    return {o.id: o for o in OrganisationsFile.model_validate(data).organisations}


def all_forms() -> dict[str, CompiledForm]:
    return current_app.extensions["forms"]


def get_form(form_id: str) -> CompiledForm | None:
    return all_forms().get(form_id)


def organisation(org_id: str):
    return current_app.extensions["forms_organisations"].get(org_id)
