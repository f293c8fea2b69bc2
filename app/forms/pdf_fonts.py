"""Which characters the PDF of a form can print: the fonts of its stylesheet (Noto Sans for Latin,
Greek and Cyrillic, Noto Sans CJK for Chinese, Japanese and Korean, DejaVu Sans for symbols and
some emoji), found through fontconfig.

A form field is drawn with one font (a PDF reader redraws the field with it), so a value is
printable when one of these fonts has all its characters; `font_for` picks it. Otherwise the value is
refused with a message naming the characters, rather than printed as empty boxes."""
from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from fontTools.ttLib import TTCollection, TTFont

# The font stack of app/forms/pdf.css, in order.
FAMILIES = ("Noto Sans", "Noto Sans CJK JP", "DejaVu Sans")


def _font_file(family: str) -> str | None:
    """The file fontconfig gives for `family`, or None when that family is not installed."""
    if not shutil.which("fc-match"):
        return None
    found = subprocess.run(["fc-match", "--format=%{family}\n%{file}", family],
                           capture_output=True, text=True, check=False).stdout.split("\n")
    if len(found) < 2 or family.lower() not in found[0].lower():
        return None
    return found[1]


def _codepoints(path: str) -> set[int]:
    fonts = TTCollection(path, lazy=True).fonts if path.endswith((".ttc", ".otc")) else [TTFont(path, lazy=True)]
    points: set[int] = set()
    for font in fonts[:1]:  # the faces of a collection share their character map
        points.update(font.getBestCmap() or {})
    return points


@lru_cache(maxsize=1)
def _families() -> tuple[tuple[str, frozenset[int]], ...]:
    """(family, its characters) for each installed family of the stack."""
    found = []
    for family in FAMILIES:
        path = _font_file(family)
        if path:
            found.append((family, frozenset(_codepoints(path))))
    return tuple(found)


def _needed(text: str) -> set[int]:
    return {ord(char) for char in text if not char.isspace() and ord(char) >= 32}


def font_for(text: str) -> str | None:
    """The first family of the stack that has every character of `text`, or None."""
    needed = _needed(text)
    return next((family for family, points in _families() if needed <= points), None)


def unprintable(text: str) -> list[str]:
    """The characters of `text` that keep it from printing in one font (none when it prints)."""
    needed = _needed(text)
    if not needed or not _families() or font_for(text) is not None:
        return []  # no font of the stack installed (`make fonts`): WeasyPrint falls back to what there is
    best = max((points for _, points in _families()), key=lambda points: len(needed & points), default=frozenset())
    return sorted(chr(point) for point in needed - best)
