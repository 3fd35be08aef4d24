"""`viva calibrate FILE` (model against human ratings) and `viva report fairness` (adverse impact by group)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop_app.commands.context import Context, add_json_flag


def register(sub: Any) -> None:
    """Adds `calibrate` and `report fairness`."""
    p = sub.add_parser("calibrate", help="measure the model's agreement with human ratings from a JSON or CSV file",
                       description="Rates every answer of a calibration file with the active language model and "
                                   "reports agreement with the human ratings per dimension: quadratic weighted kappa, "
                                   "Spearman correlation, mean absolute difference and the confusion matrix.")
    p.add_argument("file", metavar="FILE", help="calibration file (.json or .csv)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N items")
    add_json_flag(p)
    p.set_defaults(handler=cmd_calibrate)

    report = sub.add_parser("report", help="reports across sessions").add_subparsers(
        dest="report_command", metavar="REPORT")
    report.required = True
    p = report.add_parser("fairness", help="pass rates by group and the four-fifths rule (a screening statistic)",
                          description="Adverse impact: for each stage of a template, the pass rate of each group of "
                                      "participants (from their tags) and its ratio to the highest group's rate.")
    p.add_argument("--template", required=True, metavar="NAME_OR_ID")
    p.add_argument("--stage", default=None, metavar="NAME_OR_ID", help="one stage (default: every stage)")
    groups = p.add_mutually_exclusive_group(required=True)
    groups.add_argument("--group-prefix", metavar="PREFIX", help="tags starting with PREFIX name the group, "
                                                                 "e.g. group: for group:A, group:B")
    groups.add_argument("--groups", metavar="TAG,TAG", help="these tags are the groups")
    p.add_argument("--csv", metavar="FILE", help="also write the table as CSV")
    add_json_flag(p)
    p.set_defaults(handler=cmd_fairness)


# ------------------------------------------------------------------ calibrate


def _na(value: float | None, pattern: str = ".2f") -> str:
    return "n/a" if value is None else format(value, pattern)


def render_calibration(report: Any) -> str:
    """The per-dimension table, the pooled line and each dimension's confusion matrix."""
    head = (f"Calibration of {report.model} on {report.source}: {report.items_rated} of {report.items_in_file} "
            f"item(s), {report.pooled.n} rating(s) on 1-5")
    lines = [head + (" (cancelled: partial results)" if report.cancelled else ""), ""]
    rows = list(report.dimensions) + [report.pooled]
    width = max(14, *(len(d.dimension) for d in rows))
    lines.append(f"{'dimension':<{width}} {'n':>4} {'QWK':>6} {'Spearman':>9} {'MAD':>6} {'MAD 0-10':>9}")
    for d in rows:
        if d is report.pooled:
            lines.append("-" * (width + 39))
        lines.append(f"{d.dimension:<{width}} {d.n:>4} {_na(d.qwk):>6} {_na(d.spearman):>9} {_na(d.mad):>6} "
                     f"{_na(d.mad_0_10, '.1f'):>9}")
    if any(d.qwk is None or d.spearman is None for d in rows):
        lines.append("n/a: too few ratings, or one rater gave every answer the same rating, so there is nothing "
                     "to correlate.")
    if report.pooled.n < 30:
        lines.append(f"Only {report.pooled.n} rating(s): treat these figures as rough; 30 or more per dimension "
                     "give steadier ones.")
    if report.missing:
        lines.append("No model rating for: " + ", ".join(report.missing))
    for d in rows:
        lines += ["", f"{d.dimension}: rows human 1-5, columns model 1-5 (rounded)"]
        lines.append("       " + "".join(f"{f'm{j + 1}':>5}" for j in range(d.categories)))
        for i, row in enumerate(d.confusion):
            lines.append(f"  h{i + 1}   " + "".join(f"{count:>5}" for count in row))
    return "\n".join(lines)


def _active_llm(ctx: Context) -> Any:
    """The language model `viva score` uses (the settings' choice or the embedded default)."""
    from desktop_app.commands import scoring

    return scoring.load_llm(ctx)


def cmd_calibrate(ctx: Context, args: argparse.Namespace) -> int:
    """Validates the file, loads the active model, rates every item and prints agreement."""
    from desktop_app.evaluation.calibration import check_limit, load_calibration, run_calibration
    from desktop_app.store import setup

    check_limit(args.limit)
    calibration = load_calibration(Path(args.file),
                                   profile_lookup=lambda name: setup.get(ctx.store, "profile", name).obj)
    llm = _active_llm(ctx)
    show = sys.stderr.isatty() and not ctx.as_json

    def progress(done: int, total: int, text: str) -> None:
        if show:
            print(f"\r[{done}/{total}] {text[:60]:<60}", end="", file=sys.stderr, flush=True)

    report = run_calibration(llm, calibration, limit=args.limit, progress=progress)
    if show:
        print(file=sys.stderr)
    ctx.emit(report.to_dict(), lambda: render_calibration(report))
    return 0


# ------------------------------------------------------------------ fairness


def cmd_fairness(ctx: Context, args: argparse.Namespace) -> int:
    """Prints (and optionally writes as CSV) the adverse-impact tables of a template."""
    from desktop_app.reports.fairness import fairness_report, parse_group_tags, render_text, write_fairness_csv

    groups = parse_group_tags(args.groups) if args.groups is not None else None
    report = fairness_report(ctx.store, args.template, stage=args.stage, group_prefix=args.group_prefix,
                             groups=groups)
    if args.csv:
        write_fairness_csv(ctx.store, report, Path(args.csv), operator=ctx.operator)
    data = report.to_dict() | ({"csv": str(args.csv)} if args.csv else {})
    ctx.emit(data, lambda: render_text(report) + (f"\n\nwrote {args.csv}" if args.csv else ""))
    return 0
