"""Measurable features of a candidate's answers and rule-based scores built from them (no model).

A profile's `scoring.rules` maps a dimension name (or "*" for every dimension) to rules
`{"feature": name, "weight": w, "target": t}`. Each rule turns its feature into 0..1
(more-is-better features saturate at the target, `words_per_answer` scores 1 inside a
[low, high] range, `latency_s` scores 1 up to the target and 0 at three times it); a
dimension's score is the weighted mean of its measured rules times the top of the scale.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.transcript import Speaker, Turn

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.\-']*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|thousand|million|billion|percent|twice|double|doubled|tripled|half|halved|dozen"
)
_QUANTITY = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.I)
_FIRST_PERSON_ACTION = re.compile(
    r"\bI(?:'ve| have| had)?\s+(?:\w+ly\s+)?(?:built|led|designed|implemented|wrote|created|ran|owned|decided|chose|"
    r"introduced|fixed|reduced|increased|improved|migrated|automated|organised|organized|set up|coached|negotiated|"
    r"presented|measured|tested|analysed|analyzed|resolved|delivered|launched|proposed|refactored|trained|mentored|"
    r"\w{3,}ed)\b"
)
_STAR = {
    "situation": re.compile(
        r"\b(?:when I was|at my (?:last|previous|current|old)|in my (?:last|previous|current|old) (?:role|job|team|position)|"
        r"situation|context|background|we had|there was|the problem was|at (?:the|that) time|last year|in 20\d\d|in 19\d\d|"
        r"once|a customer|a client|our team)\b", re.I),
    "task": re.compile(
        r"\b(?:my (?:task|role|job|goal|responsibility) was|I was (?:responsible|asked|tasked|in charge|hired)|the goal was|"
        r"we needed to|I needed to|had to|objective|deadline|target was|needed to)\b", re.I),
    "action": _FIRST_PERSON_ACTION,
    "result": re.compile(
        r"\b(?:as a result|result(?:ed|s)?|outcome|which (?:led|meant)|reduc\w+|increas\w+|improv\w+|saved|cut|grew|"
        r"achiev\w+|deliver\w+|on time|in the end|finally|so that|impact)\b", re.I),
}
_KNOWN_TOOLS = {
    "python", "java", "javascript", "typescript", "go", "rust", "sql", "postgres", "postgresql", "mysql", "sqlite", "kafka",
    "redis", "docker", "kubernetes", "terraform", "aws", "azure", "gcp", "linux", "git", "jira", "excel", "tableau",
    "salesforce", "react", "django", "flask", "spark", "airflow", "grafana", "prometheus", "jenkins", "ansible", "figma",
    "sap", "hubspot", "zendesk", "pandas", "numpy", "pytorch", "tensorflow", "graphql", "rest", "grpc", "nginx", "s3",
    "ec2", "lambda", "bigquery", "snowflake", "dbt", "looker", "powerbi", "slack", "confluence", "okr", "okrs", "crm",
}
_STOPWORDS = set(
    "a an and are as at be by can for from has have how in is it its of on or that the their this to was were what when "
    "which who will with about into over under more most less than then they them very well also able ability uses use "
    "using good high low middle candidate candidates answer answers shows show gives give clear clearly".split()
)

FEATURES: dict[str, dict[str, Any]] = {
    "dimension_relevance": {"label": "words of this dimension used", "kind": "more", "target": 0.3},
    "skills_coverage": {"label": "template skills mentioned", "kind": "more", "target": 0.6},
    "traits_coverage": {"label": "template traits shown", "kind": "more", "target": 0.5},
    "quantified": {"label": "answers with numbers or percentages", "kind": "more", "target": 0.5},
    "star": {"label": "STAR structure (situation, task, action, result)", "kind": "more", "target": 0.75},
    "named_tools": {"label": "named tools or methods per answer", "kind": "more", "target": 1.5},
    "first_person": {"label": "answers saying what I did", "kind": "more", "target": 0.8},
    "words_per_answer": {"label": "words per answer", "kind": "range", "target": [40, 250]},
    "latency_s": {"label": "seconds before answering (median)", "kind": "less", "target": 6.0},
}

DEFAULT_RULES: list[dict[str, Any]] = [
    {"feature": "dimension_relevance", "weight": 3},
    {"feature": "skills_coverage", "weight": 2},
    {"feature": "traits_coverage", "weight": 1},
    {"feature": "quantified", "weight": 2},
    {"feature": "star", "weight": 2},
    {"feature": "named_tools", "weight": 1},
    {"feature": "first_person", "weight": 1},
    {"feature": "words_per_answer", "weight": 2},
    # latency_s is measurable but not scored by default: thinking time and answering in a
    # second language are not a lack of competence. A profile may opt in through its rules;
    # the time to start answering is always shown as an authenticity fact.
]


@dataclass(frozen=True)
class Answer:
    """One candidate answer with the question it answers."""

    index: int
    text: str
    question: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    started_at: float = 0.0
    ended_at: float = 0.0


@dataclass(frozen=True)
class RuleLine:
    """One rule applied: the measured value, the target and the 0..1 it earned."""

    feature: str
    label: str
    weight: float
    target: Any
    value: float | None
    earned: float | None  # None when the feature could not be measured

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RuleScore:
    """A dimension scored by rules, with each rule's contribution and supporting sentences."""

    dimension: str
    score: float
    max_score: float
    lines: tuple[RuleLine, ...]
    evidence: tuple[str, ...]


