"""The works lists' keys carried by the pieces (travaux migration 0003, travaux.services.cles): after every kind of
write of the invoice, the dossier or the piece (the workflow's transitions, a bulk update, a recycling, the dossier's
MOE named, a save of a piece read long ago), they equal the invoice's and the dossier's. The database keeps them
(triggers, both engines), so each test writes as the code does and reads the rows back."""

import pytest
from django.db import connection
from django.utils import timezone

from facturation.enums import StatutFacture
from facturation.models import Facture
from facturation.services.suivi import facture_recycler
from organisation.enums import Application, Niveau
from organisation.models import Service
from tests.factories import UtilisateurFactory, rattacher
from tests.travaux.conftest import structure
from tests.travaux.test_depot import associer, initial
from travaux.models import PieceTravaux
from travaux.rejets import STATUTS_ELIGIBLES, rejets_traiter
from travaux.selectors import listes
from travaux.services import cles
from travaux.services.recyclage import piece_demander_recyclage
from travaux.services.refus import piece_refuser

pytestmark = pytest.mark.django_db


def cles_et_sources(piece):
    """(the piece's keys, the same columns read from its invoice and its dossier)."""
    p = PieceTravaux.objects.select_related("facture", "dossier").get(pk=piece.pk)
    f, d = p.facture, p.dossier
    return (
        (p.statut_facture, p.statut_depuis, p.deposee_le, p.telechargee, p.rejet_traite_le),
        (p.id_fournisseur, p.id_moe, p.id_service_moe, p.id_moa, p.id_service_moa),
    ), (
        (f.statut, f.statut_depuis, f.deposee_le, f.telechargee, f.rejet_traite_le),
        (d.fournisseur_id, d.moe_id, d.service_moe_id, d.moa_id, d.service_moa_id),
    )


def a_jour(*pieces):
    for piece in pieces:
        copie, source = cles_et_sources(piece)
        assert copie == source, piece
    return True


def test_le_depot_et_l_association_copient_les_cles(chantier):
    a4 = initial(chantier)
    assert a_jour(a4)
    p = PieceTravaux.objects.get(pk=a4.pk)
    assert p.statut_facture == StatutFacture.MISE_A_DISPOSITION_MOE and p.deposee_le and p.statut_depuis
    assert (p.id_fournisseur, p.id_moe, p.id_moa, p.id_service_moa) == (
        chantier.fournisseur.pk,
        chantier.moe.pk,
        chantier.moa.pk,
        chantier.service_moa.pk,
    )
    a15 = associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    # the association moves the A4 (ASSOCIEE) by the workflow: its key follows
    assert a_jour(a4, a15)
    assert PieceTravaux.objects.get(pk=a4.pk).statut_facture == StatutFacture.ASSOCIEE


def test_un_refus_puis_traiter_le_rejet(chantier):
    a4 = initial(chantier)
    piece_refuser(piece=a4, par=chantier.u_moe, acteur="moe", motif="Mauvaise MOE")
    assert a_jour(a4)
    assert PieceTravaux.objects.get(pk=a4.pk).statut_facture in STATUTS_ELIGIBLES  # refused
    # the supplier's Synthèse lists its refused piece until « Traiter le rejet » (a bulk update of the invoices)
    assert [p.pk for p in listes.synthese(chantier.u_fournisseur)] == [a4.pk]
    rejets_traiter(par=chantier.u_fournisseur, pieces={a4.pk})
    assert a_jour(a4) and PieceTravaux.objects.get(pk=a4.pk).rejet_traite_le is not None
    assert list(listes.synthese(chantier.u_fournisseur)) == []


