"""Transcript turns: who said what, when, and where its audio is."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Speaker(StrEnum):
    INTERVIEWER = "interviewer"
    CANDIDATE = "candidate"
    OPERATOR = "operator"  # a human interviewer's notes (manual_review)
    SYSTEM = "system"


@dataclass(frozen=True)
class Turn:
    """One committed turn of a session."""

    session_id: str
    index: int
    speaker: str
    text: str
    started_at: float  # seconds since the session started
    ended_at: float
    audio_path: str | None = None
    audio_sha256: str | None = None
    question_id: str | None = None  # plan question this turn belongs to
    kind: str = "answer"  # question | follow_up | answer | feedback | intro | closing | note
    meta: dict[str, Any] = field(default_factory=dict)  # latency, typed/pasted, level stats...
    id: str | None = None
