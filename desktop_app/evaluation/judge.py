"""Anchored judgement: each answer rated 1-5 per rubric dimension from the model's digit probabilities.

How a session is judged (one pass over the transcript, reused across dimensions):
- The system message (rules and the rubric with its low/middle/high anchors) is evaluated once.
- Each answer goes in once, as data between tags named with a hash of the answer; every
  question about it (its rating on each dimension, which dimension it speaks to, whether it
  answers the question, whether it addresses the assessor) is a short suffix after it, so
  llama.cpp's prefix cache evaluates only that suffix.
- A rating is the expected value of the five digit tokens' probabilities: one forward pass,
  no sampling, so the same transcript always gets the same numbers.

Defences against gaming, in code rather than in the model's good will:
- Text addressed to the scorer is found by patterns (core.injection) and by asking the model;
  the answer is then rated with that text removed, and the lower rating counts.
- An answer that does not respond to the question is held at the bottom.
- Markup that could close the answer's tags or the chat template is neutralised first.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from desktop_app.core.injection import find_injections, normalise, strip_delimiters, strip_injections
from desktop_app.core.models import AgentProfile, RubricDimension
from desktop_app.core.scoring_rules import Answer, words
from desktop_app.core.substance import evidence_rating, padding_factor, substance
from desktop_app.engines.base import GenerationRequest, LanguageModel, ScoringModel
from desktop_app.evaluation.judge_prompts import (
    TOPIC_EXAMPLES,
    TOPIC_RULES,
    TOPIC_TASK,
    ExampleSet,
    examples_for,
    rules_for,
)

JUDGE_VERSION = "judge-v3"  # v3: dimension named last, steeper topic gate, brief notes
POINTS = ("1", "2", "3", "4", "5")
MAX_ANSWER_CHARS = 2400  # ~550 tokens; longer answers are trimmed (and flagged) to keep a turn's cost bounded
Progress = Callable[[int, int, str], None]


class Cancelled(RuntimeError):
    """Judging was cancelled by the user."""


@dataclass(frozen=True)
class AnswerRating:
    """One answer rated on one dimension (1..5, after the defences) with how much it bears on that dimension."""

    turn: int
    dimension: str
    rating: float
    probs: tuple[float, ...]
    relevance: float
    flags: tuple[str, ...] = ()
    raw_rating: float | None = None  # before the defences, when they changed it

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "dimension": self.dimension, "rating": round(self.rating, 3),
                "probs": [round(p, 4) for p in self.probs], "relevance": round(self.relevance, 3),
                "flags": list(self.flags),
                "raw_rating": None if self.raw_rating is None else round(self.raw_rating, 3)}


@dataclass(frozen=True)
class AnswerFacts:
    """What the model said about one answer as a whole."""

    turn: int
    on_topic: float  # P(the answer responds to the question)
    relevance: dict[str, float] = field(default_factory=dict)
    pattern_hits: tuple[str, ...] = ()  # rules of core.injection that matched, or "meta" for sentences about the scoring
    trimmed: bool = False
    substance: dict[str, float | int] = field(default_factory=dict)
    padding_factor: float = 1.0


# ---- the prompt ----

def clean_text(text: str) -> str:
    """Answer or question text made safe to place between tags: no chat-template or tag look-alikes."""
    text = strip_delimiters(text)
    text = re.sub(r"<\|[^|>]{0,40}\|>", " ", text)  # chat-template special tokens
    text = text.replace("<|", "‹").replace("|>", "›").replace("<", "‹").replace(">", "›")
    return " ".join(text.split())


def _anchors(dim: RubricDimension) -> str:
    a = dim.anchors
    low = a.low or "vague, generic or off the point"
    middle = a.middle or "relevant, with some real detail"
    high = a.high or "specific, first-hand and complete, with reasoning and results"
    return f"1 (low): {clean_text(low)}\n   3 (middle): {clean_text(middle)}\n   5 (high): {clean_text(high)}"


def system_message(profile: AgentProfile, dimensions: Sequence[RubricDimension], style: str | None = None) -> str:
    """The fixed part of every judging prompt: the rules and the rubric."""
    lines = [rules_for(style or profile.use_case), "Rubric dimensions:"]
    for n, dim in enumerate(dimensions, 1):
        lines.append(f"{n}. {clean_text(dim.name)}: {clean_text(dim.description)}\n   {_anchors(dim)}")
    return "\n".join(lines)


def _tag(answer_text: str) -> str:
    """A tag name the candidate cannot predict from the rules alone (derived from the answer itself)."""
    return "answer-" + hashlib.sha256(answer_text.encode("utf-8")).hexdigest()[:6]


def answer_block(question: str, answer_text: str) -> str:
    """The question and the delimited answer: the shared part of every question asked about one answer."""
    tag = _tag(answer_text)
    q = clean_text(question) or "(no question recorded)"
    return f"Question put to the candidate: {q}\n<{tag}>\n{answer_text or '(no answer)'}\n</{tag}>\n"


def rate_task(dim: RubricDimension, spelled: bool = False) -> str:
    """The rating question, with the dimension's name last: everything before it is the same for every
    dimension, so after the first rating of an answer only the name is evaluated again (measured: 19% fewer
    tokens per session). `spelled` repeats the anchors after the name (for worked examples, whose dimension is
    not in the rubric). Measured: repeating the rubric's own anchors here compressed ratings towards the top."""
    anchors = f"\nAnchors: {_anchors(dim)}" if spelled else ""
    return ("Rate the answer against the anchors of the rubric dimension named below (1 low, 3 middle, 5 high). "
            f"Reply with one digit from 1 to 5.\nDimension: {clean_text(dim.name)}{anchors}")


