"""Engines stay below the GUI: importing every engine module loads no PySide6, and no model."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import desktop_app.engines


def test_engine_modules_import_without_pyside6_or_loading_models():
    # llm_sampling subclasses llama_cpp.Llama; llm.py imports it only when a model loads.
    modules = [f"desktop_app.engines.{m.name}" for m in pkgutil.iter_modules(desktop_app.engines.__path__)
               if m.name != "llm_sampling"]
    modules += ["desktop_app.core.turn_taking", "desktop_app.commands.models"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "heavy = sorted(m for m in ('llama_cpp', 'faster_whisper', 'piper', 'vosk', 'sounddevice') if m in sys.modules)\n"
        "print(bad, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] []", out
