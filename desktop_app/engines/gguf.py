"""A small GGUF header reader: metadata without loading the model, and a quick truncation check."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, BinaryIO

from desktop_app.engines.base import ModelFileError

_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_MAX_ARRAY_KEPT = 64  # token lists are huge; keep only their length
# ggml tensor types: (elements per block, bytes per block), to know where the last tensor ends.
_GGML_BLOCKS = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34), 9: (32, 36),
    10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210), 15: (256, 292),
    16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18), 21: (256, 110), 22: (256, 82),
    23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8), 29: (256, 56), 30: (1, 2),
}


class _Reader:
    def __init__(self, f: BinaryIO, path: Path) -> None:
        self.f, self.path = f, path

    def read(self, n: int) -> bytes:
        data = self.f.read(n)
        if len(data) != n:
            raise ModelFileError(f"{self.path}: truncated GGUF header")
        return data

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.unpack("<Q")
        if n > 1 << 26:
            raise ModelFileError(f"{self.path}: corrupt GGUF header (string of {n} bytes)")
        return self.read(n).decode("utf-8", errors="replace")

    def value(self, vtype: int) -> Any:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            item_type, count = self.unpack("<I"), self.unpack("<Q")
            if count > 1 << 28:
                raise ModelFileError(f"{self.path}: corrupt GGUF header (array of {count} items)")
            if item_type in _SCALARS and count > _MAX_ARRAY_KEPT:
                self.f.seek(struct.calcsize(_SCALARS[item_type]) * count, 1)
                return f"<array of {count}>"
            items = [self.value(item_type) for _ in range(count)]
            return items if count <= _MAX_ARRAY_KEPT else f"<array of {count}>"
        raise ModelFileError(f"{self.path}: corrupt GGUF header (value type {vtype})")


def read_gguf_metadata(path: str | Path) -> dict[str, Any]:
    """Key/value metadata of a GGUF file; raises ModelFileError naming the file if it is not one."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            r = _Reader(f, path)
            if r.read(4) != b"GGUF":
                raise ModelFileError(f"{path}: not a GGUF model file")
            version = r.unpack("<I")
            if version < 2:
                raise ModelFileError(f"{path}: GGUF version {version} is too old")
            tensor_count, kv_count = r.unpack("<Q"), r.unpack("<Q")
            meta: dict[str, Any] = {}
            for _ in range(kv_count):
                key = r.string()
                meta[key] = r.value(r.unpack("<I"))
            data_end = 0  # relative to the data section; 0 if a tensor type is unknown to us
            last_offset = 0
            for _ in range(tensor_count):
                r.string()
                n_dims = r.unpack("<I")
                dims = struct.unpack(f"<{n_dims}Q", r.read(8 * n_dims))
                ggml_type, offset = r.unpack("<I"), r.unpack("<Q")
                elements = 1
                for d in dims:
                    elements *= d
                block = _GGML_BLOCKS.get(ggml_type)
                if offset >= last_offset:
                    last_offset = offset
                    data_end = offset + elements // block[0] * block[1] if block else 0
            alignment = int(meta.get("general.alignment", 32))
            data_start = -(-f.tell() // alignment) * alignment
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read ({exc.strerror})") from exc
    expected = data_start + max(last_offset + 1, data_end)
    if tensor_count and size < expected:
        raise ModelFileError(f"{path}: truncated model file ({size} bytes, at least {expected} expected)")
    meta["_tensor_count"] = tensor_count
    meta["_data_start"] = data_start
    meta["_expected_size"] = expected
    return meta


def has_chat_template(meta: dict[str, Any]) -> bool:
    """True for instruct models that carry a chat template."""
    return bool(meta.get("tokenizer.chat_template"))
