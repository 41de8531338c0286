import pytest
from django.contrib.auth.models import AnonymousUser

from organisation.enums import Application, Niveau, StatutRattachement
from organisation.habilitations import peut, structures_visibles
from organisation.models import Service, Structure
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

EMISES, RECUES, ORGA = Application.FACTURES_EMISES, Application.FACTURES_RECUES, Application.ORGANISATION
CONSULT, MODIF = Niveau.CONSULTATION, Niveau.MODIFICATION


@pytest.fixture
def monde(db):
    structure = StructureFactory()
    autre = StructureFactory()
    service_a = Service.objects.create(structure=structure, code="A", libelle="Service A")
    service_b = Service.objects.create(structure=structure, code="B", libelle="Service B")
    gp = structure.rattachements.get().utilisateur
    lecteur = UtilisateurFactory()
    rattacher(lecteur, structure, (EMISES, CONSULT))
    limite = UtilisateurFactory()
    rattacher(limite, structure, (RECUES, MODIF, service_a))
    en_attente = UtilisateurFactory()
    rattacher(en_attente, structure, (EMISES, MODIF), statut=StatutRattachement.EN_ATTENTE)
    etranger = autre.rattachements.get().utilisateur
    return locals()


def test_le_gestionnaire_principal_a_tout_sur_sa_structure_et_rien_ailleurs(monde):
    gp, structure, autre = monde["gp"], monde["structure"], monde["autre"]
    for application in Application:
        assert peut(gp, application, MODIF, structure)
        assert peut(gp, application, CONSULT, structure)
        assert not peut(gp, application, CONSULT, autre)


def test_consultation_n_ouvre_pas_la_modification(monde):
    lecteur, structure = monde["lecteur"], monde["structure"]
    assert peut(lecteur, EMISES, CONSULT, structure)
    assert not peut(lecteur, EMISES, MODIF, structure)
    assert not peut(lecteur, RECUES, CONSULT, structure)


def test_une_habilitation_de_service_ne_couvre_que_ce_service(monde):
    limite, structure = monde["limite"], monde["structure"]
    assert peut(limite, RECUES, MODIF, structure, monde["service_a"])
    assert not peut(limite, RECUES, CONSULT, structure, monde["service_b"])
    assert not peut(limite, RECUES, CONSULT, structure)  # not the whole structure


def test_rattachement_en_attente_utilisateur_inactif_ou_anonyme_n_ont_rien(monde):
    structure = monde["structure"]
    assert not peut(monde["en_attente"], EMISES, CONSULT, structure)
    assert not peut(AnonymousUser(), EMISES, CONSULT, structure)
    gp = monde["gp"]
    gp.is_active = False
    gp.save()
    assert not peut(gp, ORGA, CONSULT, structure)


def test_le_perimetre_d_un_queryset_suit_la_meme_regle(monde, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert list(structures_visibles(monde["lecteur"], EMISES)) == [monde["structure"]]
    assert list(structures_visibles(monde["lecteur"], RECUES)) == []
    assert list(structures_visibles(monde["etranger"], EMISES)) == [monde["autre"]]
    assert set(Structure.objects.all()) == {monde["structure"], monde["autre"]}
