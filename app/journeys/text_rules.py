"""What a citizen may type: the one rule on characters, shared by the questionnaire's answers
(app/journeys/answers.py), the account forms (WTForms, app/core/validators.py), the profile and
the forms' drafts.

Control characters (NUL, the other C0 and C1 codes, DEL) and lone UTF-16 surrogates are invisible,
cannot be stored by PostgreSQL (NUL) or encoded in UTF-8 (surrogates), and a person never means
them. Tab, line feed and carriage return are ordinary typing in a text area and stay allowed.
"""
from __future__ import annotations

import re

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    return bool(_FORBIDDEN.search(text))
