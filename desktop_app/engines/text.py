"""Text helpers shared by the engines: sentence splitting for TTS and streamed LLM output, and WER."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

# A sentence ends at . ! ? (or their CJK forms) followed by space/end, not after common abbreviations.
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "inc", "ltd"}
_END = re.compile(r"([.!?…]+[\"')\]]*|[。！？])(\s+|$)")


def split_sentences(text: str) -> list[str]:
    """Splits text into sentences, keeping their punctuation."""
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(text):
        candidate = text[start : match.end()].strip()
        last_word = candidate.rstrip(".!?…\"')]").rsplit(" ", 1)[-1].lower()
        if match.group(1) == "." and (last_word in _ABBREVIATIONS or re.fullmatch(r"\d+|[a-z]", last_word)):
            continue  # "Dr. Smith", "3.5", "U.S." style: not a sentence end
        if candidate:
            sentences.append(candidate)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


class SentenceCutter:
    """Cuts a stream of text pieces (LLM tokens) into whole sentences as soon as each is complete."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, piece: str) -> list[str]:
        """Adds text; returns sentences completed by it."""
        self._buffer += piece
        sentences = split_sentences(self._buffer)
        if not sentences:
            return []
        # The last sentence is complete only if whatever follows would start a new one.
        if self._buffer[-1:].isspace() and len(split_sentences(self._buffer + "Next")) > len(sentences):
            self._buffer = ""
            return sentences
        self._buffer = sentences[-1]
        return sentences[:-1]

    def flush(self) -> list[str]:
        """Returns whatever is left."""
        rest, self._buffer = self._buffer.strip(), ""
        return [rest] if rest else []


def cut_sentences(pieces: Iterable[str]) -> Iterator[str]:
    """Sentences from a stream of text pieces."""
    cutter = SentenceCutter()
    for piece in pieces:
        yield from cutter.feed(piece)
    yield from cutter.flush()


def normalize_words(text: str) -> list[str]:
    """Lower-case words without punctuation, for comparing transcripts."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s']", " ", text).replace("'", "")
    return text.split()


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: (substitutions + deletions + insertions) / reference words."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1] / len(ref)


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate ignoring spaces and punctuation (for languages without spaces, e.g. Korean)."""
    ref = "".join(normalize_words(reference))
    hyp = "".join(normalize_words(hypothesis))
    return wer(" ".join(ref), " ".join(hyp)) if ref else float(bool(hyp))
