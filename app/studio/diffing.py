"""Two texts side by side, line by line: what a publisher reads before publishing.

Built from difflib's opcodes rather than `difflib.HtmlDiff`, whose table uses presentational
attributes and ids that repeat when two tables share a page; here each row says in words whether
the line was removed, added or changed, so a screen reader user hears it as well as sees it.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Optional


@dataclass
class Row:
    kind: str  # same | changed | removed | added
    old_number: Optional[int]
    old: Optional[str]
    new_number: Optional[int]
    new: Optional[str]


def side_by_side(old_text: str, new_text: str, context: int = 3) -> list[list[Row]]:
    """Hunks of rows (unchanged lines only `context` lines around each change); [] when equal."""
    old, new = old_text.splitlines(), new_text.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        rows = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [Row("same", i + 1, old[i], j + 1, new[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
            elif tag == "delete":
                rows += [Row("removed", i + 1, old[i], None, None) for i in range(i1, i2)]
            elif tag == "insert":
                rows += [Row("added", None, None, j + 1, new[j]) for j in range(j1, j2)]
            else:
                for k in range(max(i2 - i1, j2 - j1)):
                    i, j = i1 + k, j1 + k
                    rows.append(Row("changed" if i < i2 and j < j2 else ("removed" if i < i2 else "added"),
                                    i + 1 if i < i2 else None, old[i] if i < i2 else None,
                                    j + 1 if j < j2 else None, new[j] if j < j2 else None))
        hunks.append(rows)
    return hunks
