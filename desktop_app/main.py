"""The `viva` command: with a sub-command it runs the command line (desktop_app.cli); without one it opens the GUI.

This is the only module that knows both, so neither the command line nor the GUI imports the other.
"""

from __future__ import annotations

from collections.abc import Sequence


def open_gui(data_dir: str | None) -> int:
    """Opens the main window on `data_dir` (or the default data folder) until it closes."""
    from desktop_app.app import run_gui

    return run_gui(data_dir=data_dir)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `viva` command."""
    from desktop_app.cli import main as cli_main

    return cli_main(argv, open_gui=open_gui)


if __name__ == "__main__":
    raise SystemExit(main())
