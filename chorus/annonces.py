"""An event users hear of in « Mes messages », announced by an app that communication sits above.

organisation is below communication (communication's pages and messages name organisation's users), so its
services may not call `communication.services.notifier_evenement`: they announce the event here, and communication,
which connects its receiver at start (communication/apps.py), writes the messages. The signal is synchronous, so the
messages are written in the caller's transaction as a direct call would write them (a rolled-back change leaves no
message), and an error in them reaches the caller. The apps above communication call notifier_evenement directly.
"""

from django.dispatch import Signal

evenement_annonce = Signal()


def annoncer(*, gabarit, destinataires, contexte):
    """The message of the mail `gabarit` for `destinataires` (communication/regles/evenements.csv)."""
    evenement_annonce.send(sender=None, gabarit=gabarit, destinataires=destinataires, contexte=contexte)
