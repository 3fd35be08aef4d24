"""Turns files and dicts into domain objects, with one-line errors naming file, field and rule."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from desktop_app.core import wording
from desktop_app.core.errors import UserError

M = TypeVar("M", bound=BaseModel)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(object)"


def _rule(err: Mapping[str, object]) -> str:
    msg = str(err.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    if err.get("type") == "extra_forbidden":
        return "unknown field"
    if err.get("type") == "missing":
        return "is required"
    return msg[:1].lower() + msg[1:]


def first_error(exc: ValidationError, source: str | None = None) -> UserError:
    """The first problem of a pydantic error as a UserError."""
    err = exc.errors()[0]
    loc = tuple(err.get("loc", ()))
    # Model-level validators report no location; their message starts with "field: ".
    rule = _rule(err)
    field = _field_path(loc) if loc else None
    if field is None and ": " in rule:
        field, rule = rule.split(": ", 1)
    plain = wording.validation_sentence(exc.title, loc or ((field,) if field else ()), str(err.get("type", "")),
                                        err.get("ctx"), rule)
    return UserError(rule, source=source, field=field, plain=plain)


def parse_model(model: type[M], data: Any, source: str | None = None) -> M:
    """Validates `data` as `model`, raising UserError on the first problem."""
    if not isinstance(data, dict):
        raise UserError(f"must be a mapping of fields, got {type(data).__name__}", source=source)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise first_error(exc, source) from None
    except ValueError as exc:  # raised by nested checks outside pydantic's wrapping
        raise UserError(str(exc), source=source) from None


def load_document(path: str | Path) -> Any:
    """Reads a JSON or YAML file (by extension; YAML is a superset so it is the fallback)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError("file not found", source=str(path)) from None
    except UnicodeDecodeError:
        raise UserError("is not UTF-8 text", source=str(path)) from None
    except OSError as exc:
        raise UserError(exc.strerror or "cannot be read", source=str(path)) from None
    try:
        if p.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", source=p.name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise UserError(f"invalid YAML{where}: {problem}", source=p.name) from None


class _Dumper(yaml.SafeDumper):
    """PyYAML folds the Unicode line breaks NEL, LS and PS to spaces in plain and block
    scalars; strings holding them are written double-quoted, where they are escaped."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = '"' if any(ch in data for ch in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_document(data: Any, path: str | Path) -> str:
    """Serialises `data` as JSON or YAML depending on the file extension."""
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
