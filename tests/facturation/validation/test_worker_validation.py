"""The 15-day rule in production: a real Celery worker with beat forwards the invoices left unanswered."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from facturation.models import Facture
from tests.conftest import connecter
from tests.facturation.validation.conftest import Circuit
from tests.test_worker import attendre, worker  # noqa: F401 (the worker fixture)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_le_beat_transmet_une_facture_hors_delai(worker, client):  # noqa: F811
    circuit = Circuit()
    en_retard = circuit.facture(numero="HD-16")
    a_l_heure = circuit.facture(numero="HD-14")
    # clocks moved back: submitted to the validator 16 and 14 days ago
    Facture.objects.filter(pk=en_retard.pk).update(statut_depuis=timezone.now() - timedelta(days=16))
    Facture.objects.filter(pk=a_l_heure.pk).update(statut_depuis=timezone.now() - timedelta(days=14))

    assert attendre(lambda: Facture.objects.get(pk=en_retard.pk).statut == "MISE_A_DISPOSITION", delai=120)
    connecter(client, circuit.valideur)
    page = client.get(reverse("facturation:validation_facture", args=[en_retard.pk])).content.decode()
    historique = page.split('id="facture-historique"')[1]
    assert "Validation 1 hors délai" in historique
    assert historique.index("Validation 1 hors délai") < historique.index("Mise à disposition du destinataire")
    assert Facture.objects.get(pk=en_retard.pk).date_validation_1 is not None

    attendre(lambda: False, delai=5)  # a few more beats
    assert Facture.objects.get(pk=a_l_heure.pk).statut == "A_VALIDER_1"
