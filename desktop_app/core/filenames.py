"""File names built from people's words, safe on Windows, macOS and Linux."""

from __future__ import annotations

import re
import unicodedata

# Characters Windows refuses in a file name, and control characters everywhere.
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
# Names Windows reserves for devices, with or without an extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_PART = 80


def safe_part(text: str, fallback: str = "unnamed") -> str:
    """One piece of a file name: illegal characters become spaces, runs of space shrink, no leading/trailing dots."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = _ILLEGAL.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = text[:MAX_PART].rstrip(" .")
    if not text or text.split(".")[0].casefold() in _RESERVED:
        return fallback if not text else f"_{text}"
    return text


def scorecard_filename(participant: str, stage: str) -> str:
    """'Ada Byron - Technical interview - scorecard.pdf': who and which stage, safe as a file name anywhere."""
    return f"{safe_part(participant, 'participant')} - {safe_part(stage, 'stage')} - scorecard.pdf"
