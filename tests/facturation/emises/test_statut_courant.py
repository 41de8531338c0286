"""The motif and comment of the current status live on the invoice row (issue #16): written with the history row
that gives the status, in the same transaction, and read by the lists without one history lookup per row."""

import pytest

from facturation.enums import StatutFacture
from facturation.models import Facture
from facturation.selectors import emises
from facturation.services.traitement import facture_traiter

pytestmark = pytest.mark.django_db


def test_le_motif_du_statut_courant_est_sur_la_facture(monde):
    facture = monde.facture()
    facture_traiter(facture=facture, par=monde.agent, statut_cible="SUSPENDUE", motif="AUTRE", commentaire="PJ ?")
    assert Facture.objects.values_list("motif_statut", "commentaire_statut").get(pk=facture.pk) == ("AUTRE", "PJ ?")
    ligne = emises.synthese(monde.gp).get(pk=facture.pk)
    assert (ligne.motif_statut, ligne.commentaire_statut) == ("AUTRE", "PJ ?")


def test_un_nouveau_statut_remplace_le_motif(monde):
    facture = monde.facture()
    facture_traiter(facture=facture, par=monde.agent, statut_cible="SUSPENDUE", motif="AUTRE", commentaire="PJ ?")
    facture_traiter(facture=facture, par=monde.agent, statut_cible=StatutFacture.REJETEE, motif="DOUBLON")
    facture.refresh_from_db()
    assert (facture.motif_statut, facture.commentaire_statut) == ("DOUBLON", "")


def test_la_liste_ne_lit_pas_l_historique(monde, django_assert_max_num_queries):
    for _ in range(3):
        facture_traiter(facture=monde.facture(), par=monde.agent, statut_cible="SUSPENDUE", motif="AUTRE")
    with django_assert_max_num_queries(2) as requetes:  # the perimeter's ids, then the page
        list(emises.synthese(monde.gp))
    assert not any("facturehistorique" in q["sql"] for q in requetes.captured_queries)


def test_la_migration_remplit_le_motif_des_factures_deja_la(monde):
    """0007 fills the invoices that existed before the columns: the motif of the history row that gave the current
    status, the empty default for the others (which the update leaves alone)."""
    from importlib import import_module

    from django.apps import apps

    remplir = import_module("facturation.migrations.0007_remplir_statut_courant_et_pieces").remplir
    suspendue, rejetee, sans_motif = monde.facture(), monde.facture(), monde.facture()
    facture_traiter(facture=suspendue, par=monde.agent, statut_cible="SUSPENDUE", motif="AUTRE", commentaire="PJ ?")
    facture_traiter(facture=rejetee, par=monde.agent, statut_cible="SUSPENDUE", motif="AUTRE", commentaire="PJ ?")
    facture_traiter(facture=rejetee, par=monde.agent, statut_cible=StatutFacture.REJETEE, motif="DOUBLON")
    # sans_motif stays at its deposit status, whose history row has no motif
    Facture.objects.update(motif_statut="", commentaire_statut="")  # as before 0006

    remplir(apps, None)

    valeurs = dict(Facture.objects.values_list("pk", "motif_statut"))
    assert valeurs[suspendue.pk] == "AUTRE" and valeurs[rejetee.pk] == "DOUBLON" and valeurs[sans_motif.pk] == ""
    assert Facture.objects.get(pk=suspendue.pk).commentaire_statut == "PJ ?"
