"""Ce qu'on lit dans le texte d'un PDF non structuré, par mots-clés comme l'OCR de Chorus Pro (ligne 31)."""

import datetime

import pytest

from facturation.formats.erreurs import FormatInvalide
from facturation.formats.pdf_texte import extraire_texte, lire_donnees
from tests.facturation.televersement.pdf import pdf_texte


def test_mots_cles_usuels():
    donnees = lire_donnees(
        "SARL Dupont — SIRET : 999 999 998 00010\n"
        "N° de facture : 2026/0042\n"
        "Date d'émission : 3/2/2026\n"
        "SIRET du client : 787 878 784 00035\n"
        "EJ : 1300012345\n"
        "Marché n° 2025-M-07\n"
        "Net à payer : 1 200,00 EUR"
    )
    assert donnees.numero == "2026/0042"
    assert donnees.date_facture == datetime.date(2026, 2, 3)
    assert donnees.siret_client == "78787878400035"
    assert donnees.sirets == ("99999999800010",)
    assert (donnees.numero_engagement, donnees.numero_marche, donnees.devise) == ("1300012345", "2025-M-07", "EUR")


def test_bon_de_commande_vaut_engagement():
    assert lire_donnees("Bon de commande n° BC-778\nFacture N° F1").numero_engagement == "BC-778"


def test_rien_d_invente_quand_rien_n_est_lu():
    donnees = lire_donnees("Merci de votre confiance.")
    lu = (donnees.numero, donnees.date_facture, donnees.siret_client, donnees.numero_engagement)
    assert lu == ("", None, "", "")


def test_texte_d_un_vrai_pdf():
    assert "Facture n° A-1" in extraire_texte(pdf_texte(["Facture n° A-1"]))


def test_pdf_illisible():
    with pytest.raises(FormatInvalide, match="illisible"):
        extraire_texte(b"%PDF-1.7\n garbage")