def relevance_task(dimensions: Sequence[RubricDimension]) -> str:
    names = "; ".join(f"{n} = {clean_text(d.name)}" for n, d in enumerate(dimensions, 1))
    return f"Which rubric dimension does this answer give the most evidence about ({names})? Reply with the number."


def topic_messages(block: str) -> list[dict[str, str]]:
    """The topic check for one answer block: its own short rules and worked examples, then the answer."""
    turns: list[dict[str, str]] = [{"role": "system", "content": TOPIC_RULES}]
    for question, reply, label in TOPIC_EXAMPLES:
        turns.append({"role": "user", "content": f"{answer_block(question, reply)}\n{TOPIC_TASK}"})
        turns.append({"role": "assistant", "content": label})
    turns.append({"role": "user", "content": f"{block}\n{TOPIC_TASK}"})
    return turns


def example_turns(examples: ExampleSet) -> list[dict[str, str]]:
    """The worked examples as chat turns, asked exactly as real answers are."""
    turns: list[dict[str, str]] = []
    task = rate_task(examples.dimension, spelled=True)
    for text, digit in examples.answers:
        turns.append({"role": "user", "content": f"{answer_block(examples.question, text)}\n{task}"})
        turns.append({"role": "assistant", "content": digit})
    return turns


def messages(system: str, examples: ExampleSet, block: str, task: str) -> list[dict[str, str]]:
    """System rules and rubric, the worked examples, then the question about this answer."""
    return [{"role": "system", "content": system}, *example_turns(examples), {"role": "user", "content": f"{block}\n{task}"}]


def expected_rating(probs: Sequence[float]) -> float:
    """The expected scale point (1..5) of a distribution over the five points."""
    return float(sum((i + 1) * p for i, p in enumerate(probs)))


def to_scale(rating: float, max_score: float) -> float:
    """A 1..5 rating on the profile's scale (1 -> 0, 5 -> max)."""
    return max(0.0, min(float(max_score), (rating - 1.0) / 4.0 * float(max_score)))


def anchor_of(rating: float) -> str:
    """The anchor a 1..5 rating sits nearest: low, middle or high."""
    if rating < 2.34:
        return "low"
    if rating <= 3.66:
        return "middle"
    return "high"


# ---- judging ----


