"""The GUI's contact with scoring, approval, scorecards and exports (evaluation/ and reports/)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.core.errors import UserError
from desktop_app.store.db import Store
from desktop_app.ui.changes import Outcome, changes

Report = Callable[[Any], None]


def _own_store(ctx: Any) -> Store:
    """A connection for a long background job (scoring): the serial worker stays free for the GUI's reads."""
    return Store.open(ctx.paths)


def score_session(ctx: Any, session_id: str, report: Report, cancel: threading.Event | None = None) -> Any:
    """Scores a finished session with the active language model (a minute or so on a small laptop); `cancel` stops it."""
    from desktop_app.evaluation.service import score_session as evaluate

    engines = ctx.engines.engines()
    store = _own_store(ctx)

    def progress(done: int, total: int, label: str = "") -> None:
        percent = int(100 * done / total) if total else 0
        report(f"Scoring… {percent}% ({label})" if label else f"Scoring… {percent}%")

    try:
        return evaluate(store, session_id, llm=engines.llm, operator=ctx.operator, progress=progress, cancel=cancel)
    finally:
        store.close()


def override_score(store: Store, session_id: str, dimension: str, score: float, reason: str,
                   operator: str) -> Outcome:
    """Replaces a dimension's score with a person's; the reason is required and audited."""
    from desktop_app.evaluation.service import override_score as override

    if len(reason.strip()) < 5:
        raise UserError("say why the score changes (at least a few words)", field="reason")
    override(store, session_id, dimension=dimension, score=score, reason=reason.strip(), operator=operator)
    return Outcome(session_id, changes("result", ids=(session_id,)), None, f"Override {dimension}")


def approve(store: Store, session_id: str, assessor: str, note: str = "") -> Outcome:
    """Signs the result off in the assessor's name (locking the scores); a pass schedules the next stage."""
    from desktop_app.evaluation.service import approve as approve_result

    data = approve_result(store, session_id, assessor=assessor, note=note)
    return Outcome(data.get("advanced"), changes("result", "session", ids=(session_id,)), None, "Approve session")


def reopen(store: Store, session_id: str, reason: str, operator: str) -> Outcome:
    """Clears the sign-off with a reason (audited) so the scores can change; a new approval is then needed."""
    from desktop_app.evaluation.service import reopen as reopen_result

    reopen_result(store, session_id, reason=reason, operator=operator)
    return Outcome(session_id, changes("result", ids=(session_id,)), None, "Reopen sign-off")


def save_scorecard(ctx: Any, session_id: str, path: str | Path) -> Path:
    """Writes the session's scorecard PDF to `path`, audited (own connection: it runs on a background thread)."""
    from desktop_app.reports.exports import export_scorecard

    store = _own_store(ctx)
    try:
        return Path(export_scorecard(store, session_id, Path(path), operator=ctx.operator))
    finally:
        store.close()


def preview_pages(ctx: Any, session_id: str, resolution: int = 110) -> tuple[Path, list[Path]]:
    """The scorecard drawn into a temporary folder (not an export, so not audited) and its pages as PNGs."""
    from desktop_app.evaluation.service import review_data
    from desktop_app.reports.scorecard import render_scorecard
    from desktop_app.store.sessions import list_turns

    tool = shutil.which("pdftoppm")
    if tool is None:
        raise UserError("pdftoppm (poppler-utils) is not installed, so the preview cannot be drawn; "
                        "save the PDF and open it instead")
    store = _own_store(ctx)
    try:
        data = review_data(store, session_id)
        if data["result"] is None:
            raise UserError("the session has not been scored yet", field="session")
        turns = list_turns(store, data["session_id"])
    finally:
        store.close()
    ctx.paths.cache.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="scorecard-", dir=ctx.paths.cache))
    pdf = folder / "scorecard.pdf"
    render_scorecard(data, turns, pdf)
    subprocess.run([tool, "-png", "-r", str(resolution), str(pdf), str(folder / "page")], check=True,
                   capture_output=True, timeout=60)
    return pdf, sorted(folder.glob("page*.png"))


def export_batch(ctx: Any, session_ids: list[str], folder: str | Path, formats: set[str], report: Report,
                 cancelled: Callable[[], bool]) -> dict[str, Any]:
    """Writes scorecards and result files for many sessions, reporting (done, total, text) as it goes."""
    from desktop_app.reports.exports import export_sessions

    store = _own_store(ctx)
    try:
        return export_sessions(store, session_ids, Path(folder), formats=formats, operator=ctx.operator,
                               progress=lambda done, total, text: report((done, total, text)),
                               cancelled=cancelled)
    finally:
        store.close()
