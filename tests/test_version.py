"""One version source: VERSION, shown by the portal; pyproject.toml reads it, the changelog and the release notes
name it as their latest version."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

from support.notes import NOTES_DE_VERSION

RACINE = Path(__file__).resolve().parents[1]


def test_pyproject_lit_sa_version_dans_le_fichier_version():
    projet = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in projet["project"]
    assert "version" in projet["project"]["dynamic"]
    assert projet["tool"]["setuptools"]["dynamic"]["version"] == {"file": "VERSION"}


def test_le_changelog_et_les_notes_de_version_suivent_le_fichier_version():
    version = (RACINE / "VERSION").read_text().strip()
    assert version == settings.VERSION
    publiees = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", (RACINE / "CHANGELOG.md").read_text(), re.M)
    assert publiees[0] == version == NOTES_DE_VERSION[0]["version"]
    assert publiees == [note["version"] for note in NOTES_DE_VERSION]