class _Judge:
    """One judging run: a model, a rubric and a fixed system prefix."""

    def __init__(self, llm: LanguageModel, profile: AgentProfile, cancel: threading.Event | None,
                 style: str | None = None) -> None:
        self.llm = cast(ScoringModel, llm)  # llama.cpp models are; a model without choice_probs fails on first use
        self.profile = profile
        self.dims = list(profile.rubric)
        self.style = style or str(profile.use_case)
        self.system = system_message(profile, self.dims, self.style)
        self.examples = examples_for(self.style)
        self.cancel = cancel
        self._prefix_lengths: dict[str, int] = {}

    def _prefix_length(self, build: Callable[[str, str], list[dict[str, str]]]) -> int:
        """Tokens every prompt `build` makes shares (its system part and examples), measured once per run."""
        key = build.__name__
        if key not in self._prefix_lengths:
            a = self.llm.prompt_tokens(GenerationRequest(messages=build("a", "x")))
            b = self.llm.prompt_tokens(GenerationRequest(messages=build("b", "y")))
            n = 0
            while n < min(len(a), len(b)) and a[n] == b[n]:
                n += 1
            self._prefix_lengths[key] = n
        return self._prefix_lengths[key]

    def _ask(self, build: Callable[[str, str], list[dict[str, str]]], block: str, task: str,
             options: Sequence[str], first: bool) -> list[float]:
        """`first` starts from the prompt's prefix evaluated on its own, so every run starts the same way."""
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("scoring cancelled")
        request = GenerationRequest(messages=build(block, task))
        return self.llm.choice_probs(request, options, fresh_prefix=self._prefix_length(build) if first else None)

    def _judging(self, block: str, task: str) -> list[dict[str, str]]:
        return messages(self.system, self.examples, block, task)

    @staticmethod
    def _topic(block: str, _task: str) -> list[dict[str, str]]:
        return topic_messages(block)

    def probs(self, block: str, task: str, options: Sequence[str], first: bool = False) -> list[float]:
        return self._ask(self._judging, block, task, options, first)

    def on_topic(self, block: str, first: bool = False) -> float:
        """P(the answer responds to its question), from the separate topic check."""
        return self._ask(self._topic, block, TOPIC_TASK, ("yes", "no"), first)[0]


def redact_names(text: str, names: Sequence[str]) -> str:
    """The text with each name (and each part of it of 3+ letters) replaced by "[name]"."""
    parts: set[str] = set()
    for name in names:
        name = " ".join(str(name).split())
        if name:
            parts.add(name)
            parts.update(p for p in name.split() if len(p) >= 3)
    for part in sorted(parts, key=len, reverse=True):
        # Scripts written without spaces (CJK) have no word boundaries to look for.
        bounded = not re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", part)
        pattern = rf"(?<!\w){re.escape(part)}(?!\w)" if bounded else re.escape(part)
        text = re.sub(pattern, "[name]", text, flags=re.I)
    return re.sub(r"\[name\](?:\s+\[name\])+", "[name]", text)


def prepare_text(raw: str) -> tuple[str, bool]:
    """Answer text made safe and bounded for a prompt; (text, trimmed)."""
    text = clean_text(raw)
    if len(text) > MAX_ANSWER_CHARS:
        return text[:MAX_ANSWER_CHARS].rsplit(" ", 1)[0] + " …", True
    return text, False


# The topic check's P(yes) below which an answer keeps nothing above the bottom, and from which it keeps all.
# Measured on 162 answers (24 off-topic of four kinds: hobbies, general facts, sales talk, other work; 138
# on-topic, strong to weak, keyword-stuffed and rude): the only on-topic answers below 0.84 were two rude replies
# people rated 1-2, the lowest strong one sat at 0.87; off-topic answers had a median of 0.54, 20 of 24 below 0.85.
# Asking inside the judging prompt, restating the question, asking the inverse question or choosing among kinds
# of topic all separated worse on the same answers.
OFF_TOPIC_BELOW = 0.70
ON_TOPIC_FROM = 0.85


def _on_topic_gate(p_on_topic: float) -> float:
    """How much of a rating above 1 an answer keeps by whether it responds to the question (0..1)."""
    return max(0.0, min(1.0, (p_on_topic - OFF_TOPIC_BELOW) / (ON_TOPIC_FROM - OFF_TOPIC_BELOW)))


def rate_answers(llm: LanguageModel, profile: AgentProfile, answers: Sequence[Answer], *,
                 dimensions: Sequence[str] | None = None, progress: Progress | None = None,
                 cancel: threading.Event | None = None, style: str | None = None,
                 names: Sequence[str] = ()) -> list[AnswerRating]:
    """Rates every answer on every (chosen) dimension; returns one AnswerRating per answer and dimension."""
    ratings, _ = judge_answers(llm, profile, answers, dimensions=dimensions, progress=progress, cancel=cancel,
                               style=style, names=names)
    return ratings


