"""« Demander le recyclage de la pièce précédente » (demanderRecyclagePiecePrecedente): the MOA holding an A15 asks
the supplier to recycle the A4 it follows, addressed to the wrong service; the A4 waits for the supplier, who hears
of it and recycles it from « Factures émises »; the payer then processes it. The rules are the table
travaux/regles/demande_recyclage.csv; pieces are deposited through the works deposit service."""

import pytest
from django.urls import reverse

from chorus.exceptions import ApplicationError
from chorus.models import Courriel
from chorus.workflow import TransitionInterdite
from communication.models import Notification
from facturation.enums import StatutFacture
from facturation.models import Facture, FactureHistorique
from facturation.services.suivi import ACTION_RECYCLER, facture_recycler
from facturation.services.traitement import facture_traiter
from facturation.workflow import FACTURE_WORKFLOW
from organisation.enums import Application, Niveau
from organisation.models import Service
from tests.conftest import connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.travaux.test_depot import associer, initial
from travaux import recyclage, refus
from travaux.enums import RoleTravaux
from travaux.services.recyclage import ACTION_DEMANDER_RECYCLAGE, peut_demander_recyclage, piece_demander_recyclage

pytestmark = pytest.mark.django_db

EN_ATTENTE = StatutFacture.EN_ATTENTE_RECYCLAGE_FOURNISSEUR
MOTIF = "Service exécutant erroné : la pièce relève du service FINANCES."


