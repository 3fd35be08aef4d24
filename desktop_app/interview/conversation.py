"""The runner's controller: says things, takes answers (typed or spoken), handles commands, commits turns.

It runs on the thread that called `InterviewRunner.run()` and is the only code touching the
store during a run. Every other stage talks to it through one inbox queue, so commands
(pause, repeat, end...) are handled wherever the conversation is waiting.
"""

from __future__ import annotations

import collections
import queue
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.core.plan import InterviewPlan
from desktop_app.core.question_bank import QuestionBank
from desktop_app.core.transcript import Speaker, Turn, TurnKind
from desktop_app.engines.base import GenerationRequest, VocabularyHint
from desktop_app.interview import events as ev
from desktop_app.interview.answers import Answer, Control, EndInterview, Pumped, Stop
from desktop_app.interview.events import ListenInput
from desktop_app.interview.listener import Listener
from desktop_app.interview.llm_worker import Draft, LlmWorker
from desktop_app.interview.messages import (
    Command,
    CommandName,
    InboxMessage,
    InputClosed,
    PushToTalk,
    Typed,
    VoiceStarted,
)
from desktop_app.interview.options import RunnerOptions
from desktop_app.interview.recorder import Recording
from desktop_app.interview.speech import SpeechOutput, Utterance
from desktop_app.interview.voice_turn import VoiceTurn
from desktop_app.store import sessions
from desktop_app.store.db import Store

_PASTE = re.compile(r"\x1b\[20[01]~")
_REPEAT = re.compile(
    r"(?:\b(?:could|can|would|will) you (?:please )?(?:repeat|say (?:that|it) again)|^\W*(?:please )?repeat\b|"
    r"\brepeat (?:the|that|your) question|\bcome again\b|^\W*(?:sorry|pardon)\W*$|\bpardon\b|"
    r"\bdidn'?t (?:hear|catch|understand) (?:that|it|the question)|\bwhat was the question|\bone more time\b)", re.I)
_RETRY = re.compile(
    r"(?:\b(?:can|could|may) i|\blet me|^\W*(?:please )?)\s*(?:try|start|answer|do|record)(?: (?:that|it|this))?"
    r"(?: one more time| again| over)\b|\bre-?record\b", re.I)
TEXT_COMMANDS = ("/repeat", "/retry", "/submit", "/pause", "/resume", "/end", "/stop", "/skip")
_RUN_COMMANDS = ("/pause", "/resume", "/end", "/stop")  # typed, these act at once, wherever the flow waits
_REQUESTS = ("/repeat", "/retry", "/submit")  # typed, these are read by whatever takes the answer


class SessionClock:
    """Interview time in seconds: continues from the last run, stands still while paused."""

    def __init__(self, offset_s: float) -> None:
        self.offset_s = offset_s
        self._start = time.monotonic()
        self._paused_at: float | None = None
        self._paused_total = 0.0

    def now(self) -> float:
        """Seconds of interview so far."""
        current = self._paused_at if self._paused_at is not None else time.monotonic()
        return round(self.offset_s + current - self._start - self._paused_total, 3)

    def at(self, monotonic: float) -> float:
        """Interview time of a monotonic timestamp (approximate while paused)."""
        return round(self.offset_s + monotonic - self._start - self._paused_total, 3)

    def pause(self) -> None:
        """Stops the clock."""
        if self._paused_at is None:
            self._paused_at = time.monotonic()

    def resume(self) -> None:
        """Starts the clock again."""
        if self._paused_at is not None:
            self._paused_total += time.monotonic() - self._paused_at
            self._paused_at = None


