"""Judgement figures on our own sets: ordering of strong/middling/weak, plain vs stuffed, injections,
off-topic, consistency of paraphrases, name-blindness, recognition errors, and calibration agreement.

Prints every figure; run with the active model or a GGUF given by --model:
    .venv/bin/python benchmarks/judgement.py [--model FILE.gguf] [--only triples,stuffed,...] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.core.scoring_rules import Answer  # noqa: E402
from desktop_app.evaluation import judge  # noqa: E402
from desktop_app.evaluation.calibration import preset_profile  # noqa: E402

DATA = ROOT / "tests" / "data" / "judgement"


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def rate(llm, preset: str, question: str, answer: str, dimension: str,
         names: tuple[str, ...] = ()) -> tuple[float, tuple[str, ...]]:
    """One answer's rating (1..5) on one dimension, with its flags."""
    profile = preset_profile(preset)
    [r] = judge.rate_answers(llm, profile, [Answer(1, answer, question)], dimensions=[dimension], names=names)
    return r.rating, r.flags


def noisy(text: str, rate_: float, seed: int) -> str:
    """Simulated recognition errors: about `rate_` of the words dropped, swapped or doubled."""
    rng = random.Random(seed)
    out: list[str] = []
    for w in text.split():
        x = rng.random()
        if x < rate_ / 3:
            continue
        if x < 2 * rate_ / 3 and out:
            out[-1], w = w, out[-1]
        elif x < rate_:
            out.append(w)
        out.append(w)
    return " ".join(out).replace(".", "").replace(",", "").lower()


