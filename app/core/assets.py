"""Static files as production serves them: hashed names, immutable caching, precompressed, and
HTML compressed only where it pays.

`flask assets build` (run by `make run`) copies `static/` and every blueprint's static folder into
STATIC_BUILD_DIR (`static-build/`, git-ignored) under their URL paths, adds a copy of each file
named with a hash of its content (`parcours.3f2a9c01b7de.css`; url() references inside CSS point to
hashed names too), writes gzip and brotli versions next to them and a `manifest.json`. When the
manifest is there and STATIC_BUILD_DIR is configured (app/wsgi.py does, so gunicorn and
`make run` serve the build; tests and `flask serve` do not unless they say so), `url_for('static', ...)` gives the hashed name and WhiteNoise serves the build
in front of Flask: hashed files with a year of `immutable` caching, the compressed variant the
browser accepts, every other file with a short cache. Without a build (tests, a fresh clone
before `make run`), Flask serves `static/` as before.

HTML: Flask-Compress compresses responses of COMPRESS_MIN_SIZE bytes or more. A page under about
14 KB leaves in the first round trip of a TCP connection whether compressed or not (initial window
of ten segments), so compressing it would cost CPU for nothing (a question page is about 4 KB).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path, PurePosixPath

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_compress import Compress

from app.core.config import PROJECT_ROOT

MANIFEST = "manifest.json"
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
COMPRESSIBLE = (".css", ".js", ".svg", ".json", ".txt", ".html", ".xml", ".map", ".ico")
ONE_YEAR = 365 * 24 * 3600
compress = Compress()


DEFAULT_BUILD_DIR = PROJECT_ROOT / "static-build"


def build_dir(app) -> Path:
    return Path(app.config.get("STATIC_BUILD_DIR") or DEFAULT_BUILD_DIR)


def static_sources(app) -> dict[str, tuple[str, Path]]:
    """endpoint -> (URL prefix, folder) of every static folder: the app's and its blueprints'."""
    sources = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            owner = app if rule.endpoint == "static" else app.blueprints[rule.endpoint.rsplit(".", 1)[0]]
            if owner.static_folder and Path(owner.static_folder).is_dir():
                sources[rule.endpoint] = (rule.rule.split("<", 1)[0].strip("/"), Path(owner.static_folder))
    return sources


def _hashed_name(relative: str, content: bytes) -> str:
    path = PurePosixPath(relative)
    digest = hashlib.sha256(content).hexdigest()[:12]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def _rewrite_css(css: str, css_url: PurePosixPath, hashed_urls: dict[str, str]) -> str:
    """Point relative url() references of a stylesheet at the hashed copies."""
    def replace(match):
        quote, target = match.groups()
        if re.match(r"^(?:[a-z]+:|/|#)", target):
            return match.group(0)
        bare, _, suffix = target.partition("?")
        bare, _, fragment = bare.partition("#")
        resolved = os.path.normpath(str(css_url.parent / bare)).replace(os.sep, "/")
        hashed = hashed_urls.get(resolved)
        if hashed is None:
            return match.group(0)
        relative = os.path.relpath(hashed, str(css_url.parent)).replace(os.sep, "/")
        return f"url({quote}{relative}{'#' + fragment if fragment else ''}{quote})"
    return CSS_URL.sub(replace, css)


def build(app, target: Path | None = None) -> dict:
    """Copy, hash and compress every static file into `target`; returns the manifest."""
    from whitenoise.compress import Compressor

    target = target or build_dir(app)
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    files = []  # (endpoint, filename, URL path, content)
    for endpoint, (prefix, folder) in static_sources(app).items():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
            filename = path.relative_to(folder).as_posix()
            files.append((endpoint, filename, f"{prefix}/{filename}", path.read_bytes()))
    manifest: dict[str, dict[str, str]] = {}
    hashed_urls: dict[str, str] = {}
    # Stylesheets last: their url() references need the hashed names of what they point at.
    for endpoint, filename, url, content in sorted(files, key=lambda f: f[2].endswith(".css")):
        if url.endswith(".css"):
            content = _rewrite_css(content.decode("utf-8"), PurePosixPath(url), hashed_urls).encode("utf-8")
        hashed_url = _hashed_name(url, content)
        hashed_urls[url] = hashed_url
        manifest.setdefault(endpoint, {})[filename] = _hashed_name(filename, content)
        for name in (url, hashed_url):
            destination = staging / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
    compressor = Compressor(quiet=True)
    for path in staging.rglob("*"):
        if path.is_file() and path.suffix in COMPRESSIBLE:
            for _ in compressor.compress(str(path)):
                pass
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return manifest


def _immutable(path: str, url: str) -> bool:
    return bool(HASHED.search(url))


def _static_headers(headers, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"


def init_app(app) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "text/calendar", "application/json"])
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_MIN_SIZE", 14 * 1024)
    compress.init_app(app)
    app.cli.add_command(assets_cli)
    if not app.config.get("STATIC_BUILD_DIR"):
        return
    manifest_file = build_dir(app) / MANIFEST
    if not manifest_file.exists():
        app.logger.warning("no static build in %s: run `flask assets build`", build_dir(app))
        return
    manifest = json.loads(manifest_file.read_text())

    @app.url_defaults
    def hashed_static(endpoint, values):
        names = manifest.get(endpoint)
        if names is not None and values.get("filename") in names:
            values["filename"] = names[values["filename"]]

    from whitenoise import WhiteNoise

    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(build_dir(app)), max_age=300,
                              immutable_file_test=_immutable, allow_all_origins=False,
                              add_headers_function=_static_headers)
    app.extensions["static_manifest"] = manifest


@click.group("assets")
def assets_cli():
    """Static files: hashed, compressed copies served by WhiteNoise."""


@assets_cli.command("build")
@with_appcontext
def build_command() -> None:
    """Build static-build/: hashed names, gzip and brotli versions, manifest.json."""
    manifest = build(current_app)
    click.echo(f"static files: {sum(len(names) for names in manifest.values())} hashed into {build_dir(current_app)}")
