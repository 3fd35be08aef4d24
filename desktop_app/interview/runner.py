"""The interview runner: the API the GUI and the CLI drive. No threads start before run(); no Qt here.

    runner = InterviewRunner(paths, session_id, on_event=callback, options=RunnerOptions(text_input=True))
    worker thread:  result = runner.run()          # blocks until the interview ends or stops
    any thread:     runner.submit_text("answer")   # typed answer (or "/repeat", "/retry" ...)
                    runner.pause(); runner.resume(); runner.repeat_question(); runner.retry()
                    runner.submit(); runner.end_early(); runner.stop(); runner.push_to_talk(True/False)
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from desktop_app.core import wording
from desktop_app.core.errors import UserError
from desktop_app.core.models import SessionMode, SessionStatus
from desktop_app.core.plan import InterviewPlan, build_plan
from desktop_app.core.question_bank import load_bank
from desktop_app.core.transcript import ANSWER_KINDS
from desktop_app.engines.base import AudioIn, AudioOut, LanguageModel, Recognizer, Synthesizer
from desktop_app.interview import events as ev
from desktop_app.interview.answers import Stop
from desktop_app.interview.conversation import Conversation, SessionClock
from desktop_app.interview.flows import Flow
from desktop_app.interview.listener import Listener
from desktop_app.interview.llm_worker import LlmWorker
from desktop_app.interview.messages import Command, CommandName, InboxMessage, InputClosed, PushToTalk, Typed
from desktop_app.interview.options import RunnerOptions
from desktop_app.interview.progress import progress_from_turns
from desktop_app.interview.prompts import PROMPT_VERSION, follow_up_prefix
from desktop_app.interview.recorder import repair_folder
from desktop_app.interview.speech import SpeechOutput
from desktop_app.paths import DataPaths
from desktop_app.store import backups, sessions
from desktop_app.store.db import Store

log = logging.getLogger(__name__)
AI_MODES = (SessionMode.LIVE_AI_INTERVIEW, SessionMode.PRACTICE_SESSION, SessionMode.ROLEPLAY_SIMULATION)


class EngineSet(Protocol):
    """Lazily loaded engines (engines.registry.Engines fits)."""

    @property
    def llm(self) -> LanguageModel:
        """The language model."""

    @property
    def recognizer(self) -> Recognizer:
        """The speech recognizer."""

    @property
    def synthesizer(self) -> Synthesizer:
        """The voice."""


@dataclass(frozen=True)
class RunResult:
    """How a run ended: the session's status now and why."""

    session_id: str
    status: str
    reason: str
    answers: int

    @property
    def completed(self) -> bool:
        """True when the session is completed."""
        return self.status == SessionStatus.COMPLETED


