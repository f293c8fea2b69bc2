"""Translation of the engine's own messages (load errors, answer errors) without Flask.

Messages are English msgids marked with `N_` and translated through the `translations/journeys`
catalogue with plain Babel, so the engine stays importable and testable without the web layer.
Parameters use the `%(name)s` style that Flask-Babel and pybabel understand.
"""
from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "translations" / "journeys"


def N_(msgid: str) -> str:
    """Mark a string for extraction; it is translated later, when the language is known."""
    return msgid


@lru_cache(maxsize=8)
def _translations(lang: str) -> NullTranslations:
    if lang == "en":
        return NullTranslations()
    folder = CATALOGUE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / "messages.po", folder / "messages.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        return Translations.load(str(CATALOGUE_DIR), [lang], domain="messages")
    if not po.is_file():
        return NullTranslations()
    # .mo files are build products (git-ignored): compile the catalogue in memory when absent or stale.
    with po.open("rb") as source:
        catalog = read_po(source, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="messages")


def translate(lang: str, msgid: str, params: dict | None = None) -> str:
    """The message in `lang` ('fr' or 'en'; 'fr-CA' counts as 'fr'), with its parameters filled in."""
    text = _translations(lang.split("-")[0].split("_")[0].lower() or "fr").gettext(msgid)
    return text % params if params else text
