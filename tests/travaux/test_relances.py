"""The MOE's 7-day deadline (CCAG Travaux art. 12.2.2): daily mails to the MOA and the supplier from day 8 on."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from chorus.celery import app as celery_app
from chorus.models import Courriel
from facturation.models import Facture
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure, TypeIdentifiant
from organisation.matelas import siret_fictif
from organisation.models import Service, Structure
from tests.factories import UtilisateurFactory, rattacher
from travaux.models import DossierFacturation, PieceTravaux, RelanceMoe
from travaux.services.relances import jours_chez_la_moe, pieces_a_relancer, relancer_moe
from travaux.tasks import relancer_moe as tache_relancer_moe

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
GRAINES = itertools.count(61_000)


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


# Reached the MOE on Monday 2 March 2026 (day D) at 23:30, Paris time.
DEPOT = paris(2026, 3, 2, 23, 30)
JOUR_7 = paris(2026, 3, 9, 23, 59)
JOUR_8 = paris(2026, 3, 10, 0, 0, 30)
JOUR_8_SOIR = paris(2026, 3, 10, 22, 0)
JOUR_9 = paris(2026, 3, 11, 9, 0)


def structure(nom, **champs):
    return Structure.objects.create(
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret_fictif(next(GRAINES)),
        raison_sociale=nom,
        est_publique=True,
        statut=StatutStructure.ACTIVE,
        **champs,
    )


def utilisateur(email, structure, *applications, service=None, statut=StatutRattachement.ACTIF):
    user = UtilisateurFactory(email=email)
    rattacher(user, structure, *[(a, Niveau.CONSULTATION, service) for a in applications], statut=statut)
    return user


class Chantier:
    """A supplier, a MOE and a MOA (with its own address) sharing dossiers de facturation."""

    def __init__(self, email_moa="moa@mairie-exemple.fr"):
        self.fournisseur = structure("Bâtiments Durand")
        self.moe = structure("Cabinet d'architectes Moreau")
        self.moa = structure("Commune de Saint-Exemple", email=email_moa)
        utilisateur("travaux@durand.fr", self.fournisseur, Application.FACTURES_TRAVAUX)

    def piece(self, numero="PDM-001", *, depuis=DEPOT, cadre="A4", statut="MISE_A_DISPOSITION_MOE", dossier=None):
        dossier = dossier or DossierFacturation.objects.create(
            numero=f"DF-{numero}", fournisseur=self.fournisseur, moe=self.moe, moa=self.moa
        )
        facture = Facture.objects.create(
            numero=numero,
            cadre=cadre,
            fournisseur=self.fournisseur,
            destinataire=self.moe,
            statut=statut,
            statut_depuis=depuis,
            deposee_le=depuis,
        )
        return PieceTravaux.objects.create(facture=facture, dossier=dossier, role_deposant="fournisseur")


@pytest.fixture
def relancer(django_capture_on_commit_callbacks, mailoutbox):
    """Run the job at `maintenant` and return the mails it sent (the queued mails leave after commit)."""

    def lancer(maintenant):
        avant = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            relancer_moe(maintenant=maintenant)
        return mailoutbox[avant:]

    return lancer


def destinataires(messages):
    return sorted(adresse for message in messages for adresse in message.to)


@pytest.mark.parametrize(
    ("depuis", "maintenant", "jours", "relancee"),
    [
        # late on day D, last minute of D+7: still within the 7 days
        (paris(2026, 3, 2, 23, 30), paris(2026, 3, 9, 23, 59, 59), 7, False),
        # early on day D, first minute of D+8: less than 8×24 h later, but calendar day 8
        (paris(2026, 3, 2, 0, 5), paris(2026, 3, 10, 0, 0, 1), 8, True),
        (paris(2026, 3, 2, 23, 59), paris(2026, 3, 10, 0, 0, 1), 8, True),
        # across the switch to summer time (29 March 2026): Paris days, not blocks of 24 h
        (paris(2026, 3, 25, 23, 30), paris(2026, 4, 2, 0, 10), 8, True),
        (paris(2026, 3, 25, 0, 30), paris(2026, 4, 1, 23, 50), 7, False),
        # stored in UTC on the previous day, reached the MOE on 3 March in Paris
        (datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("UTC")), paris(2026, 3, 10, 12, 0), 7, False),
    ],
)
def test_le_jour_de_la_premiere_relance_est_d_plus_8_en_jours_de_paris(depuis, maintenant, jours, relancee):
    piece = Chantier().piece(depuis=depuis)
    assert jours_chez_la_moe(depuis, maintenant.date()) == jours
    assert pieces_a_relancer(maintenant).filter(pk=piece.pk).exists() is relancee


def test_au_jour_7_aucun_courriel(relancer):
    Chantier().piece()
    assert relancer(JOUR_7) == []
    assert not RelanceMoe.objects.exists()
    assert not Courriel.objects.exists()


def test_au_jour_8_un_courriel_a_la_moa_et_un_au_fournisseur(relancer):
    piece = Chantier().piece("PDM-042")
    messages = relancer(JOUR_8)

    assert destinataires(messages) == ["moa@mairie-exemple.fr", "travaux@durand.fr"]
    (a_la_moa,) = [m for m in messages if m.to == ["moa@mairie-exemple.fr"]]
    (au_fournisseur,) = [m for m in messages if m.to == ["travaux@durand.fr"]]
    assert a_la_moa.subject == "Chorus Pro – Pièce PDM-042 en attente de la maîtrise d'œuvre depuis 8 jours"
    assert au_fournisseur.subject == (
        "Chorus Pro – Votre pièce PDM-042 en attente de la maîtrise d'œuvre depuis 8 jours"
    )
    for message in (a_la_moa, au_fournisseur):
        assert "Le projet de décompte mensuel n° PDM-042 (A4)" in message.body
        assert "du dossier de facturation n° DF-PDM-042" in message.body
        assert "mis à disposition de la maîtrise d'œuvre Cabinet d'architectes Moreau le 02/03/2026" in message.body
        assert "depuis 8 jours" in message.body
        assert "(CCAG Travaux, article 12.2.2)" in message.body
        assert f"Accéder à Chorus Pro : {settings.URL_PORTAIL}" in message.body
        assert "&#x27;" not in message.body
    assert "En tant que maîtrise d'ouvrage (Commune de Saint-Exemple)" in a_la_moa.body
    assert "La maîtrise d'ouvrage Commune de Saint-Exemple en a été informée." in au_fournisseur.body
    assert list(RelanceMoe.objects.values_list("piece", "jour")) == [(piece.pk, JOUR_8.date())]


def test_deux_passages_le_meme_jour_n_envoient_qu_une_fois(relancer):
    Chantier().piece()
    assert len(relancer(JOUR_8)) == 2
    assert relancer(JOUR_8_SOIR) == []
    assert relancer_moe(maintenant=JOUR_8_SOIR) == 0
    assert Courriel.objects.count() == 2
    assert RelanceMoe.objects.count() == 1


def test_une_relance_deja_enregistree_pour_le_jour_empeche_l_envoi(relancer):
    # the row another run (or a concurrent worker) committed first is what counts
    piece = Chantier().piece()
    RelanceMoe.objects.create(piece=piece, jour=JOUR_8.date())
    assert relancer(JOUR_8) == []


def test_au_jour_9_deux_nouveaux_courriels(relancer):
    Chantier().piece()
    relancer(JOUR_8)
    messages = relancer(JOUR_9)
    assert destinataires(messages) == ["moa@mairie-exemple.fr", "travaux@durand.fr"]
    assert all("depuis 9 jours" in m.body for m in messages)
    assert list(RelanceMoe.objects.values_list("jour", flat=True)) == [JOUR_8.date(), JOUR_9.date()]
    assert Courriel.objects.count() == 4


def test_plus_rien_des_que_la_moe_a_agi(relancer):
    piece = Chantier().piece()
    assert len(relancer(JOUR_8)) == 2
    Facture.objects.filter(pk=piece.facture_id).update(statut="PRISE_EN_COMPTE_MOE", statut_depuis=JOUR_8_SOIR)
    assert relancer(JOUR_9) == []
    assert relancer(paris(2026, 3, 20, 9, 0)) == []
    assert RelanceMoe.objects.count() == 1


@pytest.mark.parametrize("statut", ["PRISE_EN_COMPTE_MOE", "REFUSEE_MOE", "MISE_A_DISPOSITION_MOA", "BROUILLON"])
def test_une_piece_qui_n_est_plus_chez_la_moe_n_est_pas_relancee(relancer, statut):
    Chantier().piece(statut=statut)
    assert relancer(JOUR_9) == []


@pytest.mark.parametrize("cadre", ["A7", "A15", "A1"])
def test_seul_le_cadre_a4_est_relance(relancer, cadre):
    Chantier().piece(cadre=cadre)
    assert relancer(JOUR_9) == []
    assert not RelanceMoe.objects.exists()


def test_chaque_piece_en_retard_a_ses_courriels(relancer):
    chantier = Chantier()
    dossier = chantier.piece("PDM-1").dossier
    chantier.piece("PDM-2", dossier=dossier, depuis=paris(2026, 3, 1, 10, 0))
    chantier.piece("PDM-3", depuis=paris(2026, 3, 5, 10, 0))  # day 6: not yet
    messages = relancer(JOUR_9)
    assert len(messages) == 4
    assert sorted(m.subject.split()[4] for m in messages if m.to == ["moa@mairie-exemple.fr"]) == ["PDM-1", "PDM-2"]
    assert relancer_moe(maintenant=JOUR_9) == 0


def test_sans_adresse_de_structure_les_utilisateurs_habilites_recoivent_le_courriel(relancer):
    chantier = Chantier(email_moa="")
    service_travaux = Service.objects.create(structure=chantier.moa, code="TRAVAUX", libelle="Services techniques")
    service_ecoles = Service.objects.create(structure=chantier.moa, code="ECOLES", libelle="Écoles")
    utilisateur("travaux@commune.fr", chantier.moa, Application.FACTURES_TRAVAUX)
    utilisateur("comptable@commune.fr", chantier.moa, Application.FACTURES_RECUES)
    utilisateur("technique@commune.fr", chantier.moa, Application.FACTURES_RECUES, service=service_travaux)
    utilisateur("ecoles@commune.fr", chantier.moa, Application.FACTURES_TRAVAUX, service=service_ecoles)
    utilisateur("emises@commune.fr", chantier.moa, Application.FACTURES_EMISES)
    utilisateur("attente@commune.fr", chantier.moa, Application.FACTURES_TRAVAUX, statut=StatutRattachement.EN_ATTENTE)
    UtilisateurFactory(email="inactif@commune.fr", is_active=False)
    utilisateur("commercial@durand.fr", chantier.fournisseur, Application.FACTURES_EMISES)
    utilisateur("achats@durand.fr", chantier.fournisseur, Application.FACTURES_RECUES)
    # the MOE and a stranger with the same profiles hear nothing
    utilisateur("moe@moreau.fr", chantier.moe, Application.FACTURES_TRAVAUX, Application.FACTURES_RECUES)
    autre = structure("Autre entreprise")
    utilisateur("intrus@autre.fr", autre, Application.FACTURES_TRAVAUX, Application.FACTURES_EMISES)

    piece = chantier.piece()
    DossierFacturation.objects.filter(pk=piece.dossier_id).update(service_moa=service_travaux)
    messages = relancer(JOUR_8)

    assert destinataires(m for m in messages if "maîtrise d'ouvrage (" in m.body) == [
        "comptable@commune.fr",
        "technique@commune.fr",
        "travaux@commune.fr",
    ]
    assert destinataires(m for m in messages if "en a été informée" in m.body) == [
        "commercial@durand.fr",
        "travaux@durand.fr",
    ]


def test_une_moa_sans_contact_n_empeche_pas_le_courriel_au_fournisseur(relancer):
    Chantier(email_moa="").piece()
    assert destinataires(relancer(JOUR_8)) == ["travaux@durand.fr"]
    assert RelanceMoe.objects.count() == 1


def test_la_tache_du_beat_relance_a_l_heure_du_serveur(django_capture_on_commit_callbacks, mailoutbox):
    Chantier().piece()
    assert settings.CELERY_BEAT_SCHEDULE["relances-moe"]["task"] == "travaux.tasks.relancer_moe"
    # what beat sends is the name: it must resolve to the task in the worker's registry
    tache = celery_app.tasks["travaux.tasks.relancer_moe"]
    assert tache.name == tache_relancer_moe.name
    with time_machine.travel(JOUR_7, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert tache.delay().get() == 0
    with time_machine.travel(JOUR_8, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert tache.delay().get() == 1
        assert tache.delay().get() == 0
    assert destinataires(mailoutbox) == ["moa@mairie-exemple.fr", "travaux@durand.fr"]
