"""Regenerates the spoken digits of the audio CAPTCHA (run once; the WAV files are committed, so the portal needs
no speech synthesiser): apt-get install espeak-ng, then `.venv/bin/python chorus/sons_captcha/generer.py`.

Each digit is spoken in French by espeak-ng (voice "fr", 120 words a minute), then resampled to 8 kHz mono 16 bits
(telephone quality: enough for one digit, a few KB each)."""

import audioop  # Python 3.12 still has it; this script runs once, not in the portal
import subprocess
import tempfile
import wave
from pathlib import Path

DOSSIER = Path(__file__).resolve().parent
TAUX = 8000

for chiffre in "0123456789":
    with tempfile.NamedTemporaryFile(suffix=".wav") as brut:
        # a one-off developer script: espeak-ng from PATH, an argument list, no shell
        subprocess.run(["espeak-ng", "-v", "fr", "-s", "120", "-w", brut.name, chiffre], check=True)  # noqa: S603, S607
        with wave.open(brut.name, "rb") as source:
            params = source.getparams()
            trames = source.readframes(params.nframes)
    trames, _ = audioop.ratecv(trames, params.sampwidth, params.nchannels, params.framerate, TAUX, None)
    with wave.open(str(DOSSIER / f"{chiffre}.wav"), "wb") as cible:
        cible.setnchannels(1)
        cible.setsampwidth(2)
        cible.setframerate(TAUX)
        cible.writeframes(trames)
