"""The supplier's follow-up operations: recycle, complete, acknowledge, « Traiter le rejet »."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from facturation.models import FactureAction
from facturation.services.depot import DepotRefuse
from facturation.services.suivi import (
    MESSAGE_TRAITER_REJET_NON_ELIGIBLE,
    STATUTS_TRAITER_LE_REJET,
    facture_completer,
    facture_recycler,
    rejet_traiter,
    rejets_acquitter,
)

pytestmark = pytest.mark.django_db


def pdf(nom="bon-de-livraison.pdf"):
    return SimpleUploadedFile(nom, b"%PDF-1.4 bon de livraison", content_type="application/pdf")


def test_la_table_traiter_le_rejet_de_cette_issue():
    assert {"REJETEE", "REFUSEE_1", "REFUSEE_2"} == STATUTS_TRAITER_LE_REJET


def test_le_message_est_celui_de_chorus_pro():
    assert MESSAGE_TRAITER_REJET_NON_ELIGIBLE == (
        "Des factures n'ont pu être traitées en raison de leur statut. Seuls les statuts suivants sont pris en compte "
        "par le bouton Traiter le rejet : Rejetée, Refusée par la MOA pour un autre motif, Refusée par la MOE pour un "
        "autre motif, Refusée par le fournisseur, Refusée par niveau 1, Refusée par niveau 2"
    )


def test_recycler_change_le_service_garde_le_numero_et_met_a_disposition(monde):
    f = monde.facture("A_RECYCLER", numero="F-2026-007", numero_engagement="EJ-1")
    ligne = facture_recycler(
        facture=f,
        par=monde.gp,
        identifiant_destinataire=monde.destinataire.identifiant,
        code_service="ACHATS",
        numero_engagement="EJ-1",
    )
    f.refresh_from_db()
    assert (f.numero, f.statut, f.service_destinataire, f.numero_engagement) == (
        "F-2026-007",
        "MISE_A_DISPOSITION",
        monde.achats,
        "EJ-1",
    )
    assert (ligne.action, ligne.de_statut, ligne.vers_statut, ligne.par) == (
        "recyclerFacture:MISE_A_DISPOSITION",
        "A_RECYCLER",
        "MISE_A_DISPOSITION",
        monde.gp,
    )
    assert ligne.commentaire == "Code service : FIN → ACHATS"


def test_recycler_vers_un_autre_destinataire(monde):
    f = monde.facture("A_RECYCLER")
    facture_recycler(
        facture=f,
        par=monde.gp,
        identifiant_destinataire=monde.autre_destinataire.identifiant,
        code_service="",
        numero_engagement="EJ-9",
    )
    f.refresh_from_db()
    assert (f.destinataire, f.service_destinataire, f.numero_engagement) == (monde.autre_destinataire, None, "EJ-9")
    assert f.historique.last().commentaire == (
        f"Destinataire : {monde.destinataire.identifiant} → {monde.autre_destinataire.identifiant} ; "
        "Code service : FIN → aucun ; Numéro d'engagement : aucun → EJ-9"
    )


def test_recycler_controle_l_acheminement_champ_par_champ(monde):
    monde.destinataire.engagement_obligatoire = True
    monde.destinataire.save()
    f = monde.facture("A_RECYCLER")
    with pytest.raises(DepotRefuse) as erreur:
        facture_recycler(
            facture=f,
            par=monde.gp,
            identifiant_destinataire=monde.destinataire.identifiant,
            code_service="INCONNU",
            numero_engagement="",
        )
    assert {(e.champ, e.message) for e in erreur.value.erreurs} == {
        (
            "code_service",
            f"Le code service « INCONNU » n'existe pas chez le destinataire {monde.destinataire.identifiant} "
            "(Commune de Valbourg).",
        ),
        (
            "numero_engagement",
            f"Le numéro d'engagement est obligatoire pour le destinataire {monde.destinataire.identifiant} "
            "(Commune de Valbourg).",
        ),
    }
    f.refresh_from_db()
    assert (f.statut, f.service_destinataire) == ("A_RECYCLER", monde.finances)


def test_recycler_sans_rien_changer_est_refuse(monde):
    f = monde.facture("A_RECYCLER")
    with pytest.raises(ApplicationError) as erreur:
        facture_recycler(
            facture=f,
            par=monde.gp,
            identifiant_destinataire=monde.destinataire.identifiant,
            code_service="FIN",
            numero_engagement="",
        )
    assert "Modifiez au moins une des données d'acheminement" in erreur.value.message
    f.refresh_from_db()
    assert f.statut == "A_RECYCLER"


@pytest.mark.parametrize("qui", ["lecteur", "etranger", "agent"])
def test_recycler_exige_factures_emises_modification(monde, qui):
    f = monde.facture("A_RECYCLER")
    with pytest.raises(TransitionInterdite):
        facture_recycler(
            facture=f,
            par=getattr(monde, qui),
            identifiant_destinataire=monde.destinataire.identifiant,
            code_service="ACHATS",
            numero_engagement="",
        )
    f.refresh_from_db()
    assert (f.statut, f.service_destinataire) == ("A_RECYCLER", monde.finances)


def test_recycler_une_facture_qui_n_est_pas_a_recycler(monde):
    f = monde.facture("SUSPENDUE")
    with pytest.raises(TransitionInterdite) as erreur:
        facture_recycler(
            facture=f,
            par=monde.gp,
            identifiant_destinataire=monde.destinataire.identifiant,
            code_service="ACHATS",
            numero_engagement="",
        )
    assert erreur.value.message == "Action « Recycler » impossible au statut « Suspendue »."


def test_completer_avec_commentaire_et_piece_jointe(monde):
    f = monde.facture("SUSPENDUE")
    ligne = facture_completer(facture=f, par=monde.gp, commentaire=" Voici le bon. ", pieces_jointes=[pdf()])
    f.refresh_from_db()
    assert f.statut == "COMPLETEE"
    assert [p.nom for p in f.pieces_jointes.all()] == ["bon-de-livraison.pdf"]
    assert ligne.commentaire == "Voici le bon.\nPièce jointe ajoutée : bon-de-livraison.pdf"
    assert (ligne.action, ligne.par) == ("completerFacture:COMPLETEE", monde.gp)


def test_completer_exige_un_commentaire_ou_une_piece_jointe(monde):
    f = monde.facture("SUSPENDUE")
    with pytest.raises(ApplicationError) as erreur:
        facture_completer(facture=f, par=monde.gp, commentaire="  ", pieces_jointes=[])
    assert erreur.value.message == "Ajoutez un commentaire ou au moins une pièce jointe pour compléter la facture."
    f.refresh_from_db()
    assert f.statut == "SUSPENDUE"


def test_completer_une_piece_jointe_refusee_n_enregistre_rien(monde):
    f = monde.facture("SUSPENDUE")
    with pytest.raises(ApplicationError) as erreur:
        facture_completer(facture=f, par=monde.gp, commentaire="ok", pieces_jointes=[pdf("virus.exe")])
    assert erreur.value.champ == "pieces_jointes"
    f.refresh_from_db()
    assert f.statut == "SUSPENDUE" and not f.pieces_jointes.exists()


def test_completer_par_le_lecteur_est_refuse(monde):
    f = monde.facture("SUSPENDUE")
    with pytest.raises(TransitionInterdite):
        facture_completer(facture=f, par=monde.lecteur, commentaire="ok")


def test_acquitter_tout_ou_la_selection(monde):
    a, b, c = (monde.facture("REJETEE") for _ in range(3))
    autre = monde.facture("SUSPENDUE")
    assert rejets_acquitter(par=monde.gp, factures=[a.pk, autre.pk]) == 1
    a.refresh_from_db(), b.refresh_from_db()
    assert a.rejet_acquitte_le is not None and b.rejet_acquitte_le is None
    assert rejets_acquitter(par=monde.gp) == 2
    for f in (b, c):
        f.refresh_from_db()
        assert f.rejet_acquitte_le is not None
    assert FactureAction.objects.filter(code="ACQUITTEMENT_REJET").count() == 3
    assert rejets_acquitter(par=monde.gp) == 0


def test_acquitter_la_facture_d_un_autre_est_refuse(monde):
    f = monde.facture("REJETEE")
    for qui in (monde.etranger, monde.lecteur):
        with pytest.raises(TransitionInterdite):
            rejets_acquitter(par=qui, factures=[f.pk])
        assert rejets_acquitter(par=qui) == 0
    f.refresh_from_db()
    assert f.rejet_acquitte_le is None


def test_traiter_le_rejet_traite_les_eligibles_et_signale_les_autres(monde):
    rejetee, refusee_1, refusee_2 = (monde.facture(s) for s in ("REJETEE", "REFUSEE_1", "REFUSEE_2"))
    suspendue, a_recycler = monde.facture("SUSPENDUE"), monde.facture("A_RECYCLER")
    resultat = rejet_traiter(
        par=monde.gp, factures=[f.pk for f in (rejetee, refusee_1, refusee_2, suspendue, a_recycler)]
    )
    assert {f.pk for f in resultat.traitees} == {rejetee.pk, refusee_1.pk, refusee_2.pk}
    assert {f.pk for f in resultat.non_eligibles} == {suspendue.pk, a_recycler.pk}
    assert resultat.message_non_eligibles == MESSAGE_TRAITER_REJET_NON_ELIGIBLE
    for f in (rejetee, refusee_1, refusee_2):
        f.refresh_from_db()
        assert f.rejet_traite_le is not None and f.actions.get().code == "TRAITEMENT_REJET"
    for f in (suspendue, a_recycler):
        f.refresh_from_db()
        assert f.rejet_traite_le is None and not f.actions.exists()


def test_traiter_le_rejet_seulement_eligibles_sans_message(monde):
    f = monde.facture("REJETEE")
    resultat = rejet_traiter(par=monde.gp, factures=[f.pk])
    assert resultat.message_non_eligibles == ""


def test_traiter_le_rejet_d_un_autre_est_refuse(monde):
    f = monde.facture("REJETEE")
    with pytest.raises(TransitionInterdite):
        rejet_traiter(par=monde.etranger, factures=[f.pk])
    with pytest.raises(TransitionInterdite):
        rejet_traiter(par=monde.lecteur, factures=[f.pk])
    f.refresh_from_db()
    assert f.rejet_traite_le is None
