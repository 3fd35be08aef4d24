"""The speaking stages: synthesizer thread -> speaker thread, sentence by sentence, recorded as played.

An utterance is opened, fed text (it may grow while it plays: an acknowledgement first, the
follow-up when the model has it), then finished. Without a synthesizer the same API just
reports each sentence, which is how text mode shows the interviewer's words.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.engines.base import AudioOut, Synthesizer
from desktop_app.engines.text import split_sentences
from desktop_app.interview.recorder import DurableWav, Recording

_END = object()
_ids = itertools.count(1)


@dataclass
class Utterance:
    """One interviewer turn being spoken: its sentences, timings and recording."""

    kind: str
    question_id: str | None
    wav_path: Path | None
    id: int = field(default_factory=lambda: next(_ids))
    cancel: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    queued_at: float = field(default_factory=time.monotonic)
    first_audio_at: float | None = None
    first_synth_at: float | None = None
    finished_at: float | None = None
    recording: Recording | None = None
    heard: list[str] = field(default_factory=list)  # sentences that started playing (or were shown)
    error: str | None = None
    timeline: list[dict] = field(default_factory=list)  # per sentence: added, synthesized, played (monotonic)
    _texts: queue.Queue = field(default_factory=queue.Queue)

    def add(self, text: str) -> None:
        """Queues text; it is cut into sentences."""
        now = time.monotonic()
        for sentence in split_sentences(text):
            self.timeline.append({"text": sentence, "added_at": now})
            self._texts.put(sentence)

    def _mark(self, sentence: str, key: str) -> None:
        for entry in self.timeline:
            if entry["text"] == sentence and key not in entry:
                entry[key] = time.monotonic()
                return

    def finish(self) -> None:
        """No more text will come."""
        self._texts.put(_END)

    @property
    def text(self) -> str:
        """What was actually said (or shown)."""
        return " ".join(self.heard)


SpeakingCallback = Callable[[Utterance, str], None]


class SpeechOutput:
    """Synthesizes and plays utterances in order; prepares fixed phrases while idle."""

    def __init__(self, synthesizer: Synthesizer | None, audio_out: AudioOut | None, on_sentence: SpeakingCallback,
                 on_error: Callable[[str], None] | None = None) -> None:
        self.synthesizer = synthesizer
        self.audio_out = audio_out
        self._on_sentence = on_sentence
        self._on_error = on_error
        self._utterances: queue.Queue = queue.Queue()
        self._audio: queue.Queue = queue.Queue(maxsize=64)
        self._backlog: list[str] = []
        self._backlog_lock = threading.Lock()
        self._stop = threading.Event()
        self._playing = threading.Event()  # the speaker is busy: the candidate is listening, not talking
        self._threads: list[threading.Thread] = []

    @property
    def voiced(self) -> bool:
        """True when sentences are synthesized and played."""
        return self.synthesizer is not None and self.audio_out is not None

    def start(self) -> None:
        """Starts the synthesizer and speaker threads."""
        if self._threads:
            return
        targets = [("viva-tts", self._synth_loop)]
        if self.voiced:
            targets.append(("viva-speaker", self._play_loop))
        for name, target in targets:
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)

    def prepare_later(self, phrases: list[str]) -> None:
        """Phrases to synthesize ahead of time whenever nothing is waiting to be said."""
        if not self.voiced:
            return
        with self._backlog_lock:
            for phrase in phrases:
                for sentence in split_sentences(phrase):
                    if sentence not in self._backlog:
                        self._backlog.append(sentence)

    def prepare_now(self, phrases: list[str]) -> None:
        """Synthesizes phrases before the interview starts (blocks)."""
        synth = self.synthesizer
        if synth is not None and self.voiced:
            sentences = [s for p in phrases for s in split_sentences(p)]
            synth.prepare(sentences)

    def open(self, kind: str, question_id: str | None, wav_path: Path | None) -> Utterance:
        """A new utterance, queued to be spoken after those before it."""
        utt = Utterance(kind, question_id, wav_path if self.voiced else None)
        self._utterances.put(utt)
        return utt

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stops after cancelling whatever is playing."""
        self._stop.set()
        self._utterances.put(_END)
        for t in self._threads:
            t.join(timeout)
        self._threads.clear()

    # ------------------------------------------------------------ synthesizer thread

    def _next_sentence(self, utt: Utterance):
        """The utterance's next sentence (nothing is prepared meanwhile: it may arrive any moment)."""
        while not self._stop.is_set():
            try:
                return utt._texts.get(timeout=0.1)
            except queue.Empty:
                continue
        return _END

    def _prepare_one(self) -> None:
        # Only while the interviewer is being heard: during an answer the CPU belongs to the recognizer.
        synth = self.synthesizer
        if synth is None or not self._playing.is_set():
            return
        with self._backlog_lock:
            sentence = self._backlog.pop(0) if self._backlog else None
        if sentence is None:
            return
        try:
            synth.prepare([sentence])
        except Exception as exc:  # preparing is an optimisation only
            self._report(f"could not prepare speech: {exc}")

    def _synth_loop(self) -> None:
        synth = self.synthesizer
        while True:
            try:
                utt = self._utterances.get(timeout=0.05 if self._backlog else 0.5)
            except queue.Empty:
                if self.voiced:
                    self._prepare_one()
                continue
            if utt is _END:
                self._put_audio(_END)
                return
            if synth is None or not self.voiced:
                self._show(utt)
                continue
            self._put_audio(("start", utt))
            while True:
                sentence = self._next_sentence(utt)
                if sentence is _END:
                    break
                if utt.cancel.is_set() or self._stop.is_set():
                    continue  # drain the text so finish() is seen
                try:
                    first = True
                    # Chunks go to the speaker as soon as each is ready (piper splits a long first clause).
                    for chunk in synth.synthesize(sentence):
                        if utt.first_synth_at is None:
                            utt.first_synth_at = time.monotonic()
                        if first:
                            utt._mark(sentence, "synth_at")
                        self._put_audio(("chunk", utt, sentence if first else None, chunk))
                        first = False
                        if utt.cancel.is_set():
                            break
                except Exception as exc:
                    utt.error = f"speech synthesis failed: {exc}"
                    self._report(utt.error)
                    if first:
                        self._put_audio(("chunk", utt, sentence, None))  # still shown as a caption
            self._put_audio(("end", utt))

    def _show(self, utt: Utterance) -> None:
        """Text only: each sentence is reported at once."""
        while True:
            try:
                sentence = utt._texts.get(timeout=0.1)
            except queue.Empty:
                if self._stop.is_set():
                    break
                continue
            if sentence is _END:
                break
            if utt.cancel.is_set():
                continue
            if utt.first_audio_at is None:
                utt.first_audio_at = time.monotonic()
            utt._mark(sentence, "played_at")
            utt.heard.append(sentence)
            self._on_sentence(utt, sentence)
        utt.finished_at = time.monotonic()
        utt.done.set()

    def _put_audio(self, item) -> None:
        while True:
            try:
                self._audio.put(item, timeout=0.1)
                return
            except queue.Full:
                if self._stop.is_set() and item is not _END:
                    return

    # ------------------------------------------------------------ speaker thread

    def _play_loop(self) -> None:
        out = self.audio_out
        assert out is not None  # the speaker thread runs only when voiced
        while True:
            item = self._audio.get()
            if item is _END:
                return
            if item[0] != "start":
                continue  # leftovers of an utterance that was already closed
            utt = item[1]
            state: dict = {"wav": None, "ended": False}
            self._playing.set()
            try:
                out.play(self._chunks(utt, state), cancel=utt.cancel)
            except Exception as exc:
                utt.error = f"playback failed: {exc}"
                self._report(utt.error)
            finally:
                self._playing.clear()
            while not state["ended"]:  # cancelled or failed: skip the rest of this utterance
                rest = self._audio.get()
                if rest is _END:
                    self._audio.put(_END)
                    break
                state["ended"] = rest[0] == "end" and rest[1] is utt
            if state["wav"] is not None:
                utt.recording = state["wav"].close()
            utt.finished_at = time.monotonic()
            utt.done.set()

    def _chunks(self, utt: Utterance, state: dict):
        """The utterance's audio as it arrives, written to its WAV as it is handed to the device."""
        while True:
            item = self._audio.get()
            if item is _END:
                self._audio.put(_END)
                state["ended"] = True
                return
            if item[0] == "end" and item[1] is utt:
                state["ended"] = True
                return
            if item[0] != "chunk" or item[1] is not utt or utt.cancel.is_set() or self._stop.is_set():
                continue
            sentence, chunk = item[2], item[3]
            if sentence is not None:
                if utt.first_audio_at is None:
                    utt.first_audio_at = time.monotonic()
                utt._mark(sentence, "played_at")
                utt.heard.append(sentence)
                self._on_sentence(utt, sentence)
            if chunk is None:
                continue
            if state["wav"] is None and utt.wav_path is not None:
                state["wav"] = DurableWav(utt.wav_path, chunk.rate)
            if state["wav"] is not None:
                state["wav"].write(chunk)  # on disk as it is played
            yield chunk

    def _report(self, message: str) -> None:
        if self._on_error is not None:
            self._on_error(message)
