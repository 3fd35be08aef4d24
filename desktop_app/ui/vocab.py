"""Words the GUI shows before the domain modules are loaded: presets, pipeline standings, enum choices."""

from __future__ import annotations

PRESETS = {"hiring": "Hiring", "training": "Training", "mock_interview": "Mock interview"}

# Participant standing in a pipeline: label and whether it needs a human now.
STATES = {
    "not_started": ("Not started", False),
    "scheduled": ("Scheduled", False),
    "in_progress": ("In progress", False),
    "awaiting_scoring": ("Awaiting scoring", False),
    "awaiting_approval": ("Awaiting approval", True),
    "passed": ("Passed", False),
    "not_passed": ("Did not pass", False),
    "rejected": ("Rejected", False),
    "failed": ("Interrupted", False),
    "cancelled": ("Cancelled", False),
    "finished": ("Finished pipeline", False),
}


def enum_choices(name: str) -> list[tuple[str, str]]:
    """(label, value) for a core.models enum by name; imports the domain models (call it on the worker)."""
    from desktop_app.core import models
    from desktop_app.ui.widgets import enum_items

    return enum_items(getattr(models, name))
