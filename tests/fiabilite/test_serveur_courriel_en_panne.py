"""Fault 9: the mail server is down for an hour. The mails wait in the outbox (nothing lost, nothing half-sent), and
once it is back they leave once each, in the order they were written to each address."""

import re
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F

from chorus.courriels import courriel_programmer
from chorus.models import Courriel
from tests.factories import UtilisateurFactory
from tests.fiabilite.conftest import attendre
from tests.fiabilite.livres import verifier_livres

pytestmark = pytest.mark.django_db(transaction=True)

ADRESSES = ("agent@valbourg.fr", "compta@fournisseur.fr")


def programmer(rang, adresse):
    personne = UtilisateurFactory.build(prenom=f"Rang{rang:02d}", nom="Ordre")
    with transaction.atomic():
        courriel_programmer(
            gabarit="organisation/email/tentative_connexion", destinataire=adresse, contexte={"utilisateur": personne}
        )


def rangs(messages, adresse):
    return [int(re.search(r"Rang(\d+)", m.corps).group(1)) for m in messages if m.destinataires == adresse]


def test_les_courriels_attendent_le_serveur_et_partent_dans_l_ordre(systeme):
    systeme.smtp("panne")
    systeme.demarrer("worker", concurrence=2)
    for rang in range(12):
        programmer(rang, ADRESSES[rang % 3 == 0])
    # the tasks try, fail and retry while the server is down
    refus = systeme.commandes / "refus"
    assert attendre(lambda: refus.exists() and len(refus.read_text().splitlines()) >= 12)
    assert systeme.courriels() == []
    assert Courriel.objects.filter(envoye_le__isnull=True).count() == 12

    # an hour later: the tasks have given up, the sweeper is what is left
    Courriel.objects.update(cree_le=F("cree_le") - timedelta(hours=1))
    systeme.smtp("marche")
    assert attendre(lambda: not Courriel.objects.filter(envoye_le__isnull=True).exists())
    time.sleep(2)

    messages = systeme.courriels()
    for adresse in ADRESSES:
        attendus = [r for r in range(12) if ADRESSES[r % 3 == 0] == adresse]
        assert rangs(messages, adresse) == attendus, adresse
    verifier_livres("serveur de courriel en panne", boite=systeme.boite, courriels_attendus=12)
