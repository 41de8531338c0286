import pytest
from django.core import mail
from django.urls import reverse

from organisation.enums import Application, Niveau, StatutRattachement
from organisation.habilitations import peut
from organisation.models import Rattachement
from organisation.selectors import utilisateurs as selecteurs
from tests.factories import StructureFactory, UtilisateurFactory
from tests.organisation.utilisateurs.conftest import client_de, rattacher_par_defaut, texte

URL = reverse("organisation:transfert_gestionnaire")
LIBELLES = [
    "Transfert d’une partie de vos structures",
    "Transfert de toutes vos structures vers un seul gestionnaire",
    "Transfert de toutes vos structures vers plusieurs gestionnaires",
]


@pytest.fixture
def monde(gp, structure):
    """The gp has two structures; Ursule is attached to both, Paul only to the first, Quentin only to the second."""
    seconde = StructureFactory(gestionnaire=gp, raison_sociale="Syndicat des eaux")
    ursule = UtilisateurFactory(prenom="Ursule", nom="Unique", email="ursule@exemple.fr")
    paul = UtilisateurFactory(prenom="Paul", nom="Premier", email="paul@exemple.fr")
    quentin = UtilisateurFactory(prenom="Quentin", nom="Second", email="quentin@exemple.fr")
    rattacher_par_defaut(ursule, structure)
    rattacher_par_defaut(ursule, seconde)
    rattacher_par_defaut(paul, structure)
    rattacher_par_defaut(quentin, seconde)
    return {"premiere": structure, "seconde": seconde, "ursule": ursule, "paul": paul, "quentin": quentin}


def gestionnaire_de(structure):
    return Rattachement.objects.get(structure=structure, est_gestionnaire_principal=True).utilisateur


def test_le_choix_du_mode(gp, monde):
    page = texte(client_de(gp).get(URL))
    for libelle in LIBELLES:
        assert libelle in page
    assert "Mairie de Testville" in page and "Syndicat des eaux" in page
    assert "Choisissez le type de transfert." in texte(client_de(gp).get(URL, {"etape": "mode"}))
    assert "Choisissez l'un des trois types de transfert." in texte(client_de(gp).get(URL, {"mode": "tout"}))


def test_transfert_d_une_partie(gp, monde, django_capture_on_commit_callbacks):
    client = client_de(gp)
    premiere, seconde, paul = monde["premiere"], monde["seconde"], monde["paul"]
    page = texte(client.get(URL, {"mode": "partiel"}))
    assert "Structures à transférer" in page
    aucune = texte(client.get(URL, {"mode": "partiel", "etape": "structures"}))
    assert "Choisissez au moins une structure à transférer." in aucune
    parametres = f"?mode=partiel&etape=structures&structures={premiere.pk}"
    page = texte(client.get(URL + parametres))
    assert "Nouveau gestionnaire principal de Mairie de Testville" in page and "Syndicat des eaux (" not in page
    assert "Paul Premier" in page and "Quentin Second" not in page
    confirmation = texte(client.post(URL + parametres, {f"cible_{premiere.pk}": paul.pk}))
    assert "Confirmer le transfert" in confirmation and "Paul Premier (paul@exemple.fr)" in confirmation
    assert gestionnaire_de(premiere) == gp  # nothing before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(URL + parametres, {f"cible_{premiere.pk}": paul.pk, "confirmer": "1"}, follow=True)
    assert "Le rôle de gestionnaire principal est transféré : Mairie de Testville → Paul Premier." in texte(reponse)
    assert gestionnaire_de(premiere) == paul and gestionnaire_de(seconde) == gp
    assert peut(paul, Application.ORGANISATION, Niveau.MODIFICATION, premiere)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([gp.email, paul.email])
    compte = texte(client_de(paul).get(reverse("organisation:mon_compte")))
    assert f"Mairie de Testville (SIRET {premiere.identifiant}) — gestionnaire principal" in compte


def test_transfert_d_une_partie_vers_un_utilisateur_non_rattache(gp, monde):
    premiere, quentin = monde["premiere"], monde["quentin"]
    parametres = f"?mode=partiel&etape=structures&structures={premiere.pk}"
    for donnees in [{f"cible_{premiere.pk}": quentin.pk}, {f"cible_{premiere.pk}": quentin.pk, "confirmer": "1"}]:
        reponse = client_de(gp).post(URL + parametres, donnees)
        assert reponse.status_code == 200
        assert (
            "Cet utilisateur n'est pas rattaché à Mairie de Testville : le nouveau gestionnaire principal doit déjà "
            "être rattaché à la structure."
        ) in texte(reponse)
    assert gestionnaire_de(premiere) == gp


def test_une_structure_d_un_autre_ne_peut_pas_etre_choisie(gp, monde, etranger):
    autre = etranger.rattachements.get().structure
    page = texte(client_de(gp).get(URL, {"mode": "partiel", "etape": "structures", "structures": [autre.pk]}))
    assert "Choisissez des structures dont vous êtes le gestionnaire principal." in page
    assert gestionnaire_de(autre) == etranger


