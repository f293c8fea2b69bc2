"""`flask journeys …`: check the definitions, export their JSON Schema, store published versions.

`check` and `schema` work even when the journeys are broken (that is their point), so they are
registered as a Flask plugin command and do not need the application to start.
"""
from __future__ import annotations

import hashlib
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
    """Store the current version of each journey; a published version never changes."""
    from sqlalchemy import select

    from app.catalog import get_catalog
    from app.catalog.models import JourneyVersion
    from app.core.db import db

    failed = False
    for journey in get_catalog().journeys.values():
        definition = journey.journey.model_dump(mode="json", by_alias=True, exclude_none=True)
        checksum = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()
        stored = db.session.execute(
            select(JourneyVersion).filter_by(journey_id=journey.id, version=journey.version)
        ).scalar_one_or_none()
        if stored is None:
            db.session.add(JourneyVersion(journey_id=journey.id, version=journey.version,
                                          definition=definition, checksum=checksum))
            click.echo(f"{journey.id} v{journey.version}: published")
        elif stored.checksum != checksum:
            failed = True
            click.echo(f"{journey.id} v{journey.version}: already published with other content; "
                       f"raise `version` in the file to publish the change", err=True)
        else:
            click.echo(f"{journey.id} v{journey.version}: up to date")
    db.session.commit()
    if failed:
        raise SystemExit(1)
