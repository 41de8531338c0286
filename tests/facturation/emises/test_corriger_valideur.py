"""« Corriger le valideur » (chorus-pro-features.md row 65, corrigerValideurFacture): the supplier of an A9/A12
invoice names another validator while the first level has not answered; the 15-day clock starts over."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from facturation.enums import DroitDelegation
from facturation.models import DelegationFactures, FactureHistorique
from facturation.selectors import validation as selecteurs_validation
from facturation.services.suivi import facture_corriger_valideur
from facturation.services.validation import factures_hors_delai
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service, Structure
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

pytestmark = pytest.mark.django_db

DEPOT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_default_timezone())
CORRECTION = DEPOT + datetime.timedelta(days=10)


@pytest.fixture
def titulaires(monde):
    """The wrong validator the supplier first named, and the right one, which has a service."""
    faux = StructureFactory(raison_sociale="Bâtiment Erroné")
    bon = StructureFactory(raison_sociale="Titulaire Bâtiment")
    service = Service.objects.create(structure=bon, code="MARCHES", libelle="Marchés")
    return faux, bon, service


def facture_a9(monde, valideur, statut="A_VALIDER_1", **champs):
    champs.setdefault("cadre", "A9")
    return monde.facture(statut, valideur_1=valideur, deposee_le=DEPOT, **champs)


def url(facture):
    return reverse("facturation:emises_corriger_valideur", args=[facture.pk])


def url_consulter(facture):
    return reverse("facturation:emises_consulter", args=[facture.pk])


def corrections(facture):
    return list(
        FactureHistorique.objects.filter(facture=facture, action="corrigerValideurFacture").values_list(
            "de_statut", "vers_statut", "par", "commentaire"
        )
    )


def valideur_de(structure):
    user = UtilisateurFactory()
    rattacher(user, structure, (Application.VALIDATION, Niveau.MODIFICATION))
    return user


# --- the service ---


def test_corriger_le_valideur_le_soumet_au_nouveau_et_relance_les_15_jours(monde, titulaires):
    faux, bon, service = titulaires
    facture = facture_a9(monde, faux)
    assert facture.statut_depuis == DEPOT
    with time_machine.travel(CORRECTION, tick=False):
        ligne = facture_corriger_valideur(
            facture=facture, par=monde.gp, identifiant_valideur=f" {bon.identifiant} ", code_service_valideur="MARCHES"
        )
    assert (facture.statut, facture.statut_depuis, facture.valideur_1, facture.service_valideur_1) == (
        "A_VALIDER_1",
        CORRECTION,
        bon,
        service,
    )
    facture.refresh_from_db()
    assert (facture.statut, facture.statut_depuis, facture.valideur_1, facture.service_valideur_1) == (
        "A_VALIDER_1",
        CORRECTION,
        bon,
        service,
    )
    assert (ligne.action, ligne.le) == ("corrigerValideurFacture", CORRECTION)
    assert corrections(facture) == [
        (
            "A_VALIDER_1",
            "A_VALIDER_1",
            monde.gp.pk,
            f"Valideur : Bâtiment Erroné ({faux.identifiant}) → Titulaire Bâtiment ({bon.identifiant}), "
            "service MARCHES",
        )
    ]
    # the new validator sees it, the former one no longer does
    assert facture in selecteurs_validation.factures_visibles(valideur_de(bon))
    assert facture not in selecteurs_validation.factures_visibles(valideur_de(faux))
    # 16 days after the deposit, 6 after the correction: not yet a tacit validation
    assert facture not in factures_hors_delai(DEPOT + datetime.timedelta(days=16))
    assert facture in factures_hors_delai(CORRECTION + datetime.timedelta(days=15))


def test_corriger_apres_un_refus_pour_erreur_de_valideur(monde, titulaires):
    faux, bon, _service = titulaires
    facture = facture_a9(monde, faux, "ERREUR_FOURNISSEUR_SUR_VALIDEUR", cadre="A12")
    facture_corriger_valideur(facture=facture, par=monde.gp, identifiant_valideur=bon.identifiant)
    facture.refresh_from_db()
    assert (facture.statut, facture.valideur_1, facture.service_valideur_1) == ("A_VALIDER_1", bon, None)
    assert corrections(facture)[0][:2] == ("ERREUR_FOURNISSEUR_SUR_VALIDEUR", "A_VALIDER_1")


def _erreur(monde, facture, identifiant, code=""):
    with pytest.raises(ApplicationError) as erreur:
        facture_corriger_valideur(
            facture=facture, par=monde.gp, identifiant_valideur=identifiant, code_service_valideur=code
        )
    return erreur.value.champ, erreur.value.message


def test_les_erreurs_nomment_le_champ(monde, titulaires):
    faux, bon, service = titulaires
    facture = facture_a9(monde, faux)
    inactive = StructureFactory(raison_sociale="Ancienne Entreprise")
    Structure.objects.filter(pk=inactive.pk).update(statut=StatutStructure.INACTIVE)
    Service.objects.filter(pk=service.pk).update(actif=False)

    assert _erreur(monde, facture, "  ") == ("identifiant_valideur", "Le SIRET du valideur est obligatoire.")
    assert _erreur(monde, facture, "99999999999999") == (
        "identifiant_valideur",
        "Le SIRET du valideur 99999999999999 n'est celui d'aucune structure de Chorus Pro.",
    )
    assert _erreur(monde, facture, inactive.identifiant) == (
        "identifiant_valideur",
        f"Le valideur {inactive.identifiant} (Ancienne Entreprise) n'est pas une structure active : indiquez le "
        "SIRET d'une structure active.",
    )
    assert _erreur(monde, facture, monde.fournisseur.identifiant) == (
        "identifiant_valideur",
        "Le SIRET du valideur est le vôtre : le valideur doit être une autre structure que le fournisseur.",
    )
    assert _erreur(monde, facture, faux.identifiant) == (
        "identifiant_valideur",
        "Ce valideur est déjà celui de la facture : indiquez un autre SIRET ou un autre code service.",
    )
    for code in ("INCONNU", "MARCHES"):  # unknown, then inactive
        assert _erreur(monde, facture, bon.identifiant, code) == (
            "code_service_valideur",
            f"Le code service du valideur « {code} » n'existe pas ou n'est pas actif chez Titulaire Bâtiment.",
        )
    facture.refresh_from_db()
    assert (facture.valideur_1, facture.statut_depuis, corrections(facture)) == (faux, DEPOT, [])


def test_seul_le_fournisseur_en_modification_corrige(monde, titulaires):
    faux, bon, _service = titulaires
    facture = facture_a9(monde, faux)
    for user in (monde.lecteur, monde.etranger, monde.agent, valideur_de(faux)):
        with pytest.raises(TransitionInterdite) as erreur:
            facture_corriger_valideur(facture=facture, par=user, identifiant_valideur=bon.identifiant)
        assert erreur.value.message == "Vous n'êtes pas habilité à effectuer l'action « Corriger le valideur »."
    facture.refresh_from_db()
    assert (facture.valideur_1, corrections(facture)) == (faux, [])


def test_ni_une_facture_deleguee_ni_une_facture_deja_validee(monde, titulaires):
    faux, bon, _service = titulaires
    # the delegate of an A1 invoice is the recipient's choice
    delegation = DelegationFactures.objects.create(
        delegant=monde.destinataire, delegue=faux, droit=DroitDelegation.VALIDATION
    )
    deleguee = facture_a9(monde, faux, cadre="A1", delegation=delegation)
    with pytest.raises(TransitionInterdite):
        facture_corriger_valideur(facture=deleguee, par=monde.gp, identifiant_valideur=bon.identifiant)
    for statut, libelle in (
        ("A_VALIDER_2", "Mise à disposition du second valideur"),
        ("MISE_A_DISPOSITION", "Mise à disposition du destinataire"),
        ("REFUSEE_1", "Refusée par niveau 1"),
    ):
        facture = facture_a9(monde, faux, statut)
        with pytest.raises(TransitionInterdite) as erreur:
            facture_corriger_valideur(facture=facture, par=monde.gp, identifiant_valideur=bon.identifiant)
        assert erreur.value.message == f"Action « Corriger le valideur » impossible au statut « {libelle} »."
        facture.refresh_from_db()
        assert facture.valideur_1 == faux


# --- the pages ---


def test_le_bouton_et_la_page_de_correction(client, monde, titulaires):
    faux, bon, _service = titulaires
    facture = facture_a9(monde, faux)
    connecter(client, monde.gp)
    contenu = client.get(url_consulter(facture)).content.decode()
    assert f'href="{url(facture)}">Corriger le valideur</a>' in contenu
    assert f"La facture attend la validation de Bâtiment Erroné (SIRET {faux.identifiant})" in contenu

    reponse = client.get(url(facture))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert f"Corriger le valideur de la facture {facture.numero}" in contenu
    assert f'name="identifiant_valideur" value="{faux.identifiant}"' in contenu
    assert f"Valideur actuel : Bâtiment Erroné (SIRET {faux.identifiant})." in contenu

    reponse = client.post(
        url(facture), {"identifiant_valideur": bon.identifiant, "code_service_valideur": "MARCHES"}, follow=True
    )
    assert reponse.redirect_chain == [(url_consulter(facture), 302)]
    contenu = reponse.content.decode()
    assert (
        f"Le valideur de la facture {facture.numero} est corrigé : elle attend la validation de Titulaire "
        "Bâtiment, qui a 15 jours pour répondre." in contenu
    )
    assert f"Valideur : Bâtiment Erroné ({faux.identifiant}) → Titulaire Bâtiment ({bon.identifiant})" in contenu
    facture.refresh_from_db()
    assert (facture.statut, facture.valideur_1) == ("A_VALIDER_1", bon)


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("99999999999999", "SIRET du valideur : Le SIRET du valideur 99999999999999 n&#x27;est celui d&#x27;aucune"),
        ("", "SIRET du valideur : Le SIRET du valideur est obligatoire."),
        ("fournisseur", "SIRET du valideur : Le SIRET du valideur est le vôtre"),
    ],
)
def test_la_page_montre_l_erreur_sur_le_champ(client, monde, titulaires, siret, message):
    faux, _bon, _service = titulaires
    facture = facture_a9(monde, faux)
    connecter(client, monde.gp)
    siret = monde.fournisseur.identifiant if siret == "fournisseur" else siret
    reponse = client.post(url(facture), {"identifiant_valideur": siret})
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert 'id="resume-erreurs"' in contenu and 'href="#id_identifiant_valideur"' in contenu
    assert message in contenu
    assert "<title>Erreur – Corriger le valideur" in contenu
    facture.refresh_from_db()
    assert facture.valideur_1 == faux


def test_le_lecteur_voit_la_facture_sans_pouvoir_corriger(client, monde, titulaires):
    faux, bon, _service = titulaires
    facture = facture_a9(monde, faux)
    connecter(client, monde.lecteur)
    contenu = client.get(url_consulter(facture)).content.decode()
    assert "Bâtiment Erroné" in contenu and "Corriger le valideur" not in contenu
    assert client.get(url(facture)).status_code == 404
    assert client.post(url(facture), {"identifiant_valideur": bon.identifiant}).status_code == 404
    facture.refresh_from_db()
    assert facture.valideur_1 == faux


def test_l_etranger_ne_trouve_pas_la_facture(client, monde, titulaires):
    faux, bon, _service = titulaires
    facture = facture_a9(monde, faux)
    # another supplier, the recipient, the validator itself
    for user in (monde.etranger, monde.agent, valideur_de(faux)):
        connecter(client, user)
        assert client.get(url(facture)).status_code == 404
        assert client.post(url(facture), {"identifiant_valideur": bon.identifiant}).status_code == 404
    facture.refresh_from_db()
    assert (facture.valideur_1, corrections(facture)) == (faux, [])


def test_pas_de_correction_hors_du_premier_niveau_ni_pour_un_delegue(client, monde, titulaires):
    faux, bon, _service = titulaires
    connecter(client, monde.gp)
    delegation = DelegationFactures.objects.create(
        delegant=monde.destinataire, delegue=faux, droit=DroitDelegation.TRAITEMENT
    )
    deleguee = facture_a9(monde, faux, cadre="A1", delegation=delegation)
    validee = facture_a9(monde, faux, "MISE_A_DISPOSITION")
    for facture in (deleguee, validee):
        assert "Corriger le valideur" not in client.get(url_consulter(facture)).content.decode()
        reponse = client.post(url(facture), {"identifiant_valideur": bon.identifiant}, follow=True)
        assert reponse.redirect_chain == [(url_consulter(facture), 302)]
        assert "la correction du valideur n&#x27;est pas possible" in reponse.content.decode()
        facture.refresh_from_db()
        assert facture.valideur_1 == faux
