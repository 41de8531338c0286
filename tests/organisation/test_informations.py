from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from chorus.tasks import appliquer_modifications_en_retard
from organisation.models import Utilisateur
from tests.conftest import connecter

URL = reverse("organisation:modifier_informations")


def test_modifier_ses_informations_prend_effet_apres_le_delai(client, utilisateur, settings):
    connecter(client, utilisateur)
    reponse = client.post(URL, {"prenom": "Dominique", "nom": utilisateur.nom, "telephone": "06 12 34 56 78"})
    assert reponse.status_code == 302
    effective = timezone.localtime(timezone.now() + settings.MODIFICATIONS_DIFFEREES_DELAI)
    page = client.get(URL).content.decode()
    assert "Modification en attente : Modification de vos informations personnelles" in page
    assert f"effective le {effective:%d/%m/%Y}" in page
    assert Utilisateur.objects.get(pk=utilisateur.pk).prenom == "Camille"  # not yet
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        appliquer_modifications_en_retard()
    moi = Utilisateur.objects.get(pk=utilisateur.pk)
    assert (moi.prenom, moi.telephone) == ("Dominique", "06 12 34 56 78")


def test_informations_invalides(client, utilisateur):
    connecter(client, utilisateur)
    page = client.post(URL, {"prenom": "", "nom": "X", "telephone": "abc"}).content.decode()
    assert "Saisissez votre prénom." in page
    assert "Le numéro de téléphone n&#x27;est pas valide" in page
    page = client.post(URL, {"prenom": utilisateur.prenom, "nom": utilisateur.nom, "telephone": utilisateur.telephone})
    assert "Aucune modification n&#x27;a été saisie." in page.content.decode()


def test_il_faut_etre_connecte(client, db):
    assert client.get(URL).url.startswith(reverse("organisation:connexion"))
