"""Jinja tests the shared macros use. `is with_date_example`: a hint that already shows a date
(14/03/2026 or 2026-03-14), so the date field does not add a second example."""
from __future__ import annotations

import re

DATE_EXAMPLE = re.compile(r"\b(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2})\b")


def with_date_example(text) -> bool:
    return bool(text) and DATE_EXAMPLE.search(str(text)) is not None


def init_app(app) -> None:
    app.jinja_env.tests["with_date_example"] = with_date_example
