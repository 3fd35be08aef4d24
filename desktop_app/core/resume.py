"""Extracts plain text from a local resume file (PDF, DOCX or TXT)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from desktop_app.core.errors import UserError

MAX_RESUME_CHARS = 20_000
SUPPORTED = (".pdf", ".docx", ".txt", ".md")


def extract_resume_text(path: str | Path) -> str:
    """The resume's text, whitespace-folded and capped; UserError naming the file otherwise."""
    p = Path(path)
    if not p.is_file():
        raise UserError("file not found", source=str(p), field="resume")
    suffix = p.suffix.lower()
    try:
        if suffix == ".pdf":
            from pypdf import PdfReader

            text = "\n".join((page.extract_text() or "") for page in PdfReader(str(p)).pages)
        elif suffix == ".docx":
            with zipfile.ZipFile(p) as zf:
                root = ElementTree.fromstring(zf.read("word/document.xml"))
            ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
            paragraphs = ["".join(t.text or "" for t in para.iter(f"{ns}t")) for para in root.iter(f"{ns}p")]
            text = "\n".join(paragraphs)
        elif suffix in (".txt", ".md"):
            text = p.read_text(encoding="utf-8", errors="replace")
        else:
            raise UserError(f"unsupported type {suffix or '(none)'}, use one of {', '.join(SUPPORTED)}", source=str(p), field="resume")
    except UserError:
        raise
    except Exception:  # a damaged file of any kind: say so in one line
        raise UserError("cannot be read: the file may be damaged or protected", source=str(p), field="resume") from None
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    return text[:MAX_RESUME_CHARS]
