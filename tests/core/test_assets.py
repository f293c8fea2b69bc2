"""Static files like production (app/core/assets.py): hashed names in pages, a year of immutable
caching, brotli/gzip precompressed, CSS pointing at hashed fonts; HTML compressed only when big
enough for it to pay."""
from __future__ import annotations

import re

import pytest
from flask_migrate import upgrade

from app import create_app
from app.core import assets

ASSET = re.compile(r'(?:href|src)="(/[^"]+\.(?:css|js|svg|woff2))"')


def _app(tmp_path, **config):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
                      "STATIC_BUILD_DIR": str(tmp_path / "static-build"), **config})
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def built(tmp_path):
    assets.build(_app(tmp_path))
    return _app(tmp_path)  # a process started after the build, as `make run` does


def test_pages_reference_hashed_files_cached_for_a_year(built):
    client = built.test_client()
    urls = ASSET.findall(client.get("/").get_data(as_text=True))
    assert len(urls) >= 5
    for url in urls:
        assert assets.HASHED.search(url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_stylesheets_are_sent_precompressed(built):
    client = built.test_client()
    css = next(u for u in ASSET.findall(client.get("/").get_data(as_text=True)) if "parcours." in u)
    plain = client.get(css)
    assert "Content-Encoding" not in plain.headers
    brotli = client.get(css, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert brotli.headers["Content-Encoding"] == "br"
    assert int(brotli.headers["Content-Length"]) < len(plain.data)
    assert client.get(css, headers={"Accept-Encoding": "gzip"}).headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in plain.headers["Vary"]


def test_the_design_system_css_points_at_hashed_fonts(built):
    client = built.test_client()
    css_url = next(u for u in ASSET.findall(client.get("/").get_data(as_text=True)) if "qc-sdg" in u)
    css = client.get(css_url).get_data(as_text=True)
    fonts = re.findall(r'url\("?(\.\./fonts/[^")]+)"?\)', css)
    assert fonts and all(assets.HASHED.search(font) for font in fonts)
    base = css_url.rsplit("/", 2)[0]
    assert client.get(f"{base}/{fonts[0].removeprefix('../')}").status_code == 200


def test_a_changed_file_gets_a_new_name():
    assert assets._hashed_name("css/a.css", b"one") != assets._hashed_name("css/a.css", b"two")
    assert assets._hashed_name("css/a.css", b"one").startswith("css/a.")


def test_without_a_build_flask_serves_static_as_before(tmp_path):
    client = _app(tmp_path).test_client()
    html = client.get("/").get_data(as_text=True)
    assert "/static/css/parcours.css" in html
    assert client.get("/static/css/parcours.css").status_code == 200


def test_html_is_compressed_only_when_it_pays(tmp_path):
    client = _app(tmp_path).test_client()
    small = client.get("/", headers={"Accept-Encoding": "gzip, br"})
    assert len(small.data) < 14 * 1024 and "Content-Encoding" not in small.headers
    eager = _app(tmp_path, COMPRESS_MIN_SIZE=500).test_client()
    page = eager.get("/", headers={"Accept-Encoding": "gzip, br"})
    assert page.headers["Content-Encoding"] == "br"
