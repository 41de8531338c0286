"""« Gérer délégation des factures reçues »: a public entity names a valideur délégué (rows 62, 63)."""

import pytest
from django.urls import reverse

from chorus.exceptions import ApplicationError
from facturation.models import DelegationFactures
from facturation.selectors.delegation import delegation_applicable
from facturation.services.delegation import delegation_creer, delegation_terminer
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service, Structure
from tests.conftest import connecter
from tests.factories import StructureFactory, facture_deposee
from tests.facturation.validation.conftest import agent, structure_publique_active

pytestmark = pytest.mark.django_db

LISTE = reverse("facturation:delegation_liste")


class Parties:
    def __init__(self):
        self.commune = structure_publique_active(raison_sociale="Commune de Valbourg")
        self.achats = Service.objects.create(structure=self.commune, code="ACHATS", libelle="Achats")
        self.voirie = Service.objects.create(structure=self.commune, code="VOIRIE", libelle="Voirie")
        self.ancien = Service.objects.create(structure=self.commune, code="ANCIEN", libelle="Ancien", actif=False)
        self.cabinet = StructureFactory(raison_sociale="Cabinet Délégué")
        self.autre_cabinet = StructureFactory(raison_sociale="Autre Cabinet")
        self.gestionnaire = agent(self.commune, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
        self.lecteur = agent(self.commune, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
        self.valideur_delegue = agent(self.cabinet, (Application.VALIDATION, Niveau.MODIFICATION))
        self.etranger = structure_publique_active(raison_sociale="Autre commune").rattachements.get().utilisateur

    def creer(self, delegue=None, droit="VALIDATION", services=(), par=None):
        return delegation_creer(
            delegant=self.commune,
            par=par or self.gestionnaire,
            siret=(delegue or self.cabinet).identifiant,
            droit=droit,
            services=services,
        )


@pytest.fixture
def parties():
    return Parties()


def test_creer_une_delegation_de_toute_la_structure(parties):
    delegation = parties.creer(droit="TRAITEMENT")
    assert (delegation.delegue, delegation.droit, delegation.active) == (parties.cabinet, "TRAITEMENT", True)
    assert delegation.cree_par == parties.gestionnaire
    assert delegation_applicable(parties.commune, parties.achats) == delegation
    assert delegation_applicable(parties.commune) == delegation


def test_delegation_limitee_a_des_services(parties):
    delegation = parties.creer(services=[parties.achats])
    assert delegation_applicable(parties.commune, parties.achats) == delegation
    assert delegation_applicable(parties.commune, parties.voirie) is None
    assert delegation_applicable(parties.commune) is None
    # another delegate for another service
    voirie = parties.creer(delegue=parties.autre_cabinet, services=[parties.voirie])
    assert delegation_applicable(parties.commune, parties.voirie) == voirie


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("", "Saisissez le SIRET de la structure (14 chiffres)."),
        ("123", "Le SIRET doit comporter 14 chiffres (3 caractères saisis)."),
        ("73282932000074", "Aucune structure n'a le SIRET 73282932000074 sur Chorus Pro."),
    ],
)
def test_siret_invalide(parties, siret, message):
    with pytest.raises(ApplicationError) as erreur:
        delegation_creer(delegant=parties.commune, par=parties.gestionnaire, siret=siret, droit="VALIDATION")
    assert (erreur.value.message, erreur.value.champ) == (message, "siret")


def test_refus_explicites(parties):
    with pytest.raises(ApplicationError, match="ne peut pas se déléguer ses propres factures"):
        parties.creer(delegue=parties.commune)
    Structure.objects.filter(pk=parties.autre_cabinet.pk).update(statut=StatutStructure.INACTIVE)
    with pytest.raises(ApplicationError, match="Autre Cabinet .* n'est pas active"):
        parties.creer(delegue=parties.autre_cabinet)
    with pytest.raises(ApplicationError, match="Le service ANCIEN n'est pas un service actif"):
        parties.creer(services=[parties.ancien])
    with pytest.raises(ApplicationError, match="Choisissez le droit accordé"):
        parties.creer(droit="TOUT")
    for qui in (parties.lecteur, parties.etranger, parties.valideur_delegue):
        with pytest.raises(ApplicationError, match="Factures reçues – modification"):
            parties.creer(par=qui)
    assert not DelegationFactures.objects.exists()


