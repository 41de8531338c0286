"""« Traiter » (rows 55–57): the allowed targets from the status table, the motif for a suspension or a rejection and
the comment beside it, the mandate number for « Mandatée », the steering notice, and who may do it."""

import pytest
from django.urls import reverse

from facturation.models import FactureHistorique
from tests.conftest import connecter

pytestmark = pytest.mark.django_db


def url_traiter(facture):
    return reverse("facturation:recues_traiter", args=[facture.pk])


def url_consulter(facture):
    return reverse("facturation:recues_consulter", args=[facture.pk])


def historique(facture):
    return list(
        FactureHistorique.objects.filter(facture=facture)
        .exclude(action="deposer")
        .values_list("vers_statut", "motif", "commentaire")
    )


@pytest.mark.parametrize(
    ("depart", "cible", "donnees", "motif", "commentaire"),
    [
        ("MISE_A_DISPOSITION", "SERVICE_FAIT", {}, "", ""),
        ("MISE_A_DISPOSITION", "A_RECYCLER", {"commentaire": "Mauvais code service"}, "", "Mauvais code service"),
        (
            "MISE_A_DISPOSITION",
            "SUSPENDUE",
            {"motif": "Pièce justificative manquante"},
            "Pièce justificative manquante",
            "",
        ),
        (
            "MISE_A_DISPOSITION",
            "REJETEE",
            {"motif": "Facture en double", "commentaire": "  Déjà reçue le 3 mars "},
            "Facture en double",
            "Déjà reçue le 3 mars",
        ),
        ("MISE_A_DISPOSITION", "MISE_A_DISPOSITION_COMPTABLE", {}, "", ""),
        ("MISE_A_DISPOSITION", "COMPTABILISEE", {}, "", ""),
        (
            "MISE_A_DISPOSITION",
            "MISE_EN_PAIEMENT",
            {"commentaire": "Paiement sous 30 jours"},
            "",
            "Paiement sous 30 jours",
        ),
        ("SERVICE_FAIT", "MANDATEE", {"numero_mandat": "DP-2026-42"}, "", ""),
        ("COMPLETEE", "SERVICE_FAIT", {}, "", ""),
        ("SUSPENDUE", "MISE_A_DISPOSITION", {}, "", ""),
        ("MANDATEE", "MISE_A_DISPOSITION_COMPTABLE", {}, "", ""),
        ("COMPTABILISEE", "MISE_EN_PAIEMENT", {}, "", ""),
    ],
)
def test_traiter_vers_chaque_statut_permis(client_agent, monde, depart, cible, donnees, motif, commentaire):
    facture = monde.facture(statut=depart)
    reponse = client_agent.post(url_traiter(facture), {"statut_cible": cible, **donnees}, follow=True)
    assert reponse.redirect_chain == [(url_consulter(facture), 302)]
    facture.refresh_from_db()
    assert facture.statut == cible
    assert historique(facture) == [(cible, motif, commentaire)]
    libelle = reponse.context["facture"].get_statut_display()
    assert f"La facture n° {facture.numero} est passée au statut « {libelle} »." in reponse.content.decode()
    if cible == "MANDATEE":
        assert facture.numero_mandat == "DP-2026-42"


def test_le_formulaire_propose_les_cibles_du_statut_courant_et_oriente(client_agent, monde):
    facture = monde.facture(statut="MISE_A_DISPOSITION")
    contenu = client_agent.get(url_consulter(facture)).content.decode()
    for valeur in [
        "SERVICE_FAIT",
        "MANDATEE",
        "MISE_A_DISPOSITION_COMPTABLE",
        "COMPTABILISEE",
        "MISE_EN_PAIEMENT",
        "A_RECYCLER",
        "SUSPENDUE",
        "REJETEE",
    ]:
        assert f'name="statut_cible" value="{valeur}"' in contenu
    assert 'value="MISE_A_DISPOSITION"' not in contenu
    assert "choisissez « À recycler »" in contenu
    assert "Pièce justificative manquante : choisissez « Suspendue »" in contenu
    assert "« Rejetée » seulement en dernier recours" in contenu
    # the motif lists of motifs_traitement.csv
    assert '<optgroup label="Motifs de suspension">' in contenu and '<option value="Montant erroné">' in contenu

    mandatee = monde.facture(statut="MANDATEE")
    contenu = client_agent.get(url_consulter(mandatee)).content.decode()
    assert 'value="SERVICE_FAIT"' not in contenu and 'name="statut_cible" value="COMPTABILISEE"' in contenu
    assert 'id="id_numero_mandat"' not in contenu


@pytest.mark.parametrize(("cible", "libelle"), [("SUSPENDUE", "Suspendue"), ("REJETEE", "Rejetée")])
def test_motif_obligatoire_pour_suspendre_ou_rejeter(client_agent, monde, cible, libelle):
    facture = monde.facture()
    # a comment does not replace the motif
    reponse = client_agent.post(url_traiter(facture), {"statut_cible": cible, "commentaire": "Voir courrier"})
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert 'id="resume-erreurs"' in contenu
    assert f"Motif : Le motif est obligatoire pour passer la facture au statut « {libelle} »." in contenu
    assert 'href="#id_motif"' in contenu
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION" and historique(facture) == []