def judge_answers(llm: LanguageModel, profile: AgentProfile, answers: Sequence[Answer], *,
                  dimensions: Sequence[str] | None = None, progress: Progress | None = None,
                  cancel: threading.Event | None = None, style: str | None = None,
                  names: Sequence[str] = ()) -> tuple[list[AnswerRating], list[AnswerFacts]]:
    """Ratings per answer and dimension, and the facts about each answer (topic, padding, text aimed at the scorer).

    `style` picks the rules and worked examples: "training" for roleplay replies, anything else for
    interview answers (default: the profile's use case). `names` (the candidate's) are replaced by a
    placeholder before the model reads anything, so a name can never move a score.
    """
    judge = _Judge(llm, profile, cancel, style)
    wanted = [d for d in judge.dims if dimensions is None or d.name in set(dimensions)]
    per_answer = len(wanted) + 2 + (1 if len(judge.dims) > 1 and len(answers) > 1 else 0)
    total = max(1, len(answers) * per_answer)
    done = 0
    ratings: list[AnswerRating] = []
    facts: list[AnswerFacts] = []

    def tick(label: str, n: int = 1) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, total), total, label)

    answers = [replace(a, text=redact_names(a.text, names), question=redact_names(a.question, names))
               for a in answers] if names else list(answers)
    suspects = [scorer_directed(a.text) for a in answers]
    views = [_views(a.text, sus) for a, sus in zip(answers, suspects)]
    # The topic check first, for every view of every answer: its prompt differs from the judge's, so it runs
    # as its own batch. Each view starts from the bare prefix, so a view equal to a plain answer is checked
    # exactly as that answer would be.
    topic: list[list[float]] = []
    for answer, texts in zip(answers, views):
        topic.append([judge.on_topic(answer_block(answer.question, t), first=True) if words(t) else 0.0
                      for t in texts])
        if texts:
            tick("on topic")
    for answer, suspect, texts, p_topic in zip(answers, suspects, views, topic):
        if not texts:
            for dim in wanted:
                ratings.append(AnswerRating(answer.index, dim.name, 1.0, (1.0, 0.0, 0.0, 0.0, 0.0), 1.0, ("empty",)))
            facts.append(AnswerFacts(answer.index, 0.0, {d.name: 1.0 for d in judge.dims}))
            tick("empty answer", per_answer)
            continue
        block = answer_block(answer.question, texts[0])
        view_probs: list[dict[str, list[float]]] = [{}]
        for n, dim in enumerate(wanted):
            view_probs[0][dim.name] = judge.probs(block, rate_task(dim), POINTS, first=n == 0)
            tick(dim.name)
        if len(judge.dims) > 1 and len(answers) > 1:  # with one answer its weight is all there is
            options = [str(n) for n in range(1, len(judge.dims) + 1)] if len(judge.dims) <= 9 else None
            if options:
                p = judge.probs(block, relevance_task(judge.dims), options)
                relevance = {d.name: p[i] for i, d in enumerate(judge.dims)}
            else:
                relevance = {d.name: 1.0 for d in judge.dims}
            tick("relevance")
        else:
            relevance = {judge.dims[0].name: 1.0}
        # An answer that speaks to the scorer is rated again as each view without that text; the lowest counts.
        for text in texts[1:]:
            vblock = answer_block(answer.question, text)
            view_probs.append({dim.name: judge.probs(vblock, rate_task(dim), POINTS, first=n == 0) if words(text)
                               else [1.0, 0.0, 0.0, 0.0, 0.0] for n, dim in enumerate(wanted)})
        tick("checked")
        trimmed = prepare_text(answer.text)[1]
        padding = substance(suspect.text)
        top = max(relevance.values()) or 1.0
        for dim in wanted:
            probs = view_probs[0][dim.name]
            raw = expected_rating(probs)
            value, flags = min(_defended(expected_rating(vp[dim.name]), text, p)
                               for vp, text, p in zip(view_probs, texts, p_topic))
            flag_list = list(flags)
            if suspect.hits:
                flag_list.insert(0, "instruction_to_scorer")
            if trimmed:
                flag_list.append("trimmed")
            rel = relevance.get(dim.name, 1.0) / top
            ratings.append(AnswerRating(answer.index, dim.name, value, tuple(probs), rel, tuple(flag_list),
                                        raw if value != raw else None))
        facts.append(AnswerFacts(answer.index, min(p_topic), relevance, suspect.hits, trimmed, padding.to_dict(),
                                 padding_factor(padding.index)))
    return ratings, facts


