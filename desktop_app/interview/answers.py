"""What taking an answer produces, shared by the conversation and the spoken-answer turn: the committed answer,
the candidate's requests instead of an answer, and the two ways a run stops early."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop_app.core.transcript import Turn
from desktop_app.interview.listener import HeardAnswer
from desktop_app.interview.llm_worker import Draft


class Control(StrEnum):
    """What the candidate asked for instead of answering."""

    REPEAT = "repeat"
    RETRY = "retry"
    SUBMIT = "submit"


class Stop(Exception):
    """The run stops now; the session stays in progress and can be resumed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EndInterview(Exception):
    """Wrap up now: the operator ended early or time ran out."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Answer:
    """A committed answer and what the flow may still use (a follow-up drafted during the silence)."""

    question_id: str
    text: str
    turn: Turn
    draft: Draft | None = None
    heard: HeardAnswer | None = None
    meta: dict[str, Any] = field(default_factory=dict)
