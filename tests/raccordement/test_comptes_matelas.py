"""The demo data set's connection accounts (issue #6): var/matelas.csv lists a technical account for the demo supplier
and one for the demo public entity, and an API client; they are usable at once, and loading twice changes nothing."""

import csv
import io

import pytest
from django.core.management import call_command

from raccordement.models import ClientApi, CompteTechnique
from raccordement.services.clients_api import jeton_emettre, jeton_verifier
from raccordement.services.comptes import authentifier_compte

pytestmark = pytest.mark.django_db


def test_comptes_techniques_et_client_api_de_demonstration(settings):
    call_command("charger_matelas", stdout=io.StringIO())
    call_command("charger_matelas", stdout=io.StringIO())  # idempotent
    lignes = list(csv.DictReader((settings.VAR_DIR / "matelas.csv").open(encoding="utf-8")))
    fournisseur = next(ligne for ligne in lignes if ligne["role"] == "Fournisseur")
    entite = next(ligne for ligne in lignes if ligne["role"] == "Entité publique (destinataire)")

    techniques = [ligne for ligne in lignes if ligne["role"] == "compte technique"]
    assert [(t["structure"], t["identifiant"]) for t in techniques] == [
        (fournisseur["structure"], fournisseur["identifiant"]),
        (entite["structure"], entite["identifiant"]),
    ]
    assert CompteTechnique.objects.count() == 2
    for ligne in techniques:
        compte = authentifier_compte(ligne["login"], ligne["mot_de_passe"])
        assert compte.structure.identifiant == ligne["identifiant"]
        assert compte.derniere_utilisation_le is not None

    (client_api,) = [ligne for ligne in lignes if ligne["role"] == "client API"]
    jeton, duree = jeton_emettre(client_id=client_api["login"], secret=client_api["mot_de_passe"])
    assert duree == 3600 and jeton_verifier(jeton) == ClientApi.objects.get()
