"""Sub-commands of `viva`; each module adds its own with register(subparsers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, empty: str = "(none)") -> str:
    """A plain-text table for terminals."""
    if not rows:
        return empty

    def cell(v: Any) -> str:
        if isinstance(v, (list, tuple)):
            return ",".join(str(x) for x in v)
        if isinstance(v, float):
            return f"{v:g}"
        return "" if v is None else str(v)

    data = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [min(48, max(len(c), *(len(row[i]) for row in data))) for i, c in enumerate(columns)]
    lines = ["  ".join(c.upper().ljust(w) for c, w in zip(columns, widths))]
    for row in data:
        lines.append("  ".join(v[:w].ljust(w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines)
