"""Self-tests for `viva models doctor`: load each active engine, exercise it briefly, PASS or FAIL."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from desktop_app.core import wording
from desktop_app.engines.base import EngineError, GenerationRequest
from desktop_app.engines.registry import Engines, build_engines
from desktop_app.engines.text import wer
from desktop_app.paths import DataPaths

ROUND_TRIP_TEXT = "Please describe the last project you worked on."
ROUND_TRIP_MAX_WER = 0.5  # a loose bound: the doctor checks the chain works, not its accuracy
SMOKE_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}


@dataclass(frozen=True)
class CheckResult:
    """One engine's verdict."""

    engine: str
    ok: bool
    detail: str

    def line(self) -> str:
        """`PASS  llm        detail` for terminals."""
        return f"{'PASS' if self.ok else 'FAIL'}  {self.engine:<10} {self.detail}"

    def to_dict(self) -> dict:
        """For --json."""
        return asdict(self)


def _check_llm(engines: Engines) -> str:
    started = time.perf_counter()
    llm = engines.llm
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    text = llm.generate(GenerationRequest(prompt="The capital of France is", max_tokens=8, temperature=0.0, seed=1))
    if not text.strip():
        raise EngineError("generated nothing")
    value = llm.generate_json(
        GenerationRequest(prompt="Is water wet? Answer as JSON: ", json_schema=SMOKE_SCHEMA, max_tokens=16, temperature=0.0)
    )
    took = time.perf_counter() - started
    kind = "instruct (chat template)" if llm.has_chat_template else "base (few-shot prompts)"
    return f"{llm.model_path}: {kind}, loaded in {loaded:.1f} s, generated and JSON {value} in {took:.1f} s"


def _check_tts(engines: Engines) -> str:
    started = time.perf_counter()
    synth = engines.synthesizer
    audio = list(synth.synthesize("Hello."))
    seconds = sum(c.seconds for c in audio)
    if seconds < 0.1:
        raise EngineError("synthesised no audio")
    return f"{synth.model_path}: {seconds:.1f} s of audio in {time.perf_counter() - started:.1f} s (incl. load)"


def _check_asr(engines: Engines) -> str:
    from desktop_app.engines.pcm import silence

    started = time.perf_counter()
    rec = engines.recognizer
    quiet = rec.transcribe([silence(1.0)])
    if quiet.text.strip():
        raise EngineError(f"heard {quiet.text!r} in silence")
    detail = f"{rec.model_path} ({rec.language})"
    if str(rec.language).startswith("en") and engines.is_loaded("synthesizer"):
        audio = list(engines.synthesizer.synthesize(ROUND_TRIP_TEXT))
        heard = rec.transcribe(audio).text
        error = wer(ROUND_TRIP_TEXT, heard)
        if error > ROUND_TRIP_MAX_WER:
            raise EngineError(f"round trip heard {heard!r} (WER {error:.2f})")
        detail += f": round trip WER {error:.2f}"
    return detail + f" in {time.perf_counter() - started:.1f} s"


def _check_audio(engines: Engines, kind: str) -> str:
    """Opens the device named in settings for a moment: the mic must deliver audio, the speaker take it."""
    from desktop_app.engines.audio import open_input, open_output
    from desktop_app.engines.pcm import silence

    setting = engines.settings.input_device if kind == "input" else engines.settings.output_device
    if kind == "input":
        mic = open_input(setting)
        mic.start()
        try:
            chunk = mic.read(timeout=2.0)
        finally:
            mic.stop()
        if chunk is None:
            raise EngineError(f"microphone {mic.device_name!r} delivered no audio in 2 s")
        name, detail = mic.device_name, f", level {mic.level_dbfs:.0f} dBFS"
    else:
        speaker = open_output(setting)
        speaker.play(iter([silence(0.1, rate=22050)]))
        name, detail = speaker.device_name, ""
    note = "" if not setting or setting.casefold() in name.casefold() else f" ({setting!r} not found, default used)"
    return f"{name}{note}{detail}"


def run_checks(paths: DataPaths, engines: Engines | None = None) -> list[CheckResult]:
    """Runs every check; a failure in one never stops the others."""
    engines = engines or build_engines(paths)
    checks: list[tuple[str, Callable[[], str]]] = [
        ("llm", lambda: _check_llm(engines)),
        ("tts", lambda: _check_tts(engines)),
        ("asr", lambda: _check_asr(engines)),
        ("audio-in", lambda: _check_audio(engines, "input")),
        ("audio-out", lambda: _check_audio(engines, "output")),
    ]
    results = []
    for name, check in checks:
        try:
            results.append(CheckResult(name, True, check()))
        except EngineError as exc:
            results.append(CheckResult(name, False, str(exc)))
        except Exception as exc:  # the doctor reports, it never crashes
            results.append(CheckResult(name, False, wording.error_text(exc)))
    return results
