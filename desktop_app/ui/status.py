"""The status bar: the active models and their loading state, the microphone, work in progress."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from desktop_app.ui.engine_host import ENGINES

STATE_MARK = {"ready": "✓", "loading": "…", "error": "⚠", "idle": ""}
STATE_WORDS = {"ready": "ready", "loading": "loading", "error": "could not load", "idle": "not loaded yet"}
# What the bar calls each slot: words an assessor uses, not "LLM".
SHORT = {"llm": "AI model", "recognizer": "Speech", "synthesizer": "Voice", "audio": "Mic"}
UNKNOWN = "…"  # the engine host's name before a model is chosen


class ModelStatusBar(QStatusBar):
    """Shows each engine's model name and state; the microphone by name; a busy bar for queued work."""

    def __init__(self, ctx: Any, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Status bar")
        self.labels: dict[str, QLabel] = {}
        for key, title in (*ENGINES, ("audio", "Microphone")):
            label = QLabel()
            label.setAccessibleName(f"{title} status")
            self.labels[key] = label
            self.addPermanentWidget(label)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(self.fontMetrics().averageCharWidth() * 12)
        self.busy_bar.setAccessibleName("Working")
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.addPermanentWidget(self.busy_bar)
        self._titles = dict((*ENGINES, ("audio", "Microphone")))
        ctx.engines.status_changed.connect(self.show_status)
        ctx.ops.busy.connect(self._busy)
        ctx.ops.failed.connect(lambda text: self.showMessage("⚠ " + text, 10000))
        self.show_status(ctx.engines.status)

    def show_status(self, status: dict[str, dict[str, str]]) -> None:
        """Updates every engine label."""
        for key, label in self.labels.items():
            info = status.get(key, {})
            state = info.get("state", "idle")
            name = info.get("name") or UNKNOWN
            if name == UNKNOWN:  # no model named yet: say what is happening rather than show a bare ellipsis
                name = STATE_WORDS.get(state, state)
                label.setText(f"{SHORT[key]}: {name}{'…' if state == 'loading' else ''}")
            else:
                label.setText(f"{SHORT[key]}: {name} {STATE_MARK.get(state, '')}".rstrip())
            detail = info.get("detail") or ""
            words = STATE_WORDS.get(state, state)
            tip = (f"{self._titles[key]}: {name}" + (f" ({words})" if words != name else "")
                   + (f"\n{detail}" if detail else ""))
            label.setToolTip(tip)
            label.setAccessibleDescription(tip)
            label.setProperty("state", "error" if state == "error" else "")
            label.style().unpolish(label)
            label.style().polish(label)

    def _busy(self, busy: bool) -> None:
        # Only long queues are worth a flicker-free indicator; short reads finish before a repaint.
        self.busy_bar.setVisible(busy)
