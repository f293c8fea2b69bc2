"""Languages: French first, English second. The choice is kept in the session; links switch it without JavaScript."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from babel import Locale
from flask import Blueprint, current_app, g, redirect, request, session, url_for
from flask_babel import Babel, get_locale, get_translations

babel = Babel()
bp = Blueprint("i18n", __name__)


def select_locale() -> Locale:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen not in languages:
        chosen = request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return _locale(chosen)


@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    """Flask-Babel parses the selector's string into a `Locale` on every request; parse each language once."""
    return Locale.parse(code)


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def request_translations():
    """This request's catalogue, found once per request and locale.

    Flask-Babel finds it again at every call (about 5 µs: three trips through `g` and a
    `str(locale)`) and a page calls `_()` a dozen times. The cache is checked against the current
    locale object, so `force_locale` and `flask_babel.refresh()` still switch the language.
    """
    locale = get_locale()
    if locale is None:  # outside a request or app context
        return get_translations()
    cached = g.get("_request_translations")
    if cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    g._request_translations = (locale, translations)
    return translations


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only ever redirect inside the site."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.route("/langue/<lang>")
def switch_language(lang: str):
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.args.get("next"), url_for("runner.home")))


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # The same callables Flask-Babel installs, reading the per-request catalogue above.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.register_blueprint(bp)

    @app.context_processor
    def language_context():
        lang = current_language()
        other = "en" if lang == "fr" else "fr"
        path = request.full_path if request.query_string else request.path
        return {
            "lang": lang,
            "other_lang": other,
            "other_lang_url": url_for("i18n.switch_language", lang=other, next=path),
        }
