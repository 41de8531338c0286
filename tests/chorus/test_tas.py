"""The server process freezes what its loaded application holds (chorus/tas.py), so that the garbage collector's
full walks, which took 120 ms over those objects, skip them."""

import os
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]


def test_le_serveur_fige_l_application_chargee():
    programme = "import gc; avant = gc.get_freeze_count(); import chorus.wsgi; print(gc.get_freeze_count() - avant)"
    environnement = {**os.environ, "DJANGO_SETTINGS_MODULE": "chorus.settings.test"}
    sortie = subprocess.run(
        [sys.executable, "-c", programme], cwd=RACINE, env=environnement, capture_output=True, text=True, check=True
    )
    # Django, the apps and their URLconf: far more than a bare interpreter's objects
    assert int(sortie.stdout.split()[-1]) > 50_000
