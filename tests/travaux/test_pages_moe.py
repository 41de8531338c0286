"""« Pièces à associer à une MOE »: the supplier's list (paginated, one query count whatever its length), the
two-step association (SIRET checked against the directory, then confirmed), French errors naming the field, and
another structure's piece answering 404."""

import html

import pytest
from django.urls import reverse

from facturation.enums import StatutFacture
from organisation.enums import Application, Niveau
from tests.conftest import connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.travaux.conftest import LIGNES, piece
from travaux.models import PieceTravaux
from travaux.services.depot import piece_deposer

pytestmark = pytest.mark.django_db

LISTE = reverse("travaux:moe_a_associer")


def texte(reponse):
    return html.unescape(reponse.content.decode())


def sans_moe(chantier, numero):
    """An A4 deposited without its MOE, as the works flux deposits it (moe_a_associer)."""
    return piece_deposer(
        par=chantier.u_fournisseur,
        role="fournisseur",
        cadre="A4",
        type_depot="initial",
        canal="edi",
        facture=piece(chantier.fournisseur, numero),
        lignes=LIGNES,
        moa=chantier.moa,
        service_moa=chantier.service_moa,
        moe_a_associer=True,
    )


def url(p):
    return reverse("travaux:moe_associer", args=[p.pk])


def test_la_liste_pagine_a_nombre_de_requetes_fixe(client, chantier, django_assert_max_num_queries):
    for i in range(1, 4):
        sans_moe(chantier, f"PDM-{i:03d}")
    connecter(client, chantier.u_fournisseur)
    client.get(LISTE)
    with django_assert_max_num_queries(12) as requetes:
        page = client.get(LISTE)
    nombre = len(requetes)
    assert page.status_code == 200
    lu = texte(page)
    assert "3 pièces à associer à une maîtrise d'œuvre." in lu
    assert all(f"PDM-{i:03d}" in lu for i in range(1, 4))
    assert "Pièces à associer à une MOE" in lu  # the menu entry
    # the supplier's Synthèse counts them among the pieces waiting for him
    synthese = texte(client.get(reverse("travaux:listes_synthese")))
    assert "PDM-001" in synthese and "À associer par la MOE" in synthese

    for i in range(4, 23):
        sans_moe(chantier, f"PDM-{i:03d}")
    with django_assert_max_num_queries(nombre):
        premiere = client.get(LISTE)
    assert "22 pièces" in texte(premiere) and 'aria-label="Pagination"' in texte(premiere)
    seconde = texte(client.get(LISTE, {"page": 2}))
    assert "PDM-001" in seconde and "PDM-022" not in seconde


def test_associer_verifier_puis_confirmer(client, chantier):
    a4 = sans_moe(chantier, "PDM-100")
    connecter(client, chantier.u_fournisseur)

    # the piece page leads there
    assert url(a4) in texte(client.get(reverse("travaux:dossier_piece", args=[a4.pk])))
    vide = client.post(url(a4), {"etape": "verifier", "moe_siret": ""})
    assert "SIRET de la maîtrise d'œuvre : ce champ est obligatoire." in texte(vide)
    inconnu = client.post(url(a4), {"etape": "verifier", "moe_siret": "12345678200010"})
    assert "Aucune structure active de l'annuaire ne porte le SIRET 12345678200010" in texte(inconnu)
    service = client.post(
        url(a4), {"etape": "verifier", "moe_siret": chantier.moe.identifiant, "service_moe": "INCONNU"}
    )
    assert "n'a pas de service actif « INCONNU »" in texte(service)

    verification = client.post(url(a4), {"etape": "verifier", "moe_siret": chantier.moe.identifiant})
    lu = texte(verification)
    assert "Confirmer la maîtrise d'œuvre" in lu and "Cabinet d'architectes Lenoir" in lu
    a4.facture.refresh_from_db()
    assert a4.facture.statut == StatutFacture.A_ASSOCIER_MOE  # nothing done before the confirmation

    fait = client.post(url(a4), {"etape": "confirmer", "moe_siret": chantier.moe.identifiant}, follow=True)
    assert fait.redirect_chain[-1][0] == reverse("travaux:dossier_piece", args=[a4.pk])
    assert "La maîtrise d'œuvre Cabinet d'architectes Lenoir est associée" in texte(fait)
    a4 = PieceTravaux.objects.select_related("facture", "dossier").get(pk=a4.pk)
    assert a4.facture.statut == StatutFacture.MISE_A_DISPOSITION_MOE and a4.dossier.moe == chantier.moe
    # done: the piece left the list, and its form is gone
    assert "PDM-100" not in texte(client.get(LISTE))
    assert client.get(url(a4)).status_code == 404
    assert url(a4) not in texte(client.get(reverse("travaux:dossier_piece", args=[a4.pk])))


def test_le_fournisseur_ne_peut_pas_etre_sa_propre_moe(client, chantier):
    a4 = sans_moe(chantier, "PDM-101")
    connecter(client, chantier.u_fournisseur)

    reponse = client.post(url(a4), {"etape": "confirmer", "moe_siret": chantier.fournisseur.identifiant})

    assert "deux structures différentes" in texte(reponse)
    a4.facture.refresh_from_db()
    assert a4.facture.statut == StatutFacture.A_ASSOCIER_MOE


def test_une_autre_structure_ou_un_lecteur_ne_voit_rien(client, chantier):
    a4 = sans_moe(chantier, "PDM-102")
    lecteur = UtilisateurFactory()
    rattacher(lecteur, chantier.fournisseur, (Application.FACTURES_TRAVAUX, Niveau.CONSULTATION))

    for utilisateur in (chantier.u_etranger, chantier.u_moa, lecteur):
        client.logout()
        connecter(client, utilisateur)
        assert "PDM-102" not in texte(client.get(LISTE))
        assert client.get(url(a4)).status_code == 404
        reponse = client.post(url(a4), {"etape": "confirmer", "moe_siret": chantier.moe.identifiant})
        assert reponse.status_code == 404
    a4.facture.refresh_from_db()
    assert a4.facture.statut == StatutFacture.A_ASSOCIER_MOE
