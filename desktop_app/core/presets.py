"""The presets in resources/presets: example setups whose role-specific details sit in one `role` block per object.

A preset profile or template is written role-neutral; its `role` block holds what belongs to the example role
only (company, role, domain, skills, and the rubric written for that role), plus `about`, a short description
of that role. A whole example setup (`viva init --demo`, `viva import`, the GUI's "load example") keeps every
role; starting a new interviewer or template from a preset keeps the role only when asked to.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from desktop_app.core.errors import UserError
from desktop_app.core.validation import load_document
from desktop_app.paths import RESOURCES_DIR

PRESETS_DIR = RESOURCES_DIR / "presets"
ROLE_KEY = "role"
ABOUT_KEY = "about"

# What "keep the rubric and interview style" keeps; the rest of an object starts blank.
STYLE_FIELDS = {
    "profile": ("rubric", "behavior", "scoring", "scorecard"),
    "template": ("traits", "success_criteria", "duration_minutes", "question_depth", "default_session_mode"),
}
# Always kept: the name (made role-neutral by the preset) and what the object is for.
BASIC_FIELDS = ("name", "use_case", "persona", "objective", "success_outcome")


def preset_names() -> list[str]:
    """The presets shipped in resources/presets, by file name (e.g. hiring, mock_interview)."""
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def preset_key(name: str) -> str:
    """The preset a name means, ignoring case, spaces and hyphens ('Mock interview' -> 'mock_interview')."""
    wanted = str(name).strip().casefold().replace(" ", "_").replace("-", "_")
    for key in preset_names():
        if key.casefold() == wanted:
            return key
    raise UserError(f"{str(name).strip()!r} is not a preset ({', '.join(preset_names())})", field="preset")


def preset_path(name: str) -> Path:
    """The file of a preset."""
    return PRESETS_DIR / f"{preset_key(name)}.yaml"


def _merge(base: Any, over: Any) -> Any:
    """`over` on top of `base`: mappings merge key by key, anything else is replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(over)


def role_of(item: dict[str, Any]) -> dict[str, Any]:
    """The role block of a preset object (empty when it has none)."""
    role = item.get(ROLE_KEY) if isinstance(item, dict) else None
    return dict(role) if isinstance(role, dict) else {}


def about_role(item: dict[str, Any]) -> str:
    """The short description of an object's example role, e.g. 'Backend engineering at Northwind Systems'."""
    return str(role_of(item).get(ABOUT_KEY) or "").strip()


def with_role(item: Any) -> Any:
    """The object with its role block applied (and removed); any other value unchanged."""
    if not isinstance(item, dict) or ROLE_KEY not in item:
        return item
    role = role_of(item)
    role.pop(ABOUT_KEY, None)
    neutral = {k: v for k, v in item.items() if k != ROLE_KEY}
    return _merge(neutral, role)


def without_role(item: dict[str, Any]) -> dict[str, Any]:
    """The role-neutral object: the role block dropped."""
    return {k: copy.deepcopy(v) for k, v in item.items() if k != ROLE_KEY}


def load_preset(name: str) -> dict[str, Any]:
    """A whole preset setup with every role kept, ready for bundle import."""
    path = preset_path(name)
    data = load_document(path)
    if not isinstance(data, dict):
        raise UserError("must be a mapping with profiles, templates, stages and participants", source=path.name)
    return {k: [with_role(i) for i in v] if isinstance(v, list) else v for k, v in data.items()}


def preset_item(name: str, kind: str) -> dict[str, Any]:
    """The first profile or template of a preset as written, role block included."""
    path = preset_path(name)
    data = load_document(path)
    items = (data.get(kind + "s") if isinstance(data, dict) else None) or []
    if not items or not isinstance(items[0], dict):
        raise UserError(f"the preset has no {kind}", source=path.name, field=kind + "s")
    return copy.deepcopy(items[0])


def start_from(item: dict[str, Any], kind: str, *, keep_style: bool = True, keep_role: bool = False) -> dict[str, Any]:
    """Starting values for a new profile or template from a preset object.

    keep_style keeps the rubric and interview style (profile) or traits, criteria and depth (template);
    keep_role also keeps the example role's company, role, domain and skills.
    """
    data = with_role(item) if keep_role else without_role(item)
    if keep_style:
        return data
    return {k: v for k, v in data.items() if k in BASIC_FIELDS or (keep_role and k in role_of(item))}
