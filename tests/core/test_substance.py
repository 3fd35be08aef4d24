"""Claims against events: padding counts and the factor the judge applies."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.core.substance import PADDING_FLOOR, padding_factor, substance

DATA = Path(__file__).resolve().parents[1] / "data" / "judgement"


def test_plain_account_has_no_padding():
    s = substance("Our loading bay ran late because every driver came at eight. I asked the suppliers for half-hour "
                  "slots and rang each driver the day before. The queue went from an hour to ten minutes.")
    assert s.jargon == 0 and s.listed_terms == 0 and s.links >= 2
    assert s.index <= 0 and padding_factor(s.index) == 1.0


def test_claims_and_listed_tools_count_as_padding():
    s = substance("I spearheaded a best-in-class platform leveraging Kubernetes, Kafka, Redis, gRPC and Grafana, "
                  "and as a result I drove a 95% latency reduction, 12x throughput and $2M savings.")
    assert s.jargon >= 3 and s.metric_claims >= 3 and s.result_claims >= 2 and s.listed_terms >= 4
    assert s.index > 1 and padding_factor(s.index) < 0.7


def test_factor_is_monotonic_and_floored():
    values = [padding_factor(x / 10) for x in range(-10, 60)]
    assert all(a >= b for a, b in zip(values, values[1:]))
    assert values[0] == 1.0 and values[-1] == PADDING_FLOOR


def test_every_stuffed_twin_is_padded_more_than_its_plain_answer():
    pairs = json.loads((DATA / "adversarial.json").read_text(encoding="utf-8"))["stuffed_pairs"]
    more = sum(substance(p["stuffed"]).index > substance(p["plain"]).index for p in pairs)
    assert more >= 0.9 * len(pairs)
    assert all(padding_factor(substance(p["plain"]).index) == 1.0 for p in pairs)


def test_strong_answers_are_never_penalised():
    items = json.loads((DATA / "triples.json").read_text(encoding="utf-8"))["items"]
    assert all(padding_factor(substance(it[level]).index) == 1.0 for it in items for level in ("strong", "middling"))
