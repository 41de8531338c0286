"""The demo invoices print their parties' (fictitious) postal addresses and the payment mentions."""

import io

import pytest
from django.core.management import call_command

from facturation.formats.pdf_texte import extraire_texte
from facturation.models import Facture

pytestmark = pytest.mark.django_db


def test_le_pdf_de_demonstration_porte_les_adresses_et_les_mentions(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("charger_matelas", stdout=io.StringIO())
    facture = Facture.objects.get(numero="DEMO-2026-001")
    assert (facture.fournisseur_adresse, facture.fournisseur_ville) == ("12 rue des Artisans", "Démoville")
    assert facture.destinataire_adresse == "1 place de la Mairie"
    texte = " ".join(extraire_texte(facture.fichier_pdf.read()).split())
    for attendu in ("12 rue des Artisans", "00100 Démoville", "1 place de la Mairie", "Hôtel de ville", "40 €"):
        assert attendu in texte, attendu
