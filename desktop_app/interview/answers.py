"""What taking an answer produces, shared by the conversation and the spoken-answer turn: the committed answer,
the candidate's requests instead of an answer, and the two ways a run stops early."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop_app.core.transcript import Turn
from desktop_app.interview.llm_worker import Draft
from desktop_app.interview.messages import HeardAnswer, InboxMessage


class Control(StrEnum):
    """What the candidate asked for instead of answering."""

    REPEAT = "repeat"
    RETRY = "retry"
    SUBMIT = "submit"


Pumped = InboxMessage | Control
"""What `Conversation.pump` hands the flow: an inbox message it did not handle itself, or a request."""


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
