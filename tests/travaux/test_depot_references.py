"""The works deposit form reads French amounts and asks for the engagement the recipient requires (issue #12)."""

import html

import pytest

from facturation.models import Facture
from tests.conftest import connecter
from tests.travaux.test_page_depot import URL, donnees_a4

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("ht", "tva", "ttc"),
    [
        ("18 500,00", "3 700,00", "22 200,00"),
        ("18500,00", "3700,00", "22200,00"),
        ("18500.00", "3700.00", "22200.00"),
        ("18\u00a0500,00", "3\u202f700,00", "22200"),
    ],
)
def test_les_montants_se_saisissent_a_la_francaise(client, chantier, ht, tva, ttc):
    connecter(client, chantier.u_fournisseur)
    reponse = client.post(URL, donnees_a4(chantier, montant_ht=ht, montant_tva=tva, montant_ttc=ttc, net_a_payer=ttc))
    assert reponse.status_code == 302, html.unescape(reponse.content.decode())
    facture = Facture.objects.get(numero="PDM-001")
    assert (facture.total_ht, facture.total_tva, facture.total_ttc) == (18500, 3700, 22200)


def test_un_montant_illisible_est_refuse_en_nommant_le_champ(client, chantier):
    connecter(client, chantier.u_fournisseur)
    reponse = client.post(URL, donnees_a4(chantier, montant_ht="dix mille"))
    assert reponse.status_code == 200
    assert "Le champ « Montant HT » doit être un montant, par exemple 1250,50." in html.unescape(
        reponse.content.decode()
    )


def test_l_engagement_exige_par_le_service_est_demande_et_transmis(client, chantier):
    chantier.service_moa.engagement_obligatoire = True
    chantier.service_moa.save()
    connecter(client, chantier.u_fournisseur)
    refus = html.unescape(client.post(URL, donnees_a4(chantier)).content.decode())
    assert "Numéro d'engagement : Le numéro d'engagement est obligatoire pour le service « TRAVAUX »" in refus
    # once the MOA is known, the field says why it is required instead of « Obligatoire si … »
    assert "Obligatoire si la maîtrise d'ouvrage" not in refus

    reponse = client.post(URL, donnees_a4(chantier, numero_engagement="EJ-77"))
    assert reponse.status_code == 302
    assert Facture.objects.get(numero="PDM-001").numero_engagement == "EJ-77"


def test_le_code_service_exige_par_la_moa_est_annonce(client, chantier):
    chantier.moa.code_service_obligatoire = True
    chantier.moa.save()
    connecter(client, chantier.u_fournisseur)
    page = html.unescape(client.post(URL, donnees_a4(chantier, service_moa="")).content.decode())
    assert "Le code service est obligatoire pour le destinataire" in page
    debut = page.index('id="id_service_moa"')
    assert "required" in page[page.rindex("<input", 0, debut) : page.index(">", debut)]
    assert "Obligatoire si la structure l'exige" not in page
