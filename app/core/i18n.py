"""Languages: French first, English second. The choice is kept in the session; links switch it without JavaScript."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import Babel, get_locale

babel = Babel()
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return get_locale().language if get_locale() else current_app.config["BABEL_DEFAULT_LOCALE"]


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
