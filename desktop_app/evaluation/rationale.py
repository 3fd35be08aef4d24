"""The assessor's note per dimension: one or two plain sentences by the model, backed by verified verbatim quotes.

The model is told the rating and the anchor it matched (the numbers come from judge.py, never from
this text), asked to say why in plain words, briefly, naming what the candidate said. A phrase the note
puts in quotation marks must be the candidate's: kept when it is word for word in the answer, replaced by
the answer's sentence nearest to it, and the note is not used when it matches nothing. A note that is
empty, evasive or unusable is replaced by the anchor's own wording, so a scorecard never carries
"I don't know".

Models paraphrase when asked to quote, so what is printed as evidence is always cut from the answer the
note is about: an exact quote as the model gave it; else the sentence of that answer closest to a
near-miss quote; else the sentence that shares most words with the note; else the answer's opening.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.injection import strip_delimiters
from desktop_app.core.models import AgentProfile, RubricDimension
from desktop_app.core.scoring_rules import Answer
from desktop_app.engines.base import EngineError, GenerationRequest, LanguageModel
from desktop_app.evaluation import judge
from desktop_app.evaluation.judge_prompts import examples_for

MIN_QUOTE_WORDS = 3
_EVASIVE = re.compile(r"\b(?:i\s+don'?t\s+know|as\s+an\s+ai|language\s+model|cannot\s+(?:assess|determine|rate)|"
                      r"no\s+answer\s+(?:was\s+)?(?:given|provided))\b", re.I)


@dataclass(frozen=True)
class ModelInfo:
    """Which model scored: file name, sha256 and whether it was prompted by chat."""

    file: str
    sha256: str
    chat: bool


@dataclass(frozen=True)
class Rationale:
    """The note for one dimension: text, verified quotes, quotes dropped, and whether the model wrote it."""

    text: str
    quotes: tuple[str, ...]
    dropped: tuple[str, ...]
    by_model: bool
    turn: int | None


def model_info(llm: LanguageModel) -> ModelInfo:
    """The model's file name, digest and prompting style."""
    return ModelInfo(Path(llm.model_path).name, llm.sha256 or "", bool(llm.has_chat_template))


def norm(text: str) -> str:
    """Lower-case letters and digits separated by single spaces, for quote matching."""
    text = re.sub(r"['’‘`]", "", strip_delimiters(text).casefold())  # "don't" and "dont" match
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


def verify_quotes(quotes: Sequence[str], candidate_texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """(kept, dropped): a quote is kept only if it is 3+ words found verbatim (normalised) in the candidate's turns."""
    haystacks = [norm(t) for t in candidate_texts]
    kept: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for quote in quotes:
        q = norm(quote)
        if len(q.split()) >= MIN_QUOTE_WORDS and any(f" {q} " in f" {h} " for h in haystacks):
            if q not in seen:
                seen.add(q)
                kept.append(" ".join(quote.split()).strip(" \"'"))
        elif quote.strip():
            dropped.append(quote.strip())
    return kept, dropped


_STOP = frozenset(
    "a an and are as at be been but by did do does for from had has have he her his how i if in into is it its me "
    "my of on or our she so that the their them then there they this to was we were what when which who why with "
    "would you your answer candidate shows about also not no only more very just".split())
MAX_QUOTE_WORDS = 30


def _content(text: str) -> set[str]:
    return {w for w in norm(text).split() if w not in _STOP and len(w) > 2}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if len(s.split()) >= MIN_QUOTE_WORDS]


def _bounded(sentence: str) -> str:
    words = sentence.split()
    return sentence if len(words) <= MAX_QUOTE_WORDS else " ".join(words[:MAX_QUOTE_WORDS]) + " …"


def grounded_quotes(quotes: Sequence[str], note: str, answer_text: str, limit: int = 2) -> list[str]:
    """Evidence cut from `answer_text` for a note: exact quotes first, then the sentence nearest each near-miss
    quote (half its content words or more), then the sentence sharing most content words with the note."""
    sentences = _sentences(answer_text)
    kept, _ = verify_quotes(quotes, [answer_text])
    seen = {norm(q) for q in kept}

    def add(sentence: str) -> None:
        key = norm(sentence)
        if key not in seen and not any(key in s or s in key for s in seen):
            seen.add(key)
            kept.append(_bounded(sentence))

    for quote in quotes:
        words = _content(quote)
        if len(kept) >= limit or not words or norm(quote) in seen:
            continue
        best = max(sentences, key=lambda s: len(words & _content(s)), default=None)
        if best is not None and len(words & _content(best)) >= max(2, len(words) / 2):
            add(best)
    if not kept and sentences:
        about = _content(note)
        best = max(sentences, key=lambda s: len(about & _content(s)))
        if len(about & _content(best)) >= 2:
            add(best)
    return kept[:limit]


