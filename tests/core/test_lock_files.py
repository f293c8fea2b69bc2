"""Dependencies are installed from lock files with exact versions and hashes (`make lock` refreshes
them), and every dependency pyproject.toml declares is in them."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pinned(lock: Path) -> dict[str, list[str]]:
    """name -> the hash lines under its pin."""
    found: dict[str, list[str]] = {}
    current = None
    for line in lock.read_text().splitlines():
        match = PINNED.match(line)
        if match:
            current = re.sub(r"[-_.]+", "-", match[1]).lower()
            found.setdefault(current, [])
        elif current and line.strip().startswith("--hash=sha256:"):
            found[current].append(line.strip())
    return found


def declared(extra: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    return {re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", r)[0]).lower() for r in requirements}


def test_every_declared_dependency_is_pinned_with_hashes():
    for lock, extra in (("app.lock", None), ("test.lock", "test")):
        versions = pinned(ROOT / "requirements" / lock)
        missing = declared(extra) - set(versions)
        assert not missing, f"{lock} lacks {sorted(missing)}: run `make lock`"
        assert all(versions.values()), f"{lock} has pins without hashes: run `make lock`"


def test_make_installs_from_the_locks_with_hashes_required():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r $(APP_LOCK)" in makefile and "--require-hashes -r $(TEST_LOCK)" in makefile
    assert "pip install -q --no-deps -e ." in makefile
    assert re.search(r"^lock:", makefile, re.MULTILINE)
