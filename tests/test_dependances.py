"""One list of dependencies: requirements.in's ranges, which pyproject.toml reads (deptry checks the imports against
it), and requirements.lock pins every one of them within its range (`make install` installs the lock alone)."""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

RACINE = Path(__file__).resolve().parents[1]


def _lignes(nom):
    for ligne in (RACINE / nom).read_text(encoding="utf-8").splitlines():
        ligne = ligne.split("#", 1)[0].strip()
        if ligne:
            yield ligne


def test_pyproject_lit_ses_dependances_dans_requirements_in():
    projet = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))
    assert "dependencies" not in projet["project"]
    assert "dependencies" in projet["project"]["dynamic"]
    assert projet["tool"]["setuptools"]["dynamic"]["dependencies"] == {"file": ["requirements.in"]}


def test_le_lock_fige_chaque_dependance_dans_sa_plage():
    figees = {}
    for ligne in _lignes("requirements.lock"):
        nom, version = ligne.split("==")
        figees[canonicalize_name(nom)] = version
    for ligne in _lignes("requirements.in"):
        exigence = Requirement(ligne)
        version = figees.get(canonicalize_name(exigence.name))
        assert version, f"{exigence.name} absent de requirements.lock"
        assert exigence.specifier.contains(version, prereleases=True), (ligne, version)
