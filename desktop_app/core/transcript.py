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


class TurnKind(StrEnum):
    """What a turn is. The values are what the database stores: never rename one (old sessions keep them)."""

    # The interviewer's turns (and the lines it says that are not turns of their own)
    INTRO = "intro"  # introduction and instructions
    RESUME = "resume"  # the line that picks up a resumed session
    QUESTION = "question"  # a planned question
    FOLLOW_UP = "follow_up"
    ROLEPLAY = "roleplay"  # a line of the roleplay character (the farewell too)
    FEEDBACK = "feedback"  # practice: a tip on the answer
    PROMPT = "prompt"  # "would you like me to repeat the question?" after silence
    CLOSING = "closing"
    ACKNOWLEDGEMENT = "acknowledgement"  # said while the next line is worked out; committed with that line
    # The candidate's and the operator's turns
    ANSWER = "answer"
    NOTE = "note"  # manual review: the operator's note on a question
    REQUEST = "request"  # system: the candidate asked (in words) to repeat or retry instead of answering


ANSWER_KINDS = (TurnKind.ANSWER, TurnKind.NOTE)
"""Turns that answer a question (what progress and the answer count read)."""


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
    kind: str = TurnKind.ANSWER  # a TurnKind (a str, as read from the database)
    meta: dict[str, Any] = field(default_factory=dict)  # latency, typed/pasted, level stats...
    id: str | None = None