def candidate_answers(turns: Iterable[Turn]) -> list[Answer]:
    """The candidate's turns, each paired with the last interviewer question before it."""
    answers: list[Answer] = []
    question = ""
    for t in turns:
        if t.speaker == Speaker.INTERVIEWER:
            question = t.text
        elif t.speaker == Speaker.CANDIDATE and t.text.strip():
            answers.append(Answer(t.index, t.text, question, dict(t.meta), t.started_at, t.ended_at))
    return answers


def words(text: str) -> list[str]:
    """Lower-cased words of a text."""
    return [w.casefold().strip(".'-") for w in _WORD.findall(text)]


def sentences(text: str) -> list[str]:
    """A text cut into sentences."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def keywords(*texts: str) -> set[str]:
    """Content words (no stop words, 4+ letters) of descriptive texts, crudely stemmed."""
    return {_stem(w) for t in texts for w in words(t) if len(w) >= 4 and w not in _STOPWORDS}


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _mentions(term: str, stems: set[str], text_lower: str) -> bool:
    """A skill or trait counts as mentioned when all its content words (or the phrase) occur."""
    term_stems = keywords(term) or {_stem(w) for w in words(term)}
    return term.casefold() in text_lower or (bool(term_stems) and term_stems <= stems)


def named_tools(text: str) -> set[str]:
    """Tool-like names in a text: known tools, mid-sentence capitalised or mixed-case words, names with digits."""
    found: set[str] = set()
    for sent in sentences(text):
        tokens = _WORD.findall(sent)
        for i, tok in enumerate(tokens):
            low = tok.casefold().strip(".")
            if low in _KNOWN_TOOLS:
                found.add(low)
            elif i > 0 and tok != "I" and not tok.startswith("I'") and (tok[0].isupper() or re.search(r"[a-z][A-Z]", tok)):
                found.add(low)
            elif re.fullmatch(r"[A-Za-z]+\d+[A-Za-z0-9]*", tok):
                found.add(low)
    return found


def measure(answers: Sequence[Answer], *, dimension_text: str = "", skills: Sequence[str] = (),
            traits: Sequence[str] = ()) -> dict[str, float | None]:
    """Every feature of FEATURES for these answers; None where it cannot be measured."""
    if not answers:
        return {name: (0.0 if name != "latency_s" else None) for name in FEATURES}
    texts = [a.text for a in answers]
    joined = " ".join(texts)
    lower = joined.casefold()
    stems = {_stem(w) for w in words(joined)}
    dim_terms = keywords(dimension_text)
    latencies = [float(a.meta["latency_s"]) for a in answers if isinstance(a.meta.get("latency_s"), (int, float))]
    star_parts = [sum(1 for rx in _STAR.values() if rx.search(t)) / len(_STAR) for t in texts]
    return {
        "dimension_relevance": len(dim_terms & stems) / len(dim_terms) if dim_terms else None,
        "skills_coverage": sum(_mentions(s, stems, lower) for s in skills) / len(skills) if skills else None,
        "traits_coverage": sum(_mentions(t, stems, lower) for t in traits) / len(traits) if traits else None,
        "quantified": sum(1 for t in texts if _QUANTITY.search(t)) / len(texts),
        "star": sum(star_parts) / len(star_parts),
        "named_tools": sum(len(named_tools(t)) for t in texts) / len(texts),
        "first_person": sum(1 for t in texts if _FIRST_PERSON_ACTION.search(t)) / len(texts),
        "words_per_answer": sum(len(words(t)) for t in texts) / len(texts),
        "latency_s": statistics.median(latencies) if latencies else None,
    }


def earned(feature: str, value: float | None, target: Any) -> float | None:
    """0..1 for one feature value against its target."""
    if value is None:
        return None
    kind = FEATURES[feature]["kind"]
    if kind == "range":
        low, high = float(target[0]), float(target[1])
        if value < low:
            return max(0.0, value / low) if low > 0 else 1.0
        if value > high:
            return max(0.0, 1.0 - (value - high) / high) if high > 0 else 0.0
        return 1.0
    t = float(target)
    if kind == "less":
        if value <= t:
            return 1.0
        return max(0.0, 1.0 - (value - t) / (2 * t)) if t > 0 else 0.0
    return min(1.0, value / t) if t > 0 else 1.0


def check_rules(rules: dict[str, list[dict[str, Any]]], dimension_names: Sequence[str]) -> None:
    """Raises ValueError('scoring.rules: ...') for unknown dimensions, features, weights or targets."""
    known = {d.casefold() for d in dimension_names} | {"*"}
    for dim, items in rules.items():
        if dim.casefold() not in known:
            raise ValueError(f"scoring.rules: {dim!r} is not a rubric dimension (or '*')")
        if not isinstance(items, list) or not items:
            raise ValueError(f"scoring.rules: {dim!r} needs a non-empty list of rules")
        for n, rule in enumerate(items):
            where = f"scoring.rules: {dim!r} rule {n + 1}"
            unknown = set(rule) - {"feature", "weight", "target"}
            if unknown:
                raise ValueError(f"{where}: unknown key {sorted(unknown)[0]!r} (use feature, weight, target)")
            feature = rule.get("feature")
            if feature not in FEATURES:
                raise ValueError(f"{where}: unknown feature {feature!r}; known: {', '.join(FEATURES)}")
            weight = rule.get("weight", 1)
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
                raise ValueError(f"{where}: weight must be a positive number")
            target = rule.get("target", FEATURES[feature]["target"])
            if FEATURES[feature]["kind"] == "range":
                ok = isinstance(target, (list, tuple)) and len(target) == 2 and all(
                    isinstance(x, (int, float)) for x in target) and 0 <= target[0] <= target[1]
                if not ok:
                    raise ValueError(f"{where}: target must be [low, high] with 0 <= low <= high")
            elif isinstance(target, bool) or not isinstance(target, (int, float)) or target <= 0:
                raise ValueError(f"{where}: target must be a positive number")


def rules_for(dimension: str, rules: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The rules that apply to a dimension: its own, else the '*' rules, else DEFAULT_RULES."""
    by_name = {k.casefold(): v for k, v in rules.items()}
    return by_name.get(dimension.casefold()) or by_name.get("*") or DEFAULT_RULES


