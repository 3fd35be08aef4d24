"""Recognizer adapter over faster-whisper: only VAD-marked speech reaches Whisper, segment by segment.

Whisper invents text on silence, so a stream runs a VAD over the audio, keeps speech with a
little padding (long gaps are shortened) and transcribes each finished speech segment in a
worker thread while the candidate is still talking; finish() only has the last one left.
"""

from __future__ import annotations

import bisect
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from desktop_app.engines.base import AudioChunk, EngineError, ModelFileError, Transcript, VocabularyHint, Word
from desktop_app.engines.models import is_whisper_folder
from desktop_app.engines.vad import VadFrame, make_vad

PROMPT_TAIL_CHARS = 200  # committed text passed back as context for the next segment
MIN_WORD_S = 0.04  # words aligned to less audio than this were not spoken


def drop_trailing_hallucination(words: list[Word]) -> list[Word]:
    """Removes words Whisper appended after the speech ran out ("We'll see you next time.").

    Such words get (almost) no audio in the alignment, so a trailing run of zero-length
    words is dropped; real words always span some audio.
    """
    end = len(words)
    while end > 0 and words[end - 1].end_s - words[end - 1].start_s < MIN_WORD_S:
        end -= 1
    return words[:end]


def drop_unspoken_tail(words: list[Word], speech_end_s: float) -> list[Word]:
    """Removes trailing words that start where the VAD heard no more speech, or that Whisper doubts.

    Conditioned on earlier text, Whisper sometimes ends a segment with "Thank you for
    watching": such words start in the silent padding after the last speech frame, or
    carry a probability near zero.
    """
    def unspoken(w: Word) -> bool:
        return w.start_s >= speech_end_s - 0.05 or (w.probability is not None and w.probability < 0.05)

    end = len(words)
    while end > 0 and unspoken(words[end - 1]):
        end -= 1
    return words[:end]


def collapse_repeats(words: list[Word], *, max_n: int = 4, min_repeats: int = 3) -> list[Word]:
    """Keeps one copy of a word or phrase that Whisper loops on ("Teamwork, Teamwork, Teamwork").

    Small Whisper models fall into such loops on a hint word when speech trails off; people
    do not say the same phrase three times running, so the run is cut to its first copy.
    """
    def key(w: Word) -> str:
        return "".join(ch for ch in w.text.casefold() if ch.isalnum())

    out = list(words)
    i = 0
    while i < len(out):
        for n in range(1, max_n + 1):
            phrase = [key(w) for w in out[i:i + n]]
            if len(phrase) < n or not all(phrase):
                break
            reps = 1
            while [key(w) for w in out[i + reps * n:i + (reps + 1) * n]] == phrase:
                reps += 1
            if reps >= min_repeats:
                del out[i + n:i + reps * n]
                break
        i += 1
    return out


