"""The file mailbox: every message sent is written as one .eml file, so a person can read mails without SMTP."""

import email
import email.policy
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class BoiteFichiersBackend(BaseEmailBackend):
    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = Path(dossier or settings.MAIL_DIR)

    def send_messages(self, email_messages):
        self.dossier.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            horodatage = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            chemin = self.dossier / f"{horodatage}-{uuid.uuid4().hex[:8]}.eml"
            temporaire = chemin.with_suffix(".tmp")
            temporaire.write_bytes(message.message().as_bytes())
            temporaire.rename(chemin)  # a reader never sees half a message
        return len(email_messages)


@dataclass(frozen=True)
class MessageRecu:
    identifiant: str
    date: datetime
    expediteur: str
    destinataires: str
    objet: str
    corps: str


def lire_boite(dossier=None, limite=100):
    """The messages of the file mailbox, newest first."""
    dossier = Path(dossier or settings.MAIL_DIR)
    if not dossier.is_dir():
        return []
    messages = []
    for chemin in sorted(dossier.glob("*.eml"), reverse=True)[:limite]:
        brut = email.message_from_bytes(chemin.read_bytes(), policy=email.policy.default)
        partie = brut.get_body(preferencelist=("plain",))
        messages.append(
            MessageRecu(
                identifiant=chemin.stem,
                date=parsedate_to_datetime(brut["Date"]),
                expediteur=str(brut["From"]),
                destinataires=str(brut["To"]),
                objet=str(brut["Subject"]),
                corps=partie.get_content() if partie else "",
            )
        )
    return messages
