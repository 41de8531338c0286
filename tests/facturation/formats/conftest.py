from pathlib import Path

import pytest

from tests.conftest import CORPUS, partage_requis


@pytest.fixture
def corpus() -> Path:
    partage_requis(CORPUS / "MANIFEST.tsv")
    return CORPUS
