"""Where Viva keeps its files: the data folder, model folders and caches."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "viva"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESOURCES_DIR = PROJECT_ROOT / "resources"


def default_data_dir() -> Path:
    """The data folder: VIVA_DATA_DIR if set, else the platform's user-data folder."""
    env = os.environ.get("VIVA_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    """All paths under one data folder."""

    root: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike | None = None) -> DataPaths:
        """From an explicit folder (--data-dir) or the default."""
        root = Path(data_dir).expanduser().resolve() if data_dir else default_data_dir()
        return cls(root)

    @property
    def database(self) -> Path:
        return self.root / "viva.sqlite3"

    @property
    def audio(self) -> Path:
        return self.root / "audio"

    def session_audio(self, session_id: str) -> Path:
        """Folder holding one session's recordings."""
        return self.audio / session_id

    @property
    def resumes(self) -> Path:
        return self.root / "resumes"

    @property
    def models(self) -> Path:
        """The user's own `local_models` folder."""
        return self.root / "local_models"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def backups(self) -> Path:
        """Backup zips of the database and files (store/backups.py)."""
        return self.root / "backups"

    def model_search_dirs(self) -> list[Path]:
        """Folders searched for models: the project's local_models/ then the user's."""
        return [PROJECT_ROOT / "local_models", self.models]

    def ensure(self) -> None:
        """Creates the folders."""
        for p in (self.root, self.audio, self.resumes, self.models, self.cache, self.exports,
                  self.backups):
            p.mkdir(parents=True, exist_ok=True)


def fsync_dir(folder: Path) -> None:
    """Makes a folder's entries (a file just created or renamed in it) survive a crash; best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
