"""The shared layout, error pages and form macros that every package's pages use."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import render_template, render_template_string


def render(app, source: str, **context) -> BeautifulSoup:
    with app.test_request_context("/"):
        return BeautifulSoup(render_template_string(source, **context), "html.parser")


@pytest.mark.parametrize("code, french, english", [
    (400, "Votre demande n’a pas pu être traitée", "Your request could not be processed"),
    (403, "Vous n’avez pas accès à cette page", "You do not have access to this page"),
    (404, "Page introuvable", "Page not found"),
    (500, "Désolé, un problème est survenu de notre côté", "Sorry, something went wrong on our side"),
])
def test_error_pages_in_both_languages_with_a_way_home(app, page_checker, code, french, english):
    for lang, heading in (("fr", french), ("en", english)):
        with app.test_request_context("/", headers={"Accept-Language": lang}):
            html = render_template(f"errors/{code}.html")
        page_checker(html, csrf_enabled=False, where=f"errors/{code}.html ({lang})")
        page = BeautifulSoup(html, "html.parser")
        assert page.html["lang"] == lang
        assert page.h1.get_text(strip=True) == heading
        assert page.title.get_text().startswith(heading + " — Parcours")
        assert page.find(id="back-home")["href"] == "/"


def test_layout_has_skip_link_logo_language_switch_and_no_inline_code(client):
    html = client.get("/").get_data(as_text=True)
    page = BeautifulSoup(html, "html.parser")
    skip = page.select_one(".go-to-content a")
    assert skip["href"] == "#main" and page.find("main")["id"] == "main"
    assert page.select_one("header img")["alt"]
    assert page.find(id="language-switch")["lang"] in ("fr", "en")
    print_css = page.find("link", href=lambda h: h and h.endswith("/css/print.css"))
    assert print_css["media"] == "print"
    assert not page.select("script:not([src])") and not page.select("[style]") and not page.find("style")


def test_error_summary_accepts_a_mapping_or_wtforms_style_lists(app):
    page = render(app, '{% import "macros/forms.html" as f %}{{ f.error_summary({"email": ["Entrez un courriel.", "x"]}) }}')
    link = page.select_one("#error-summary a")
    assert link["href"] == "#email" and link.get_text() == "Entrez un courriel."
    assert page.find(id="error-summary")["role"] == "alert"
    assert render(app, '{% import "macros/forms.html" as f %}{{ f.error_summary({}) }}').find(id="error-summary") is None


def test_text_input_wires_label_hint_and_error(app):
    page = render(app, '{% import "macros/forms.html" as f %}'
                       '{{ f.text_input("courriel", "Courriel", value="a@b", hint="Pour vous écrire.", error="Entrez un courriel valide.", type="email", autocomplete="email") }}')
    field = page.find(id="courriel")
    assert field["name"] == "courriel" and field["type"] == "email" and field["value"] == "a@b"
    assert field["aria-describedby"] == "courriel-hint courriel-error"
    assert field["aria-invalid"] == "true"
    assert page.find("label", attrs={"for": "courriel"}).get_text(strip=True) == "Courriel"
    assert page.find(id="courriel-error").get_text(" ", strip=True).endswith("Entrez un courriel valide.")


def test_checkboxes_and_radios_are_fieldsets_with_a_legend(app):
    page = render(app, '{% import "macros/forms.html" as f %}'
                       '{{ f.checkboxes("besoins", "Besoins", [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], values=["b"]) }}'
                       '{{ f.yesno("accord", "Êtes-vous d’accord?", value=false) }}')
    assert [legend.get_text(strip=True) for legend in page.find_all("legend")] == ["Besoins", "Êtes-vous d’accord?"]
    assert page.find(id="besoins-b").has_attr("checked") and not page.find(id="besoins-a").has_attr("checked")
    assert page.find(id="accord-non").has_attr("checked")