def _views(raw: str, suspect: Suspect) -> list[str]:
    """The texts an answer is rated as: the answer itself and, when part of it speaks to the scorer, the answer
    without that part and the answer up to where it starts. Empty for an answer without words."""
    if not words(raw):
        return []
    texts = [prepare_text(raw)[0]]
    if suspect.hits:
        for text in (suspect.text, suspect.before):
            prepared = prepare_text(text)[0] if words(text) else ""
            if (prepared or text is suspect.text) and prepared not in texts:
                texts.append(prepared)
    return texts


def _defended(rating: float, text: str, p_on_topic: float) -> tuple[float, tuple[str, ...]]:
    """A view's rating after the defences in code (padding, claims without events, topic), with their flags."""
    if not words(text):
        return 1.0, ("empty",)
    padding = substance(text)
    value = evidence_rating(rating, padding)
    flags: list[str] = []
    factor = padding_factor(padding.index)
    if factor < 1.0:
        value = 1.0 + (value - 1.0) * factor
        flags.append("claims_without_events")
    gate = _on_topic_gate(p_on_topic)
    if gate < 1.0:
        value = 1.0 + (value - 1.0) * gate
        flags.append("off_topic" if gate == 0.0 else "partly_off_topic")
    return value, tuple(flags)


# A sentence is about the scoring when it names the scoring itself (rubric, anchors, marks), or names
# scoring and speaks to the scorer or about the answer, or carries markup of a transcript or a score.
# A few words in other common languages catch the same requests written in them.
_META_ALONE = re.compile(
    r"\b(?:rubric|rubrica|rúbrica|(?:high|middle|low|top)\s+anchor|full\s+marks|top\s+marks|maximum\s+(?:score|marks?)|"
    r"scoring\s+(?:criteria|guide\w*|rules?)|system\s+prompt|"
    r"(?:the|dear)\s+(?:assessor|evaluator|grader|examiner|scorer|marker|rater)|evaluador\w*|puntuaci[oó]n|"
    r"bewert\w*|h[oö]chstnote|[ée]valuat(?:eur|rice)|avaliador\w*|nota\s+m[aá]xima|note\s+maximale|"
    r"valutator\w*|punteggio|this\s+assessment|please\s+be\s+(?:generous|lenient|kind|fair)|"
    r"(?:a|the|my)\s+(?:low|bad|poor|good|high|failing|passing)\s+(?:score|mark|grade|rating)|"
    r"give\s+me\s+(?:a\s+|the\s+)?(?:\d+|five|ten|full|top|high\w*|max\w*|perfect))\b|评分|满分|分数|採点|最高点|評価者|मूल्यांकन|अंक|평가|점수|оценк|баллы|экзаменатор",
    re.I)
_SCORING_WORD = re.compile(
    r"\b(?:scor\w*|rat(?:e|ed|ing|ings)|grad(?:e|ed|es|ing)|marks?|anchors?|evaluat\w*|assess\w*|"
    r"\d+\s*/\s*\d+|out\s+of\s+(?:\d+|five|ten|a\s+hundred))\b", re.I)
_ADDRESS_WORD = re.compile(
    r"\b(?:you|your|assessor|evaluator|grader|scorer|examiner|marker|reviewer|ai|model|llm|system|assistant|"
    r"this\s+answer|my\s+answer|this\s+response|the\s+candidate|instructions?|ignore|disregard|override|deserve\w*|"
    r"generous|lenient|kind)\b", re.I)
_MARKUP = re.compile(
    r"[{}<>]|\[/?inst\]|#{2,}|`{3}|\|\s*:?-{3,}|(?:^|\s)-{3,}(?:\s|$)|<\|?|\|>|(?:^|\n)\s*(?:coach|interviewer|assessor|evaluator|examiner|candidate|system|"
    r"assistant|user|ai|bot|moderator|panel|reviewer|judge|grader|rater|recruiter|customer|assessment|rating|score|"
    r"feedback|verdict)\s*:|\b(?:system|assistant|assessment|rating|score|verdict)\s*:", re.I)


# In an answer already caught speaking to the scorer, sentences that plead, shout or praise the answer itself
# are read as part of the same attempt (they end the cautious reading), though alone they prove nothing.
_PLEA = re.compile(
    r"\b(?:please|beg(?:ging)?|deserve\w*|(?:important|urgent|note|attention|warning)\s*[:!]|"
    r"this\s+(?:answer|response|reply|candidate)|my\s+(?:answer|response|reply)|"
    r"(?:depend\w*|rel(?:y|ies|ying)|count\w*)\s+on\s+(?:me|this|the\s+(?:job|result|outcome|score))|"
    r"out\s+of\s+work|need\s+this\s+(?:job|role|place|pass))\b", re.I)


