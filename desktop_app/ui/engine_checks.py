"""What the settings dialog asks of the engines: models found, audio devices, the self-test. Run off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop_app.core.settings_model import Settings
from desktop_app.paths import DataPaths


def found_models(paths: DataPaths) -> dict[str, list[tuple[str, str]]]:
    """Per engine kind (llm, asr, tts): (label, path) of every model found; embedded ones first."""
    from desktop_app.core.settings_model import SMALL_LLM
    from desktop_app.engines.models import SMALL_LLM_NAME, discover

    out: dict[str, list[tuple[str, str]]] = {"llm": [], "asr": [], "tts": []}
    for m in discover(paths, with_sha256=False):
        size = f"{m.size_bytes / 1e6:.0f} MB" if m.size_bytes else ""
        if m.name == SMALL_LLM_NAME:  # chosen by name, not path: its file is assembled on first use
            out[str(m.kind)].append((f"Small built-in model: faster, cannot judge answers ({size})", SMALL_LLM))
            continue
        where = "embedded" if m.embedded else str(m.path.parent)
        label = f"{m.name} ({m.engine}, {m.language}, {size}, {where})"
        out[str(m.kind)].append((label, str(m.path)))
    return out


def audio_devices() -> tuple[list[str], list[str]]:
    """Names of input and output devices (empty lists when PortAudio is missing)."""
    from desktop_app.engines import audio

    devices = audio.list_devices()
    return [d.name for d in devices if d.inputs > 0], [d.name for d in devices if d.outputs > 0]


def self_test(paths: DataPaths, settings: Settings, report: Callable[[Any], None],
              engines: Any = None) -> list[tuple[str, bool, str]]:
    """Runs the engines' doctor checks (the same as `viva models doctor`); reports each line.

    `engines` are the app's loaded ones when the settings on screen are the saved ones; otherwise
    the choices on screen are loaded just for the test and released afterwards.
    """
    from desktop_app.engines import doctor
    from desktop_app.engines.registry import build_engines

    own = engines is None
    engines = engines or build_engines(paths, settings)
    try:
        results = [(c.engine, c.ok, c.detail) for c in doctor.run_checks(paths, engines)]
    finally:
        if own:
            engines.close()
    for line in results:
        report(line)
    return results
