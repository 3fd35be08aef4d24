"""The listening stages: mic thread -> end-of-turn thread (VAD + turn detector) -> recognizer thread.

The mic thread only copies audio: into the answer's WAV (fsync'd as it grows) and on to the
end-of-turn thread, which runs the VAD and the turn detector and forwards the audio to the
recognizer thread. The recognizer's stream transcribes each finished speech segment while the
candidate goes on talking (partial text), so at the end of the turn little is left to recognise.
Results go to the runner's inbox.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.core.turn_taking import EndReason, TurnConfig, TurnDetector, TurnEvent
from desktop_app.engines.base import AudioIn, Recognizer, VocabularyHint
from desktop_app.interview.messages import (
    HeardAnswer,
    InboxMessage,
    VoiceEnded,
    VoiceError,
    VoiceErrorCode,
    VoiceFinal,
    VoicePartial,
    VoicePaused,
    VoiceResumed,
    VoiceStarted,
)
from desktop_app.interview.recorder import DurableWav, LevelMeter, Recording

_END = object()


Inbox = Callable[[InboxMessage], None]


class Listener:
    """Owns the mic while an answer is expected; `arm()` starts an answer, results go to `post`."""

    def __init__(self, audio_in: AudioIn, recognizer: Recognizer, post: Inbox, *, turn: TurnConfig,
                 vad_factory: Callable[[], Any], segment_pause_s: float = 0.35, mic_silent_s: float = 5.0) -> None:
        self.audio_in = audio_in
        self.recognizer = recognizer
        self.post = post
        self.turn = turn
        self.vad_factory = vad_factory
        self.segment_pause_s = segment_pause_s
        self.mic_silent_s = mic_silent_s  # no audio at all for this long while listening: the device is gone
        self._lock = threading.Lock()
        self._arm_ids = itertools.count(1)
        self._armed: int | None = None
        self._wav: DurableWav | None = None
        self._wav_path: Path | None = None
        self._level = LevelMeter()
        self._paused = False
        self._frames: queue.Queue = queue.Queue()
        self._asr: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Opens the mic and starts the three threads."""
        if self._threads:
            return
        self.audio_in.start()
        for name, target in (("viva-mic", self._mic_loop), ("viva-endpoint", self._endpoint_loop),
                             ("viva-asr", self._asr_loop)):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)

    def arm(self, question_id: str, wav_path: Path, hint: VocabularyHint | None) -> int:
        """Starts taking an answer: recording to `wav_path` and detecting its end."""
        arm_id = next(self._arm_ids)
        with self._lock:
            self._close_wav()
            self._armed, self._wav_path, self._level = arm_id, wav_path, LevelMeter()
        self._frames.put(("arm", arm_id, question_id, hint))
        on_listen = getattr(self.audio_in, "on_listen", None)
        if on_listen is not None:
            on_listen()  # a WAV-fed mic starts its next answer now
        return arm_id

    def disarm(self) -> Recording | None:
        """Stops taking the current answer (abandoned: e.g. stopped mid-answer); returns what was recorded."""
        with self._lock:
            self._armed = None
            recording = self._close_wav()
        self._frames.put(("disarm",))
        return recording

    def set_paused(self, paused: bool) -> None:
        """While paused, audio is neither recorded nor listened to."""
        with self._lock:
            self._paused = paused

    def push_to_talk(self, pressed: bool) -> None:
        """Push-to-talk button down/up."""
        self._frames.put(("ptt", pressed))

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stops the threads and the mic; an unfinished answer's WAV is closed valid."""
        self._stop.set()
        self._frames.put(_END)
        for t in self._threads:
            t.join(timeout)
        self._threads.clear()
        with self._lock:
            self._close_wav()
        try:
            self.audio_in.stop()
        except Exception:  # the device may already be gone; nothing to save there
            pass

    def _close_wav(self) -> Recording | None:
        wav, self._wav = self._wav, None
        return wav.close() if wav is not None else None

    # ------------------------------------------------------------ mic thread

    def _mic_loop(self) -> None:
        last_audio = time.monotonic()
        reported: int | None = None
        while not self._stop.is_set():
            try:
                chunk = self.audio_in.read(timeout=0.1)
            except Exception as exc:
                self.post(VoiceError(None, VoiceErrorCode.MICROPHONE, f"microphone failed: {exc}"))
                return
            if chunk is None:
                armed = self._armed
                if armed is None or self._paused:
                    last_audio = time.monotonic()
                elif time.monotonic() - last_audio > self.mic_silent_s and reported != armed:
                    reported = armed  # without audio the turn can never end: say so rather than wait forever
                    self.post(VoiceError(armed, VoiceErrorCode.MICROPHONE, f"microphone failed: no audio from "
                                         f"{self.audio_in.device_name!r} for {self.mic_silent_s:g} s"))
                continue
            last_audio = time.monotonic()
            with self._lock:
                armed = self._armed
                if armed is None or self._paused:
                    continue
                if self._wav is None and self._wav_path is not None:
                    self._wav = DurableWav(self._wav_path, chunk.rate)
                if self._wav is not None:
                    self._wav.write(chunk)
                self._level.add(chunk)
            self._frames.put(("chunk", armed, chunk))

    # ------------------------------------------------------------ end-of-turn thread

    def _endpoint_loop(self) -> None:
        arm_id: int | None = None
        detector = TurnDetector(self.turn)
        vad = None
        question_id = ""
        pause_posted = False
        while True:
            item = self._frames.get()
            if item is _END:
                self._asr.put(_END)
                return
            if item[0] == "arm":
                arm_id, question_id = item[1], item[2]
                detector.reset()
                vad = self.vad_factory()
                self._asr.put(("start", arm_id, item[3]))
                continue
            if item[0] == "disarm":
                if arm_id is not None:
                    self._asr.put(("cancel", arm_id))
                arm_id = None
                continue
            if item[0] == "ptt":
                if arm_id is not None and not detector.ended:
                    update = detector.press() if item[1] else detector.release()
                    if update.event is TurnEvent.SPEECH_STARTED:
                        self.post(VoiceStarted(arm_id, update.time_s))
                    if update.ended:
                        self._end_turn(arm_id, question_id, update)
                        arm_id = None
                continue
            if arm_id is None or item[1] != arm_id or vad is None or detector.ended:
                continue
            self._asr.put(("chunk", arm_id, item[2]))  # the recognizer's stream finds its own speech segments
            for frame in vad.frames(item[2]):
                update = detector.process(frame.seconds, frame.is_speech)
                event = update.event
                if event is TurnEvent.SPEECH_STARTED:
                    pause_posted = False
                    self.post(VoiceStarted(arm_id, update.time_s - update.answer_s))
                elif event is TurnEvent.SPEECH_RESUMED:
                    pause_posted = False
                    self.post(VoiceResumed(arm_id, update.time_s))
                elif event is TurnEvent.PAUSE and not pause_posted and update.silence_s >= self.segment_pause_s:
                    pause_posted = True  # the candidate may be done: a follow-up can be drafted now
                    self.post(VoicePaused(arm_id, update.time_s))
                elif event is TurnEvent.TURN_ENDED:
                    self._end_turn(arm_id, question_id, update)
                    arm_id = None
                    break

    def _end_turn(self, arm_id: int, question_id: str, update) -> None:
        with self._lock:
            if self._armed == arm_id:
                self._armed = None
            recording = self._close_wav()
            level = self._level.stats()
        self.post(VoiceEnded(arm_id, update.reason))  # before recognition: an acknowledgement may start
        started = None if update.reason == EndReason.NO_SPEECH else update.time_s - update.answer_s
        answer = HeardAnswer(arm_id, question_id, "", str(update.reason), started, update.time_s, update.silence_s,
                             time.monotonic(), level=level, recording=recording)
        self._asr.put(("end", arm_id, answer))

    # ------------------------------------------------------------ recognizer thread

    def _asr_loop(self) -> None:
        stream = None
        current: int | None = None
        errors: list[str] = []
        last_partial = ""
        while True:
            item = self._asr.get()
            if item is _END:
                return
            tag, arm_id = item[0], item[1]
            if tag == "start":
                current, errors, last_partial = arm_id, [], ""
                try:
                    stream = self.recognizer.start(item[2])
                except Exception as exc:
                    stream = None
                    self._fail(arm_id, errors, exc)
                continue
            if arm_id != current:
                continue
            if tag == "cancel":
                stream, current = None, None
                continue
            if tag == "chunk" and stream is not None:
                try:
                    partial = stream.feed(item[2])
                except Exception as exc:
                    stream = None
                    self._fail(arm_id, errors, exc)
                    continue
                if partial is not None and partial.text.strip() and partial.text != last_partial:
                    last_partial = partial.text
                    self.post(VoicePartial(arm_id, partial.text.strip()))
            elif tag == "end":
                answer: HeardAnswer = item[2]
                started = time.monotonic()
                if stream is not None and answer.reason != EndReason.NO_SPEECH:
                    try:
                        final = stream.finish()
                        answer.text = final.text.strip()
                        answer.words = [{"start": round(w.start_s, 3), "end": round(w.end_s, 3)} for w in final.words]
                    except Exception as exc:  # the audio is on disk; the answer is kept with empty text
                        self._fail(arm_id, errors, exc)
                answer.final_at = time.monotonic()
                answer.final_asr_s = answer.final_at - started
                answer.errors = errors
                self.post(VoiceFinal(arm_id, answer))
                stream, current = None, None

    def _fail(self, arm_id: int, errors: list[str], exc: Exception) -> None:
        errors.append(f"speech recognition failed: {exc}")
        self.post(VoiceError(arm_id, VoiceErrorCode.RECOGNITION, errors[-1]))
