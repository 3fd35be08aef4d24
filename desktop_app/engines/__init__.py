"""Engine adapters (llama-cpp-python, faster-whisper, vosk, piper, sounddevice, VAD) behind base.py's Protocols.

Build them through registry.build_engines(paths, settings); nothing here imports PySide6.
"""