def test_une_mise_a_jour_en_masse_des_factures(chantier):
    a4, autre = initial(chantier), initial(chantier, numero="PDM-002")
    depuis = timezone.now()
    Facture.objects.filter(pk__in=[a4.facture_id, autre.facture_id]).update(
        statut=StatutFacture.MISE_EN_PAIEMENT, statut_depuis=depuis, telechargee=True
    )
    assert a_jour(a4, autre)
    assert PieceTravaux.objects.get(pk=autre.pk).statut_facture == StatutFacture.MISE_EN_PAIEMENT
    # the MOE's dashboard counts on the pieces' keys
    [(role, statuts, total)] = listes.tableau_de_bord(chantier.u_moe)
    assert (role, [s[0] for s in statuts], total) == ("moe", [StatutFacture.MISE_EN_PAIEMENT], 2)


def test_le_recyclage_de_la_piece_precedente(chantier):
    a4 = initial(chantier)
    a15 = associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    Service.objects.create(structure=chantier.moa, code="FINANCES", libelle="Finances")
    emises = UtilisateurFactory()
    rattacher(emises, chantier.fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    piece_demander_recyclage(piece=a15, par=chantier.u_moa, commentaire="Service exécutant erroné.")
    assert a_jour(a4, a15)
    assert PieceTravaux.objects.get(pk=a4.pk).statut_facture == StatutFacture.EN_ATTENTE_RECYCLAGE_FOURNISSEUR
    facture = Facture.objects.get(pk=a4.facture_id)
    facture_recycler(
        facture=facture,
        par=emises,
        identifiant_destinataire=chantier.moa.identifiant,
        code_service="FINANCES",
        numero_engagement=facture.numero_engagement,
    )
    assert a_jour(a4, a15)
    assert PieceTravaux.objects.get(pk=a4.pk).statut_facture == StatutFacture.MISE_A_DISPOSITION


def test_la_moe_du_dossier_change(chantier):
    a4 = initial(chantier)
    a15 = associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    dossier = a4.dossier
    nouvelle = structure(505, "Bureau d'études Martin")
    dossier.moe = nouvelle
    dossier.save(update_fields=["moe", "service_moe"])  # as travaux.services.moe names it
    assert a_jour(a4, a15)
    assert set(PieceTravaux.objects.values_list("id_moe", flat=True)) == {nouvelle.pk}
    assert list(listes.rechercher(chantier.u_moe)) == []  # the former MOE no longer sees them


def test_un_save_de_la_piece_ne_remet_pas_ses_anciennes_cles(chantier):
    a4 = initial(chantier)
    lue = PieceTravaux.objects.get(pk=a4.pk)  # read before the invoice moves
    Facture.objects.filter(pk=a4.facture_id).update(statut=StatutFacture.MISE_EN_PAIEMENT)
    lue.save()  # writes every column, its old keys included
    assert a_jour(a4)
    assert PieceTravaux.objects.get(pk=a4.pk).statut_facture == StatutFacture.MISE_EN_PAIEMENT


def test_recopier_repare_des_cles_ecrites_a_cote(chantier):
    a4 = initial(chantier)
    # a write that names none of the columns that fire the copy (a bulk load runs with the triggers off)
    PieceTravaux.objects.filter(pk=a4.pk).update(statut_facture="", id_moe=None, deposee_le=None)
    copie, source = cles_et_sources(a4)
    assert copie != source
    assert cles.recopier() == 1
    assert a_jour(a4)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds a table to alter it, its triggers lost")
def test_sqlite_les_declencheurs_perdus_sont_remis_apres_migrate(chantier):
    a4 = initial(chantier)
    with connection.cursor() as curseur:
        curseur.execute("DROP TRIGGER facture_pieces_travaux")
    Facture.objects.filter(pk=a4.facture_id).update(statut=StatutFacture.MISE_EN_PAIEMENT)
    copie, source = cles_et_sources(a4)
    assert copie != source  # the copy stopped with the trigger
    cles.retablir_declencheurs_sqlite()  # what post_migrate runs
    assert a_jour(a4)
    Facture.objects.filter(pk=a4.facture_id).update(statut=StatutFacture.COMPTABILISEE)
    assert a_jour(a4)
