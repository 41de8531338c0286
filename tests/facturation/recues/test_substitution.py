"""The recipient steps in for its valideur délégué (chorus-pro-features.md row 63, « The recipient can step in at any
time »): « Valider » or « Refuser » a delegated invoice awaiting its delegate, from the consult page. An A9/A12
invoice awaiting the titulaire or the mandataire is not the recipient's to decide."""

import pytest
from django.urls import reverse

from facturation.enums import DroitDelegation
from facturation.models import DelegationFactures, FactureHistorique
from tests.conftest import connecter
from tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def url(nom, facture):
    return reverse(f"facturation:recues_{nom}", args=[facture.pk])


def deleguee(monde, droit=DroitDelegation.VALIDATION, **champs):
    """An A1 invoice submitted to the recipient's delegate, as the deposit routes it."""
    delegue = StructureFactory(raison_sociale="Cabinet Délégué")
    delegation = DelegationFactures.objects.create(delegant=monde.destinataire, delegue=delegue, droit=droit)
    return monde.facture(statut="A_VALIDER_1", valideur_1=delegue, delegation=delegation, **champs)


def lignes(facture):
    return list(
        FactureHistorique.objects.filter(facture=facture)
        .exclude(action="deposer")
        .order_by("le", "pk")
        .values_list("de_statut", "vers_statut", "par", "motif", "commentaire")
    )


@pytest.mark.parametrize("droit", [DroitDelegation.VALIDATION, DroitDelegation.TRAITEMENT])
def test_le_destinataire_valide_a_la_place_du_delegue(client_agent, monde, droit):
    facture = deleguee(monde, droit)
    contenu = client_agent.get(url("consulter", facture)).content.decode()
    assert "La facture attend la décision de votre valideur délégué, Cabinet Délégué" in contenu
    assert "Vous pouvez vous substituer à lui à tout moment" in contenu
    assert 'id="form-valider"' in contenu and 'id="form-refuser"' in contenu
    assert 'id="form-traiter"' not in contenu

    reponse = client_agent.post(url("valider", facture), {"valider-commentaire": "Prestation vérifiée"}, follow=True)
    assert reponse.redirect_chain == [(url("consulter", facture), 302)]
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION" and facture.date_validation_1 is not None
    assert lignes(facture) == [
        ("A_VALIDER_1", "VALIDEE_1", monde.agent.pk, "", "Prestation vérifiée"),
        ("VALIDEE_1", "MISE_A_DISPOSITION", None, "", ""),
    ]
    contenu = reponse.content.decode()
    assert (
        f"La facture n° {facture.numero} est validée à la place du valideur délégué : elle a le statut "
        "« Mise à disposition du destinataire »." in contenu
    )
    # now the recipient's own invoice to process; the substitution is over
    assert 'id="form-traiter"' in contenu and 'id="form-valider"' not in contenu
    historique = contenu.split('id="facture-historique"')[1]
    assert "Validée par le premier valideur" in historique and "Prestation vérifiée" in historique
    assert f"{monde.agent.prenom} {monde.agent.nom}" in historique


def test_le_destinataire_refuse_avec_un_motif(client_agent, monde):
    facture = deleguee(monde)
    reponse = client_agent.post(url("refuser", facture), {"refuser-commentaire": "Voir le courrier"})
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert 'id="resume-erreurs"' in contenu
    assert 'href="#id_refuser-motif">Motif du refus : Saisissez le motif du refus' in contenu
    facture.refresh_from_db()
    assert facture.statut == "A_VALIDER_1" and lignes(facture) == []

    reponse = client_agent.post(
        url("refuser", facture),
        {"refuser-motif": "Prestation non commandée", "refuser-commentaire": "Aucun bon de commande"},
        follow=True,
    )
    assert reponse.redirect_chain == [(url("consulter", facture), 302)]
    facture.refresh_from_db()
    assert facture.statut == "REFUSEE_1"
    assert lignes(facture) == [
        ("A_VALIDER_1", "REFUSEE_1", monde.agent.pk, "Prestation non commandée", "Aucun bon de commande")
    ]
    contenu = reponse.content.decode()
    assert f"La facture n° {facture.numero} est refusée à la place du valideur délégué." in contenu
    historique = contenu.split('id="facture-historique"')[1]
    assert "Prestation non commandée" in historique and "Aucun bon de commande" in historique
    assert 'id="form-refuser"' not in contenu


def test_une_facture_a9_n_est_pas_au_destinataire_de_valider(client_agent, monde):
    titulaire = StructureFactory(raison_sociale="Titulaire Bâtiment")
    facture = monde.facture(statut="A_VALIDER_1", cadre="A9", valideur_1=titulaire)
    contenu = client_agent.get(url("consulter", facture)).content.decode()
    assert "La facture attend la validation de Titulaire Bâtiment : vous pourrez la traiter une fois validée." in (
        contenu
    )
    assert 'id="substitution"' not in contenu and 'id="form-valider"' not in contenu
    assert client_agent.post(url("valider", facture), {}).status_code == 403
    assert client_agent.post(url("refuser", facture), {"refuser-motif": "Non"}).status_code == 403
    facture.refresh_from_db()
    assert facture.statut == "A_VALIDER_1" and lignes(facture) == []


def test_plus_de_substitution_une_fois_la_facture_decidee(client_agent, monde):
    facture = deleguee(monde)
    facture.statut = "REFUSEE_1"
    facture.save(update_fields=["statut"])
    assert 'id="substitution"' not in client_agent.get(url("consulter", facture)).content.decode()
    assert client_agent.post(url("valider", facture), {}).status_code == 403
    facture.refresh_from_db()
    assert facture.statut == "REFUSEE_1"


def test_le_lecteur_voit_sans_pouvoir_decider(client, monde):
    facture = deleguee(monde)
    connecter(client, monde.lecteur)
    contenu = client.get(url("consulter", facture)).content.decode()
    assert "La facture attend la décision de votre valideur délégué" in contenu
    assert 'id="substitution"' not in contenu
    assert client.post(url("valider", facture), {}).status_code == 403
    assert client.post(url("refuser", facture), {"refuser-motif": "Non"}).status_code == 403
    facture.refresh_from_db()
    assert facture.statut == "A_VALIDER_1"


def test_un_etranger_ne_trouve_pas_la_facture(client, monde):
    facture = deleguee(monde, service=monde.travaux)
    # another recipient, the supplier, an agent of another service of the same recipient
    for user in (monde.etranger, monde.agent_fournisseur, monde.agent_achats):
        connecter(client, user)
        assert client.get(url("consulter", facture)).status_code == 404
        assert client.post(url("valider", facture), {}).status_code == 404
        assert client.post(url("refuser", facture), {"refuser-motif": "Non"}).status_code == 404
    facture.refresh_from_db()
    assert facture.statut == "A_VALIDER_1" and lignes(facture) == []


def test_valider_et_refuser_refusent_le_get(client_agent, monde):
    facture = deleguee(monde)
    assert client_agent.get(url("valider", facture)).status_code == 405
    assert client_agent.get(url("refuser", facture)).status_code == 405


def test_la_page_d_une_facture_deleguee_garde_son_budget(client_agent, monde, django_assert_max_num_queries):
    facture = deleguee(monde)
    client_agent.get(reverse("facturation:recues_synthese"))
    # the consult page's budget (tests/facturation/recues/test_requetes.py): asking the workflow costs no query more
    with django_assert_max_num_queries(20):  # +1: menus; +1: VAT breakdown; +1: the perimeter's ids
        assert client_agent.get(url("consulter", facture)).status_code == 200
