"""The demo data set gives « Mes messages » something to show: its invoices and structures go through the real
services, which leave the messages; loading it twice adds none."""

import io

import pytest
from django.core.management import call_command

from communication.models import Notification
from organisation.models import Utilisateur

pytestmark = pytest.mark.django_db


def test_le_fournisseur_de_demonstration_a_des_messages():
    call_command("charger_matelas", stdout=io.StringIO())
    fanny = Utilisateur.objects.get(email="fournisseur@demo.chorus-pro.example")
    titres = set(Notification.objects.filter(destinataire=fanny).values_list("titre", flat=True))
    assert {
        "Facture DEMO-2026-003 suspendue",
        "Facture DEMO-2026-004 à recycler",
        "Facture DEMO-2026-005 rejetée",
        "Facture DEMO-2026-007 mise en paiement",
    } <= titres
    paul = Utilisateur.objects.get(email="entite.publique@demo.chorus-pro.example")
    assert Notification.objects.filter(destinataire=paul, titre__endswith="est validée").exists()
    avant = Notification.objects.count()
    call_command("charger_matelas", stdout=io.StringIO())
    assert Notification.objects.count() == avant
