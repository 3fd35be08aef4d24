"""`viva interview run SESSION` and `viva session resume SESSION`: a whole interview, headless."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from desktop_app.commands.context import Context
from desktop_app.core.errors import UserError
from desktop_app.core.settings_model import Settings
from desktop_app.core.transcript import TurnKind
from desktop_app.core.turn_taking import TurnConfig
from desktop_app.interview import events as ev


def _printer(as_json: bool):
    """One line per event: JSON with --json, else a readable transcript."""
    lock = threading.Lock()

    def on_event(event: ev.Event) -> None:
        if as_json:
            line = json.dumps(event.to_dict(), ensure_ascii=False, default=str)
        elif isinstance(event, ev.Speaking):
            line = f"Interviewer: {event.text}"
        elif isinstance(event, ev.AnswerFinal) and event.speaker != "candidate":
            line = f"[{event.speaker} note on {event.question_id}] {event.text}"
        elif isinstance(event, ev.AnswerFinal) and event.audio_path:
            line = f"Candidate: {event.text}"
        elif isinstance(event, ev.QuestionStarted) and event.turn_kind == TurnKind.NOTE:
            line = f"\nQuestion {event.index}/{event.total}: {event.text}\nNote> "
        elif isinstance(event, (ev.Paused, ev.Resumed)):
            line = f"[{event.kind}]"
        elif isinstance(event, ev.TimeWarning):
            line = f"[{event.remaining_s:.0f} s left]"
        elif isinstance(event, ev.Error):
            line = f"[error {event.code}] {event.message}"
        elif isinstance(event, ev.Finished):
            line = f"[finished: {event.status} ({event.reason}), {event.answers} answers]"
        else:
            return
        with lock:
            print(line, flush=True)

    return on_event


def _feed_stdin(runner) -> None:
    """Typed answers, one per line; EOF closes the input."""
    for line in sys.stdin:
        runner.submit_text(line.rstrip("\n"))
    runner.close_input()


def _build(ctx: Context, args: argparse.Namespace):
    """The runner for the chosen input and output; UserError before anything is written."""
    from desktop_app.engines.settings import load_settings
    from desktop_app.interview.options import RunnerOptions
    from desktop_app.interview.runner import InterviewRunner

    settings = load_settings(ctx.paths)
    modes = [bool(args.text), bool(args.answers), bool(args.input_device)]
    if sum(modes) > 1:
        raise UserError("choose one input: --text, --answers DIR or --input-device NAME", field="input")
    silence = args.silence if args.silence is not None else settings.end_of_turn_silence_s
    options = RunnerOptions(
        text_input=bool(args.text), speak=not args.no_speak, seed=args.seed, use_llm=not args.no_llm,
        turn=TurnConfig(end_of_turn_silence_s=silence, no_speech_timeout_s=args.no_speech_timeout),
        vad=settings.vad, operator=ctx.operator, max_tokens=args.max_tokens,
    )
    audio_in = audio_out = None
    if args.answers:
        from desktop_app.interview.devices import AnswerFilesIn, answer_files

        folder = Path(args.answers)
        if not folder.is_dir():
            raise UserError(f"{folder}: no such folder", field="answers")
        files = answer_files(folder)
        if not files:
            raise UserError(f"{folder}: holds no .wav answers", field="answers")
        audio_in = AnswerFilesIn(files, speed=args.speed)
    elif not args.text:
        audio_in = _device_in(args.input_device or settings.input_device)
    if args.output_device or (not args.answers and not args.text and not args.no_speak):
        audio_out = _device_out(args.output_device or settings.output_device, realtime=args.speed > 0)
    elif not args.no_speak and args.answers:
        from desktop_app.engines.audio_files import NullOut

        audio_out = NullOut(realtime=args.speed > 0)
    engines = _engines(ctx, settings)
    return InterviewRunner(ctx.paths, args.session, on_event=_printer(ctx.as_json), options=options,
                           engines=engines, audio_in=audio_in, audio_out=audio_out)


def _engines(ctx: Context, settings: Settings):
    from desktop_app.interview.engine_access import build_engines

    return build_engines(ctx.paths, settings)


def _device_in(name: str | None):
    from desktop_app.interview.engine_access import open_input

    return open_input(name)


def _device_out(name: str | None, realtime: bool = True):
    from desktop_app.interview.engine_access import open_output

    return open_output(name, realtime=realtime)


def run(ctx: Context, args: argparse.Namespace) -> int:
    """Runs (or continues) a session; exit 0 iff it completed."""
    from desktop_app.store import sessions

    record = sessions.get_session(ctx.store, args.session)
    if getattr(args, "resume_only", False) and record.status != "in_progress":
        raise UserError(f"session is {record.status}; only an in-progress session can be resumed", field="session")
    args.session = record.id
    ctx.close()  # the runner opens its own connection on its own thread
    from desktop_app.engines.base import EngineError

    try:
        runner = _build(ctx, args)
    except EngineError as exc:  # no PortAudio, no such device, a broken model file: one line, nothing written
        raise UserError(str(exc), field="engines") from None
    if args.text:
        threading.Thread(target=_feed_stdin, args=(runner,), name="viva-stdin", daemon=True).start()
    try:
        result = runner.run()
    except KeyboardInterrupt:
        runner.stop()
        raise
    return 0 if result.completed else 1


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("session", help="session id (or a unique prefix of 8+ characters)")
    p.add_argument("--text", action="store_true", help="typed answers, one per line on stdin (EOF ends)")
    p.add_argument("--answers", metavar="DIR", help="WAV files in name order are the candidate's spoken answers")
    p.add_argument("--input-device", metavar="NAME", help="microphone by (part of its) name")
    p.add_argument("--output-device", metavar="NAME", help='speaker by (part of its) name; "null" discards the audio')
    p.add_argument("--no-speak", action="store_true", help="show the interviewer's words without speech")
    p.add_argument("--no-llm", action="store_true", help="follow-ups and roleplay lines from the question bank only")
    p.add_argument("--seed", type=int, help="seed for the plan's wording and the model's sampling")
    p.add_argument("--silence", type=float, help="end-of-turn silence in seconds (default from settings, 1.2)")
    p.add_argument("--no-speech-timeout", type=float, default=30.0, help="seconds of silence before a prompt")
    p.add_argument("--speed", type=float, default=1.0,
                   help="--answers and null-speaker pace (1 = real time, 0 = as fast as possible)")
    p.add_argument("--max-tokens", type=int, default=40, help="model tokens per follow-up or line")
    p.add_argument("--json", action="store_true", dest="sub_json", help="one event per line as JSON")


def register(sub: argparse._SubParsersAction) -> None:
    """Adds `interview run`."""
    group = sub.add_parser("interview", help="run interviews").add_subparsers(dest="action", metavar="ACTION",
                                                                             required=True)
    r = group.add_parser("run", help="run (or continue) a session's interview")
    _add_run_options(r)
    r.set_defaults(handler=run)


def register_session_actions(group: argparse._SubParsersAction) -> None:
    """Adds `session resume` to the session command group."""
    r = group.add_parser("resume", help="continue an interrupted interview where it stopped")
    _add_run_options(r)
    r.set_defaults(handler=run, resume_only=True)
