import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure
from organisation.habilitations import (
    Perimetre,
    habilitations_actives,
    ouvertures,
    perimetre,
    peut,
    structures_du_perimetre,
    structures_visibles,
    titulaires,
    une_lecture_par_requete,
)
from organisation.models import Habilitation, Service, Structure
from tests.conftest import connecter
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


def _lus_a_part(user, application, niveau):
    """The perimeter and the structures as their own queries read them before issue #16's shared read."""
    entieres, par_structure = set(), {}
    lignes = habilitations_actives(user, application, niveau).values_list("rattachement__structure_id", "service_id")
    for structure, service in lignes:
        if service is None:
            entieres.add(structure)
        else:
            par_structure.setdefault(structure, set()).add(service)
    services = tuple((s, frozenset(ids)) for s, ids in sorted(par_structure.items()) if s not in entieres)
    structures = Structure.objects.filter(pk__in={s for s, _ in lignes}).order_by("raison_sociale", "pk")
    return Perimetre(frozenset(entieres), services), [(s.pk, s.raison_sociale, s.identifiant) for s in structures]


@pytest.mark.parametrize("qui", ["gp", "lecteur", "limite", "en_attente", "etranger"])
def test_le_perimetre_lu_des_profils_est_celui_des_habilitations_actives(monde, qui):
    user = monde[qui]
    # a structure that is not active: its profiles open nothing
    rattacher(user, StructureFactory(statut=StatutStructure.INACTIVE), (RECUES, MODIF))
    for application in Application:
        for niveau in Niveau:
            attendu, structures = _lus_a_part(user, application, niveau)
            assert perimetre(user, application, niveau) == attendu
            assert structures_du_perimetre(user, application, niveau) == structures


def test_une_requete_get_lit_les_profils_une_fois_et_oublie_apres_une_ecriture(monde, django_assert_num_queries):
    limite, structure = monde["limite"], monde["structure"]
    with une_lecture_par_requete():
        with django_assert_num_queries(1):
            perimetre(limite, RECUES)
            perimetre(limite, EMISES)
            ouvertures(limite)
        assert not perimetre(limite, EMISES).structures
        # a profile given within the request (signals): read again, and seen
        rattachement = limite.rattachements.get(structure=structure)
        Habilitation.objects.create(rattachement=rattachement, application=EMISES, niveau=CONSULT)
        assert perimetre(limite, EMISES).structures == {structure.pk}
    # outside a request, every call reads the database: a test or a task sees what it just wrote
    with django_assert_num_queries(2):
        perimetre(limite, RECUES)
        perimetre(limite, RECUES)


def test_une_ecriture_en_masse_fait_oublier_les_profils_lus(monde):
    """bulk_create and update send no post_save: a service giving profiles in bulk (a new technical account, a
    transfer) and reading them in the same API call must see them."""
    limite, structure = monde["limite"], monde["structure"]
    rattachement = limite.rattachements.get(structure=structure)
    with une_lecture_par_requete():
        assert not perimetre(limite, EMISES).structures
        Habilitation.objects.bulk_create([Habilitation(rattachement=rattachement, application=EMISES, niveau=CONSULT)])
        assert perimetre(limite, EMISES).structures == {structure.pk}
        Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.INACTIVE)
        assert not perimetre(limite, EMISES).structures


def test_la_page_de_recherche_lit_les_profils_une_fois(client, monde):
    """The header's menus, the rows' and the counters' perimeter, the form's structures: one read of the profiles."""
    connecter(client, monde["limite"])
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(reverse("facturation:recues_rechercher")).status_code == 200
    assert len([q for q in requetes.captured_queries if '"organisation_habilitation"' in q["sql"]]) == 1


def test_la_page_suivante_voit_un_changement_de_rattachement(client, monde):
    """The memo lives as long as one request: a profile given, then the attachment ended, between two pages."""
    limite = monde["limite"]
    connecter(client, limite)
    emises = reverse("facturation:emises_accueil")

    def page():
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(reverse("accueil"))
        assert reponse.status_code == 200
        lectures = [q for q in requetes.captured_queries if '"organisation_habilitation"' in q["sql"]]
        return f'href="{emises}"' in reponse.text, len(lectures)

    assert page() == (False, 1)
    Habilitation.objects.create(rattachement=limite.rattachements.get(), application=EMISES, niveau=CONSULT)
    assert page() == (True, 1)
    limite.rattachements.update(statut=StatutRattachement.TERMINE)
    assert page() == (False, 1)


def test_titulaires_suit_les_profils_les_services_et_les_niveaux(db):
    structure = StructureFactory()
    gp = structure.rattachements.get().utilisateur
    achats = Service.objects.create(structure=structure, code="ACHATS", libelle="Achats")
    travaux = Service.objects.create(structure=structure, code="TRAVAUX", libelle="Travaux")
    lecteur, du_service, d_un_autre_service, autre_profil, en_attente, inactif = (
        UtilisateurFactory() for _ in range(6)
    )
    rattacher(lecteur, structure, (EMISES, CONSULT))
    rattacher(du_service, structure, (EMISES, MODIF, achats))
    rattacher(d_un_autre_service, structure, (EMISES, MODIF, travaux))
    rattacher(autre_profil, structure, (RECUES, MODIF))
    rattacher(en_attente, structure, (EMISES, MODIF), statut=StatutRattachement.EN_ATTENTE)
    rattacher(inactif, structure, (EMISES, MODIF))
    inactif.is_active = False
    inactif.save()
    rattacher(UtilisateurFactory(), StructureFactory(), (EMISES, MODIF))

    assert list(titulaires(structure, [EMISES])) == [gp, lecteur]
    assert list(titulaires(structure, [EMISES], service=achats)) == [gp, lecteur, du_service]
    assert list(titulaires(structure, [EMISES, RECUES])) == [gp, lecteur, autre_profil]
    # « modification » only: the reader of the whole structure is not among them
    assert list(titulaires(structure, [EMISES], niveau=MODIF)) == [gp]
    assert list(titulaires(structure, [EMISES], niveau=MODIF, service=achats)) == [gp, du_service]


@pytest.mark.parametrize("statut", [StatutStructure.INACTIVE, StatutStructure.EN_ATTENTE_VALIDATION])
def test_une_structure_qui_n_est_pas_active_n_a_pas_de_titulaires(db, statut):
    """Its holders can act on nothing there (peut() says no): no mail or message sends them to it."""
    structure = StructureFactory()
    lecteur = UtilisateurFactory()
    rattacher(lecteur, structure, (EMISES, MODIF), (ORGA, MODIF))
    assert list(titulaires(structure, [EMISES])) == [structure.rattachements.first().utilisateur, lecteur]
    Structure.objects.filter(pk=structure.pk).update(statut=statut)
    assert list(titulaires(structure, [EMISES])) == []
    assert list(titulaires(structure, [ORGA], niveau=MODIF)) == []
