"""The mail server a fault test drives: the file mailbox, behind two switches the test flips from outside the worker.

`<SMTP_COMMANDES>/panne` makes every send fail as an unreachable SMTP server does; `<SMTP_COMMANDES>/suspendu` holds
the send (the worker stays inside its task, before anything leaves) and writes `atteint`. Each send refused is
a line of `refus`, so a test can kill the
worker at that exact point."""

import os
import smtplib
import time
from pathlib import Path

from chorus.mail import BoiteFichiersBackend


class BoiteCommandee(BoiteFichiersBackend):
    def send_messages(self, email_messages):
        commandes = Path(os.environ["SMTP_COMMANDES"])
        while (commandes / "suspendu").exists():
            (commandes / "atteint").touch()
            time.sleep(0.05)
        if (commandes / "panne").exists():
            with (commandes / "refus").open("a") as refus:
                refus.write(f"{email_messages[0].to[0]}\n")
            raise smtplib.SMTPServerDisconnected("Serveur de courriel injoignable")
        return super().send_messages(email_messages)