def evidence_sentences(answers: Sequence[Answer], dimension_text: str, limit: int = 2) -> tuple[str, ...]:
    """The candidate's sentences that best support a dimension (its words, numbers, what I did)."""
    terms = keywords(dimension_text)
    scored: list[tuple[float, int, str]] = []
    for a in answers:
        for s in sentences(a.text):
            if len(words(s)) < 4:
                continue
            stems = {_stem(w) for w in words(s)}
            value = 2 * len(terms & stems) + bool(_QUANTITY.search(s)) + bool(_FIRST_PERSON_ACTION.search(s))
            if value > 0:
                scored.append((value, -len(scored), s))
    scored.sort(reverse=True)
    return tuple(s[:300] for _, _, s in scored[:limit])


def dimension_text(name: str, description: str = "", anchors: Any = None) -> str:
    """The words that describe a dimension: name, description and high anchor."""
    high = getattr(anchors, "high", "") if anchors is not None else ""
    return " ".join(p for p in (name, description, high) if p)


def score_dimension(answers: Sequence[Answer], dimension: str, *, description: str = "", anchors: Any = None,
                    rules: dict[str, list[dict[str, Any]]] | None = None, skills: Sequence[str] = (),
                    traits: Sequence[str] = (), max_score: float = 10) -> RuleScore:
    """Scores one dimension by its rules; unmeasurable rules are left out of the mean."""
    text = dimension_text(dimension, description, anchors)
    values = measure(answers, dimension_text=text, skills=skills, traits=traits)
    lines: list[RuleLine] = []
    for rule in rules_for(dimension, rules or {}):
        feature = rule["feature"]
        target = rule.get("target", FEATURES[feature]["target"])
        value = values[feature]
        lines.append(RuleLine(feature, FEATURES[feature]["label"], float(rule.get("weight", 1)), target, value,
                              earned(feature, value, target)))
    measured = [(ln.weight, ln.earned) for ln in lines if ln.earned is not None]
    total_weight = sum(weight for weight, _ in measured)
    fraction = sum(weight * value for weight, value in measured) / total_weight if total_weight else 0.0
    score = round(max_score * fraction, 2) if answers else 0.0
    return RuleScore(dimension, score, float(max_score), tuple(lines), evidence_sentences(answers, text))


def score_dimension_capped(raw: Sequence[Answer], cleaned: Sequence[Answer], dimension: str,
                           **kwargs: Any) -> tuple[RuleScore, float, float | None]:
    """(score of the cleaned answers, final score, the higher score it was capped from or None).

    The final score is the lower of the cleaned and the raw answers' scores, so text aimed at the
    scorer can never raise a dimension, whether or not every word of it was caught.
    """
    clean = score_dimension(cleaned, dimension, **kwargs)
    if list(raw) == list(cleaned):
        return clean, clean.score, None
    as_given = score_dimension(raw, dimension, **kwargs)
    final = min(clean.score, as_given.score)
    return clean, final, (max(clean.score, as_given.score) if as_given.score != clean.score else None)
