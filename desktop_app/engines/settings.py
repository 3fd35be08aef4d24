"""Reading and writing the data folder's settings.json as the typed Settings of core.settings_model."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from desktop_app.core.errors import UserError
from desktop_app.core.settings_model import Settings, settings_from_dict
from desktop_app.paths import DataPaths

log = logging.getLogger(__name__)


def settings_path(paths: DataPaths) -> Path:
    """The settings file."""
    return paths.root / "settings.json"


def load_settings(paths: DataPaths) -> Settings:
    """The settings in the data folder (older formats migrated); a missing file means all defaults.

    Raises UserError naming the file, the field and the rule when the file cannot be used.
    """
    path = settings_path(paths)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot be read ({exc}); fix or delete it", source=str(path)) from None
    try:
        stored = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"not valid JSON (line {exc.lineno}); fix or delete it", source=str(path)) from None
    try:
        settings = settings_from_dict(stored)
    except UserError as exc:
        raise exc.with_source(str(path)) from None
    if settings.unknown_keys:
        log.info("%s: keeping keys this version does not use: %s", path, ", ".join(settings.unknown_keys))
    return settings


def save_settings(paths: DataPaths, settings: Settings) -> None:
    """Writes settings atomically (a crash leaves the old file or the new one, never half).

    Only values that differ from their default are written, so a later default applies to settings never changed.
    """
    if not isinstance(settings, Settings):
        raise TypeError(f"save_settings takes Settings, not {type(settings).__name__}")
    path = settings_path(paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(settings.to_file(), f, indent=2, sort_keys=True, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
