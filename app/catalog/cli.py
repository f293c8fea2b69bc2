"""`flask journeys …`: check the definitions, export their JSON Schema, store published versions.

`check` and `schema` work even when the journeys are broken (that is their point), so they are
registered as a Flask plugin command and do not need the application to start.
"""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.core.config import Config
from app.journeys.errors import DefinitionErrors
from app.journeys.lint import lint_catalog
from app.journeys.loader import load_catalog
from app.journeys.schema import Journey, OrganisationsFile


@click.group("journeys")
def journeys() -> None:
    """Journey definitions (journeys/*.yaml)."""


@journeys.command("check")
@click.option("--dir", "directory", default=Config.JOURNEYS_DIR, type=click.Path(file_okay=False))
@click.option("--lang", default="fr", type=click.Choice(["fr", "en"]))
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check(directory: str, lang: str, strict: bool) -> None:
    """List every error in the journey files (exit 1), then the content warnings: steps without
    a source, sources checked over a year ago, sentences over 25 words, hints that repeat."""
    try:
        catalog = load_catalog(Path(directory))
    except DefinitionErrors as errors:
        click.echo(errors.format(lang), err=True)
        raise SystemExit(1)
    warnings = lint_catalog(catalog, Path(directory))
    for warning in warnings:
        click.echo(f"warning: {warning.format(lang)}", err=True)
    click.echo(f"{len(catalog.journeys)} journeys OK: {', '.join(sorted(catalog.journeys))}"
               + (f" ({len(warnings)} warnings)" if warnings else ""))
    if strict and warnings:
        raise SystemExit(1)


@journeys.command("schema")
@click.option("--output", default=str(Path(Config.JOURNEYS_DIR) / "schema"), type=click.Path(file_okay=False))
def schema(output: str) -> None:
    """Write the JSON Schemas editors use to autocomplete and check the YAML files."""
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    for name, model in (("journey", Journey), ("organisations", OrganisationsFile)):
        target = out / f"{name}.schema.json"
        target.write_text(json.dumps(model.model_json_schema(by_alias=True), ensure_ascii=False, indent=2) + "\n")
        click.echo(f"wrote {target}")


@journeys.command("load")
@with_appcontext
def load() -> None:
    """Store each file of journeys/ as a published version when the database lacks it.

    The database is the source of truth: a journey it already holds is left alone unless the file
    carries a higher `version` (published from the repository); other differences are reported, and
    `flask journeys import` loads the file as a draft for the studio."""
    from app.catalog import catalog_changed, get_catalog
    from app.catalog.models import ORGANISATIONS_ID
    from app.catalog.publishing import add_published, checksum, latest_version
    from app.core.db import db

    files = _files()
    base = Path(Config.JOURNEYS_DIR).parent
    organisations_text = _organisations_file().read_text(encoding="utf-8")
    documents = [(ORGANISATIONS_ID, 0, _organisations_file(), organisations_definition(organisations_text))]
    for journey in files.journeys.values():
        definition = journey.journey.model_dump(mode="json", by_alias=True, exclude_none=True)
        documents.append((journey.id, journey.version, _journey_file(journey), definition))
    for document_id, version, path, definition in documents:
        stored = latest_version(document_id)
        name = "organisations" if document_id == ORGANISATIONS_ID else document_id
        version = version or 1  # the organisations file has no version of its own
        text = path.read_text(encoding="utf-8") if path and path.is_file() else None
        if stored is None or stored.version < version:
            add_published(document_id, version, text, definition, author="journeys/")
            click.echo(f"{name} v{version}: published")
        elif stored.checksum == checksum(definition):
            click.echo(f"{name} v{stored.version}: up to date")
        else:
            click.echo(f"{name}: the database holds v{stored.version}, which differs from "
                       f"{path.relative_to(base) if path else name}; the database wins. Load the file as a "
                       f"draft with `flask journeys import` to review and publish it in the studio.", err=True)
    db.session.commit()
    catalog_changed()
    get_catalog()


def _files():
    from flask import current_app

    return current_app.extensions["catalog"]


def organisations_definition(text: str) -> dict:
    """The organisations file as stored data (the YAML already passed the loader)."""
    from app.journeys.loader import read_yaml

    return OrganisationsFile.model_validate(read_yaml(text)[1]).model_dump(mode="json", by_alias=True,
                                                                          exclude_none=True)


def _journeys_dir() -> Path:
    from flask import current_app

    return Path(current_app.config["JOURNEYS_DIR"])


def _organisations_file() -> Path:
    from app.journeys.loader import ORGANISATIONS_FILE

    return _journeys_dir() / ORGANISATIONS_FILE


def _journey_file(journey) -> Path:
    return _journeys_dir().parent / journey.source_file


@journeys.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--author", default="flask journeys import", help="Who the drafts are recorded as written by.")
@with_appcontext
def import_(paths: tuple[str, ...], author: str) -> None:
    """Load journey (or organisations.yaml) files as drafts, to review, test and publish in the studio."""
    from app.studio import drafts

    failed = False
    for name in paths:
        text = Path(name).read_text(encoding="utf-8")
        try:
            draft, errors = drafts.import_text(text, author=author, organisations=Path(name).name == "organisations.yaml")
        except drafts.NotAJourney as problem:
            click.echo(f"{name}: {problem}", err=True)
            failed = True
            continue
        shown = "organisations" if draft.journey_id.startswith("_") else draft.journey_id
        click.echo(f"{name}: draft of {shown} saved" + (f" with {len(errors)} problems to fix:" if errors else ""))
        for error in errors:
            click.echo("  " + error.format("en"), err=True)
    if failed:
        raise SystemExit(1)
