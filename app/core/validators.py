"""Field validators shared by every form: the character rule of app/journeys/text_rules.py with a
message in the citizen's language."""
from __future__ import annotations

from flask_babel import gettext, lazy_gettext as _l
from wtforms.validators import ValidationError

from app.journeys.text_rules import has_control_characters

CONTROL_CHARACTERS_MESSAGE = _l("Remove the invisible control characters from this field.")


def text_problem(value) -> str | None:
    """The message for a typed value that breaks the character rule, else None."""
    if isinstance(value, str) and has_control_characters(value):
        return gettext("Remove the invisible control characters from this field.")
    return None


def no_control_characters(form, field) -> None:
    """WTForms validator."""
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE)
