"""`viva score`, `viva scorecard`, `viva results export` and `viva review ...` commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.core.errors import UserError


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", dest="sub_json", help="machine-readable output")


def register(sub: Any) -> None:
    """Adds the scoring and review commands."""
    p = sub.add_parser("score", help="score a completed session")
    p.add_argument("session_id")
    _json_flag(p)
    p.set_defaults(handler=cmd_score)

    p = sub.add_parser("scorecard", help="write a session's scorecard PDF")
    p.add_argument("session_id")
    p.add_argument("--pdf", default=None, metavar="FILE",
                   help="where to write it (default: 'Participant - Stage - scorecard.pdf' in the current folder)")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    _json_flag(p)
    p.set_defaults(handler=cmd_scorecard)

    results = sub.add_parser("results", help="export results").add_subparsers(dest="results_command", metavar="ACTION")
    results.required = True
    p = results.add_parser("export", help="export results as CSV or JSON")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--csv", metavar="FILE")
    out.add_argument("--json", dest="json_file", metavar="FILE")
    p.add_argument("--template", default=None, help="only this template (id or name)")
    p.set_defaults(handler=cmd_export)

    review = sub.add_parser("review", help="show, rate, override and approve results").add_subparsers(
        dest="review_command", metavar="ACTION")
    review.required = True
    p = review.add_parser("show", help="a session's scores, flags and decision")
    p.add_argument("session_id")
    _json_flag(p)
    p.set_defaults(handler=cmd_show)
    p = review.add_parser("override", help="replace one dimension's score, with a reason")
    p.add_argument("session_id")
    p.add_argument("--dimension", required=True)
    p.add_argument("--score", required=True, type=float)
    p.add_argument("--reason", required=True)
    _json_flag(p)
    p.set_defaults(handler=cmd_override)
    p = review.add_parser("rate", help="record your own score for a dimension as a human rater")
    p.add_argument("session_id")
    p.add_argument("--dimension", required=True)
    p.add_argument("--score", required=True, type=float)
    p.add_argument("--note", default="")
    _json_flag(p)
    p.set_defaults(handler=cmd_rate)
    p = review.add_parser("approve", help="sign off a session's result as a named assessor (locks the scores)")
    p.add_argument("session_id")
    # Not argparse-required: a missing name is then the same one-line error (exit 2) as a blank one.
    p.add_argument("--by", default=None, metavar="NAME", help="the signing assessor's name (required)")
    p.add_argument("--note", default="")
    _json_flag(p)
    p.set_defaults(handler=cmd_approve)
    p = review.add_parser("reopen", help="clear a sign-off, with a reason, so the scores can change again")
    p.add_argument("session_id")
    p.add_argument("--by", default=None, metavar="NAME", help="who reopens it (required)")
    p.add_argument("--reason", default=None, help="why the sign-off is reopened (required)")
    _json_flag(p)
    p.set_defaults(handler=cmd_reopen)


def load_llm(ctx: Any) -> Any:
    """The active language model, loaded for scoring: settings.json's choice (`viva models use llm`) or the default."""
    from desktop_app.engines.base import EngineError
    from desktop_app.engines.settings import load_settings

    settings = load_settings(ctx.paths)  # the same settings the interview and the GUI use
    try:
        from desktop_app.engines.registry import load_llm as load

        return load(ctx.paths, settings)
    except (EngineError, ImportError) as exc:
        raise UserError(f"no language model could be loaded: {exc}", field="model") from None


def _summary(data: dict[str, Any]) -> str:
    from desktop_app.core.outcome import format_score, headline

    result = data.get("result") or {}
    top = data["profile"]["max_score"]
    lines = [f"session {data['session_id']}  {data['participant']['name']}  ({data['template']['name']} / {data['stage']['name']})"]
    for d in data["dimensions"]:
        o = d.get("outcome") or {}
        s = d["scores"]
        parts = [src + " " + ", ".join(format_score(e["score"]) for e in s[src])
                 for src in ("ai", "rules", "human", "override") if s[src]]
        lines.append(f"  {d['name']:<28} {format_score(o.get('final'), top):>10}  [{'; '.join(parts)}]"
                     f"{'  low confidence' if o.get('confidence') == 'low' else ''}"
                     + (f"  agreement {o['agreement_ai_human']:.2f}" if o.get("agreement_ai_human") is not None else ""))
    if result:
        decision = (f"signed off by {result['approved_by']} on {str(result.get('approved_at') or '')[:16].replace('T', ' ')}"
                    if result["decision"] == "approved" else "not yet signed off")
        lines.append(f"  overall {headline(result['overall'], top, result['recommendation'], result['passed'])} "
                     f"(pass mark {format_score(data['stage']['pass_threshold'])}); {decision}")
        for note in (data.get("sign_off") or {}).get("against", []):
            lines.append(f"  WARNING: {note}")
        if result["needs_review"]:
            lines.append("  FLAGGED FOR REVIEW: " + "; ".join(
                f"answer {f.get('turn')}: {f['detail']}" for f in result["flags"] if f.get("review")))
        for s in result["signals"]:
            lines.append(f"  signal  {s['label']}: {s['value']}")
    else:
        lines.append("  not scored yet")
    return "\n".join(lines)


