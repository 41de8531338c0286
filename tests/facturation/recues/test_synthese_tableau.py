"""« Synthèse » (row 54) with « Masquer les factures téléchargées » (row 58), and « Tableau de bord » (row 47)."""

import re

import pytest
from django.urls import reverse

from tests.conftest import connecter

pytestmark = pytest.mark.django_db

SYNTHESE = reverse("facturation:recues_synthese")
TABLEAU = reverse("facturation:recues_tableau_de_bord")
RECHERCHE = reverse("facturation:recues_rechercher")


@pytest.fixture
def factures(monde):
    monde.facture(numero="S-1")
    monde.facture(numero="S-2", telechargee=True)
    monde.facture(numero="S-3", statut="COMPLETEE", service=monde.achats)
    monde.facture(numero="S-4", statut="SERVICE_FAIT", service=monde.travaux)
    # not the recipient's to act on: with the validator, with the supplier, over
    monde.facture(numero="S-5", statut="A_VALIDER_1", cadre="A9", valideur_1=monde.autre_fournisseur)
    monde.facture(numero="S-6", statut="SUSPENDUE")
    monde.facture(numero="S-7", statut="MISE_EN_PAIEMENT")
    monde.facture(numero="S-8", statut="BROUILLON")


def groupes(reponse):
    return {(g.raison_sociale, g.service_code): dict(g.comptes) for g in reponse.context["groupes"]}


def test_synthese_par_structure_et_service(client_agent, factures):
    reponse = client_agent.get(SYNTHESE)
    assert groupes(reponse) == {
        ("Commune de Valbourg", ""): {"MISE_A_DISPOSITION": 2},
        ("Commune de Valbourg", "ACHATS"): {"COMPLETEE": 1},
        ("Commune de Valbourg", "TRAVAUX"): {"SERVICE_FAIT": 1},
    }
    contenu = reponse.content.decode()
    assert "Masquer les factures téléchargées" in contenu
    # each count opens the search filtered on its structure, service and status
    assert re.search(
        r'href="/factures/recues/rechercher/\?destinataire=\d+&amp;service=aucun&amp;'
        r'statut=MISE_A_DISPOSITION">2<',
        contenu,
    )


def test_synthese_masquer_les_factures_telechargees(client_agent, monde, factures):
    reponse = client_agent.get(SYNTHESE, {"masquer_telechargees": "1"})
    assert groupes(reponse)[("Commune de Valbourg", "")] == {"MISE_A_DISPOSITION": 1}
    contenu = reponse.content.decode()
    assert 'id="masquer_telechargees" name="masquer_telechargees" value="1" checked' in contenu
    lien = re.search(r'href="(/factures/recues/rechercher/\?[^"]*statut=MISE_A_DISPOSITION[^"]*)"', contenu).group(1)
    assert "telechargee=non" in lien
    assert [f.numero for f in client_agent.get(lien.replace("&amp;", "&")).context["page_obj"]] == ["S-1"]


def test_synthese_d_un_agent_de_service(client, monde, factures):
    connecter(client, monde.agent_achats)
    assert groupes(client.get(SYNTHESE)) == {("Commune de Valbourg", "ACHATS"): {"COMPLETEE": 1}}


def test_synthese_vide_pour_un_etranger(client, monde, factures):
    connecter(client, monde.etranger)
    reponse = client.get(SYNTHESE)
    assert reponse.context["groupes"] == []
    assert "Aucune facture n'attend d'action de votre part." in reponse.content.decode()
    assert "Commune de Valbourg" not in reponse.content.decode()


def test_tableau_de_bord_compte_par_statut_et_ouvre_la_liste(client_agent, factures):
    reponse = client_agent.get(TABLEAU)
    comptes = {statut: n for statut, _libelle, n in reponse.context["lignes"]}
    assert comptes["MISE_A_DISPOSITION"] == 2
    assert comptes["COMPLETEE"] == 1
    assert comptes["A_VALIDER_1"] == 1
    assert comptes["MISE_EN_PAIEMENT"] == 1
    assert comptes["REJETEE"] == 0  # the recipient's path is always listed
    assert "BROUILLON" not in comptes
    assert reponse.context["total"] == 7
    contenu = reponse.content.decode()
    assert f'href="{RECHERCHE}?statut=MISE_A_DISPOSITION">2<' in contenu
    liste = client_agent.get(RECHERCHE, {"statut": "MISE_A_DISPOSITION"})
    assert sorted(f.numero for f in liste.context["page_obj"]) == ["S-1", "S-2"]


def test_tableau_de_bord_d_un_etranger_a_zero(client, monde, factures):
    connecter(client, monde.etranger)
    reponse = client.get(TABLEAU)
    assert reponse.context["total"] == 0
    assert all(n == 0 for _s, _l, n in reponse.context["lignes"])
