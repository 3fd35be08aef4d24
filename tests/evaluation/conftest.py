"""The embedded instruct model for scoring tests: the shared session fixture, loaded once per run."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def scoring_llm(instruct_llm):
    """The model the scorer uses by default (the embedded instruct model)."""
    return instruct_llm
