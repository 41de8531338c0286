from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from chorus import differe
from chorus.models import ModificationDifferee
from chorus.tasks import appliquer_modifications_en_retard
from organisation.models import CoordonneeBancaire, Service
from organisation.services import coordonnees, structures
from tests.factories import StructureFactory

IBAN = "FR7630006000011234567890189"
STATUT = ModificationDifferee.Statut


@pytest.fixture
def structure(db):
    return StructureFactory(raison_sociale="Avant")


@pytest.fixture
def gp(structure):
    return structure.rattachements.get().utilisateur


def plus_tard(minutes=31):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes))


def test_une_modification_attend_son_heure_puis_s_applique(structure, gp, settings):
    modification = structures.structure_modifier(structure=structure, par=gp, raison_sociale="Après")
    assert modification.effective_le - modification.demandee_le == settings.MODIFICATIONS_DIFFEREES_DELAI
    assert list(differe.modifications_en_attente(perimetre=f"structure:{structure.pk}")) == [modification]
    appliquer_modifications_en_retard()  # not yet due
    structure.refresh_from_db()
    assert structure.raison_sociale == "Avant"
    with plus_tard():
        appliquer_modifications_en_retard()
    structure.refresh_from_db()
    modification.refresh_from_db()
    assert structure.raison_sociale == "Après"
    assert modification.statut == STATUT.APPLIQUEE and modification.appliquee_le is not None
    assert not differe.modifications_en_attente(perimetre=f"structure:{structure.pk}").exists()


def test_appliquer_deux_fois_n_applique_qu_une_fois(structure, gp):
    modification = coordonnees.coordonnee_bancaire_ajouter(structure=structure, par=gp, titulaire="Démo", iban=IBAN)
    with plus_tard():
        assert differe.modification_appliquer(modification_id=modification.pk) is True
        assert differe.modification_appliquer(modification_id=modification.pk) is False
        appliquer_modifications_en_retard()
    assert CoordonneeBancaire.objects.filter(structure=structure).count() == 1


def test_deux_modifications_du_meme_objet_s_appliquent_dans_l_ordre(structure, gp):
    premiere = structures.structure_modifier(structure=structure, par=gp, raison_sociale="Première")
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        seconde = structures.structure_modifier(structure=structure, par=gp, raison_sociale="Seconde")
    with plus_tard(40):
        # the later one's task comes first: the earlier change is applied before it, never after
        differe.modification_appliquer(modification_id=seconde.pk)
    structure.refresh_from_db()
    assert structure.raison_sociale == "Seconde"
    premiere.refresh_from_db()
    seconde.refresh_from_db()
    assert premiere.statut == seconde.statut == STATUT.APPLIQUEE


def test_une_modification_d_un_objet_supprime_est_abandonnee_avec_une_trace(structure, gp):
    service = Service.objects.create(structure=structure, code="S1", libelle="Service 1")
    modification = structures.service_modifier(service=service, par=gp, libelle="Nouveau libellé")
    service.delete()
    with plus_tard():
        appliquer_modifications_en_retard()
    modification.refresh_from_db()
    assert modification.statut == STATUT.ABANDONNEE
    assert modification.trace == differe.OBJET_SUPPRIME


def test_une_regle_violee_entre_temps_abandonne_la_modification(structure, gp):
    premiere = structures.service_creer(structure=structure, par=gp, code="ACHATS", libelle="Achats")
    Service.objects.create(structure=structure, code="ACHATS", libelle="Créé par ailleurs")
    with plus_tard():
        appliquer_modifications_en_retard()
    premiere.refresh_from_db()
    assert premiere.statut == STATUT.ABANDONNEE
    assert "existe déjà" in premiere.trace


def test_une_operation_inconnue_est_refusee_tout_de_suite(structure, gp):
    with pytest.raises(ValueError):
        differe.modification_programmer(objet=structure, operation="inconnue", donnees={}, par=gp, libelle="x")