class InterviewRunner:
    """Runs one session: `run()` on a worker thread; control methods from any thread."""

    def __init__(self, paths: DataPaths, session_id: str, *, on_event: ev.EventCallback,
                 options: RunnerOptions | None = None, engines: EngineSet | None = None,
                 audio_in: AudioIn | None = None, audio_out: AudioOut | None = None, vad_factory: Any = None) -> None:
        self.paths = paths
        self.session_id = session_id
        self.options = options or RunnerOptions()
        self.engines = engines
        self.audio_in = audio_in
        self.audio_out = audio_out
        self.vad_factory = vad_factory
        self._on_event = on_event
        self._emit_lock = threading.Lock()
        self._inbox: queue.Queue[InboxMessage] = queue.Queue()
        self._running = threading.Event()

    # ------------------------------------------------------------ control API (any thread)

    def submit_text(self, text: str, *, pasted: bool | None = None, typing_started_at: float | None = None) -> None:
        """A typed answer or text command (/repeat, /retry, /submit, /pause, /resume, /end, /stop, /skip).

        `pasted` (from the GUI's paste event) overrides the typing-speed guess; `typing_started_at`
        is the time.monotonic() of the first keystroke, for the answer's latency.
        """
        self._inbox.put(Typed(text, time.monotonic(), pasted, typing_started_at))

    def close_input(self) -> None:
        """No more typed input will come (EOF): the run stops, resumable, if it still needs answers."""
        self._inbox.put(InputClosed())

    def pause(self) -> None:
        """Pauses: speech stops, the mic is ignored, the clock stands still."""
        self._command(CommandName.PAUSE)

    def resume(self) -> None:
        """Resumes after pause() (an interrupted question is said again)."""
        self._command(CommandName.RESUME)

    def repeat_question(self) -> None:
        """Says the current question again."""
        self._command(CommandName.REPEAT)

    def retry(self) -> None:
        """Practice/async: answer the current (or just answered) question again."""
        self._command(CommandName.RETRY)

    def submit(self) -> None:
        """Practice/async with confirm_answers: keep the answer and go on."""
        self._command(CommandName.SUBMIT)

    def end_early(self) -> None:
        """Operator: wrap up now (the answer in progress is kept); the session completes."""
        self._command(CommandName.END)

    def stop(self) -> None:
        """Stops now without completing; the session stays in progress and can be resumed."""
        self._command(CommandName.STOP)

    def push_to_talk(self, pressed: bool) -> None:
        """Push-to-talk button down (True) or up (False)."""
        self._inbox.put(PushToTalk(pressed))

    def _command(self, name: CommandName) -> None:
        self._inbox.put(Command(name))

    # ------------------------------------------------------------ events

    def _emit(self, event: ev.Event) -> None:
        with self._emit_lock:  # one callback, never called concurrently
            try:
                self._on_event(event)
            except Exception:  # a broken listener must not end the interview
                log.exception("event callback failed for %s", event.kind)

    def _error(self, code: str, message: str, *, fatal: bool = False) -> None:
        self._emit(ev.Error(session_id=self.session_id, code=code, message=message, fatal=fatal))

    # ------------------------------------------------------------ the run

    def run(self) -> RunResult:
        """Runs (or resumes) the interview to its end; blocks. Never raises for interview problems."""
        if self._running.is_set():
            raise RuntimeError("this runner is already running")
        self._running.set()
        store = Store.open(self.paths)
        stages: list[Any] = []
        conv: Conversation | None = None
        status, reason = SessionStatus.IN_PROGRESS, "failed"
        try:
            record, ctx = self._check(store)
            loaded = self._load_engines(record.mode)  # before anything is written: a failure changes nothing
            plan, progress_turns = self._begin(store, record, ctx)
            progress = progress_from_turns(plan, progress_turns)
            conv = self._conversation(store, plan, progress, stages, *loaded)
            reason = Flow(conv, ctx.profile, progress).run()
            sessions.set_status(store, self.session_id, SessionStatus.COMPLETED, operator=self.options.operator,
                                reason=reason)
            status = SessionStatus.COMPLETED
        except Stop as stop:
            reason = stop.reason
        except UserError as exc:  # cannot start (wrong status, no microphone...): nothing was changed
            self._error("cannot-start", str(exc), fatal=True)
            raise
        except Exception as exc:  # the session stays in progress: everything committed is kept, resume goes on
            log.exception("interview run failed")
            self._error("run-failed", wording.error_text(exc), fatal=True)  # the log above keeps the class
            reason = "failed"
        finally:
            for stage in reversed(stages):
                try:
                    stage.shutdown()
                except Exception:
                    log.exception("stage shutdown failed")
            answers = store.query_one("SELECT count(*) AS n FROM turns WHERE session_id = ? AND kind IN (?, ?)",
                                      (self.session_id, *map(str, ANSWER_KINDS)))
            n = answers["n"] if answers else 0
            if conv is not None and status != SessionStatus.COMPLETED:
                try:
                    conv.save_state(stopped=reason)
                except Exception:
                    log.exception("could not record the stop")
            store.close()
            self._running.clear()
        t = conv.clock.now() if conv is not None else 0.0
        self._emit(ev.Finished(session_id=self.session_id, t=t, status=str(status), reason=reason, answers=n))
        if status == SessionStatus.COMPLETED:
            # Its recordings cannot be made again: back up if the newest backup is an hour old (never raises).
            backups.backup_if_due(self.paths, due_after=backups.DUE_AFTER_SESSION)
        return RunResult(self.session_id, str(status), reason, n)

    def _check(self, store: Store):
        """The session and its context, if it can run with these options (reads only)."""
        record = sessions.get_session(store, self.session_id)
        self.session_id = record.id
        if record.status not in (SessionStatus.SCHEDULED, SessionStatus.IN_PROGRESS):
            raise UserError(f"session is {record.status}; only scheduled or in-progress sessions can run",
                            field="session")
        if record.mode == SessionMode.MANUAL_REVIEW and not self.options.text_input:
            raise UserError("manual review takes typed notes: run it with --text", field="mode")
        voice_in = not self.options.text_input and record.mode != SessionMode.MANUAL_REVIEW
        if voice_in and (self.audio_in is None or self.engines is None):
            raise UserError("a voice interview needs a microphone (or --answers DIR); use --text to type", field="input")
        return record, sessions.load_context(store, record.id)

    def _load_engines(self, mode: str) -> tuple[Any, Any, Any]:
        """(llm, recognizer, synthesizer) this mode and these options need; UserError if one cannot load."""
        from desktop_app.engines.base import EngineError

        opts, manual = self.options, mode == SessionMode.MANUAL_REVIEW
        llm = synth = recognizer = None
        if self.engines is None:
            return None, None, None
        if mode in AI_MODES and opts.use_llm:
            try:
                llm = self.engines.llm
            except EngineError as exc:  # the bank still carries the interview
                self._error("llm-unavailable", f"language model unavailable, using the question bank: {exc}")
        try:
            if opts.speak and not manual and self.audio_out is not None:
                synth = self.engines.synthesizer
            if not opts.text_input and not manual:
                recognizer = self.engines.recognizer
        except EngineError as exc:
            raise UserError(str(exc), field="engines") from None
        return llm, recognizer, synth

    def _begin(self, store: Store, record, ctx):
        """Audio repair, plan, status; returns (plan, committed turns)."""
        audio_dir = self.paths.session_audio(record.id)
        repaired = repair_folder(audio_dir)  # WAVs a crash left unfinished become readable again
        if record.plan:
            plan = InterviewPlan.from_dict(record.plan)
        else:
            plan = build_plan(ctx.template, ctx.stage, ctx.profile, ctx.participant, stage_id=ctx.stage_id,
                              mode=record.mode, seed=self.options.seed)
            sessions.update_session(store, record.id, plan=plan.to_dict())
        if record.status == SessionStatus.SCHEDULED:
            sessions.set_status(store, record.id, SessionStatus.IN_PROGRESS, operator=self.options.operator)
        turns = sessions.list_turns(store, record.id)
        if repaired:
            referenced = {t.audio_path for t in turns if t.audio_path}
            orphans = [p.relative_to(self.paths.root).as_posix() for p in repaired]
            state = dict(record.state)
            state["recovered_audio"] = sorted(set(state.get("recovered_audio", [])) |
                                              {o for o in orphans if o not in referenced})
            sessions.update_session(store, record.id, state=state)
        return plan, turns

    def _conversation(self, store: Store, plan: InterviewPlan, progress, stages: list, llm, recognizer,
                      synth) -> Conversation:
        """Records the engines, starts the stages."""
        opts = self.options
        mode = plan.mode
        sessions.update_session(store, self.session_id, models=self._models(llm, recognizer, synth))

        worker = None
        if llm is not None:
            worker = LlmWorker(lambda: llm, on_error=lambda m: self._error("llm-failed", m))
            worker.start()
            stages.append(worker)
            if not getattr(llm, "has_chat_template", False) and mode != SessionMode.ROLEPLAY_SIMULATION:
                worker.prime(follow_up_prefix(plan))
        clock = SessionClock(progress.elapsed_s)
        holder: dict[str, Conversation] = {}

        def on_sentence(utt, sentence: str) -> None:
            conv = holder.get("conv")
            t = conv.clock.now() if conv else 0.0
            self._emit(ev.Speaking(session_id=self.session_id, t=t, text=sentence, turn_kind=utt.kind,
                                   question_id=utt.question_id))

        speech = SpeechOutput(synth, self.audio_out if synth is not None else None, on_sentence,
                              on_error=lambda m: self._error("tts-failed", m))
        if synth is not None and opts.prepare_speech == "before":
            speech.prepare_now(plan.phrases())
        speech.start()
        stages.append(speech)
        speech.prepare_later(plan.phrases())
        listener = None
        if recognizer is not None:
            assert self.audio_in is not None  # _check refuses a voice session without a microphone
            listener = Listener(self.audio_in, recognizer, self._inbox.put, turn=opts.turn,
                                vad_factory=self.vad_factory or _default_vad(opts.vad),
                                segment_pause_s=opts.segment_pause_s)
            listener.start()
            stages.append(listener)
        conv = Conversation(store=store, session_id=self.session_id, plan=plan, bank=load_bank(), options=opts,
                            emit=self._emit, inbox=self._inbox, speech=speech, listener=listener, llm=worker,
                            audio_dir=self.paths.session_audio(self.session_id), data_root=self.paths.root,
                            clock=clock, turn_count=progress.turns)
        holder["conv"] = conv
        conv.state.update(store_state(store, self.session_id))
        return conv

    def _models(self, llm, recognizer, synth) -> dict[str, Any]:
        """What will produce this session's words, with file digests (recorded on the session)."""
        from desktop_app.engines.models import file_sha256

        def digest(path: str) -> str | None:
            p = Path(path)
            try:
                return file_sha256(p / "model.bin" if p.is_dir() else p, self.paths)
            except OSError:
                return None

        out: dict[str, Any] = {"prompt_version": PROMPT_VERSION, "runner": "viva-interview-1"}
        if llm is not None:
            out["llm"] = {"path": llm.model_path, "sha256": llm.sha256 or digest(llm.model_path),
                          "chat_template": bool(getattr(llm, "has_chat_template", False))}
        if recognizer is not None:
            out["asr"] = {"path": recognizer.model_path,
                          "sha256": getattr(recognizer, "sha256", "") or digest(recognizer.model_path),
                          "language": getattr(recognizer, "language", "")}
        if synth is not None:
            out["tts"] = {"path": synth.model_path, "sha256": getattr(synth, "sha256", "") or digest(synth.model_path)}
        return out


def repair_interrupted_sessions(paths: DataPaths) -> dict[str, list[str]]:
    """At start-up: repairs the WAVs of every in-progress session (a crash leaves them unfinished).

    Returns {session_id: [repaired file paths relative to the data folder]}; cheap when nothing crashed.
    """
    store = Store.open(paths)
    try:
        ids = [r["id"] for r in store.query("SELECT id FROM sessions WHERE status = 'in_progress'")]
    finally:
        store.close()
    out: dict[str, list[str]] = {}
    for session_id in ids:
        fixed = repair_folder(paths.session_audio(session_id))
        if fixed:
            out[session_id] = [p.relative_to(paths.root).as_posix() for p in fixed]
    return out


def store_state(store: Store, session_id: str) -> dict[str, Any]:
    """The session's saved state column."""
    return dict(sessions.get_session(store, session_id).state)


def _default_vad(kind: str | None):
    from desktop_app.engines.vad import make_vad

    return lambda: make_vad(kind)
