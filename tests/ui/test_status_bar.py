"""The status bar speaks the assessor's words: no "LLM", and a model not loaded yet is said, not an ellipsis."""

from __future__ import annotations

from desktop_app.ui.status import ModelStatusBar


def test_the_status_bar_names_models_in_plain_words(qtbot, gui):
    ctx, window = gui
    bar = window.findChild(ModelStatusBar)
    bar.show_status({"llm": {"name": "…", "state": "idle"}, "recognizer": {"name": "…", "state": "loading"},
                     "synthesizer": {"name": "piper-amy", "state": "ready"}, "audio": {"name": "system default"}})
    texts = [bar.labels[k].text() for k in ("llm", "recognizer", "synthesizer", "audio")]
    assert texts == ["AI model: not loaded yet", "Speech: loading…", "Voice: piper-amy ✓", "Mic: system default"]
    assert bar.labels["llm"].toolTip() == "Language model: not loaded yet"
    assert "LLM" not in " ".join(texts)