def test_une_structure_privee_ne_delegue_pas(parties):
    gp = parties.cabinet.rattachements.get(est_gestionnaire_principal=True).utilisateur
    with pytest.raises(ApplicationError, match="Seule une structure publique active"):
        delegation_creer(delegant=parties.cabinet, par=gp, siret=parties.autre_cabinet.identifiant, droit="VALIDATION")


def test_une_seule_delegation_active_par_delegue_et_pas_de_chevauchement(parties):
    premiere = parties.creer(services=[parties.achats])
    with pytest.raises(ApplicationError, match="Une délégation est déjà active vers Cabinet Délégué"):
        parties.creer(services=[parties.voirie])
    with pytest.raises(ApplicationError, match="Service déjà délégué à Cabinet Délégué : ACHATS."):
        parties.creer(delegue=parties.autre_cabinet, services=[parties.achats, parties.voirie])
    with pytest.raises(ApplicationError, match="Des services sont déjà délégués à Cabinet Délégué"):
        parties.creer(delegue=parties.autre_cabinet)
    delegation_terminer(delegation=premiere, par=parties.gestionnaire)
    premiere.refresh_from_db()
    assert not premiere.active and premiere.terminee_le is not None
    assert delegation_applicable(parties.commune, parties.achats) is None
    toute = parties.creer()  # the same delegate again, once the first one has ended
    with pytest.raises(ApplicationError, match="toute la structure sont déjà déléguées à Cabinet Délégué"):
        parties.creer(delegue=parties.autre_cabinet, services=[parties.voirie])
    with pytest.raises(ApplicationError, match="Factures reçues – modification"):
        delegation_terminer(delegation=toute, par=parties.lecteur)
    delegation_terminer(delegation=toute, par=parties.gestionnaire)
    with pytest.raises(ApplicationError, match="déjà terminée"):
        delegation_terminer(delegation=toute, par=parties.gestionnaire)


def test_la_contrainte_de_base_donne_un_message_clair(parties, monkeypatch):
    from facturation.services import delegation as module

    parties.creer()
    # as if another agent had created the same delegation between the check and the insert
    monkeypatch.setattr(module, "_verifier_chevauchement", lambda *args: None)
    with pytest.raises(ApplicationError, match="Une délégation est déjà active vers Cabinet Délégué") as erreur:
        parties.creer()
    assert erreur.value.champ == "siret"
    assert DelegationFactures.objects.count() == 1


# --- pages ---


def test_page_liste_et_creation(client, parties):
    connecter(client, parties.gestionnaire)
    contenu = client.get(LISTE).content.decode()
    assert "Nouvelle délégation pour Commune de Valbourg" in contenu
    url = reverse("facturation:delegation_creer", args=[parties.commune.pk])
    contenu = client.get(url).content.decode()
    assert "ACHATS – Achats" in contenu and "ANCIEN" not in contenu
    reponse = client.post(url, {"siret": "", "droit": ""})
    contenu = reponse.content.decode()
    assert 'id="resume-erreurs"' in contenu and "Le formulaire contient 2 erreurs" in contenu
    assert "SIRET de la structure déléguée : Saisissez le SIRET de la structure déléguée (14 chiffres)." in contenu
    assert "Droit accordé : Choisissez le droit accordé" in contenu
    reponse = client.post(url, {"siret": "123", "droit": "VALIDATION"})
    assert "SIRET de la structure déléguée : Le SIRET doit comporter 14 chiffres (3 caractères saisis)." in (
        reponse.content.decode()
    )
    reponse = client.post(
        url,
        {"siret": parties.cabinet.identifiant, "droit": "TRAITEMENT", "services": [parties.achats.pk]},
        follow=True,
    )
    contenu = reponse.content.decode()
    assert (
        "Cabinet Délégué est valideur délégué des factures reçues par Commune de Valbourg (droit de traitement)"
        in (contenu)
    )
    assert "Active depuis le" in contenu and "ACHATS" in contenu
    delegation = DelegationFactures.objects.get()
    assert list(delegation.services.all()) == [parties.achats]
    # the same again: a French error on the SIRET field
    reponse = client.post(url, {"siret": parties.cabinet.identifiant, "droit": "VALIDATION"})
    assert (
        "SIRET de la structure déléguée : Une délégation est déjà active vers Cabinet Délégué"
        in reponse.content.decode()
    )


