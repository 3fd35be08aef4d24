"""The transcript with speakers and times; evidence quotes highlighted; clicking a turn plays its audio."""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop_app.ui.interview.candidate import clock

EVIDENCE = "#fff0a8"
EVIDENCE_SELECTED = "#ffc94d"
SPEAKER_COLOUR = {"interviewer": "#2f6fb3", "candidate": "#1e7d32", "operator": "#7a4fb3", "system": "#5f6b7a"}


def highlight(text: str, quotes: list[str], selected: set[str]) -> str:
    """`text` as HTML with every quote found in it marked (selected quotes stronger)."""
    escaped = html.escape(text)
    spans: list[tuple[int, int, str]] = []
    for quote in sorted(set(quotes), key=len, reverse=True):
        q = html.escape(quote.strip().strip('"“”'))
        if len(q) < 3:
            continue
        for m in re.finditer(re.escape(q), escaped, flags=re.IGNORECASE):
            if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), EVIDENCE_SELECTED if quote in selected else EVIDENCE))
    out, pos = [], 0
    for start, end, colour in sorted(spans):
        out.append(escaped[pos:start])
        out.append(f'<span style="background-color:{colour}">{escaped[start:end]}</span>')
        pos = end
    out.append(escaped[pos:])
    return "".join(out)


class TranscriptView(QTextBrowser):
    """Read-only transcript; emits play_requested(turn index) when a turn with audio is clicked."""

    play_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName("Transcript")
        self.anchorClicked.connect(self._clicked)
        self.turns: list[dict[str, Any]] = []
        self.quotes: list[str] = []
        self.selected: set[str] = set()

    def set_turns(self, turns: list[dict[str, Any]]) -> None:
        """Shows the turns."""
        self.turns = turns
        self._render()

    def set_evidence(self, quotes: list[str], selected: list[str] | None = None) -> None:
        """Marks every evidence quote; `selected` ones (the chosen dimension's) stand out and scroll into view."""
        self.quotes = list(quotes)
        self.selected = set(selected or [])
        self._render()
        if self.selected:
            first = min((t["index"] for t in self.turns if any(q.casefold() in t["text"].casefold()
                                                               for q in self.selected)), default=None)
            if first is not None:
                self.scrollToAnchor(f"t{first}")

    def _render(self) -> None:
        if not self.turns:
            self.setHtml("<p><i>No turns were recorded in this session.</i></p>")
            return
        parts = []
        for t in self.turns:
            speaker = t["speaker"]
            colour = SPEAKER_COLOUR.get(speaker, "#333333")
            who = html.escape(speaker.capitalize())
            when = clock(t.get("started_at") or 0)
            body = highlight(t["text"], self.quotes, self.selected) if speaker == "candidate" else html.escape(t["text"])
            play = (f'<a href="play:{t["index"]}" title="Play this turn">▶ play</a> '
                    if t.get("audio_path") else "")
            typed = " · typed" if (t.get("meta") or {}).get("input") == "text" or (t.get("meta") or {}).get("typed") else ""
            parts.append(
                f'<a name="t{t["index"]}"></a><p style="margin-top:0.6em; margin-bottom:0">'
                f'<span style="color:#5f6b7a">{when}</span> &nbsp;<b style="color:{colour}">{who}</b>'
                f'<span style="color:#5f6b7a">{typed}</span> &nbsp;{play}</p>'
                f'<p style="margin-top:0.1em">{body}</p>')
        self.setHtml("".join(parts))

    def _clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("play:"):
            self.play_requested.emit(int(text.split(":", 1)[1]))
