"""CSV and JSON exports of results (each row carries the participant's external_id) and batch scorecards."""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from desktop_app.core.errors import UserError
from desktop_app.evaluation.service import review_data
from desktop_app.reports.scorecard import render_scorecard, write_pdf_atomically
from desktop_app.store import results as rs
from desktop_app.store import sessions
from desktop_app.store.db import Store

Progress = Callable[[int, int], None]
BASE_COLUMNS = (
    "session_id", "external_id", "participant", "email", "template", "stage", "stage_order", "attempt", "status",
    "overall", "max_score", "pass_threshold", "passed", "recommendation", "decision", "approved_by", "approved_at",
    "needs_review", "flags", "model_file", "model_sha256", "prompt_version", "rubric_version", "scored_at",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def result_rows(store: Store, *, template_id: str | None = None, session_ids: Sequence[str] | None = None,
                progress: Progress | None = None) -> list[dict[str, Any]]:
    """One flat dict per scored session with a `score: <dimension>` entry per dimension."""
    rows = rs.export_rows(store, template_id=template_id, session_ids=session_ids)
    out: list[dict[str, Any]] = []
    for n, r in enumerate(rows, 1):
        details = r["details"]
        model = details.get("model") or {}
        row = {
            "session_id": r["session_id"], "external_id": r["external_id"], "participant": r["participant"],
            "email": r["email"], "template": r["template"], "stage": r["stage"], "stage_order": r["stage_order"],
            "attempt": r["attempt"], "status": r["status"], "overall": r["overall"], "max_score": details.get("max_score"),
            "pass_threshold": details.get("threshold"), "passed": r["passed"], "recommendation": r["recommendation"],
            "decision": r["decision"], "approved_by": r["approved_by"], "approved_at": r["approved_at"],
            "needs_review": r["needs_review"], "flags": ";".join(sorted({f.get("kind", "") for f in r["flags"]})),
            "model_file": model.get("file"), "model_sha256": model.get("sha256"),
            "prompt_version": details.get("prompt_version"), "rubric_version": details.get("rubric_version"),
            "scored_at": r["scored_at"],
        }
        for d in details.get("dimensions", []):
            row[f"score: {d['name']}"] = d["final"]
        out.append(row)
        if progress:
            progress(n, len(rows))
    return out


def _safe_cell(value: Any) -> Any:
    """Spreadsheet-safe value: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _atomic_write(path: Path, write: Callable[[Any], None], *, newline: str | None = None) -> None:
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: no such folder", field="output")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".export-", dir=path.parent)
    except OSError as exc:
        raise UserError(f"cannot write in {path.parent}: {exc.strerror or exc}", field="output") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}", field="output") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(rows: list[dict[str, Any]], path: str | Path) -> None:
    """Writes rows as UTF-8 CSV; dimension columns are the union over all rows."""
    extra = sorted({k for r in rows for k in r if k not in BASE_COLUMNS})
    columns = list(BASE_COLUMNS) + extra

    def write(fh: Any) -> None:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: _safe_cell(r.get(c)) for c in columns})

    _atomic_write(Path(path), write, newline="")


def write_json(rows: list[dict[str, Any]], path: str | Path) -> None:
    """Writes rows as a JSON array."""
    _atomic_write(Path(path), lambda fh: json.dump(rows, fh, ensure_ascii=False, indent=2, default=str))


def export_results(store: Store, path: str | Path, *, fmt: str, template_id: str | None = None,
                   operator: str = "operator", progress: Progress | None = None) -> int:
    """Exports scored results as csv or json (audited); returns the number of rows."""
    if fmt not in ("csv", "json"):
        raise UserError("format must be csv or json", field="format")
    rows = result_rows(store, template_id=template_id, progress=progress)
    (write_csv if fmt == "csv" else write_json)(rows, path)
    with store.transaction():
        store.audit(operator, "export", "results", template_id, format=fmt, path=str(path), rows=len(rows))
    return len(rows)


def export_scorecard(store: Store, session_id: str, path: str | Path, *, paper: str = "a4",
                     operator: str = "operator") -> Path:
    """Writes one session's scorecard PDF (audited)."""
    data = review_data(store, session_id)
    if data["result"] is None:
        raise UserError("session has not been scored yet (run `viva score` first)", field="session")
    if paper not in ("a4", "letter"):
        raise UserError("paper must be a4 or letter", field="paper")
    try:
        out = write_pdf_atomically(data, sessions.list_turns(store, data["session_id"]), path, paper=paper)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}", field="pdf") from None
    with store.transaction():
        store.audit(operator, "export_scorecard", "session", data["session_id"], path=str(out), paper=paper)
    return out


def _filename(data: dict[str, Any]) -> str:
    stem = data["participant"].get("external_id") or data["participant"]["name"]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "participant"
    return f"{stem}-{data['session_id'][:8]}.pdf"


def export_scorecards(store: Store, session_ids: Sequence[str], folder: str | Path, *, paper: str = "a4",
                      operator: str = "operator", progress: Progress | None = None) -> list[Path]:
    """Writes one scorecard per scored session into `folder`, reporting progress; audited once."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder", field="folder")
    written: list[Path] = []
    for n, session_id in enumerate(session_ids, 1):
        data = review_data(store, session_id)
        if data["result"] is not None:
            path = folder / _filename(data)
            render_scorecard(data, sessions.list_turns(store, data["session_id"]), path, paper=paper)
            written.append(path)
        if progress:
            progress(n, len(session_ids))
    with store.transaction():
        store.audit(operator, "export_scorecards", "results", None, folder=str(folder), count=len(written), paper=paper)
    return written


def export_sessions(store: Store, session_ids: Sequence[str], folder: str | Path, *, formats: set[str] | Sequence[str],
                    paper: str = "a4", operator: str = "operator",
                    progress: Callable[[int, int, str], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> dict[str, Any]:
    """Writes scorecards ("pdf") and/or results.csv / results.json for many sessions into `folder`.

    Reports (done, total, text) as it goes and stops between sessions when `cancelled()` is true.
    """
    folder = Path(folder)
    formats = set(formats)
    unknown = formats - {"pdf", "csv", "json"}
    if unknown or not formats:
        raise UserError("formats must be some of pdf, csv, json", field="formats")
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder", field="folder")
    total = len(session_ids) + len(formats - {"pdf"})
    done = 0
    written: list[Path] = []
    stopped = False
    if "pdf" in formats:
        for session_id in session_ids:
            if cancelled and cancelled():
                stopped = True
                break
            data = review_data(store, session_id)
            if data["result"] is not None:
                path = folder / _filename(data)
                write_pdf_atomically(data, sessions.list_turns(store, data["session_id"]), path, paper=paper)
                written.append(path)
            done += 1
            if progress:
                progress(done, total, f"scorecard {done} of {len(session_ids)}")
    out: dict[str, Any] = {"scorecards": [str(p) for p in written], "cancelled": stopped}
    if not stopped:
        rows = result_rows(store, session_ids=list(session_ids)) if formats - {"pdf"} else []
        for fmt in sorted(formats - {"pdf"}):
            path = folder / f"results.{fmt}"
            (write_csv if fmt == "csv" else write_json)(rows, path)
            out[fmt] = str(path)
            done += 1
            if progress:
                progress(done, total, f"results.{fmt}")
        out["rows"] = len(rows)
    with store.transaction():
        store.audit(operator, "export_sessions", "results", None, folder=str(folder), formats=sorted(formats),
                    scorecards=len(written), cancelled=stopped)
    return out
