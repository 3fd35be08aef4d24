"""Where an interview stands, derived from its committed turns, so a killed run resumes where it stopped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.core.plan import InterviewPlan
from desktop_app.core.transcript import ANSWER_KINDS, Speaker, Turn, TurnKind

ASKING_KINDS = (TurnKind.QUESTION, TurnKind.FOLLOW_UP, TurnKind.ROLEPLAY)  # turns that expect an answer


def follow_up_id(question_id: str, n: int) -> str:
    """The id of the n-th follow-up (1-based) of a planned question."""
    return f"{question_id}.f{n}"


def core_id(question_id: str | None) -> str:
    """The planned question a (follow-up) id belongs to."""
    return (question_id or "").split(".", 1)[0]


@dataclass(frozen=True)
class Progress:
    """How far a session got: the next planned question, a follow-up asked but unanswered, time used."""

    next_index: int  # index into plan.questions of the first question without an answer
    pending_question: Turn | None  # the last interviewer turn, if it asked something not yet answered
    answered: int  # answer (or note) turns committed
    elapsed_s: float  # session time of the last committed turn's end
    level_shift: int  # adaptive difficulty reached
    closed: bool  # the closing was said
    turns: int
    history: tuple[tuple[str, str], ...]  # (speaker, text) of the conversation so far, for roleplay prompts

    @property
    def started(self) -> bool:
        """True when the session has any turn."""
        return self.turns > 0


def progress_from_turns(plan: InterviewPlan, turns: Sequence[Turn]) -> Progress:
    """Derives progress from committed turns only (the state column may be older than the last turn)."""
    answered_ids = {core_id(t.question_id) for t in turns if t.kind in ANSWER_KINDS and t.question_id}
    next_index = len(plan.questions)
    for i, q in enumerate(plan.questions):
        if q.id not in answered_ids:
            next_index = i
            break
    pending = None
    asked = [t for t in turns if t.speaker == Speaker.INTERVIEWER and t.kind in ASKING_KINDS]
    if asked:
        last = asked[-1]
        later_answer = any(t.index > last.index and t.kind in ANSWER_KINDS for t in turns)
        # A follow-up of an already answered question, asked but unanswered, is asked again on resume.
        if not later_answer and last.kind == TurnKind.FOLLOW_UP and core_id(last.question_id) in answered_ids:
            pending = last
    shift = 0
    for t in turns:
        if t.speaker == Speaker.INTERVIEWER and "level_shift" in t.meta:
            shift = int(t.meta["level_shift"])
    history = tuple(
        ("character" if t.speaker == Speaker.INTERVIEWER else "trainee", t.text)
        for t in turns
        if (t.speaker == Speaker.INTERVIEWER and t.kind == TurnKind.ROLEPLAY) or (t.speaker == Speaker.CANDIDATE and t.text)
    )
    return Progress(
        next_index=next_index,
        pending_question=pending,
        answered=sum(1 for t in turns if t.kind in ANSWER_KINDS),
        elapsed_s=max((t.ended_at for t in turns), default=0.0),
        level_shift=shift,
        closed=any(t.kind == TurnKind.CLOSING for t in turns),
        turns=len(turns),
        history=history,
    )
