"""The page checker itself: it accepts a well-made page and names each rule a broken page breaks."""
from __future__ import annotations

import pytest

GOOD_PAGE = """<!doctype html>
<html lang="fr">
<head><title>Erreur : Quelle est la date de naissance? — Parcours</title></head>
<body>
<form method="post" action="/parcours/devenir-parent/date_naissance" novalidate>
  <input type="hidden" name="csrf_token" value="abc">
  <script src="/static/js/app.js"></script>
  <h1><label for="date_naissance">Quelle est la date de naissance?</label></h1>
  <input id="date_naissance" name="date_naissance" type="text">
  <fieldset><legend>Choix</legend>
    <label><input type="radio" name="choix" value="oui"> Oui</label>
    <input type="checkbox" id="c2" name="c" aria-label="Non">
  </fieldset>
  <button type="submit">Continuer</button>
</form>
<form method="get" action=""><label for="q">Rechercher</label><input id="q" name="q"></form>
</body></html>"""


def test_a_well_made_page_passes(page_checker):
    page_checker(GOOD_PAGE, csrf_enabled=True)


@pytest.mark.parametrize("broken, problem", [
    (GOOD_PAGE.replace('<html lang="fr">', "<html>"), "<html> has no lang attribute"),
    (GOOD_PAGE.replace("<fieldset>", "<h1>Encore</h1><fieldset>"), "expected exactly one <h1>, found 2"),
    (GOOD_PAGE.replace("<title>Erreur : Quelle", "<title>Parcours — Quelle"), "does not start with the h1"),
    (GOOD_PAGE.replace("<title>Erreur : Quelle est la date de naissance? — Parcours</title>", ""),
     "the page has no <title>"),
    (GOOD_PAGE.replace('id="c2"', 'id="q"'), "duplicate id 'q'"),
    (GOOD_PAGE.replace(' action=""', ""), "a <form> has no action attribute"),
    (GOOD_PAGE.replace('<input type="hidden" name="csrf_token" value="abc">', ""),
     "a POST <form> has no csrf_token hidden input"),
    (GOOD_PAGE.replace(' aria-label="Non"', ""), 'a form field has no label: <input type="checkbox" id="c2"'),
    (GOOD_PAGE.replace("</body>", "<script>alert(1)</script></body>"), "an inline <script>"),
    (GOOD_PAGE.replace("</head>", "<style>h1 {color: red}</style></head>"), "a <style> element"),
    (GOOD_PAGE.replace("<fieldset>", '<fieldset style="border: 0">'), "inline style attribute"),
    (GOOD_PAGE.replace('<button type="submit">', '<button type="submit" onclick="go()">'),
     "inline onclick attribute"),
    (GOOD_PAGE.replace("<title>Erreur : ", "<title>").replace("<body>", '<body><div id="error-summary"></div>'),
     "shows an error summary but its <title>"),
])
def test_a_broken_page_is_refused_with_the_rule_it_breaks(page_checker, broken, problem):
    with pytest.raises(AssertionError) as failure:
        page_checker(broken, csrf_enabled=True)
    assert problem in str(failure.value)


def test_the_csrf_rule_only_applies_when_csrf_is_on(page_checker):
    page_checker(GOOD_PAGE.replace('<input type="hidden" name="csrf_token" value="abc">', ""), csrf_enabled=False)


def test_the_english_error_prefix_is_ignored_too(page_checker):
    page_checker(GOOD_PAGE.replace("Erreur :", "Error:").replace('lang="fr"', 'lang="en"'), csrf_enabled=True)


def test_the_shared_client_checks_every_html_page_and_can_opt_out(app):
    """Any client made from the shared app checks its pages; check_page=False skips one request."""
    from flask import Flask

    broken = Flask("broken")
    broken.config["WTF_CSRF_ENABLED"] = False
    broken.add_url_rule("/", "home", lambda: "<html><title>Accueil</title><h1>Accueil</h1><h1>Encore</h1></html>")
    broken.add_url_rule("/data", "data", lambda: {"ok": True})
    broken.test_client_class = app.test_client_class
    client = broken.test_client()

    with pytest.raises(AssertionError, match=r"(?s)GET / -> 200\n.*exactly one <h1>, found 2"):
        client.get("/")
    assert client.get("/", check_page=False).status_code == 200
    assert client.get("/data").json == {"ok": True}  # not HTML: not checked


def test_the_unchecked_client_does_not_check(unchecked_client):
    assert unchecked_client.get("/cette-page-nexiste-pas").status_code == 404