class WhisperRecognizer:
    """A faster-whisper (CTranslate2) model loaded once, int8 on the CPU; one transcription at a time."""

    def __init__(
        self,
        model_path: str | Path,
        *,
        language: str | None = None,
        threads: int = 2,
        beam_size: int = 5,
        vad: str | None = None,
        sha256: str = "",
    ) -> None:
        folder = Path(model_path)
        self.model_path = str(folder)
        self.sha256 = sha256
        self.beam_size = beam_size
        self.vad_kind = vad
        if not folder.is_dir() or not is_whisper_folder(folder):
            raise ModelFileError(f"{folder}: not a faster-whisper model folder (model.bin + config.json)")
        if not (folder / "tokenizer.json").is_file():
            # Without it faster-whisper would fetch a tokenizer from the network.
            raise ModelFileError(f"{folder}: tokenizer.json missing from the model folder")
        try:
            from faster_whisper import WhisperModel

            self._model = WhisperModel(
                str(folder), device="cpu", compute_type="int8", cpu_threads=threads, local_files_only=True
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelFileError(f"{folder / 'model.bin'}: CTranslate2 cannot load it (corrupt or truncated)") from exc
        self.multilingual = bool(self._model.model.is_multilingual)
        self.language = (language or "auto") if self.multilingual else "en"
        self._lock = threading.Lock()

    def start(self, hint: VocabularyHint | None = None) -> WhisperStream:
        """Begins a new utterance."""
        return WhisperStream(self, hint, make_vad(self.vad_kind))

    def transcribe(self, chunks: Sequence[AudioChunk], hint: VocabularyHint | None = None) -> Transcript:
        """Recognises a whole utterance at once (speech segments joined into as few calls as possible)."""
        stream = WhisperStream(self, hint, make_vad(self.vad_kind), segment_pause_s=float("inf"))
        for chunk in chunks:
            stream.feed(chunk)
        return stream.finish()

    def transcribe_speech(self, audio: np.ndarray, hint: VocabularyHint | None, context: str = "") -> list[Word]:
        """Words in 16 kHz float audio already known to be speech; times relative to its start."""
        phrases = ", ".join(hint.phrases) if hint and hint.phrases else ""
        prompt = " ".join(p for p in ((hint.prompt if hint else ""), phrases, context[-PROMPT_TAIL_CHARS:]) if p)
        with self._lock:
            segments, _info = self._model.transcribe(
                audio,
                language=None if self.language == "auto" else self.language,
                beam_size=self.beam_size,
                word_timestamps=True,
                vad_filter=False,  # our VAD already removed the silence
                condition_on_previous_text=False,
                initial_prompt=prompt or None,
                hotwords=phrases or None,
            )
            segments = list(segments)
        words: list[Word] = []
        for segment in segments:
            for w in segment.words or ():
                words.append(Word(w.word.strip(), float(w.start), float(w.end), float(w.probability)))
        return drop_trailing_hallucination(collapse_repeats([w for w in words if w.text]))


class WhisperStream:
    """One utterance: feed chunks of any rate; partial text arrives as speech segments finish."""

    def __init__(
        self,
        recognizer: WhisperRecognizer,
        hint: VocabularyHint | None,
        vad,
        *,
        pad_s: float = 0.2,
        segment_pause_s: float = 0.5,
        max_segment_s: float = 25.0,
    ) -> None:
        self._rec = recognizer
        self._hint = hint
        self._vad = vad
        self.pad_s = pad_s
        self.segment_pause_s = segment_pause_s
        self.max_segment_s = max_segment_s
        self._before: deque[VadFrame] = deque(maxlen=max(1, round(pad_s / vad.frame_s)))
        self._frames: list[VadFrame] = []  # the segment being collected (speech + padding)
        self._speech_s = 0.0
        self._silence_run_s = 0.0
        self._in_speech = False
        self._words: list[Word] = []
        self._jobs: deque[Future] = deque()
        self._executor: ThreadPoolExecutor | None = None
        self._committed_text = ""
        self._finished = False

    def feed(self, chunk: AudioChunk) -> Transcript | None:
        """Adds audio; returns the text so far when another segment has been transcribed."""
        if self._finished:
            raise EngineError("feed() after finish()")
        for frame in self._vad.frames(chunk):
            self._take(frame)
        return self._collect(block=False)

    def finish(self) -> Transcript:
        """Ends the utterance and returns the final text with word timings."""
        if not self._finished:
            self._finished = True
            self._commit()
            self._collect(block=True)
            if self._executor is not None:
                self._executor.shutdown(wait=True)
        return Transcript(" ".join(w.text for w in self._words), True, tuple(self._words))

    def _take(self, frame: VadFrame) -> None:
        if frame.is_speech:
            if not self._in_speech:
                self._frames.extend(self._before)  # pre-roll: keep the first syllable
                self._before.clear()
                self._in_speech = True
            self._frames.append(frame)
            self._speech_s += frame.seconds
            self._silence_run_s = 0.0
            if self._speech_s >= self.max_segment_s:
                self._commit()
            return
        if not self._in_speech:
            self._before.append(frame)
            return
        self._silence_run_s += frame.seconds
        if self._silence_run_s <= self.pad_s:
            self._frames.append(frame)
        else:
            self._before.append(frame)
        if self._silence_run_s >= self.segment_pause_s:
            self._in_speech = False
            self._commit()

    def _commit(self) -> None:
        """Sends the collected segment to the worker."""
        frames, self._frames = self._frames, []
        speech_s, self._speech_s = self._speech_s, 0.0
        if not frames or speech_s <= 0:
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper-segment")
        self._jobs.append(self._executor.submit(self._transcribe_segment, frames))

    def _transcribe_segment(self, frames: list[VadFrame]) -> list[Word]:
        audio = np.frombuffer(b"".join(f.audio.audio for f in frames), dtype="<i2").astype(np.float32) / 32768.0
        # Map times inside the joined audio back to stream times (gaps were shortened).
        offsets, stream_times, position, speech_end = [], [], 0.0, 0.0
        for f in frames:
            offsets.append(position)
            stream_times.append(f.audio.timestamp_s)
            position += f.seconds
            if f.is_speech:
                speech_end = position
        words = drop_unspoken_tail(self._rec.transcribe_speech(audio, self._hint, self._committed_text), speech_end)

        def to_stream(t: float) -> float:
            i = max(0, bisect.bisect_right(offsets, t) - 1)
            return round(stream_times[i] + (t - offsets[i]), 3)

        mapped = [Word(w.text, to_stream(w.start_s), to_stream(max(w.start_s, w.end_s)), w.probability) for w in words]
        self._committed_text = (self._committed_text + " " + " ".join(w.text for w in mapped)).strip()
        return mapped

    def _collect(self, block: bool) -> Transcript | None:
        got = False
        while self._jobs and (block or self._jobs[0].done()):
            self._words.extend(self._jobs.popleft().result())
            got = True
        if not got:
            return None
        return Transcript(" ".join(w.text for w in self._words), block, tuple(self._words))