def cmd_score(ctx: Any, args: argparse.Namespace) -> int:
    """Scores a session and prints the summary."""
    from desktop_app.core.models import ScoringMethod
    from desktop_app.evaluation import service
    from desktop_app.store.sessions import load_context

    context = load_context(ctx.store, args.session_id)
    llm = load_llm(ctx) if context.profile.scoring.method == ScoringMethod.WEIGHTED_AVERAGE else None
    data = service.score_session(ctx.store, context.session.id, llm=llm, operator=ctx.operator)
    ctx.emit(data, lambda: _summary(data))
    return 0


def cmd_scorecard(ctx: Any, args: argparse.Namespace) -> int:
    """Writes a scorecard PDF."""
    from desktop_app.core.filenames import scorecard_filename
    from desktop_app.reports.exports import export_scorecard
    from desktop_app.store.sessions import load_context

    if args.pdf:
        target = Path(args.pdf)
    else:
        context = load_context(ctx.store, args.session_id)
        target = Path.cwd() / scorecard_filename(context.participant.name, context.stage.name)
    path = export_scorecard(ctx.store, args.session_id, target, paper=args.paper, operator=ctx.operator)
    ctx.emit({"pdf": str(path), "paper": args.paper}, f"wrote {path}")
    return 0


def cmd_export(ctx: Any, args: argparse.Namespace) -> int:
    """Exports results as CSV or JSON."""
    from desktop_app.reports.exports import export_results
    from desktop_app.store.setup import resolve_id

    template_id = resolve_id(ctx.store, "template", args.template) if args.template else None
    path, fmt = (args.csv, "csv") if args.csv else (args.json_file, "json")
    n = export_results(ctx.store, Path(path), fmt=fmt, template_id=template_id, operator=ctx.operator)
    print(f"wrote {n} result(s) to {path}")
    return 0


def cmd_show(ctx: Any, args: argparse.Namespace) -> int:
    """Prints a session's review data."""
    from desktop_app.evaluation.service import review_data

    data = review_data(ctx.store, args.session_id)
    ctx.emit(data, lambda: _summary(data))
    return 0


def cmd_override(ctx: Any, args: argparse.Namespace) -> int:
    """Overrides one dimension's score."""
    from desktop_app.evaluation.service import override_score

    data = override_score(ctx.store, args.session_id, dimension=args.dimension, score=args.score, reason=args.reason,
                          operator=ctx.operator)
    ctx.emit(data, lambda: _summary(data))
    return 0


def cmd_rate(ctx: Any, args: argparse.Namespace) -> int:
    """Records a human rater's score."""
    from desktop_app.evaluation.service import add_human_score

    data = add_human_score(ctx.store, args.session_id, dimension=args.dimension, score=args.score,
                           operator=ctx.operator, rationale=args.note)
    ctx.emit(data, lambda: _summary(data))
    return 0


def cmd_approve(ctx: Any, args: argparse.Namespace) -> int:
    """Signs off a session's result in the name given by --by."""
    from desktop_app.evaluation.service import approve

    data = approve(ctx.store, args.session_id, assessor=args.by or "", note=args.note)
    ctx.emit(data, lambda: _summary(data) + (f"\n  next stage scheduled: session {data['advanced']['session_id']}"
                                              if (data.get("advanced") or {}).get("session_id") else ""))
    return 0


def cmd_reopen(ctx: Any, args: argparse.Namespace) -> int:
    """Clears a sign-off with a reason (audited); the session then needs a new approval."""
    from desktop_app.evaluation.service import reopen

    data = reopen(ctx.store, args.session_id, reason=args.reason or "", operator=args.by or "")
    ctx.emit(data, lambda: _summary(data))
    return 0
