"""Checks on what the model proposes (follow-ups, character lines) and bank fallbacks chosen by rule."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.core.question_bank import QuestionBank

MAX_FOLLOW_UP_WORDS = 30
MIN_FOLLOW_UP_WORDS = 4
MAX_CHARACTER_WORDS = 45
REPEAT_SIMILARITY = 0.6

_WORD = re.compile(r"[a-z0-9][a-z0-9+#'\-]*")
_STOP = frozenset(
    "a about above after again all also am an and any are as at be because been before being below between both but by "
    "can could did do does doing done down during each few for from further had has have having he her here hers him his "
    "how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over "
    "own same she should so some such than that the their them then there these they this those through to too under "
    "until up very was we were what when where which while who whom why will with would you your yours yourself tell "
    "describe walk give example time times did thing things something really like get got make made way want know "
    "think much many well one two let us okay yes yeah sure".split()
)
# Talk about the interview itself, scoring or the model: never acceptable from the interviewer's mouth.
_META = re.compile(
    r"\b(?:scor\w*|rating|rated|rubric|grading|marks out of|out of (?:ten|10|five|5|100)|pass or fail|"
    r"candidate|interviewee|transcript|prompt|instructions?|language model|ai|a\.i\.|assistant|chatbot|"
    r"next question|this interview|the interview|interview is|as an interviewer|follow-?up|"
    r"your answer|that answer|good answer|great answer|well answered)\b|\b(?:question|answer|candidate)\s*:", re.I)
# A speaker label the model may repeat at the start of its line ("Interviewer: ...").
_ROLE_LABEL = re.compile(r"^\s*(?:interviewer|follow-?up|question|customer|patient|employee|client|other person)\s*:\s*",
                         re.I)
_ASSISTANT = re.compile(
    r"\b(?:as an? (?:ai|assistant|language model)|language model|i(?:'m| am) (?:an? )?(?:ai|assistant|chatbot|bot)|"
    r"how (?:can|may) i (?:help|assist)|i(?:'m| am) here to help|happy to help|glad to help|let me help you|"
    r"thank you for (?:calling|contacting|reaching out|your patience|waiting)|is there anything else|"
    r"i apologi[sz]e for|sorry for the (?:wait|delay)|(?:can|may) i (?:have|take) your|"
    r"i understand your frustration|sorry for the inconvenience|roleplay|role-play|scenario|simulation|in character|"
    r"trainee|candidate|interview(?:er)?|scor\w*|feedback|evaluat\w*|rubric|i cannot|i can't help|prompt)\b", re.I)


@dataclass(frozen=True)
class Check:
    """The outcome of checking one proposal: the cleaned text and, if rejected, why."""

    text: str
    ok: bool
    reason: str = ""


def stem(word: str) -> str:
    """A crude stem so 'testing', 'tests' and 'tested' meet."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """Stemmed words that carry meaning (no stop words, at least three letters)."""
    return {stem(w.strip("'-")) for w in _WORD.findall(text.casefold()) if len(w) >= 3 and w not in _STOP}


def similarity(a: str, b: str) -> float:
    """0..1: the larger of content-word overlap (Jaccard) and character similarity."""
    wa, wb = content_words(a), content_words(b)
    jaccard = len(wa & wb) / len(wa | wb) if wa and wb else 0.0
    chars = difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio()
    return max(jaccard, chars)


def first_line(text: str) -> str:
    """The first non-empty line of model output, without a leading speaker label or quotes."""
    for line in text.strip().splitlines():
        line = _ROLE_LABEL.sub("", line.strip(), count=1).strip().strip('"\u201c\u201d').strip()
        if line:
            return line
    return ""


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def clean_follow_up(raw: str) -> str:
    """The proposal's first line; from several sentences the first question is kept."""
    line = first_line(raw)
    sentences = _sentences(line)
    questions = [s for s in sentences if s.endswith("?")]
    if len(sentences) > 1 and questions:
        return questions[0]
    return line


