"""E2 « mixte » flux (`IN_DP_E2_*_MIN`): minimal data (the Factur-X MINIMUM profile: parties, number, date, type,
currency, totals, order reference) and the invoice's PDF, embedded in the XML. On a real MINIMUM invoice of the FNFE
examples with its own PDF: the minimal data becomes the invoice the recipient sees, the PDF its readable copy."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from facturation.formats.detection import xml_du_pdf
from facturation.models import Facture
from organisation.enums import Application, Niveau
from tests.conftest import connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.televersement.conftest import corpus_octets, structure
from tests.raccordement.flux_donnees import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE
from tests.raccordement.test_api_flux_syntaxes import cii_avec_pdf, deposer
from tests.raccordement.test_api_socle import Integrateur

pytestmark = pytest.mark.django_db

FNFE_MINIMUM = "files/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf"


def _telecharge(reponse):
    return b"".join(reponse.streaming_content) if reponse.streaming else reponse.content


def test_e2_cii_minimum_reel_et_son_pdf(client, django_capture_on_commit_callbacks):
    # the FNFE example: its Factur-X MINIMUM data and the PDF of the same invoice
    pdf = corpus_octets(FNFE_MINIMUM)
    _, xml_minimum = xml_du_pdf(pdf)
    vendeur = structure(SIRET_VENDEUR_FNFE, "Au bon moulin")
    acheteur = structure(SIRET_ACHETEUR_FNFE, "Ma jolie boutique", est_publique=True)
    fournisseur = Integrateur(structure=vendeur)

    flux, detaille = deposer(
        client,
        fournisseur,
        cii_avec_pdf(xml_minimum, pdf),
        "FA-2017-0010.xml",
        "IN_DP_E2_CII_MIN_16B",
        django_capture_on_commit_callbacks,
    )
    erreurs = [e["libelleErreurDP"] for e in detaille["listeErreurDP"]]
    assert detaille["etatCourantDepotFlux"] == "IN_INTEGRE", erreurs

    # the minimal data is the invoice
    facture = Facture.objects.get(numero="FA-2017-0010")
    assert (facture.fournisseur, facture.destinataire) == (vendeur, acheteur)
    assert (facture.date_facture, facture.type_facture, facture.devise) == (date(2017, 11, 13), "FACTURE", "EUR")
    assert facture.numero_engagement == "PO445"  # BT-13
    assert (facture.total_ht, facture.total_tva, facture.total_ttc, facture.net_a_payer) == (
        Decimal("624.90"),
        Decimal("46.25"),
        Decimal("671.15"),
        Decimal("470.15"),
    )
    # the PDF sent with it is the invoice's readable copy; the stored XML is the data, without the PDF in it
    assert facture.fichier_pdf.read() == pdf
    donnees = facture.fichier_xml.read()
    assert b"FA-2017-0010" in donnees and b"AttachmentBinaryObject" not in donnees
    assert len(donnees) < len(pdf)

    # what the recipient sees: the invoice, and the supplier's PDF as the file to download
    agent = UtilisateurFactory()
    rattacher(agent, acheteur, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
    connecter(client, agent)
    page = client.get(reverse("facturation:recues_consulter", args=[facture.pk]))
    assert page.status_code == 200
    contenu = page.content.decode()
    assert "FA-2017-0010" in contenu and "Télécharger la facture (PDF)" in contenu
    telecharge = client.get(reverse("facturation:recues_telecharger", args=[facture.pk, "pdf"]))
    assert telecharge.status_code == 200 and _telecharge(telecharge) == pdf