def test_transfert_vers_un_seul_gestionnaire(gp, monde, django_capture_on_commit_callbacks):
    client = client_de(gp)
    page = texte(client.get(URL, {"mode": "un"}))
    # only Ursule is attached to both structures
    assert "Ursule Unique" in page and "Paul Premier" not in page and "Quentin Second" not in page
    refus = texte(client.post(URL + "?mode=un", {"cible": monde["paul"].pk, "confirmer": "1"}))
    assert (
        "Cet utilisateur n'est pas rattaché à toutes vos structures : le nouveau gestionnaire principal doit déjà "
        "être rattaché à chacune d'elles."
    ) in refus
    assert gestionnaire_de(monde["premiere"]) == gp
    assert "Choisissez le nouveau gestionnaire principal." in texte(client.post(URL + "?mode=un", {"cible": ""}))
    confirmation = texte(client.post(URL + "?mode=un", {"cible": monde["ursule"].pk}))
    assert confirmation.count("Ursule Unique (ursule@exemple.fr)") == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL + "?mode=un", {"cible": monde["ursule"].pk, "confirmer": "1"})
    assert gestionnaire_de(monde["premiere"]) == gestionnaire_de(monde["seconde"]) == monde["ursule"]
    assert len(mail.outbox) == 4
    assert client.get(URL).status_code == 404  # no longer gestionnaire principal of anything


def test_un_seul_gestionnaire_quand_personne_n_est_rattache_partout(gp, monde):
    Rattachement.objects.filter(utilisateur=monde["ursule"], structure=monde["seconde"]).update(
        statut=StatutRattachement.TERMINE
    )
    page = texte(client_de(gp).get(URL, {"mode": "un"}))
    assert "Aucun utilisateur n'est rattaché à toutes vos structures." in page


def test_transfert_vers_plusieurs_gestionnaires(gp, monde, django_capture_on_commit_callbacks):
    premiere, seconde = monde["premiere"], monde["seconde"]
    client = client_de(gp)
    page = texte(client.get(URL, {"mode": "plusieurs"}))
    assert "Nouveau gestionnaire principal de Mairie de Testville" in page
    assert "Nouveau gestionnaire principal de Syndicat des eaux" in page
    mauvais = {f"cible_{premiere.pk}": monde["paul"].pk, f"cible_{seconde.pk}": monde["paul"].pk}
    refus = texte(client.post(URL + "?mode=plusieurs", {**mauvais, "confirmer": "1"}))
    assert "Cet utilisateur n'est pas rattaché à Syndicat des eaux" in refus
    manque = texte(client.post(URL + "?mode=plusieurs", {f"cible_{premiere.pk}": monde["paul"].pk}))
    assert "Choisissez le nouveau gestionnaire principal de Syndicat des eaux." in manque
    assert gestionnaire_de(premiere) == gestionnaire_de(seconde) == gp
    bons = {f"cible_{premiere.pk}": monde["paul"].pk, f"cible_{seconde.pk}": monde["quentin"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL + "?mode=plusieurs", {**bons, "confirmer": "1"})
    assert gestionnaire_de(premiere) == monde["paul"] and gestionnaire_de(seconde) == monde["quentin"]
    ancien = Rattachement.objects.get(utilisateur=gp, structure=premiere)
    assert ancien.statut == StatutRattachement.ACTIF and not ancien.est_gestionnaire_principal


def test_la_cible_detachee_entre_la_confirmation_et_l_envoi(gp, monde, monkeypatch):
    """Detached after the confirmation page: the form no longer offers them, and the service checks again."""
    premiere, paul = monde["premiere"], monde["paul"]
    parametres = f"?mode=partiel&etape=structures&structures={premiere.pk}"
    client = client_de(gp)
    assert "Confirmer le transfert" in texte(client.post(URL + parametres, {f"cible_{premiere.pk}": paul.pk}))
    Rattachement.objects.filter(utilisateur=paul).update(statut=StatutRattachement.TERMINE)
    reponse = client.post(URL + parametres, {f"cible_{premiere.pk}": paul.pk, "confirmer": "1"})
    assert "Cet utilisateur n'est pas rattaché à Mairie de Testville" in texte(reponse)
    # a form that would still offer Paul: the service refuses all the same
    offerts = {premiere.pk: list(Rattachement.objects.filter(utilisateur=paul, structure=premiere))}
    monkeypatch.setattr(selecteurs, "cibles_de_transfert", lambda structures, utilisateur: offerts)
    reponse = client.post(URL + parametres, {f"cible_{premiere.pk}": paul.pk, "confirmer": "1"})
    assert reponse.status_code == 200
    assert (
        "Paul Premier n'est pas rattaché à Mairie de Testville : le nouveau gestionnaire principal doit déjà être "
        "rattaché à la structure."
    ) in texte(reponse)
    assert gestionnaire_de(premiere) == gp


def test_qui_peut_transferer(lecteur, etranger, structure):
    assert client_de(lecteur).get(URL).status_code == 404
    assert client_de(lecteur).post(URL + "?mode=un", {"cible": lecteur.pk, "confirmer": "1"}).status_code == 404
    assert client_de(etranger).get(URL).status_code == 200  # for their own structure
    page = texte(client_de(etranger).get(URL))
    assert "Autre structure" in page and "Mairie de Testville" not in page
    assert client_de(None).get(URL).url.startswith("/connexion/")
    assert gestionnaire_de(structure) != lecteur