def anchor_text(dim: RubricDimension, anchor: str) -> str:
    """The wording of the low/middle/high anchor (with a generic one when the rubric has none)."""
    text = getattr(dim.anchors, anchor, "") or ""
    generic = {"low": "Vague, generic or off the point.", "middle": "Relevant, with some real detail.",
               "high": "Specific and first-hand, with reasoning and results."}
    return " ".join(text.split()) or generic[anchor]


def fallback_text(dim: RubricDimension, anchor: str) -> str:
    """The note used when the model's own is unusable: the matched anchor in words."""
    return f"Nearest the {anchor} anchor for {dim.name}: {anchor_text(dim, anchor)}"


def _usable(text: str) -> bool:
    return len(text.split()) >= 5 and not _EVASIVE.search(text)


_QUOTED = re.compile(r'"([^"]{6,240})"|“([^”]{6,240})”|‘([^’]{6,240})’')
MAX_NOTE_TOKENS = 64  # two plain sentences; ~2.4 s of generation on 2 cores


def note_task(dim: RubricDimension, rating: float) -> str:
    """What the model is asked for: why this answer earned its rating, in plain words, quoting the candidate."""
    anchor = judge.anchor_of(rating)
    return (f"This answer was rated {rating:.1f} of 5 on \"{judge.clean_text(dim.name)}\", nearest the {anchor} anchor: "
            f"\"{judge.clean_text(anchor_text(dim, anchor))}\". As the assessor, write one or two plain sentences "
            "saying what in the answer led to this rating (what it shows or lacks), naming what the candidate "
            "actually said. Be brief and do not repeat the number.")


def _tidy(text: str) -> str:
    """The model's note on one line, cut after its last complete sentence when it ran out of room."""
    text = " ".join(strip_delimiters(text).split())
    if text and text[-1] not in ".!?\"”’":
        end = max(text.rfind(". "), text.rfind("! "), text.rfind("? "), text.rfind('." '))
        text = text[: end + 1] if end > 0 else text
    return text


def own_words(note: str, answer_text: str) -> str | None:
    """The note with every phrase it quotes made the candidate's own: kept when it is in the answer word for
    word, else replaced by the answer's sentence nearest to it; None when a quote matches nothing there (the
    note would put words in the candidate's mouth). An unclosed quote at the end is closed."""
    if note.count('"') % 2:
        note = note.rstrip(".") + '."' if note.endswith(".") else note + '"'
    haystack = f" {norm(answer_text)} "

    def fix(m: re.Match[str]) -> str:
        quote = next(g for g in m.groups() if g)
        if norm(quote) and f" {norm(quote)} " in haystack:
            return m.group(0)
        near = grounded_quotes([quote], "", answer_text, limit=1)
        if not near:
            raise LookupError(quote)
        return f'"{near[0]}"'

    try:
        return _QUOTED.sub(fix, note)
    except LookupError:
        return None


def explain(llm: LanguageModel, profile: AgentProfile, dim: RubricDimension, answer: Answer | None, rating: float,
            candidate_texts: Sequence[str], style: str | None = None) -> Rationale:
    """The note for `dim`, written from the answer that bears on it most, checked against the candidate's words.

    Asked after the judge's own prefix (rules, rubric, worked examples) and the answer block, so only the
    answer and this short task are evaluated; the note is plain text (no JSON to generate), and its quoted
    phrases are the evidence, kept only where they are the candidate's words.
    """
    anchor = judge.anchor_of(rating)
    if answer is None or not answer.text.strip() or not llm.has_chat_template:
        return Rationale(fallback_text(dim, anchor), (), (), False, answer.index if answer else None)
    text, _ = judge.prepare_text(answer.text)
    block = judge.answer_block(answer.question, text)
    system = judge.system_message(profile, list(profile.rubric), style)
    request = GenerationRequest(
        messages=judge.messages(system, examples_for(style or str(profile.use_case)), block, note_task(dim, rating)),
        max_tokens=MAX_NOTE_TOKENS, temperature=0.0, seed=0, stop=("\n\n",))
    try:
        note = _tidy(llm.generate(request))
    except EngineError:
        return Rationale(fallback_text(dim, anchor), (), (), False, answer.index)
    quotes = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(note)]
    _, dropped = verify_quotes(quotes, [text])
    checked = own_words(note, text)
    by_model = checked is not None and _usable(checked)
    note = checked if checked is not None and by_model else fallback_text(dim, anchor)
    # Evidence: the quotes, else the answer's sentences the note speaks of, else the answer's opening sentence.
    opening = [_bounded(x) for x in _sentences(text)[:1]]
    kept, _ = verify_quotes(grounded_quotes(quotes, note, text) or opening, candidate_texts)
    return Rationale(note, tuple(kept), tuple(dropped), by_model, answer.index)
