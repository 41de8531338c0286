"""A portal process that dies (SIGKILL) right after a status change commits, before its after-commit work runs
(the lifecycle message, the mail's task). Usage: python -m tests.fiabilite.agent_tue <facture> <agent> <statut>"""

import os
import signal
import sys

import django


def main():
    django.setup()
    from django.db import transaction

    from facturation.models import Facture
    from facturation.services.traitement import facture_traiter
    from organisation.models import Utilisateur

    facture_pk, agent_pk, statut = sys.argv[1:4]
    with transaction.atomic():
        # registered first, so it runs first once committed: nothing registered after it runs
        transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
        facture_traiter(
            facture=Facture.objects.get(pk=facture_pk),
            par=Utilisateur.objects.get(pk=agent_pk),
            statut_cible=statut,
            motif="Facture en double",
        )


if __name__ == "__main__":
    main()