class Conversation:
    """Say, ask, listen and commit for one session run."""

    def __init__(self, *, store: Store, session_id: str, plan: InterviewPlan, bank: QuestionBank, options: RunnerOptions,
                 emit: Callable[[ev.Event], None], inbox: queue.Queue[InboxMessage], speech: SpeechOutput,
                 listener: Listener | None, llm: LlmWorker | None, audio_dir: Path, data_root: Path,
                 clock: SessionClock, turn_count: int) -> None:
        self.store, self.session_id, self.plan, self.bank, self.options = store, session_id, plan, bank, options
        self._emit, self.inbox, self.speech, self.listener, self.llm = emit, inbox, speech, listener, llm
        self.audio_dir, self.data_root, self.clock = audio_dir, data_root, clock
        self.turn_count = turn_count
        self.paused = False
        self.input_closed = False
        self.lead: Utterance | None = None  # an acknowledgement already playing, to be continued
        self.asked: list[str] = []  # every question said so far (repeat check for follow-ups)
        self.state: dict[str, Any] = {}
        self._warned = False
        self._deferred: list[Pumped] = []
        self._front: collections.deque[Pumped] = collections.deque()  # deferred messages, read before the inbox

    # ------------------------------------------------------------ events and time

    def emit(self, cls: type[ev.Event], **fields: Any) -> None:
        """Reports an event stamped with the session and interview time."""
        self._emit(cls(session_id=self.session_id, t=self.clock.now(), **fields))

    def remaining_s(self) -> float:
        """Interview time left in the budget."""
        return self.plan.time_budget_s - self.clock.now()

    def check_time(self) -> bool:
        """Warns once when little time is left; True while there is time."""
        left = self.remaining_s()
        if not self._warned and left <= self.options.time_warning_s:
            self._warned = True
            self.emit(ev.TimeWarning, remaining_s=round(max(left, 0.0), 1))
        return left > 0

    # ------------------------------------------------------------ inbox

    def pump(self, timeout: float = 0.1, *, deferred: bool = True) -> Pumped | None:
        """Next message for the flow; commands are handled here (stop and end raise), and repeat, retry and
        submit come back as a Control."""
        msg: Pumped
        if deferred and self._front:
            msg = self._front.popleft()
        else:
            try:
                msg = self.inbox.get(timeout=timeout)
            except queue.Empty:
                return None
        match msg:
            case Typed(word=word) if word in _RUN_COMMANDS:
                return self._command(CommandName(word[1:]))
            case Command(name=name):
                return self._command(name)
            case PushToTalk(pressed=pressed):
                if self.listener is not None:
                    self.listener.push_to_talk(pressed)
                return None
            case InputClosed():
                self.input_closed = True
                return msg
            case _:
                return msg

    def _command(self, name: CommandName) -> Control | None:
        """Pause and resume act here, stop and end raise; the requests go to whatever takes the answer."""
        match name:
            case CommandName.PAUSE if not self.paused:
                self.paused = True
                self.clock.pause()
                if self.listener is not None:
                    self.listener.set_paused(True)
                self.emit(ev.Paused)
            case CommandName.RESUME if self.paused:
                self.paused = False
                self.clock.resume()
                if self.listener is not None:
                    self.listener.set_paused(False)
                self.emit(ev.Resumed)
            case CommandName.STOP:
                raise Stop("stopped")
            case CommandName.END:
                raise EndInterview("ended_early")
            case CommandName.REPEAT | CommandName.RETRY | CommandName.SUBMIT:
                return Control(name)
        return None

    def wait_for(self, draft: Draft, timeout: float) -> str | None:
        """A draft's text, handling commands meanwhile (answers arriving early wait their turn)."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if draft._done.is_set():
                    return draft.wait(0)
                msg = self.pump(0.02, deferred=False)
                if msg is not None:
                    self._defer(msg)
        except BaseException:
            draft.cancel()
            raise
        finally:
            self._restore_deferred()
        return draft.wait(0)

    def wait_unpaused(self) -> None:
        """Blocks while paused (commands are still handled); what is typed meanwhile waits for the flow."""
        while self.paused:
            match self.pump(0.1, deferred=False):
                case None | Control():
                    pass  # a request while paused: the question is said again after resume anyway
                case msg:
                    self._front.append(msg)  # newer than anything already waiting there

    # ------------------------------------------------------------ speaking

    def audio_path(self, speaker: str, question_id: str | None) -> Path:
        """A new WAV path in the session's folder (a random suffix never clobbers a crashed run's file)."""
        name = f"{self.turn_count:04d}-{speaker}-{question_id or 'x'}-{secrets.token_hex(3)}.wav"
        return self.audio_dir / name

    def acknowledge(self, text: str) -> None:
        """Starts saying a short acknowledgement now; the next `say` continues the same turn."""
        if self.lead is None:
            self.lead = self.speech.open(TurnKind.ACKNOWLEDGEMENT, None, self.audio_path("interviewer", None))
        self.lead.add(text)

    def say(self, text: str, *, kind: TurnKind, question_id: str | None = None, meta: dict | None = None,
            commit: bool = True, interruptible: int | None = None) -> Turn | None:
        """Says (or shows) text as one interviewer turn and commits it; a pause makes it start again.

        With `interruptible` (an armed listener id, barge-in), candidate speech stops the playback.
        """
        while True:
            self.wait_unpaused()
            utt, self.lead = self.lead, None
            if utt is None:
                utt = self.speech.open(kind, question_id, self.audio_path("interviewer", question_id))
            utt.kind, utt.question_id = kind, question_id
            started = self.clock.at(utt.queued_at)
            utt.add(text)
            utt.finish()
            try:
                while not utt.done.is_set():
                    msg = self.pump(0.05, deferred=False)
                    if self.paused:
                        utt.cancel.set()  # said again after resume; an answer typed meanwhile is kept below
                    match msg:
                        case None | Control():
                            pass  # a request while the line is being said: it is being said
                        case VoiceStarted(arm_id=arm_id) if interruptible is not None and arm_id == interruptible:
                            self._defer(msg)
                            utt.cancel.set()  # barge-in: what was heard is what gets committed
                        case _:
                            self._defer(msg)
            except (Stop, EndInterview):
                utt.cancel.set()
                raise
            finally:
                self._restore_deferred()
            if utt.cancel.is_set() and self.paused:
                continue  # paused mid-sentence: say it again after resume
            if utt.error:
                self.emit(ev.Error, code="tts-failed", message=utt.error)
            if not commit:
                return None
            ended = self.clock.now()
            timing = {"queued_at": utt.queued_at, "first_audio_at": utt.first_audio_at, "done_at": utt.finished_at,
                      "sentences": utt.timeline}
            return self.commit(Speaker.INTERVIEWER, kind, utt.text or text, started, ended, question_id,
                               utt.recording, {**(meta or {}), "timing": timing})

    def _defer(self, msg: Pumped) -> None:
        # Answers typed or spoken while the question is still being said wait for the listener.
        self._deferred = [*self._deferred, msg]

    def _restore_deferred(self) -> None:
        # Deferred messages came from the inbox after everything already in front (only the inbox is read
        # while deferring), so they go behind it: an end of input never overtakes the answers before it.
        self._front.extend(self._deferred)
        self._deferred = []

    # ------------------------------------------------------------ committing

    def commit(self, speaker: str, kind: TurnKind, text: str, started: float, ended: float, question_id: str | None,
               recording: Recording | None, meta: dict[str, Any]) -> Turn:
        """Commits one turn now (its own transaction); audio path is relative to the data folder."""
        audio_path = sha = None
        if recording is not None:
            try:
                audio_path = recording.path.relative_to(self.data_root).as_posix()
            except ValueError:
                audio_path = str(recording.path)
            sha = recording.sha256
            meta = {**meta, "audio_s": round(recording.seconds, 3)}
        turn = sessions.add_turn(self.store, Turn(
            session_id=self.session_id, index=-1, speaker=str(speaker), text=text, started_at=started,
            ended_at=max(ended, started), audio_path=audio_path, audio_sha256=sha, question_id=question_id,
            kind=str(kind), meta=_jsonable(meta)))
        self.turn_count = turn.index + 1
        return turn

    def save_state(self, **state: Any) -> None:
        """Records progress on the session (a cache: committed turns are the truth)."""
        self.state.update(state, elapsed_s=self.clock.now(), turns=self.turn_count)
        sessions.update_session(self.store, self.session_id, state=_jsonable(self.state))

    # ------------------------------------------------------------ answers

    @property
    def voice_input(self) -> bool:
        """True when answers are spoken."""
        return not self.options.text_input and self.listener is not None

    def take_answer(self, question_id: str, question: str, *, draft_for: Callable[[str], GenerationRequest] | None,
                    armed: int | None = None, on_end: Callable[[], None] | None = None) -> Answer | Control:
        """Waits for the answer (voice or typed) and commits it; returns a Control when asked to repeat/retry.

        `on_end` runs the moment a spoken answer ends, before its last words are recognised.
        """
        if not self.voice_input:
            return self.typed_answer(question_id, question)
        return VoiceTurn(self, question_id, question, draft_for, armed, on_end).run()

    def arm(self, question_id: str, question: str) -> int:
        """Starts listening before the question is said (barge-in)."""
        assert self.listener is not None
        return self.listener.arm(question_id, self.audio_path("candidate", question_id), self.hint(question))

    def take_note(self, question_id: str) -> str | None:
        """Manual review: the operator's note for a question (None for an empty line)."""
        self.emit(ev.Listening, question_id=question_id, input=ListenInput.NOTE)
        while True:
            match self.pump(0.1):
                case InputClosed():
                    raise Stop("input_ended")
                case Typed(text=raw):
                    text = _PASTE.sub("", raw).strip()
                    if text.lower() in _REQUESTS:
                        continue  # the question stays on screen; nothing to note
                    return None if text.lower() == "/skip" else text or None

    def typed_answer(self, question_id: str, question: str, pending: Typed | None = None) -> Answer | Control:
        """Waits for a typed answer and commits it; `pending` is a message already taken from the inbox that
        starts it (text typed while a spoken answer was awaited)."""
        if pending is not None:
            self._front.appendleft(pending)
        self.emit(ev.Listening, question_id=question_id, input=ListenInput.TEXT)
        shown = time.monotonic()
        started = self.clock.now()
        while True:
            match self.pump(0.1):
                case InputClosed():
                    raise Stop("input_ended")
                case Control() as control:
                    return control
                case Typed() as typed:
                    return self._typed(question_id, typed, shown, started)

    def _typed(self, question_id: str, typed: Typed, shown: float, started: float) -> Answer | Control:
        """Commits typed text as the answer, unless it is a request (a /command, or words asking to repeat)."""
        raw, command = typed.text, typed.word
        if command in _REQUESTS:
            return Control(command[1:])
        # A short typed request ("Could you repeat the question?") is a request, as it is when spoken:
        # the candidate's screen offers no commands, only words and buttons.
        asked = self.is_voice_command(_PASTE.sub("", raw).strip())
        if asked is not None:
            return asked
        if command == "/skip":
            raw = ""
        text = _PASTE.sub("", raw).strip()
        typing_s = max(typed.received_at - shown, 0.001)
        cps = len(text) / typing_s
        pasted = bool(typed.pasted) or bool(_PASTE.search(raw)) or (
            typed.pasted is None and len(text) >= 40 and cps > self.options.paste_chars_per_s)
        meta = {"input": "typed", "typing_s": round(typing_s, 3), "chars_per_s": round(cps, 1),
                "pasted": pasted, "latency_s": round(typing_s, 3)}
        if typed.typing_started_at is not None:  # the GUI measured when typing began
            meta["latency_s"] = round(max(typed.typing_started_at - shown, 0.0), 3)
        turn = self.commit(Speaker.CANDIDATE, TurnKind.ANSWER, text, started, self.clock.now(), question_id, None,
                           meta)
        self.emit(ev.AnswerFinal, question_id=question_id, text=text, turn_index=turn.index,
                  latency_s=meta["latency_s"], pasted=pasted)
        return Answer(question_id, text, turn, meta=meta)

    def hint(self, question: str) -> VocabularyHint:
        """What the recognizer should expect: the template's words, the name, the question."""
        phrases = (*self.plan.skills, *self.plan.traits, self.plan.participant_name)
        return VocabularyHint(tuple(p for p in phrases if p), question)

    def is_voice_command(self, text: str) -> Control | None:
        """A short spoken request to repeat the question or retry the answer."""
        if len(text.split()) > 12:
            return None
        if _REPEAT.search(text):
            return Control.REPEAT
        if _RETRY.search(text) and self.plan.mode in ("practice_session", "async_interview"):
            return Control.RETRY
        return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value
