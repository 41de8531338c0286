from pathlib import Path

import pytest

from tests.facturation.formats.emplacement import CORPUS


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"corpus d'acceptation absent ({CORPUS})")
    return CORPUS