def test_terminer_depuis_la_page(client, parties):
    delegation = parties.creer()
    connecter(client, parties.gestionnaire)
    url = reverse("facturation:delegation_terminer", args=[delegation.pk])
    assert "Terminer la délégation à Cabinet Délégué" in client.get(url).content.decode()
    contenu = client.post(url, follow=True).content.decode()
    assert "La délégation à Cabinet Délégué est terminée." in contenu and "Terminée le" in contenu
    delegation.refresh_from_db()
    assert not delegation.active


def test_le_lecteur_voit_sans_gerer(client, parties):
    delegation = parties.creer()
    connecter(client, parties.lecteur)
    contenu = client.get(LISTE).content.decode()
    assert "Cabinet Délégué" in contenu and "Nouvelle délégation" not in contenu and "Terminer" not in contenu
    assert client.get(reverse("facturation:delegation_creer", args=[parties.commune.pk])).status_code == 404
    assert client.post(reverse("facturation:delegation_terminer", args=[delegation.pk])).status_code == 404


def test_un_etranger_recoit_404(client, parties):
    delegation = parties.creer()
    connecter(client, parties.etranger)
    assert "Cabinet Délégué" not in client.get(LISTE).content.decode()
    assert client.get(reverse("facturation:delegation_creer", args=[parties.commune.pk])).status_code == 404
    reponse = client.post(
        reverse("facturation:delegation_creer", args=[parties.commune.pk]),
        {"siret": parties.autre_cabinet.identifiant, "droit": "VALIDATION"},
    )
    assert reponse.status_code == 404
    assert client.get(reverse("facturation:delegation_terminer", args=[delegation.pk])).status_code == 404
    assert client.post(reverse("facturation:delegation_terminer", args=[delegation.pk])).status_code == 404
    delegation.refresh_from_db()
    assert delegation.active and DelegationFactures.objects.count() == 1


def test_le_delegue_voit_la_delegation_et_ses_factures(client, parties):
    delegation = parties.creer(droit="VALIDATION")
    facture = facture_deposee(
        StructureFactory(), parties.commune, numero="DL-42", statut="A_VALIDER_1", valideur_1=parties.cabinet,
        delegation=delegation,
    )  # fmt: skip
    connecter(client, parties.valideur_delegue)
    contenu = client.get(LISTE).content.decode()
    assert "Délégations reçues par vos structures" in contenu and "Commune de Valbourg" in contenu
    contenu = client.get(reverse("facturation:validation_synthese")).content.decode()
    assert "DL-42" in contenu
    contenu = client.get(reverse("facturation:validation_facture", args=[facture.pk])).content.decode()
    assert "Droit de validation" in contenu and "Valider la facture" in contenu
    assert "Traiter la facture" not in contenu


@pytest.mark.parametrize("nombre", [1, 30])
def test_nombre_de_requetes_de_la_liste(client, parties, django_assert_max_num_queries, nombre):
    for _ in range(nombre):
        delegue = StructureFactory()
        d = parties.creer(
            delegue=delegue,
            services=[Service.objects.create(structure=parties.commune, code=f"S{delegue.pk}", libelle="S")],
        )
        delegation_terminer(delegation=d, par=parties.gestionnaire)
    connecter(client, parties.gestionnaire)
    with django_assert_max_num_queries(13):  # +1: the header's menus (chorus/menus.py)
        assert client.get(LISTE).status_code == 200
