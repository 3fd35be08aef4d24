"""One spoken answer: listen, show partial text, draft a follow-up during the silence, commit the answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from desktop_app.core.question_bank import QuestionBank
from desktop_app.core.transcript import Speaker, Turn, TurnKind
from desktop_app.engines.base import GenerationRequest, VocabularyHint
from desktop_app.interview import events as ev
from desktop_app.interview.answers import Answer, Control, EndInterview, Pumped, Stop
from desktop_app.interview.events import ListenInput
from desktop_app.interview.listener import Listener
from desktop_app.interview.llm_worker import Draft, LlmWorker
from desktop_app.interview.messages import (
    HeardAnswer,
    Typed,
    VoiceEnded,
    VoiceError,
    VoiceFinal,
    VoiceMessage,
    VoicePartial,
    VoicePaused,
    VoiceResumed,
    VoiceStarted,
)
from desktop_app.interview.recorder import Recording

_YES = re.compile(r"^\W*(?:yes|yeah|yep|sure|please|ok(?:ay)?|could you)\b", re.I)


class Clock(Protocol):
    def now(self) -> float: ...


class AnswerTaking(Protocol):
    """What a spoken answer needs from the conversation that takes it (desktop_app.interview.conversation)."""

    @property
    def clock(self) -> Clock: ...  # read-only here, so the conversation's own clock class fits

    bank: QuestionBank
    listener: Listener | None
    llm: LlmWorker | None

    def pump(self, timeout: float = 0.1, *, deferred: bool = True) -> Pumped | None:
        """The next inbox message (or None after `timeout`), with commands handled."""

    def commit(self, speaker: str, kind: TurnKind, text: str, started: float, ended: float, question_id: str | None,
               recording: Recording | None, meta: dict[str, Any]) -> Turn:
        """Commits one turn now."""

    def emit(self, cls: Any, **fields: Any) -> None:
        """Sends an event to the runner's listeners."""

    def say(self, text: str, *, kind: TurnKind, question_id: str | None = None) -> Turn | None:
        """Speaks (and shows) a line to the candidate."""

    def wait_unpaused(self) -> None: ...

    def audio_path(self, speaker: str, question_id: str | None) -> Any: ...

    def hint(self, question: str) -> VocabularyHint: ...

    def is_voice_command(self, text: str) -> Control | None: ...

    def typed_answer(self, question_id: str, question: str, pending: Typed | None = None) -> Answer | Control:
        """Takes a typed answer, starting with `pending` (a message already read from the inbox)."""


