"""Bundled TrueType fonts for every script, and untrusted text split into runs by the font that has its glyphs.

reportlab has no automatic font fallback: a character missing from the current font prints as a box. So text
is cut into runs, each run set in the first font of FALLBACK that has all of its characters, and every run is
escaped before it is wrapped in `<font name=...>` (for Paragraphs) or drawn with its own font (on a canvas).

Shaping is not done: Arabic and Hebrew print as separate letters in logical (left-to-right) order and
Devanagari vowel signs follow their consonant. reportlab shapes and reorders only when uharfbuzz and rlbidi
are installed, and Viva does not depend on them.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.paths import RESOURCES_DIR

FONTS_DIR = RESOURCES_DIR / "fonts"


@dataclass(frozen=True)
class Family:
    """One bundled family: the name used in markup and its faces' files; a missing face reuses a present one."""

    name: str
    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None
    subfont: int = 0  # the face's index inside a TrueType collection (.ttc)

    def _files(self) -> dict[tuple[bool, bool], str | None]:
        return {(False, False): self.regular, (True, False): self.bold, (False, True): self.italic,
                (True, True): self.bold_italic}

    def face_name(self, bold: bool = False, italic: bool = False) -> str:
        """The registered name of the face nearest to that weight and slant."""
        files = self._files()
        for want in ((bold, italic), (bold, False), (False, False)):
            if files[want]:
                bold, italic = want
                break
        suffix = {(False, False): "", (True, False): "-Bold", (False, True): "-Italic", (True, True): "-BoldItalic"}
        return self.name + suffix[(bold, italic)]

    def faces(self) -> dict[str, str]:
        """Registered face name -> file name, for the faces the family really has."""
        return {self.face_name(*style): file for style, file in self._files().items() if file}


# Latin, Greek and Cyrillic come first: punctuation and digits inside other scripts' runs stay in those runs.
BASE = Family("Viva", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf")
ARABIC = Family("VivaArabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf")
HEBREW = Family("VivaHebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf")
DEVANAGARI = Family("VivaDevanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf")
THAI = Family("VivaThai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf")
CJK = Family("VivaCJK", "wqy-microhei.ttc")  # Chinese, Japanese kana, Korean Hangul; one weight only
FALLBACK: tuple[Family, ...] = (BASE, ARABIC, HEBREW, DEVANAGARI, THAI, CJK)

# Face names for styles and canvases.
REGULAR = BASE.face_name()
BOLD = BASE.face_name(bold=True)
ITALIC = BASE.face_name(italic=True)

_lock = threading.Lock()
_registered = False
_coverage: dict[str, frozenset[int]] = {}


def register_fonts() -> None:
    """Registers every bundled face and family with reportlab once per process (thread-safe)."""
    global _registered
    with _lock:
        if _registered:
            return
        for family in FALLBACK:
            for face, file in family.faces().items():
                path = FONTS_DIR / file
                if not path.is_file():
                    raise FileNotFoundError(f"{path}: bundled font missing (resources/fonts)")
                pdfmetrics.registerFont(TTFont(face, str(path), subfontIndex=family.subfont))
            registered = cast(TTFont, pdfmetrics.getFont(family.face_name()))  # registered as a TTFont just above
            _coverage[family.name] = frozenset(registered.face.charToGlyph)
            pdfmetrics.registerFontFamily(family.name, normal=family.face_name(), bold=family.face_name(True),
                                          italic=family.face_name(False, True),
                                          boldItalic=family.face_name(True, True))
        _registered = True


def _covers(family: Family, ch: str) -> bool:
    return ord(ch) in _coverage[family.name]


@lru_cache(maxsize=4096)
def _first_family(ch: str) -> Family:
    for family in FALLBACK:
        if _covers(family, ch):
            return family
    return BASE  # nothing has it: a box in the base font, at least visibly there


def _neutral(ch: str) -> bool:
    """Spaces, punctuation, symbols, digits and combining marks: they belong to the run they sit in."""
    return unicodedata.category(ch)[0] in "ZPSNMC"


def runs(text: str) -> list[tuple[Family, str]]:
    """The text cut into (family, text) runs, each run wholly covered by its family where any font covers it."""
    register_fonts()
    out: list[tuple[Family, list[str]]] = []
    for ch in text:
        current = out[-1][0] if out else None
        if current is not None and (_covers(current, ch) and (_neutral(ch) or _first_family(ch) == current)):
            out[-1][1].append(ch)
            continue
        family = _first_family(ch)
        if current == family:
            out[-1][1].append(ch)
        else:
            out.append((family, [ch]))
    return [(family, "".join(chars)) for family, chars in out]


def _escaped(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def markup(value: Any, *, bold: bool = False, italic: bool = False) -> str:
    """Paragraph markup for untrusted text: escaped, newlines as line breaks, non-base runs in their own font.

    `bold`/`italic` name the surrounding style, so a run switched to another family keeps the weight.
    """
    text = "" if value is None else str(value)
    parts = []
    for family, run in runs(text):
        if family is BASE:
            parts.append(_escaped(run))
        else:
            parts.append(f'<font name="{family.face_name(bold, italic)}">{_escaped(run)}</font>')
    return "".join(parts)


def face_runs(text: str, *, bold: bool = False, italic: bool = False) -> list[tuple[str, str]]:
    """(registered face name, text) runs for drawing on a canvas or in a chart."""
    return [(family.face_name(bold, italic), run) for family, run in runs(text)]


def string_width(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """Width of the text in points, each run measured in the font it will be drawn in."""
    return sum(pdfmetrics.stringWidth(run, face, size) for face, run in face_runs(text, bold=bold, italic=italic))


def draw_string(canvas: Any, x: float, y: float, text: str, size: float, *, anchor: str = "start",
                bold: bool = False) -> None:
    """Draws one line on a reportlab canvas, run by run; anchor is start, middle or end."""
    pieces = face_runs(text, bold=bold)
    width = sum(pdfmetrics.stringWidth(run, face, size) for face, run in pieces)
    x -= {"start": 0, "middle": width / 2, "end": width}[anchor]
    for face, run in pieces:
        canvas.setFont(face, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, face, size)