def check_follow_up(raw: str, *, question: str, answer: str, target: str = "",
                    previous: Sequence[str] = ()) -> Check:
    """Accepts a proposed follow-up only if it is one short, on-topic, new question with no meta talk."""
    text = clean_follow_up(raw)
    words = text.split()
    if not text:
        return Check(text, False, "empty")
    if not text.endswith("?") or text.count("?") != 1 or len(_sentences(text)) != 1:
        return Check(text, False, "not a single question")
    if len(words) > MAX_FOLLOW_UP_WORDS:
        return Check(text, False, "too long")
    if len(words) < MIN_FOLLOW_UP_WORDS:
        return Check(text, False, "too short")
    if _META.search(text):
        return Check(text, False, "talks about the interview or scoring")
    if re.search(r"[<>{}\[\]|\\]|https?:|www\.", text):
        return Check(text, False, "contains markup")
    if not content_words(text) & content_words(f"{question} {answer} {target}"):
        return Check(text, False, "off topic")
    for earlier in (question, *previous):
        if similarity(text, earlier) >= REPEAT_SIMILARITY:
            return Check(text, False, "repeats an earlier question")
    return Check(text, True)


def check_character_line(raw: str, *, previous: Sequence[str] = (), candidate_reply: str = "") -> Check:
    """Accepts a roleplay line only if it stays in character: short, no assistant talk, not a repeat or an echo."""
    text = first_line(raw)
    if not text or len(text.split()) < 2:
        return Check(text, False, "empty")
    if len(text.split()) > MAX_CHARACTER_WORDS:
        return Check(text, False, "too long")
    if _ASSISTANT.search(text):
        return Check(text, False, "out of character")
    if re.search(r"[<>{}\[\]|\\#*_]|https?:", text):
        return Check(text, False, "contains markup")
    if candidate_reply and similarity(text, candidate_reply) >= 0.7:
        return Check(text, False, "echoes the candidate")
    for earlier in previous:
        if similarity(text, earlier) >= 0.7:
            return Check(text, False, "repeats an earlier line")
    return Check(text, True)


def answer_strength(answer: str) -> float:
    """0..1 from length, first-person action, numbers and a stated result: drives adaptive difficulty."""
    text = answer.strip()
    n = len(text.split())
    if n == 0:
        return 0.0
    score = min(n / 80.0, 1.0) * 0.4
    if re.search(r"\bI(?:'ve| have| had)?\s+\w{3,}", text):
        score += 0.2
    if re.search(r"\d|\b(?:percent|twice|double|half|hundred|thousand)\b", text, re.I):
        score += 0.2
    if re.search(r"\b(?:result\w*|so that|which meant|in the end|because|therefore|outcome|learn\w*)\b", text, re.I):
        score += 0.2
    return round(min(score, 1.0), 3)


def missing_aspects(answer: str) -> list[str]:
    """What an answer lacks, most important first: the bank's follow-up reasons."""
    text = answer.strip()
    missing: list[str] = []
    if len(text.split()) < 25:
        missing.append("example")
    if not re.search(r"\bI\b", text):
        missing.append("own_part")
    if not re.search(r"\d|\b(?:result\w*|outcome|saved|reduc\w+|improv\w+|increas\w+)\b", text, re.I):
        missing.append("result")
    if not re.search(r"\b(?:because|so that|decided|chose|reason)\b", text, re.I):
        missing.append("reasoning")
    missing += ["difficulty", "skill", "reflection", "others"]
    return missing


def bank_follow_up(bank: QuestionBank, answer: str, *, target: str, previous: Sequence[str], offset: int = 0) -> str:
    """A bank follow-up for what the answer lacks that is not a repeat; deterministic."""
    candidates: list[str] = []
    for reason in missing_aspects(answer):
        for text in bank.follow_ups.get(reason, ()):
            if "{target}" in text and not target:
                continue
            candidates.append(text.format(target=bank.term(target) if target else ""))
    fresh = [c for c in candidates if all(similarity(c, p) < REPEAT_SIMILARITY for p in previous)]
    pool = fresh or candidates
    return pool[offset % len(pool)]
