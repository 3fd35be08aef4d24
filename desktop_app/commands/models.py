"""`viva models [use|doctor]`, `viva transcribe FILE.wav`, `viva say TEXT --out FILE.wav`."""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable
from pathlib import Path

from desktop_app.commands import format_table
from desktop_app.commands.context import Context, add_json_flag
from desktop_app.core.errors import UserError
from desktop_app.engines.base import EngineError, VocabularyHint


def _engine_errors(handler: Callable[[Context, argparse.Namespace], int]) -> Callable[[Context, argparse.Namespace], int]:
    """Turns engine failures (missing or corrupt model, no audio) into one-line user errors."""

    @functools.wraps(handler)
    def wrapped(ctx: Context, args: argparse.Namespace) -> int:
        try:
            return handler(ctx, args)
        except EngineError as exc:
            raise UserError(str(exc)) from exc

    return wrapped


def _tail(path: str, width: int = 48) -> str:
    return path if len(path) <= width else "…" + path[-(width - 1) :]


def _mb(size: int) -> str:
    return f"{size / 1e6:.0f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


@_engine_errors
def list_models(ctx: Context, args: argparse.Namespace) -> int:
    """Lists every model found, marking the active one per engine."""
    from desktop_app.engines.models import ModelKind, active_model, discover
    from desktop_app.engines.settings import load_settings

    settings = load_settings(ctx.paths)
    models = discover(ctx.paths)
    active: dict[ModelKind, Path | None] = {}
    for kind in ModelKind:
        try:
            active[kind] = Path(active_model(ctx.paths, settings, kind).path).resolve()
        except EngineError:
            active[kind] = None
    rows = [
        {
            "kind": str(m.kind),
            "engine": m.engine,
            "name": m.name,
            "file": str(m.path),
            "where": _tail(str(m.path)),
            "size": _mb(m.size_bytes),
            "size_bytes": m.size_bytes,
            "language": m.language,
            "sha256": m.sha256 or "",
            "sha": (m.sha256 or "")[:12],
            "embedded": m.embedded,
            "licence": m.licence,
            "active": Path(m.path).resolve() == active.get(m.kind),
        }
        for m in models
    ]
    for row in rows:
        row["use"] = "*" if row["active"] else ""
    ctx.emit(rows, lambda: format_table(rows, ("use", "kind", "engine", "name", "size", "language", "licence", "sha", "where")))
    return 0


@_engine_errors
def use_model(ctx: Context, args: argparse.Namespace) -> int:
    """Makes PATH the active model for KIND ("default" returns to the embedded one)."""
    from desktop_app.engines.models import SETTING_FOR_KIND, ModelKind, check_model_path, small_model
    from desktop_app.engines.settings import load_settings, save_settings

    kind = ModelKind(args.kind)
    settings = load_settings(ctx.paths)
    if args.path == "default":
        chosen = None
        text = f"{kind}: embedded default"
    elif args.path == "small" and kind is ModelKind.LLM:
        small_model(ctx.paths)  # refuses if the package is missing
        chosen = "small"
        text = f"{kind}: the small embedded model (fast; cannot judge answers, so scores lean on the rules)"
    else:
        info = check_model_path(kind, Path(args.path))
        chosen = str(info.path)
        text = f"{kind}: {info.engine} {info.path}"
    save_settings(ctx.paths, settings.replace(**{SETTING_FOR_KIND[kind]: chosen}))
    ctx.emit({"kind": str(kind), "model": chosen}, text)
    return 0


def doctor(ctx: Context, args: argparse.Namespace) -> int:
    """Loads each active engine, runs a short self-test, prints one PASS/FAIL line each."""
    from desktop_app.engines.doctor import run_checks

    results = run_checks(ctx.paths)
    rows = [r.to_dict() for r in results]
    ctx.emit(rows, lambda: "\n".join(r.line() for r in results))
    return 0 if all(r.ok for r in results) else 1


@_engine_errors
def transcribe(ctx: Context, args: argparse.Namespace) -> int:
    """Recognises speech in a WAV file with the active recogniser."""
    from desktop_app.engines.pcm import read_wav
    from desktop_app.engines.registry import build_engines

    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    audio = read_wav(path)
    engines = build_engines(ctx.paths)
    hint = VocabularyHint(phrases=tuple(p.strip() for p in (args.hint or "").split(",") if p.strip()))
    started = time.perf_counter()
    result = engines.recognizer.transcribe([audio], hint)
    elapsed = time.perf_counter() - started
    data = {
        "file": str(path),
        "text": result.text,
        "seconds": round(audio.seconds, 3),
        "real_time_factor": round(elapsed / audio.seconds, 3) if audio.seconds else None,
        "words": [{"text": w.text, "start": w.start_s, "end": w.end_s, "probability": w.probability} for w in result.words],
    }
    ctx.emit(data, result.text)
    return 0


@_engine_errors
def say(ctx: Context, args: argparse.Namespace) -> int:
    """Synthesises TEXT with the active voice into a WAV file."""
    from desktop_app.engines.pcm import write_wav
    from desktop_app.engines.registry import build_engines

    if not args.text.strip():
        raise UserError("nothing to say", field="TEXT")
    out = Path(args.out)
    if out.is_dir():
        raise UserError(f"{out}: is a folder; give a file name ending in .wav")
    engines = build_engines(ctx.paths)
    chunks = list(engines.synthesizer.synthesize(args.text))
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        seconds = write_wav(tmp, chunks)
        tmp.replace(out)
    finally:
        if tmp.exists():
            tmp.unlink()
    ctx.emit({"file": str(out), "seconds": round(seconds, 3)}, f"{out} ({seconds:.1f} s)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Adds `models`, `transcribe` and `say`."""
    models = sub.add_parser("models", help="list, choose and check local models")
    add_json_flag(models)
    models.set_defaults(handler=list_models)
    actions = models.add_subparsers(dest="action", metavar="ACTION")
    ls = actions.add_parser("list", help="list models (the default)")
    add_json_flag(ls)
    ls.set_defaults(handler=list_models)
    use = actions.add_parser("use", help="choose the active model for an engine")
    use.add_argument("kind", choices=["llm", "asr", "tts"], metavar="KIND", help="llm, asr or tts")
    use.add_argument("path", metavar="PATH", help="model file or folder, 'default' for the embedded one, or 'small' (llm only)")
    add_json_flag(use)
    use.set_defaults(handler=use_model)
    doc = actions.add_parser("doctor", help="load each active engine and self-test it (PASS/FAIL)")
    add_json_flag(doc)
    doc.set_defaults(handler=doctor)

    tr = sub.add_parser("transcribe", help="speech to text from a WAV file")
    tr.add_argument("file", metavar="FILE.wav")
    tr.add_argument("--hint", help="comma-separated words to expect (names, skills)")
    add_json_flag(tr)
    tr.set_defaults(handler=transcribe)

    sy = sub.add_parser("say", help="text to speech into a WAV file")
    sy.add_argument("text", metavar="TEXT")
    sy.add_argument("--out", required=True, metavar="FILE.wav")
    add_json_flag(sy)
    sy.set_defaults(handler=say)