def _pleads(sentence: str) -> bool:
    letters = [c for c in sentence if c.isalpha()]
    shouting = len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return shouting or bool(_PLEA.search(sentence))


def _about_scoring(sentence: str) -> bool:
    return bool(_MARKUP.search(sentence) or _META_ALONE.search(sentence)
                or (_scoring_word(sentence) and _ADDRESS_WORD.search(sentence)))


# Words before "rate"/"rating" that make it a scoring request ("rate me", "a high rating") rather than a measure
# of the work ("error rate", "satisfaction rating").
_RATE_LEADS = {"a", "an", "the", "this", "that", "my", "your", "his", "her", "our", "their", "its", "high", "higher",
               "highest", "low", "lower", "top", "good", "better", "best", "bad", "poor", "perfect", "full", "fair",
               "generous", "please", "kindly", "to", "you", "me", "will", "would", "should", "must", "can", "could",
               "i", "we", "and", "or", "i'll", "we'll", "you'll", "just", "then", "not", "don't", "fairly"}


def _scoring_word(sentence: str) -> bool:
    for m in _SCORING_WORD.finditer(sentence):
        if re.match(r"rat(?:e|ing)s?$", m.group(), re.I):
            before = re.findall(r"[\w']+", sentence[: m.start()])
            if before and before[-1].lower() not in _RATE_LEADS:
                continue
        return True
    return False


@dataclass(frozen=True)
class Suspect:
    """An answer with the text aimed at the scorer removed, and what caught it."""

    text: str
    hits: tuple[str, ...]
    before: str = ""  # what came before the first part caught ("" when nothing was caught or it opens the answer)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|(?<=[。！？：])|(?=\n)", text) if s.strip()]


def scorer_directed(text: str) -> Suspect:
    """Removes instructions to the scorer (core.injection's patterns), then any sentence about the scoring itself.

    Whatever follows a caught part may carry on the plea in words no rule knows, so the part before it is kept
    too, as the most cautious reading of the answer.
    """
    cleaned = strip_injections(text)
    hits = [h.rule for h in cleaned.hits]
    sentences = _sentences(cleaned.text)
    kept = [s for s in sentences if not _about_scoring(s)]
    if len(kept) < len(sentences):
        hits.append("meta")
    return Suspect(" ".join(kept), tuple(dict.fromkeys(hits)), _before_caught(text) if hits else "")


# A bracketed aside, and a line that opens with a speaker's label ("Jordan: ...", "Panel: ...").
_ASIDE = re.compile(r"[\[(][^\[\]()]{1,300}[\])]")
_TURN_LABEL = re.compile(r"(?:^|\n)\s*[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?\s*:\s")


def _before_caught(text: str) -> str:
    """The answer up to where it first speaks to the scorer, for an answer known to do so somewhere.

    Asides about the scoring are dropped; the cut comes at the first caught part, markup, speaker label,
    or sentence that pleads, shouts or praises the answer itself, whichever comes first.
    """
    t = normalise(text)
    t = _ASIDE.sub(lambda m: " " if _about_scoring(m.group()) or _pleads(m.group()) else m.group(), t)
    cut = len(t)
    hits = find_injections(t)
    if hits:
        cut = hits[0].start
    for pattern in (_MARKUP, _TURN_LABEL):
        m = pattern.search(t)
        if m:
            cut = min(cut, m.start())
    before: list[str] = []
    for sentence in _sentences(t[:cut]):
        if _about_scoring(sentence) or _pleads(sentence):
            break
        before.append(sentence)
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", " ".join(before))).strip()


def combine(ratings: Sequence[AnswerRating], dimension: str, *, floor: float = 0.1) -> tuple[float | None, list[dict[str, Any]]]:
    """A dimension's rating (1..5) from its answers, weighted by relevance; and the weights used.

    Every answer counts a little (`floor`), the ones that speak to the dimension count most.
    """
    mine = [r for r in ratings if r.dimension == dimension]
    if not mine:
        return None, []
    weights = [floor + (1.0 - floor) * r.relevance for r in mine]
    total = sum(weights)
    value = sum(w * r.rating for w, r in zip(weights, mine)) / total
    rows = [{**r.to_dict(), "weight": round(w / total, 4)} for w, r in zip(weights, mine)]
    return value, rows