class VoiceTurn:
    """Takes one spoken answer to `question_id` through the listener's stages."""

    def __init__(self, conv: AnswerTaking, question_id: str, question: str,
                 draft_for: Callable[[str], GenerationRequest] | None, armed: int | None = None,
                 on_end: Callable[[], None] | None = None) -> None:
        self.conv = conv
        self.on_end = on_end
        self.question_id = question_id
        self.question = question
        self.draft_for = draft_for
        self.armed = armed

    def run(self) -> Answer | Control:
        """The committed answer, or what the candidate asked for instead."""
        conv = self.conv
        prompted = False
        while True:
            conv.wait_unpaused()
            listen_t = conv.clock.now()
            heard, draft = self._listen()
            if isinstance(heard, (Control, Answer)):  # a request, or an answer typed instead
                return heard
            if heard.reason == "no_speech":
                if not prompted:
                    prompted = True
                    conv.say(conv.bank.no_answer_prompts[0], kind=TurnKind.PROMPT, question_id=self.question_id)
                    continue
                return self._commit(heard, listen_t, None, no_answer=True)
            command = conv.is_voice_command(heard.text)
            if command is None and prompted and len(heard.text.split()) <= 4 and _YES.search(heard.text):
                command = Control.REPEAT  # "yes" to "would you like me to repeat the question?"
            if command is not None:
                if draft is not None:
                    draft.cancel()
                conv.commit(Speaker.SYSTEM, TurnKind.REQUEST, f"The candidate asked to {command}: {heard.text}",
                            listen_t, conv.clock.now(), self.question_id, heard.recording, {"request": str(command)})
                return command
            return self._commit(heard, listen_t, draft)

    def _listen(self) -> tuple[HeardAnswer | Answer | Control, Draft | None]:
        conv = self.conv
        listener = conv.listener
        assert listener is not None
        arm_id = self.armed or listener.arm(self.question_id, conv.audio_path("candidate", self.question_id),
                                            conv.hint(self.question))
        self.armed = None
        conv.emit(ev.Listening, question_id=self.question_id, input=ListenInput.VOICE)
        draft: Draft | None = None
        speaking = False
        partial = ""
        try:
            while True:
                msg = conv.pump(0.05)
                match msg:
                    case Control.REPEAT | Control.RETRY:
                        listener.disarm()
                        return msg, None
                    case Typed():  # typed instead of spoken (e.g. the mic failed): take it as the answer
                        listener.disarm()
                        return conv.typed_answer(self.question_id, self.question, pending=msg), None
                    case VoiceMessage(arm_id=other) if other is not None and other != arm_id:
                        pass  # an earlier answer's (e.g. a barge-in armed for a question said again)
                    case VoiceStarted() | VoiceResumed():
                        speaking = True
                        if draft is not None:
                            draft.cancel()  # the candidate went on: the draft no longer fits
                            draft = None
                    case VoicePaused():
                        speaking = False
                    case VoiceEnded() if msg.spoke:
                        if self.on_end is not None:
                            self.on_end()  # e.g. "Thank you." from the cache while the last words are recognised
                        if self.draft_for and conv.llm and partial and draft is None:
                            draft = conv.llm.submit(self.draft_for(partial), key=partial)  # the turn is over
                            conv.emit(ev.Thinking, question_id=self.question_id, what="draft")
                    case VoicePartial(text=text):
                        partial = text
                        conv.emit(ev.PartialTranscript, question_id=self.question_id, text=text)
                        if (self.draft_for and conv.llm and text and not speaking
                                and (draft is None or draft.key != text)):
                            if draft is not None:
                                draft.cancel()
                            draft = conv.llm.submit(self.draft_for(text), key=text)
                            conv.emit(ev.Thinking, question_id=self.question_id, what="draft")
                    case VoiceError(code=code, message=message):
                        conv.emit(ev.Error, code=str(code), message=message, fatal=code.fatal)
                        if code.fatal:
                            raise Stop("failed")
                    case VoiceFinal(answer=heard):
                        return heard, draft
                    # Anything else (no message yet, end of typed input, submit) changes nothing here.
        except EndInterview:
            if draft is not None:
                draft.cancel()
            self._keep_partial(listener.disarm(), partial)  # ended by the operator: keep what was said
            raise
        except BaseException:
            if draft is not None:
                draft.cancel()
            listener.disarm()
            raise

    def _keep_partial(self, recording, partial: str) -> None:
        if recording is None or recording.seconds <= 0:
            return
        conv = self.conv
        now = conv.clock.now()
        turn = conv.commit(Speaker.CANDIDATE, TurnKind.ANSWER, partial, max(now - recording.seconds, 0.0), now,
                           self.question_id, recording, {"input": "voice", "ended_early": True, "partial": True})
        conv.emit(ev.AnswerFinal, question_id=self.question_id, text=partial, turn_index=turn.index,
                  audio_path=turn.audio_path)

    def _commit(self, heard: HeardAnswer, listen_t: float, draft: Draft | None, no_answer: bool = False) -> Answer:
        conv = self.conv
        text = heard.text
        timing = {"speech_end_at": heard.speech_end_at, "turn_end_at": heard.turn_end_at, "final_at": heard.final_at,
                  "final_asr_s": round(heard.final_asr_s, 3), "end_of_turn_wait_s": round(heard.silence_s, 3)}
        meta: dict[str, Any] = {"input": "voice", "latency_s": heard.speech_start_s, "level": heard.level, "words": heard.words,
                "end_reason": heard.reason, "timing": timing}
        if no_answer:
            meta["no_answer"] = True
        if heard.errors:
            meta["errors"] = heard.errors
        if not text and not no_answer:
            meta["unrecognised"] = True  # speech was heard but not recognised: the audio is kept
        started = listen_t + (heard.speech_start_s or 0.0)
        turn = conv.commit(Speaker.CANDIDATE, TurnKind.ANSWER, text, started, listen_t + heard.turn_end_s, self.question_id,
                           heard.recording, meta)
        conv.emit(ev.AnswerFinal, question_id=self.question_id, text=text, turn_index=turn.index,
                  latency_s=heard.speech_start_s, audio_path=turn.audio_path,
                  timings={k: v for k, v in timing.items() if isinstance(v, float)})
        if draft is not None and not draft_fits(draft.key, text):
            draft.cancel()
            draft = None
        return Answer(self.question_id, text, turn, draft, heard, meta)


def draft_fits(drafted_on: str, final: str, max_new_words: int = 15) -> bool:
    """A draft made on the text so far still fits when the final text only adds a few last words."""
    if drafted_on == final:
        return True
    return bool(drafted_on) and final.startswith(drafted_on) and len(final[len(drafted_on):].split()) <= max_new_words
