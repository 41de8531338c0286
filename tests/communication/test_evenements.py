"""Real portal events, through the services that mail the user, leave a message in « Mes messages » for the right
users only, linked to the object; a refused action leaves none."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from chorus.exceptions import ApplicationError
from communication.enums import CategorieNotification
from communication.models import Notification
from facturation.services.traitement import facture_traiter
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service, Structure
from organisation.services.rattachements import (
    demande_habilitation_traiter,
    habilitation_demander,
    rattachement_accepter,
    rattachement_demander,
    rattachement_refuser,
)
from organisation.services.structures import structure_refuser, structure_valider
from organisation.services.support import structure_marquer_doublon
from tests.factories import StructureFactory, UtilisateurFactory, rattacher
from tests.facturation.recues.conftest import Monde
from travaux.models import DossierFacturation, PieceTravaux
from travaux.services.relances import relancer_moe

pytestmark = pytest.mark.django_db


def messages_de(utilisateur):
    return list(Notification.objects.filter(destinataire=utilisateur))


# --- invoices: the supplier hears of « À recycler », « Suspendue », « Rejetée », « Mise en paiement » ---------------


@pytest.fixture
def monde(db):
    monde = Monde()
    # the supplier's other users: one follows its invoices, one only its works pieces
    monde.comptable = UtilisateurFactory()
    rattacher(monde.comptable, monde.fournisseur, (Application.FACTURES_EMISES, Niveau.CONSULTATION))
    monde.chef_chantier = UtilisateurFactory()
    rattacher(monde.chef_chantier, monde.fournisseur, (Application.FACTURES_TRAVAUX, Niveau.MODIFICATION))
    return monde


def test_une_facture_rejetee_par_le_destinataire_previent_le_fournisseur(monde):
    facture = monde.facture(numero="FAC-2026-041")
    facture_traiter(facture=facture, par=monde.agent, statut_cible="REJETEE", motif="Facture en double",
                    commentaire="Déjà reçue le 3 mars.")  # fmt: skip

    lien = reverse("facturation:emises_consulter", args=[facture.pk])
    for utilisateur in (monde.agent_fournisseur, monde.comptable):
        (n,) = messages_de(utilisateur)
        assert n.titre == "Facture FAC-2026-041 rejetée"
        assert n.categorie == CategorieNotification.FACTURE and n.lien == lien and n.lue_le is None
        assert "adressée à Commune de Valbourg a le statut « Rejetée »" in n.texte
        assert "Motif : « Facture en double ». Commentaire : « Déjà reçue le 3 mars. »." in n.texte
    # neither the recipient's agents, nor a supplier's user without « Factures émises », nor another supplier
    for utilisateur in (monde.agent, monde.lecteur, monde.chef_chantier, monde.etranger):
        assert messages_de(utilisateur) == []


@pytest.mark.parametrize(
    "statut, titre",
    [("A_RECYCLER", "Facture F-1 à recycler"), ("SUSPENDUE", "Facture F-1 suspendue")],
)
def test_les_autres_statuts_notifies(monde, statut, titre):
    facture = monde.facture(numero="F-1")
    facture_traiter(facture=facture, par=monde.agent, statut_cible=statut, motif="Pièce justificative manquante")
    assert [n.titre for n in messages_de(monde.comptable)] == [titre]


def test_un_statut_sans_courriel_ne_laisse_pas_de_message(monde):
    facture_traiter(facture=monde.facture(), par=monde.agent, statut_cible="SERVICE_FAIT")
    assert not Notification.objects.exists()


def test_un_traitement_refuse_ne_laisse_pas_de_message(monde):
    with pytest.raises(ApplicationError):
        facture_traiter(facture=monde.facture(), par=monde.agent, statut_cible="REJETEE", motif="")
    assert not Notification.objects.exists()


# --- attachments, profiles, structures -----------------------------------------------------------------------------


@pytest.fixture
def structure(db):
    return StructureFactory(raison_sociale="Mairie de Testville")


def test_demande_puis_acceptation_d_un_rattachement(structure):
    gp = structure.rattachements.get().utilisateur
    demandeur = UtilisateurFactory(prenom="Denise", nom="Demandeuse")
    rattachement = rattachement_demander(utilisateur=demandeur, structure=structure)

    (demande,) = messages_de(gp)
    assert demande.titre == "Demande de rattachement à Mairie de Testville"
    assert demande.texte.startswith("Denise Demandeuse demande à être rattaché à la structure Mairie de Testville.")
    assert demande.lien == reverse("organisation:approbations")
    assert demande.categorie == CategorieNotification.RATTACHEMENT

    rattachement_accepter(rattachement=rattachement, par=gp)
    (accepte,) = messages_de(demandeur)
    assert accepte.titre == "Rattachement à Mairie de Testville accepté"
    assert accepte.lien == reverse("organisation:structure", args=[structure.pk])
    assert len(messages_de(gp)) == 1


def test_refus_d_un_rattachement_avec_son_motif(structure):
    gp = structure.rattachements.get().utilisateur
    demandeur = UtilisateurFactory()
    rattachement = rattachement_demander(utilisateur=demandeur, structure=structure)
    rattachement_refuser(rattachement=rattachement, par=gp, motif="Vous ne travaillez pas ici.")
    (refus,) = messages_de(demandeur)
    assert refus.titre == "Rattachement à Mairie de Testville refusé"
    assert refus.texte.endswith("Motif : « Vous ne travaillez pas ici. ».")
    assert refus.lien == reverse("organisation:demander_rattachement")


def test_un_refus_sans_motif_ne_laisse_pas_de_message(structure):
    gp = structure.rattachements.get().utilisateur
    demandeur = UtilisateurFactory()
    rattachement = rattachement_demander(utilisateur=demandeur, structure=structure)
    with pytest.raises(ApplicationError):
        rattachement_refuser(rattachement=rattachement, par=gp, motif=" ")
    assert messages_de(demandeur) == []


def test_demande_de_profil_traitee(structure):
    gp = structure.rattachements.get().utilisateur
    lecteur = UtilisateurFactory(prenom="Luc", nom="Lecteur")
    rattachement = rattacher(lecteur, structure, (Application.ORGANISATION, Niveau.CONSULTATION))
    demande = habilitation_demander(
        rattachement=rattachement, par=lecteur, application=Application.ORGANISATION, niveau=Niveau.MODIFICATION
    )
    assert [n.titre for n in messages_de(gp)] == ["Demande de profil pour Mairie de Testville"]
    demande_habilitation_traiter(demande=demande, par=gp, accepter=False, motif="Pas pour l'instant.")
    (n,) = messages_de(lecteur)
    assert n.titre == "Votre demande de profil sur Mairie de Testville refusée"
    assert "« Organisation – modification »" in n.texte and "Pas pour l'instant." in n.texte


def _structure_publique(nom):
    createur = UtilisateurFactory()
    structure = StructureFactory(gestionnaire=createur, raison_sociale=nom, est_publique=True)
    return structure, createur


def test_le_support_est_prevenu_puis_le_gestionnaire_de_la_decision(db):
    agent = UtilisateurFactory(est_agent_support=True)
    structure, createur = _structure_publique("Commune de Nouvelleville")
    assert [(n.titre, n.lien) for n in messages_de(agent)] == [
        ("Structure publique à valider : Commune de Nouvelleville", reverse("organisation:support_structures"))
    ]
    structure_valider(structure=structure, par=agent)
    (n,) = messages_de(createur)
    assert n.titre == "Votre structure Commune de Nouvelleville est validée"
    assert n.categorie == CategorieNotification.STRUCTURE

    autre, son_createur = _structure_publique("Commune de Refusville")
    structure_refuser(structure=autre, par=agent, motif="SIRET inconnu.")
    assert [n.titre for n in messages_de(son_createur)] == ["Création de la structure Commune de Refusville refusée"]


def test_structure_marquee_comme_doublon(db):
    agent = UtilisateurFactory(est_agent_support=True)
    origine, doublon = StructureFactory(raison_sociale="Origine SA"), StructureFactory(raison_sociale="Doublon SA")
    gp = doublon.rattachements.get().utilisateur
    structure_marquer_doublon(agent=agent, doublon=doublon, origine=origine, motif="Même SIREN.")
    (n,) = messages_de(gp)
    assert n.titre == "La structure Doublon SA est un doublon de Origine SA"
    assert n.lien == reverse("organisation:structure", args=[doublon.pk])


# --- works: the MOE's 7-day deadline -----------------------------------------------------------------------------


def test_la_relance_moe_previent_la_moa_et_le_fournisseur(db):
    from facturation.models import Facture

    paris = ZoneInfo("Europe/Paris")
    fournisseur = StructureFactory(raison_sociale="Bâtiments Durand")
    moe = StructureFactory(raison_sociale="Cabinet Moreau")
    moa = StructureFactory(raison_sociale="Commune de Saint-Exemple", est_publique=True)
    Structure.objects.filter(pk=moa.pk).update(statut=StatutStructure.ACTIVE)
    service = Service.objects.create(structure=moa, code="TECH", libelle="Services techniques")
    moa_tech, moa_autre_service, moa_sans_travaux = UtilisateurFactory(), UtilisateurFactory(), UtilisateurFactory()
    autre = Service.objects.create(structure=moa, code="AUTRE", libelle="Autre")
    rattacher(moa_tech, moa, (Application.FACTURES_TRAVAUX, Niveau.CONSULTATION, service))
    rattacher(moa_autre_service, moa, (Application.FACTURES_TRAVAUX, Niveau.CONSULTATION, autre))
    rattacher(moa_sans_travaux, moa, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
    dossier = DossierFacturation.objects.create(
        numero="DF-1", fournisseur=fournisseur, moe=moe, moa=moa, service_moa=service
    )
    depuis = datetime(2026, 3, 2, 10, 0, tzinfo=paris)
    facture = Facture.objects.create(
        numero="PDM-001",
        cadre="A4",
        fournisseur=fournisseur,
        destinataire=moe,
        statut="MISE_A_DISPOSITION_MOE",
        statut_depuis=depuis,
        deposee_le=depuis,
    )
    piece = PieceTravaux.objects.create(facture=facture, dossier=dossier, role_deposant="fournisseur")

    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=paris), tick=False):
        assert relancer_moe() == 1
        assert relancer_moe() == 0  # the same day: nothing more

    lien = reverse("travaux:dossier_piece", args=[piece.pk])
    (pour_la_moa,) = messages_de(moa_tech)
    assert pour_la_moa.titre == "Pièce PDM-001 en attente de la maîtrise d'œuvre depuis 8 jours"
    assert pour_la_moa.lien == lien and pour_la_moa.categorie == CategorieNotification.TRAVAUX
    assert "maîtrise d'ouvrage (Commune de Saint-Exemple)" in pour_la_moa.texte
    gp_moa = moa.rattachements.get(est_gestionnaire_principal=True).utilisateur
    assert len(messages_de(gp_moa)) == 1
    gp_fournisseur = fournisseur.rattachements.get().utilisateur
    assert [n.titre for n in messages_de(gp_fournisseur)] == [
        "Votre pièce PDM-001 en attente de la maîtrise d'œuvre depuis 8 jours"
    ]
    for utilisateur in (moa_autre_service, moa_sans_travaux, moe.rattachements.get().utilisateur):
        assert messages_de(utilisateur) == []
