"""A Celery worker whose clock steps as NTP would move it: its offset (seconds, possibly negative) is read from the
file named by HORLOGE_DECALAGE and applied to the whole process (time.time, datetime.now) with time-machine.

Usage: python -m tests.fiabilite.worker_horloge <celery arguments>"""

import os
import sys
import threading
import time
from pathlib import Path

import time_machine

FICHIER = Path(os.environ["HORLOGE_DECALAGE"])


def lire():
    try:
        return float(FICHIER.read_text() or 0)
    except (OSError, ValueError):
        return 0.0


def main():
    decalage = lire()
    voyage = time_machine.travel(time.time() + decalage, tick=True)
    coordonnees = voyage.start()

    def suivre():
        nonlocal decalage
        while True:
            nouveau = lire()
            if nouveau != decalage:
                coordonnees.shift(nouveau - decalage)
                decalage = nouveau
            time.sleep(0.05)  # time.sleep is not travelled: the polling keeps the real pace

    threading.Thread(target=suivre, daemon=True).start()
    from celery.__main__ import main as celery

    sys.argv = ["celery", *sys.argv[1:]]
    celery()


if __name__ == "__main__":
    main()
