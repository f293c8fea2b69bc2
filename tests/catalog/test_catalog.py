"""The journey catalogue in the web app: start-up validation, `flask journeys …`, pinned versions."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from app import create_app
from app.catalog import get_journey
from app.catalog.cli import journeys
from app.catalog.models import JourneyVersion
from app.core.db import db

JOURNEYS = Path(__file__).resolve().parents[2] / "journeys"


@pytest.fixture
def broken_dir(tmp_path):
    target = tmp_path / "journeys"
    shutil.copytree(JOURNEYS, target)
    path = target / "demenager.yaml"
    text = path.read_text()
    path.write_text(text.replace("show_if:", "show_if: \"inconnu == 1\" #", 1))
    return target


def test_check_lists_every_journey_when_valid():
    result = CliRunner().invoke(journeys, ["check", "--dir", str(JOURNEYS)])
    assert result.exit_code == 0
    count = len([p for p in JOURNEYS.glob("*.yaml") if p.name != "organisations.yaml"])
    assert "devenir-parent" in result.output and f"{count} journeys OK" in result.output
    assert "se-separer" in result.output


def test_check_names_file_line_and_field_and_fails(broken_dir):
    result = CliRunner().invoke(journeys, ["check", "--dir", str(broken_dir)])
    assert result.exit_code == 1
    assert "demenager.yaml:" in result.output
    assert ".show_if:" in result.output and "inconnu" in result.output


def test_check_speaks_english_on_request(broken_dir):
    french = CliRunner().invoke(journeys, ["check", "--dir", str(broken_dir)]).output
    english = CliRunner().invoke(journeys, ["check", "--dir", str(broken_dir), "--lang", "en"]).output
    assert french != english and "inconnu" in english


def test_app_refuses_to_start_with_the_same_list(broken_dir, capsys):
    with pytest.raises(SystemExit) as stopped:
        create_app({"TESTING": True, "SECRET_KEY": "x", "JOURNEYS_DIR": str(broken_dir)})
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "demenager.yaml:" in err and "Traceback" not in err


def test_schema_is_written_for_editors(tmp_path):
    result = CliRunner().invoke(journeys, ["schema", "--output", str(tmp_path)])
    assert result.exit_code == 0
    schema = json.loads((tmp_path / "journey.schema.json").read_text())
    assert "questions" in schema["properties"]


def test_committed_schema_is_up_to_date(tmp_path):
    CliRunner().invoke(journeys, ["schema", "--output", str(tmp_path)])
    for name in ("journey.schema.json", "organisations.schema.json"):
        assert (JOURNEYS / "schema" / name).read_text() == (tmp_path / name).read_text(), (
            "run `flask journeys schema` and commit journeys/schema/")


def test_load_publishes_once_and_reports_files_that_differ(app):
    """The database is the source of truth: a file that differs is reported, never silently published."""
    runner = app.test_cli_runner()
    first = runner.invoke(journeys, ["load"])
    assert first.exit_code == 0 and "published" in first.output
    second = runner.invoke(journeys, ["load"])
    assert second.exit_code == 0 and "up to date" in second.output
    with app.app_context():
        db.session.execute(db.update(JourneyVersion).where(JourneyVersion.journey_id == "demenager")
                           .values(checksum="changed"))
        db.session.commit()
    third = runner.invoke(journeys, ["load"])
    assert third.exit_code == 0 and "demenager" in third.output and "flask journeys import" in third.output
    app.extensions["catalog_state"].invalidate()


def test_a_run_keeps_the_version_it_started_on(app):
    with app.app_context():
        current = get_journey("demenager")
        definition = current.journey.model_dump(mode="json", by_alias=True, exclude_none=True)
        definition["version"] = current.version + 1
        definition["title"] = {"fr": "Ancien titre", "en": "Old title"}
        db.session.add(JourneyVersion(journey_id="demenager", version=current.version + 1,
                                      definition=definition, checksum="x"))
        db.session.commit()
        # A newer version was published while `current` was served: runs pinned to it still get it.
        app.extensions["catalog_state"].invalidate()
        assert get_journey("demenager").version == current.version + 1
        archived = get_journey("demenager", current.version + 1)
        assert archived is not None and archived.title["fr"] == "Ancien titre"
        assert get_journey("demenager", current.version) is current
        assert get_journey("demenager", 99) is None
        assert get_journey("inconnu") is None
    app.extensions["catalog_state"].invalidate()


def test_check_warns_about_a_step_without_source_and_a_long_sentence(tmp_path):
    import shutil

    directory = tmp_path / "journeys"
    shutil.copytree(JOURNEYS, directory, ignore=shutil.ignore_patterns("tests", "schema"))
    path = directory / "devenir-parent.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: la-place-0-5")
    sources = text.index("    sources:", start)
    text = text[:sources] + text[text.index("    theme:", sources):]  # the last step loses its sources
    text = text.replace("Inscrivez l'enfant le plus tôt possible et tenez votre dossier à jour.",
                        "Inscrivez l'enfant le plus tôt possible " + "et tenez bien " * 8 + "votre dossier à jour.")
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(journeys, ["check", "--dir", str(directory)])
    assert result.exit_code == 0  # warnings, not errors
    assert "L’étape « la-place-0-5 » n’a pas de source" in result.output
    assert "Une phrase compte" in result.output and "devenir-parent.yaml:" in result.output
    strict = CliRunner().invoke(journeys, ["check", "--dir", str(directory), "--strict", "--lang", "en"])
    assert strict.exit_code == 1 and "has no source" in strict.output
