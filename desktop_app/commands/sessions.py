"""`viva session schedule|list|show|cancel|search`."""

from __future__ import annotations

import argparse

from desktop_app.commands import format_table
from desktop_app.commands.context import Context, add_json_flag
from desktop_app.store import sessions


def schedule(ctx: Context, args: argparse.Namespace) -> int:
    record = sessions.schedule_session(ctx.store, args.participant, args.stage, mode=args.mode, operator=ctx.operator)
    ctx.emit(record.to_dict(), record.id)
    return 0


def _readable(row: dict) -> dict:
    """A session row for people: one-decimal scores and outcome words (the --json output keeps stored values)."""
    from desktop_app.core.outcome import format_score, recommendation_words

    scored = row.get("overall") is not None
    return {**row, "overall": format_score(row["overall"]) if scored else "",
            "recommendation": recommendation_words(row["recommendation"]) if row.get("recommendation") else "",
            "decision": "signed off" if row.get("decision") == "approved" else (row.get("decision") or "")}


def list_(ctx: Context, args: argparse.Namespace) -> int:
    rows = sessions.list_sessions(ctx.store, participant=args.participant, stage=args.stage, template=args.template,
                                  status=args.status)
    ctx.emit(rows, lambda: format_table([_readable(r) for r in rows], (
        "id", "participant", "template", "stage", "mode", "status", "overall", "recommendation", "decision")))
    return 0


def show(ctx: Context, args: argparse.Namespace) -> int:
    record = sessions.get_session(ctx.store, args.id)
    turns = sessions.list_turns(ctx.store, record.id)
    data = record.to_dict() | {"turns": [t.__dict__ for t in turns]}

    def text() -> str:
        head = [f"Session {record.id}", f"status: {record.status}   mode: {record.mode}   attempt: {record.attempt}",
                f"started: {record.started_at or '-'}   ended: {record.ended_at or '-'}", ""]
        body = [f"[{t.started_at:7.1f}s] {t.speaker:>11}: {t.text}" for t in turns]
        return "\n".join(head + (body or ["(no turns yet)"]))

    ctx.emit(data, text)
    return 0


def cancel(ctx: Context, args: argparse.Namespace) -> int:
    record = sessions.set_status(ctx.store, args.id, "cancelled", operator=ctx.operator, reason=args.reason or "")
    ctx.emit(record.to_dict(), f"cancelled {record.id}")
    return 0


def search(ctx: Context, args: argparse.Namespace) -> int:
    rows = sessions.search_turns(ctx.store, args.query, limit=args.limit)
    ctx.emit(rows, lambda: format_table(rows, ("session_id", "idx", "speaker", "snippet")))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Adds the session command group."""
    group = sub.add_parser("session", help="schedule and inspect sessions").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    s = group.add_parser("schedule", help="schedule an interview")
    s.add_argument("--participant", required=True, help="participant id or name")
    s.add_argument("--stage", required=True, help="stage id or name")
    s.add_argument("--mode", help="override the session mode")
    s.set_defaults(handler=schedule)
    ls = group.add_parser("list", help="list sessions")
    for opt in ("participant", "stage", "template", "status"):
        ls.add_argument(f"--{opt}")
    ls.set_defaults(handler=list_)
    sh = group.add_parser("show", help="show a session and its transcript")
    sh.add_argument("id")
    sh.set_defaults(handler=show)
    c = group.add_parser("cancel", help="cancel a session")
    c.add_argument("id")
    c.add_argument("--reason")
    c.set_defaults(handler=cancel)
    se = group.add_parser("search", help="full-text search over all transcripts")
    se.add_argument("query")
    se.add_argument("--limit", type=int, default=50)
    se.set_defaults(handler=search)
    for q in (s, ls, sh, c, se):
        add_json_flag(q)
    # Interview commands that also live under `session` (resume) register themselves here.
    try:
        from desktop_app.commands import interview
    except ImportError:
        return
    if hasattr(interview, "register_session_actions"):
        interview.register_session_actions(group)