@pytest.fixture
def dossier(chantier):
    """A4 by the supplier (to the MOA's service TRAVAUX), A15 by the MOE: the MOA holds the A15."""
    chantier.a4 = initial(chantier)
    chantier.a15 = associer(chantier.u_moe, "moe", "A15", chantier.a4, "EA-001")
    chantier.finances = Service.objects.create(structure=chantier.moa, code="FINANCES", libelle="Finances")
    chantier.u_emises = UtilisateurFactory()
    rattacher(chantier.u_emises, chantier.fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    chantier.payeur = UtilisateurFactory()
    rattacher(chantier.payeur, chantier.moa, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
    return chantier


def facture(piece):
    return Facture.objects.get(pk=piece.facture_id)


def demander(chantier, par=None, commentaire=MOTIF, piece=None):
    return piece_demander_recyclage(piece=piece or chantier.a15, par=par or chantier.u_moa, commentaire=commentaire)


# --- the table ------------------------------------------------------------------------------------------------------


def test_la_table_des_demandes_de_recyclage():
    assert [r.acteur for r in recyclage.REGLES] == [RoleTravaux.MOE, RoleTravaux.MOA]
    for regle in recyclage.REGLES:
        # the holder asks at the statuses where he holds the piece, those of the refusal
        assert regle.statuts_piece <= refus.STATUTS_EN_MAIN[regle.acteur]
        assert regle.statut_precedente_apres == EN_ATTENTE
        assert regle.cote_deposant_precedente == RoleTravaux.FOURNISSEUR
        # neither paid nor closed, nor already in the supplier's hands
        assert not regle.statuts_precedente & {
            StatutFacture.MISE_EN_PAIEMENT,
            StatutFacture.REJETEE,
            StatutFacture.A_RECYCLER,
            EN_ATTENTE,
            StatutFacture.REMPLACEE_PAR_A22,
        }
    # and the supplier's recycling starts from it (facturation/regles/traitements_recus_travaux.csv)
    assert {StatutFacture.A_RECYCLER, EN_ATTENTE} == FACTURE_WORKFLOW.sources(ACTION_RECYCLER)


# --- the service ----------------------------------------------------------------------------------------------------


def test_la_moa_demande_le_recyclage_puis_le_fournisseur_recycle(dossier, django_capture_on_commit_callbacks):
    assert peut_demander_recyclage(dossier.u_moa, dossier.a15)
    with django_capture_on_commit_callbacks() as rappels:
        historique = demander(dossier)

    a4 = facture(dossier.a4)
    assert (a4.statut, facture(dossier.a15).statut) == (EN_ATTENTE, StatutFacture.MISE_A_DISPOSITION_MOA)
    assert (historique.facture_id, historique.action, historique.de_statut, historique.vers_statut) == (
        a4.pk,
        ACTION_DEMANDER_RECYCLAGE,
        StatutFacture.ASSOCIEE,
        EN_ATTENTE,
    )
    assert (historique.par, historique.commentaire) == (dossier.u_moa, MOTIF) and historique.le >= a4.statut_depuis
    # the supplier hears of it: one mail per contact, sent after commit, and « Mes messages »
    [courriel] = Courriel.objects.filter(gabarit="travaux/email/demande_recyclage")
    assert courriel.destinataire == dossier.u_emises.email and len(rappels) >= 1
    assert "PDM-001" in courriel.objet and MOTIF in courriel.corps
    assert "maîtrise d'ouvrage Commune de Villeneuve" in courriel.corps
    [message] = Notification.objects.filter(destinataire=dossier.u_emises)
    assert "PDM-001" in message.titre and MOTIF in message.texte
    assert message.lien == reverse("facturation:emises_consulter", args=[a4.pk])
    assert not peut_demander_recyclage(dossier.u_moa, dossier.a15)  # once asked, the button goes

    # the supplier recycles it to the right service: it reaches the payer and follows the normal path
    facture_recycler(
        facture=a4,
        par=dossier.u_emises,
        identifiant_destinataire=dossier.moa.identifiant,
        code_service="FINANCES",
        numero_engagement=a4.numero_engagement,
    )
    a4.refresh_from_db()
    assert (a4.statut, a4.service_destinataire) == (StatutFacture.MISE_A_DISPOSITION, dossier.finances)
    assert a4.historique.latest("pk").de_statut == EN_ATTENTE
    facture_traiter(facture=a4, par=dossier.payeur, statut_cible=StatutFacture.SERVICE_FAIT)
    assert facture(dossier.a4).statut == StatutFacture.SERVICE_FAIT


def test_motif_manquant_ou_trop_long_rien_n_est_enregistre(dossier):
    for commentaire in ("", "   ", "x" * 2001):
        with pytest.raises(ApplicationError) as erreur:
            demander(dossier, commentaire=commentaire)
        assert erreur.value.champ == "commentaire" and "motif" in erreur.value.message.lower()
    assert facture(dossier.a4).statut == StatutFacture.ASSOCIEE
    assert not FactureHistorique.objects.filter(action=ACTION_DEMANDER_RECYCLAGE).exists()
    assert not Courriel.objects.filter(gabarit="travaux/email/demande_recyclage").exists()


def test_statuts_et_acteurs_qui_ne_le_permettent_pas(dossier):
    # the MOE no longer holds the dossier, the supplier never asks
    for user in (dossier.u_moe, dossier.u_fournisseur):
        assert not peut_demander_recyclage(user, dossier.a15)
        with pytest.raises(TransitionInterdite):
            demander(dossier, par=user)
    # the A4 at the MOE follows no piece
    assert not peut_demander_recyclage(dossier.u_moe, initial(dossier, numero="PDM-002"))
    with pytest.raises(TransitionInterdite, match="ne fait suite à aucune pièce"):
        demander(dossier, par=dossier.u_moe, piece=initial(dossier, numero="PDM-003"))
    # once asked, the previous piece is in the supplier's hands: no second request
    demander(dossier)
    with pytest.raises(TransitionInterdite, match="En attente de recyclage par le fournisseur"):
        demander(dossier)
    # a piece the MOA no longer holds (it deposited the A19) asks nothing either
    a19 = associer(dossier.u_moa, "moa", "A19", dossier.a15, "EAV-001")
    assert facture(dossier.a15).statut == StatutFacture.ASSOCIEE
    with pytest.raises(TransitionInterdite, match="Associée"):
        demander(dossier, piece=dossier.a15)
    assert not peut_demander_recyclage(dossier.u_moa, a19)
    assert FactureHistorique.objects.filter(action=ACTION_DEMANDER_RECYCLAGE).count() == 1


# --- the pages ------------------------------------------------------------------------------------------------------


def url(piece, action="piece"):
    return reverse(f"travaux:dossier_{action}", args=[piece.pk])


def test_le_bouton_seulement_pour_l_acteur_qui_detient_la_piece(client, dossier):
    assert (
        "Demander le recyclage de la pièce précédente"
        in connecter(client, dossier.u_moa).get(url(dossier.a15)).content.decode()
    )
    for user in (dossier.u_moe, dossier.u_fournisseur):
        page = connecter(client, user).get(url(dossier.a15))
        assert page.status_code == 200 and "demander-recyclage" not in page.content.decode()
        assert connecter(client, user).get(url(dossier.a15, "demander_recyclage")).status_code == 403


def test_la_page_de_demande_motif_obligatoire_puis_confirmation(client, dossier):
    navigateur = connecter(client, dossier.u_moa)
    page = navigateur.get(url(dossier.a15, "demander_recyclage"))
    html = page.content.decode()
    assert page.status_code == 200 and "PDM-001" in html and "service TRAVAUX" in html
    assert "Confirmer la demande de recyclage" in html

    vide = navigateur.post(url(dossier.a15, "demander_recyclage"), {"commentaire": "  "})
    assert vide.status_code == 400
    assert "Motif de la demande : Indiquez le motif de la demande de recyclage." in vide.content.decode()
    assert facture(dossier.a4).statut == StatutFacture.ASSOCIEE

    envoyee = navigateur.post(url(dossier.a15, "demander_recyclage"), {"commentaire": MOTIF}, follow=True)
    html = envoyee.content.decode()
    assert envoyee.redirect_chain[-1][0] == url(dossier.a15)
    assert "Le recyclage de la pièce précédente n° PDM-001 est demandé au fournisseur Bâtiments Durand" in html
    assert facture(dossier.a4).statut == EN_ATTENTE and "demander-recyclage" not in html


def test_le_fournisseur_voit_le_statut_et_recycle_depuis_factures_emises(client, dossier):
    demander(dossier)
    a4 = facture(dossier.a4)
    travaux = connecter(client, dossier.u_fournisseur).get(url(dossier.a4)).content.decode()
    assert "En attente de recyclage par le fournisseur" in travaux
    # it waits for the supplier: the works Synthèse lists it too
    synthese_travaux = (
        connecter(client, dossier.u_fournisseur).get(reverse("travaux:listes_synthese")).content.decode()
    )
    assert "PDM-001" in synthese_travaux and "En attente de recyclage par le fournisseur" in synthese_travaux
    navigateur = connecter(client, dossier.u_emises)
    synthese = navigateur.get(reverse("facturation:emises_synthese")).content.decode()
    assert "PDM-001" in synthese and reverse("facturation:emises_recycler", args=[a4.pk]) in synthese
    consulter = navigateur.get(reverse("facturation:emises_consulter", args=[a4.pk])).content.decode()
    assert "En attente de recyclage par le fournisseur" in consulter and MOTIF in consulter
    recyclee = navigateur.post(
        reverse("facturation:emises_recycler", args=[a4.pk]),
        {"destinataire": dossier.moa.identifiant, "code_service": "FINANCES", "numero_engagement": ""},
    )
    assert recyclee.status_code == 302
    a4.refresh_from_db()
    assert (a4.statut, a4.service_destinataire) == (StatutFacture.MISE_A_DISPOSITION, dossier.finances)


def test_une_autre_structure_n_obtient_rien(client, dossier):
    etranger = connecter(client, dossier.u_etranger)
    assert etranger.get(url(dossier.a15, "demander_recyclage")).status_code == 404
    assert etranger.post(url(dossier.a15, "demander_recyclage"), {"commentaire": MOTIF}).status_code == 404
    assert facture(dossier.a4).statut == StatutFacture.ASSOCIEE