def test_motif_de_la_mauvaise_liste_ou_autre_sans_precision(client_agent, monde):
    facture = monde.facture()
    contenu = client_agent.post(
        url_traiter(facture), {"statut_cible": "REJETEE", "motif": "Pièce justificative manquante"}
    ).content.decode()
    assert (
        "Ce motif ne convient pas au statut « Rejetée » : choisissez-en un de la liste « Motifs de rejet »." in contenu
    )
    contenu = client_agent.post(url_traiter(facture), {"statut_cible": "SUSPENDUE", "motif": "Autre"}).content.decode()
    assert "Commentaire : Précisez le motif « Autre » dans le commentaire." in contenu
    contenu = client_agent.post(
        url_traiter(facture), {"statut_cible": "SUSPENDUE", "motif": "Inventé"}
    ).content.decode()
    assert "Motif : Choisissez un motif de la liste." in contenu
    assert historique(facture) == []


def test_mandatee_exige_le_numero_de_mandat(client_agent, monde):
    facture = monde.facture(statut="SERVICE_FAIT")
    reponse = client_agent.post(url_traiter(facture), {"statut_cible": "MANDATEE"})
    assert reponse.status_code == 400
    assert "Numéro de mandat : Le numéro de mandat est obligatoire." in reponse.content.decode()
    facture.refresh_from_db()
    assert facture.statut == "SERVICE_FAIT"


def test_statut_manquant(client_agent, monde):
    facture = monde.facture()
    contenu = client_agent.post(url_traiter(facture), {}).content.decode()
    assert 'href="#id_statut_cible_0">Nouveau statut : Choisissez le nouveau statut de la facture.</a>' in contenu


def test_statut_non_permis_refuse(client_agent, monde):
    facture = monde.facture(statut="MANDATEE")
    for cible in ["SERVICE_FAIT", "SUSPENDUE", "BROUILLON", "VALIDEE_1"]:
        reponse = client_agent.post(url_traiter(facture), {"statut_cible": cible, "motif": "Autre"})
        assert reponse.status_code == 400
        assert "Nouveau statut : Ce statut n&#x27;est pas possible pour cette facture." in reponse.content.decode()
    facture.refresh_from_db()
    assert facture.statut == "MANDATEE" and historique(facture) == []


def test_facture_finale_ou_chez_le_valideur_sans_traitement(client_agent, monde):
    for statut in ["REJETEE", "MISE_EN_PAIEMENT", "A_VALIDER_1"]:
        facture = monde.facture(statut=statut, valideur_1=monde.autre_fournisseur)
        contenu = client_agent.get(url_consulter(facture)).content.decode()
        assert 'id="form-traiter"' not in contenu
        assert client_agent.post(url_traiter(facture), {"statut_cible": "SERVICE_FAIT"}).status_code == 403
    assert "La facture attend la validation de Plâtrerie Lemaire" in contenu


def test_consultation_seule_voit_mais_ne_traite_pas(client, monde):
    facture = monde.facture()
    connecter(client, monde.lecteur)
    contenu = client.get(url_consulter(facture)).content.decode()
    assert f"Facture n° {facture.numero}" in contenu
    assert 'id="form-traiter"' not in contenu
    assert client.post(url_traiter(facture), {"statut_cible": "SERVICE_FAIT"}).status_code == 403
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION"


def test_agent_d_un_service_traite_son_service_seulement(client, monde):
    achats = monde.facture(service=monde.achats)
    travaux = monde.facture_travaux()
    connecter(client, monde.agent_achats)
    assert client.post(url_traiter(achats), {"statut_cible": "SERVICE_FAIT"}).status_code == 302
    assert client.post(url_traiter(travaux), {"statut_cible": "SERVICE_FAIT"}).status_code == 404
    travaux.refresh_from_db()
    assert travaux.statut == "MISE_A_DISPOSITION"


def test_un_etranger_recoit_404(client, monde):
    facture = monde.facture()
    for user in (monde.etranger, monde.agent_fournisseur):
        connecter(client, user)
        assert client.post(url_traiter(facture), {"statut_cible": "SERVICE_FAIT"}).status_code == 404
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION"


def test_traiter_refuse_le_get(client_agent, monde):
    assert client_agent.get(url_traiter(monde.facture())).status_code == 405


def test_motif_et_commentaire_separes_dans_l_historique_de_la_page(client_agent, monde):
    facture = monde.facture()
    precision = "Le montant HT ne correspond pas au bon de commande n° 2026-118 signé le 3 mars. " * 5
    reponse = client_agent.post(
        url_traiter(facture),
        {"statut_cible": "SUSPENDUE", "motif": "Autre", "commentaire": precision},
        follow=True,
    )
    assert reponse.status_code == 200
    # the motif keeps the list's words, the comment comes whole beside it: no 255-character limit on the two together
    assert historique(facture) == [("SUSPENDUE", "Autre", precision.strip())]
    ligne = reponse.content.decode().split('id="facture-historique"')[1].split("</table>")[0]
    assert "<td>Autre" in ligne and precision.strip() in ligne


def test_un_commentaire_trop_long_est_refuse(client_agent, monde):
    facture = monde.facture()
    reponse = client_agent.post(
        url_traiter(facture), {"statut_cible": "SUSPENDUE", "motif": "Autre", "commentaire": "x" * 1001}
    )
    assert reponse.status_code == 400
    assert "Commentaire : Le commentaire ne doit pas dépasser 1000 caractères." in reponse.content.decode()
    assert historique(facture) == []
