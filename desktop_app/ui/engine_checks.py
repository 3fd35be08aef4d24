"""What the settings dialog asks of the engines: models found, audio devices, the self-test. Run off the GUI thread."""

from __future__ import annotations

from typing import Any, Callable

from desktop_app.paths import DataPaths


def found_models(paths: DataPaths) -> dict[str, list[tuple[str, str]]]:
    """Per engine kind (llm, asr, tts): (label, path) of every model found; embedded ones first."""
    from desktop_app.engines.models import discover

    out: dict[str, list[tuple[str, str]]] = {"llm": [], "asr": [], "tts": []}
    for m in discover(paths, with_sha256=False):
        size = f"{m.size_bytes / 1e6:.0f} MB" if m.size_bytes else ""
        where = "embedded" if m.embedded else str(m.path.parent)
        label = f"{m.name} ({m.engine}, {m.language}, {size}, {where})"
        out[str(m.kind)].append((label, str(m.path)))
    return out


def audio_devices() -> tuple[list[str], list[str]]:
    """Names of input and output devices (empty lists when PortAudio is missing)."""
    from desktop_app.engines import audio

    inputs, outputs = audio.list_devices()
    return [_name(d) for d in inputs], [_name(d) for d in outputs]


def _name(device: Any) -> str:
    return device if isinstance(device, str) else str(getattr(device, "name", device))


def self_test(paths: DataPaths, settings: dict[str, Any], report: Callable[[Any], None]) -> list[tuple[str, bool, str]]:
    """Runs the engines' doctor checks (the same as `viva models doctor`); reports each line as it finishes."""
    from desktop_app.engines import doctor

    results: list[tuple[str, bool, str]] = []
    for check in doctor.run_checks(paths, settings):
        line = (str(getattr(check, "name", check[0] if isinstance(check, tuple) else check)),
                bool(getattr(check, "ok", check[1] if isinstance(check, tuple) else False)),
                str(getattr(check, "detail", check[2] if isinstance(check, tuple) else "")))
        results.append(line)
        report(line)
    return results