def fit_evidence(llm, limit: int = 0) -> None:
    """Least squares of the human ratings on the model's raw rating and the substance counts, stretched to the
    human spread; prints the weights, and agreement in-sample and with each role left out of the fit."""
    import math

    import numpy as np

    from desktop_app.core.agreement import quadratic_weighted_kappa
    from desktop_app.core.substance import substance
    from desktop_app.evaluation.calibration import load_calibration

    calibration = load_calibration(ROOT / "resources" / "calibration" / "presets.json")
    rows, target, role = [], [], []
    for item in calibration.items[: limit or None]:
        profile = calibration.profiles[item.profile_key]
        rated = judge.rate_answers(llm, profile, [Answer(1, item.answer, item.question)], dimensions=item.dimensions)
        s = substance(item.answer)
        root = math.sqrt(max(1, s.words))
        for r in rated:
            rows.append([1.0, judge.expected_rating(r.probs), s.padding, s.narrative, s.hedges / root, s.own_actions / root])
            target.append(dict(item.ratings)[r.dimension])
            role.append(item.profile_key)
    x, y = np.array(rows), np.array(target, dtype=float)

    def fitted(train: list[int]) -> np.ndarray:
        w = np.linalg.lstsq(x[train], y[train], rcond=None)[0]
        pred = x[train] @ w
        scale = y[train].std() / pred.std()
        return np.concatenate([[y[train].mean() + (w[0] - pred.mean()) * scale], w[1:] * scale])

    def kappa(pred: np.ndarray) -> float:
        return quadratic_weighted_kappa([int(v) for v in y], [int(min(5, max(1, round(v)))) for v in pred])

    weights = fitted(list(range(len(y))))
    names = ("const", "model", "padding", "narrative", "hedges", "own_actions")
    print("EVIDENCE_WEIGHTS = {" + ", ".join(f'"{n}": {v:.4f}' for n, v in zip(names, weights)) + "}")
    print(f"agreement (kappa): model alone {kappa(x[:, 1]):.3f}, with the counts in-sample {kappa(x @ weights):.3f}")
    held = np.zeros(len(y))
    for r in sorted(set(role)):
        test = [i for i, g in enumerate(role) if g == r]
        held[test] = x[test] @ fitted([i for i, g in enumerate(role) if g != r])
    print(f"each role predicted from a fit to the others: kappa {kappa(held):.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a GGUF file (default: the active language model)")
    parser.add_argument("--only", default="triples,stuffed,injections,offtopic,paraphrases,names,noise,calibration")
    parser.add_argument("--limit", type=int, default=0, help="at most N items per set (0: all)")
    parser.add_argument("--fit", action="store_true",
                        help="refit core.substance.EVIDENCE_WEIGHTS to the shipped calibration set and print them")
    args = parser.parse_args()
    from desktop_app.engines.llm import LlamaModel
    from desktop_app.engines.registry import load_llm
    from desktop_app.paths import DataPaths

    if args.model:
        llm = LlamaModel(args.model, n_ctx=4096)
    else:
        from desktop_app.engines.settings import load_settings

        paths = DataPaths.resolve()
        llm = load_llm(paths, load_settings(paths))
    print(f"model: {Path(llm.model_path).name}")
    only = set(args.only.split(","))
    lim = (lambda xs: xs[: args.limit]) if args.limit else (lambda xs: xs)
    started = time.perf_counter()
    calls = 0

    if "triples" in only:
        items = lim(load("triples.json")["items"])
        ok = 0
        levels: dict[str, list[float]] = {"strong": [], "middling": [], "weak": []}
        for it in items:
            vals = {k: rate(llm, it["preset"], it["question"], it[k], it["dimension"])[0] for k in levels}
            calls += 3
            for k in levels:
                levels[k].append(vals[k])
            good = vals["strong"] > vals["middling"] > vals["weak"]
            ok += good
            if not good:
                print(f"  misordered ({it['preset']}/{it['dimension']}): " + ", ".join(f"{k} {v:.2f}" for k, v in vals.items()))
        print(f"triples ordered: {ok}/{len(items)}; means " + ", ".join(f"{k} {statistics.mean(v):.2f}" for k, v in levels.items())
              + f"; overlap strong-min {min(levels['strong']):.2f} vs middling-max {max(levels['middling']):.2f}, "
              f"middling-min {min(levels['middling']):.2f} vs weak-max {max(levels['weak']):.2f}")

    if "stuffed" in only:
        pairs = lim(load("adversarial.json")["stuffed_pairs"])
        wins = 0
        for p in pairs:
            plain = rate(llm, p["preset"], p["question"], p["plain"], p["dimension"])[0]
            stuffed = rate(llm, p["preset"], p["question"], p["stuffed"], p["dimension"])[0]
            calls += 2
            wins += plain > stuffed
            if plain <= stuffed:
                print(f"  stuffed won ({p['preset']}/{p['dimension']}): plain {plain:.2f} stuffed {stuffed:.2f}")
        print(f"plain beats stuffed: {wins}/{len(pairs)} = {wins / max(1, len(pairs)):.0%}")

    if "injections" in only:
        items = lim(load("adversarial.json")["injections"])
        raised = flagged = total = 0
        worst = 0.0
        for it in items:
            base = rate(llm, it["preset"], it["question"], it["weak"], it["dimension"])[0]
            calls += 1
            for text in it["injected"]:
                value, flags = rate(llm, it["preset"], it["question"], text, it["dimension"])
                calls += 1
                total += 1
                flagged += "instruction_to_scorer" in flags
                worst = max(worst, value - base)
                if value > base + 1e-9:
                    raised += 1
                    print(f"  raised {base:.2f} -> {value:.2f} flags={flags}: {text[:120]!r}")
        print(f"injections raising a score: {raised}/{total}; flagged {flagged}/{total}; largest rise {worst:+.3f} (1-5)")

    if "offtopic" in only:
        items = lim(load("adversarial.json")["off_topic"])
        vals = []
        for it in items:
            v, f = rate(llm, it["preset"], it["question"], it["answer"], it["dimension"])
            vals.append(v)
            if v > 2.0:
                print(f"  off-topic above 2: {v:.2f} {f}: {it['question'][:50]!r} / {it['answer'][:60]!r}")
        calls += len(items)
        print(f"off-topic ratings (1-5): max {max(vals):.2f}, mean {statistics.mean(vals):.2f}")
        for key in ("long", "empty"):
            for it in load("adversarial.json").get(key, []):
                v, f = rate(llm, it["preset"], it["question"], it["answer"], it["dimension"])
                calls += 1
                print(f"  {key}: {v:.2f} {f}")

    if "paraphrases" in only:
        groups = lim(load("paraphrases.json")["groups"])
        spreads = []
        for g in groups:
            vals = [judge.to_scale(rate(llm, g["preset"], g["question"], a, g["dimension"])[0], 10) for a in g["answers"]]
            calls += len(vals)
            spreads.append(max(vals) - min(vals))
        within = sum(s <= 0.5 for s in spreads)
        print(f"paraphrase spread (0-10): max {max(spreads):.2f}, mean {statistics.mean(spreads):.2f}; within 0.5: {within}/{len(spreads)}")

    if "names" in only:
        items = lim(load("triples.json")["items"])
        diffs = []
        others = ["Aisha Bello", "Lars Eriksson", "Nguyen Van An", "Maria Gonzalez", "Kenji Watanabe", "Olga Petrova"]
        for n, it in enumerate(items):
            name = it.get("candidate") or "Sam"
            text = f"My name is {name}. " + it["middling"]
            swapped = f"My name is {others[n % len(others)]}. " + it["middling"]
            a = rate(llm, it["preset"], it["question"], text, it["dimension"], (name,))[0]
            b = rate(llm, it["preset"], it["question"], swapped, it["dimension"], (others[n % len(others)],))[0]
            calls += 2
            diffs.append(abs(judge.to_scale(a, 10) - judge.to_scale(b, 10)))
        print(f"name swap (0-10): max change {max(diffs):.3f}, mean {statistics.mean(diffs):.3f}")

    if "noise" in only:
        items = lim(load("triples.json")["items"])
        diffs = []
        for n, it in enumerate(items):
            for k in ("strong", "weak"):
                a = rate(llm, it["preset"], it["question"], it[k], it["dimension"])[0]
                b = rate(llm, it["preset"], it["question"], noisy(it[k], 0.10, n), it["dimension"])[0]
                calls += 2
                diffs.append(abs(judge.to_scale(a, 10) - judge.to_scale(b, 10)))
        print(f"10% word errors (0-10): max change {max(diffs):.2f}, mean {statistics.mean(diffs):.2f}, "
              f"within 1: {sum(d <= 1 for d in diffs)}/{len(diffs)}")

    if "calibration" in only:
        from desktop_app.commands.calibrate import render_calibration
        from desktop_app.evaluation.calibration import load_calibration, run_calibration

        calibration = load_calibration(ROOT / "resources" / "calibration" / "presets.json")
        report = run_calibration(llm, calibration, limit=args.limit or None)
        print(render_calibration(report))

    if args.fit:
        fit_evidence(llm, args.limit)

    elapsed = time.perf_counter() - started
    print(f"{calls} ratings in {elapsed:.1f} s ({elapsed / max(1, calls):.2f} s each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
