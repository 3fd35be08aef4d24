"""The look: Fusion style with a calm light palette; sizes follow the system font (no fixed font sizes)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#2f6fb3"
ERROR = "#b3261e"
OK = "#1e7d32"
WARNING = "#8a5300"  # amber dark enough for 4.5:1 contrast on the light window colour

STYLE = f"""
QLabel[role="hint"] {{ color: palette(placeholder-text); }}
QLabel[state="error"], InlineMessage[state="error"] {{ color: {ERROR}; }}
QLabel[state="ok"], InlineMessage[state="ok"] {{ color: {OK}; }}
QLabel[state="warning"], InlineMessage[state="warning"] {{ color: {WARNING}; }}
*[invalid="true"] {{ border: 2px solid {ERROR}; border-radius: 3px; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border: 1px solid #24588f;
    border-radius: 4px; padding: 0.35em 1em; }}
QPushButton[primary="true"]:disabled {{ background: #9db6d3; border-color: #9db6d3; }}
QPushButton[primary="true"]:hover {{ background: #3a7dc4; }}
QListWidget[role="nav"] {{ border: none; background: palette(window); outline: 0; }}
QListWidget[role="nav"]::item {{ padding: 0.6em 0.8em; border-radius: 4px; }}
QListWidget[role="nav"]::item:selected {{ background: {ACCENT}; color: white; }}
QFrame[role="card"] {{ background: palette(base); border: 1px solid palette(mid); border-radius: 8px; }}
QFrame[role="candidate"] {{ background: #10243a; }}
QFrame[role="candidate"] QLabel {{ color: #f4f7fb; }}
QFrame[role="candidate"] QLabel[role="hint"] {{ color: #b7c6d8; }}
QLabel[role="caption"] {{ color: #ffffff; }}
QLabel[role="own-words"] {{ color: #cfe3ff; }}
QTableView {{ gridline-color: palette(midlight); }}
QStatusBar QLabel {{ padding: 0 0.6em; }}
"""


def apply_theme(app: QApplication) -> None:
    """Fusion style, a light palette and the stylesheet above."""
    app.setStyle("Fusion")
    palette = app.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f3f5f8"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f9fc"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#5f6b7a"))
    app.setPalette(palette)
    app.setStyleSheet(STYLE)
