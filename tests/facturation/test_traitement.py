import datetime

import pytest
import time_machine
from django.utils import timezone

from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from facturation.models import Facture, FactureHistorique
from facturation.services.traitement import facture_traiter
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Structure
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def fournisseur():
    return StructureFactory()


@pytest.fixture
def destinataire():
    structure = StructureFactory(est_publique=True)
    Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.ACTIVE)
    structure.refresh_from_db()
    return structure


@pytest.fixture
def agent(destinataire):
    user = UtilisateurFactory()
    rattacher(user, destinataire, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
    return user


def facture(fournisseur, destinataire, statut="MISE_A_DISPOSITION"):
    return Facture.objects.create(
        numero="F-2026-0001",
        fournisseur=fournisseur,
        destinataire=destinataire,
        statut=statut,
        date_facture=datetime.date(2026, 3, 2),
    )


def inchangee(f, statut):
    f.refresh_from_db()
    return f.statut == statut and not f.historique.exists() and f.numero_mandat == ""


@pytest.mark.parametrize(("cible", "libelle"), [("SUSPENDUE", "Suspendue"), ("REJETEE", "Rejetée")])
def test_motif_obligatoire(fournisseur, destinataire, agent, cible, libelle):
    f = facture(fournisseur, destinataire)
    with pytest.raises(ApplicationError) as erreur:
        facture_traiter(facture=f, par=agent, statut_cible=cible, motif="   ")
    assert erreur.value.message == f"Le motif est obligatoire pour passer la facture au statut « {libelle} »."
    assert erreur.value.champ == "motif"
    assert inchangee(f, "MISE_A_DISPOSITION")


def test_mandatee_exige_le_numero_de_mandat(fournisseur, destinataire, agent):
    f = facture(fournisseur, destinataire, "SERVICE_FAIT")
    with pytest.raises(ApplicationError) as erreur:
        facture_traiter(facture=f, par=agent, statut_cible="MANDATEE")
    assert erreur.value.message == "Le numéro de mandat est obligatoire."
    assert erreur.value.champ == "numero_mandat"
    assert inchangee(f, "SERVICE_FAIT")

    with pytest.raises(ApplicationError) as erreur:
        facture_traiter(facture=f, par=agent, statut_cible="MANDATEE", numero_mandat="M" * 51)
    assert erreur.value.message == "Le numéro de mandat ne doit pas dépasser 50 caractères."
    assert inchangee(f, "SERVICE_FAIT")

    facture_traiter(facture=f, par=agent, statut_cible="MANDATEE", numero_mandat=" DP-2026-42 ")
    assert (f.statut, f.numero_mandat) == ("MANDATEE", "DP-2026-42")
    f.refresh_from_db()
    assert (f.statut, f.numero_mandat) == ("MANDATEE", "DP-2026-42")


def test_le_numero_de_mandat_n_est_garde_que_pour_mandatee(fournisseur, destinataire, agent):
    f = facture(fournisseur, destinataire)
    facture_traiter(facture=f, par=agent, statut_cible="SERVICE_FAIT", numero_mandat="DP-1")
    f.refresh_from_db()
    assert (f.statut, f.numero_mandat) == ("SERVICE_FAIT", "")


def test_transition_absente_de_la_table(fournisseur, destinataire, agent):
    f = facture(fournisseur, destinataire, "MISE_EN_PAIEMENT")
    with pytest.raises(TransitionInterdite) as erreur:
        facture_traiter(facture=f, par=agent, statut_cible="SERVICE_FAIT")
    assert erreur.value.message == (
        "Une facture au statut « Mise en paiement » ne peut pas passer au statut « Service fait »."
    )
    assert inchangee(f, "MISE_EN_PAIEMENT")


def test_statut_inconnu(fournisseur, destinataire, agent):
    f = facture(fournisseur, destinataire)
    with pytest.raises(ApplicationError) as erreur:
        facture_traiter(facture=f, par=agent, statut_cible="PAYEE")
    assert erreur.value.message == "Statut de traitement inconnu."
    assert inchangee(f, "MISE_A_DISPOSITION")


def test_les_operations_dediees_ne_passent_pas_par_le_traitement(fournisseur, destinataire):
    # Recycler changes the routing data: its own operation, not a bare change of status.
    f = facture(fournisseur, destinataire, "A_RECYCLER")
    with pytest.raises(TransitionInterdite):
        facture_traiter(facture=f, par=fournisseur_agent(fournisseur), statut_cible="MISE_A_DISPOSITION")
    assert inchangee(f, "A_RECYCLER")


def fournisseur_agent(fournisseur):
    user = UtilisateurFactory()
    rattacher(user, fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    return user


@pytest.mark.parametrize("qui", ["fournisseur", "etranger", "consultation"])
def test_refuse_sans_habilitation(fournisseur, destinataire, qui):
    f = facture(fournisseur, destinataire)
    if qui == "fournisseur":
        user = fournisseur_agent(fournisseur)
    elif qui == "etranger":
        user = UtilisateurFactory()
        StructureFactory(gestionnaire=user)
    else:
        user = UtilisateurFactory()
        rattacher(user, destinataire, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
    with pytest.raises(TransitionInterdite) as erreur:
        facture_traiter(facture=f, par=user, statut_cible="SERVICE_FAIT")
    assert erreur.value.message == "Vous n'êtes pas habilité à passer cette facture au statut « Service fait »."
    assert inchangee(f, "MISE_A_DISPOSITION")


def test_historique_qui_quand_motif(fournisseur, destinataire, agent):
    f = facture(fournisseur, destinataire)
    instant = datetime.datetime(2026, 3, 5, 10, 30, tzinfo=timezone.get_default_timezone())
    with time_machine.travel(instant, tick=False):
        ligne = facture_traiter(facture=f, par=agent, statut_cible="SUSPENDUE", motif="  Bon de livraison manquant ")
    assert ligne == FactureHistorique.objects.get(facture=f)
    assert (ligne.de_statut, ligne.vers_statut, ligne.action) == (
        "MISE_A_DISPOSITION",
        "SUSPENDUE",
        "traiterFactureRecue:SUSPENDUE",
    )
    assert (ligne.par, ligne.le, ligne.motif, ligne.commentaire) == (agent, instant, "Bon de livraison manquant", "")

    # the supplier acknowledges the suspension: same status, one more row
    acquittement = facture_traiter(facture=f, par=fournisseur_agent(fournisseur), statut_cible="SUSPENDUE")
    assert acquittement.action == "ACQUITTEMENT_SUSPENSION:SUSPENDUE"
    assert list(f.historique.values_list("vers_statut", flat=True)) == ["SUSPENDUE", "SUSPENDUE"]


def test_le_commentaire_est_garde_a_cote_du_motif(fournisseur, destinataire, agent):
    f = facture(fournisseur, destinataire)
    ligne = facture_traiter(
        facture=f,
        par=agent,
        statut_cible="REJETEE",
        motif=" Facture en double ",
        commentaire="  Déjà reçue le 3 mars\n",
    )
    ligne.refresh_from_db()
    assert (ligne.motif, ligne.commentaire) == ("Facture en double", "Déjà reçue le 3 mars")
    # a comment alone does not make the motif the rejection requires
    Facture.objects.filter(pk=f.pk).update(numero="F-2026-0000")
    g = facture(fournisseur, destinataire)
    with pytest.raises(ApplicationError) as erreur:
        facture_traiter(facture=g, par=agent, statut_cible="SUSPENDUE", commentaire="Voir le courrier")
    assert erreur.value.champ == "motif"
    assert inchangee(g, "MISE_A_DISPOSITION")


# Mails to the supplier (chorus-pro-features.md rows 42–44)

LIBELLES_NOTIFIES = {
    "A_RECYCLER": ("à recycler", "À recycler", "Recyclez la facture"),
    "SUSPENDUE": ("suspendue", "Suspendue", "Complétez la facture"),
    "REJETEE": ("rejetée", "Rejetée", "Ce rejet est définitif"),
    "MISE_EN_PAIEMENT": ("mise en paiement", "Mise en paiement", "Le paiement de la facture a été engagé"),
}


def facture_deposee_le(fournisseur, destinataire, statut="MISE_A_DISPOSITION"):
    f = facture(fournisseur, destinataire, statut)
    f.deposee_le = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_default_timezone())
    f.total_ttc = "1200.00"
    f.save()
    return f


@pytest.mark.parametrize("cible", sorted(LIBELLES_NOTIFIES))
def test_courriel_au_fournisseur(fournisseur, destinataire, agent, cible, django_capture_on_commit_callbacks):
    from django.core import mail

    Structure.objects.filter(pk=fournisseur.pk).update(email="factures@fournisseur.fr")
    fournisseur.refresh_from_db()
    f = facture_deposee_le(fournisseur, destinataire)
    motif = "Montants erronés" if cible in ("SUSPENDUE", "REJETEE") else ""
    with django_capture_on_commit_callbacks(execute=True):
        facture_traiter(facture=f, par=agent, statut_cible=cible, motif=motif)
    (message,) = mail.outbox
    dans_le_sujet, libelle, consigne = LIBELLES_NOTIFIES[cible]
    assert message.to == ["factures@fournisseur.fr"]
    assert message.subject == f"Chorus Pro – Facture F-2026-0001 {dans_le_sujet}"
    assert f"La facture n° F-2026-0001 du 02/03/2026, déposée le 02/03/2026 par {fournisseur.raison_sociale}" in (
        message.body
    )
    assert f"pour le destinataire {destinataire.raison_sociale} (SIRET {destinataire.identifiant})" in message.body
    assert f"a le statut « {libelle} » depuis le" in message.body
    assert consigne in message.body
    assert (f"Motif : {motif}" in message.body) == bool(motif)
    assert "Commentaire :" not in message.body
    assert f"/factures/emises/{f.pk}/" in message.body


def test_le_courriel_au_fournisseur_porte_le_motif_et_le_commentaire(
    fournisseur, destinataire, agent, django_capture_on_commit_callbacks
):
    from django.core import mail

    Structure.objects.filter(pk=fournisseur.pk).update(email="factures@fournisseur.fr")
    fournisseur.refresh_from_db()
    f = facture_deposee_le(fournisseur, destinataire)
    with django_capture_on_commit_callbacks(execute=True):
        facture_traiter(
            facture=f,
            par=agent,
            statut_cible="SUSPENDUE",
            motif="Pièce justificative manquante",
            commentaire="Joignez le bon de livraison signé.",
        )
    (message,) = mail.outbox
    assert "Motif : Pièce justificative manquante\nCommentaire : Joignez le bon de livraison signé." in message.body


def test_courriel_aux_utilisateurs_factures_emises_sans_adresse_de_structure(
    destinataire, agent, django_capture_on_commit_callbacks
):
    from django.core import mail

    gp = UtilisateurFactory(email="gp@fournisseur.fr")
    fournisseur = StructureFactory(gestionnaire=gp)
    lecteur = UtilisateurFactory(email="lecteur@fournisseur.fr")
    rattacher(lecteur, fournisseur, (Application.FACTURES_EMISES, Niveau.CONSULTATION))
    sans_profil = UtilisateurFactory(email="organisation@fournisseur.fr")
    rattacher(sans_profil, fournisseur, (Application.ORGANISATION, Niveau.MODIFICATION))
    f = facture(fournisseur, destinataire)
    with django_capture_on_commit_callbacks(execute=True):
        facture_traiter(facture=f, par=agent, statut_cible="REJETEE", motif="Doublon")
    assert sorted(m.to[0] for m in mail.outbox) == ["gp@fournisseur.fr", "lecteur@fournisseur.fr"]
    assert all("Motif : Doublon" in m.body for m in mail.outbox)


def test_pas_de_courriel_pour_service_fait_ni_pour_l_acquittement(
    fournisseur, destinataire, agent, django_capture_on_commit_callbacks
):
    from django.core import mail

    Structure.objects.filter(pk=fournisseur.pk).update(email="factures@fournisseur.fr")
    f = facture(fournisseur, destinataire)
    with django_capture_on_commit_callbacks(execute=True):
        facture_traiter(facture=f, par=agent, statut_cible="SERVICE_FAIT")
    assert mail.outbox == []
    Facture.objects.filter(pk=f.pk).update(numero="F-2026-0000")
    g = facture(fournisseur, destinataire, "SUSPENDUE")
    with django_capture_on_commit_callbacks(execute=True):
        # the supplier acknowledges its suspension: the status does not change, nobody is told again
        facture_traiter(facture=g, par=fournisseur_agent(fournisseur), statut_cible="SUSPENDUE")
    assert mail.outbox == []
