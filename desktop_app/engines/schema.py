"""JSON-schema helpers for constrained generation: a grammar-friendly rewrite and a small validator.

The validator covers the subset the interview schemas use (type, enum, const, bounds, lengths,
pattern, items, properties, required, additionalProperties) so no heavy dependency is needed.
"""

from __future__ import annotations

import copy
import re
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}
_MAX_ENUM_RANGE = 101  # an integer range this small becomes an enum for the grammar


class SchemaViolation(ValueError):
    """The value does not match the schema; the message names the field and the rule."""


def _is_type(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES.get(name, (object,)))


def validate(value: Any, schema: dict, where: str = "$") -> None:
    """Raises SchemaViolation naming the first field that breaks a rule."""
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_is_type(value, n) for n in names):
            raise SchemaViolation(f"{where}: must be {' or '.join(names)}, got {type(value).__name__}")
    if "const" in schema and value != schema["const"]:
        raise SchemaViolation(f"{where}: must be {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaViolation(f"{where}: must be one of {schema['enum']!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        _check_bounds(value, schema, where)
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise SchemaViolation(f"{where}: must have at least {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise SchemaViolation(f"{where}: must have at most {schema['maxLength']} characters")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise SchemaViolation(f"{where}: must match {schema['pattern']!r}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            raise SchemaViolation(f"{where}: must have at least {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise SchemaViolation(f"{where}: must have at most {schema['maxItems']} items")
        if isinstance(schema.get("items"), dict):
            for i, item in enumerate(value):
                validate(item, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                raise SchemaViolation(f"{where}.{name}: is required")
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in props:
                validate(item, props[name], f"{where}.{name}")
            elif extra is False:
                raise SchemaViolation(f"{where}.{name}: is not allowed")
            elif isinstance(extra, dict):
                validate(item, extra, f"{where}.{name}")


def _check_bounds(value: float, schema: dict, where: str) -> None:
    if "minimum" in schema and value < schema["minimum"]:
        raise SchemaViolation(f"{where}: must be >= {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        raise SchemaViolation(f"{where}: must be <= {schema['maximum']}")
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        raise SchemaViolation(f"{where}: must be > {schema['exclusiveMinimum']}")
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        raise SchemaViolation(f"{where}: must be < {schema['exclusiveMaximum']}")


def grammar_schema(schema: dict) -> dict:
    """A copy llama.cpp's grammar converter enforces more of: small integer ranges become enums.

    llama-cpp-python's converter ignores minimum/maximum, so a score 0-10 would otherwise
    allow any integer; the validator still checks the original schema afterwards.
    """
    out = copy.deepcopy(schema)
    _rewrite(out)
    return out


def _rewrite(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _rewrite(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "integer" and "enum" not in node:
        low, high = node.get("minimum"), node.get("maximum")
        if isinstance(low, int) and isinstance(high, int) and 0 <= high - low < _MAX_ENUM_RANGE:
            node["enum"] = list(range(low, high + 1))
    for key in ("properties", "$defs", "definitions"):
        if isinstance(node.get(key), dict):
            for child in node[key].values():
                _rewrite(child)
    for key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf"):
        if key in node:
            _rewrite(node[key])
