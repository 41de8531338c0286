"""The demo data set's connection accounts (issue #6): var/matelas.csv lists a technical account for the demo supplier,
one for the demo public entity and one for the FNFE examples' seller (issue #13), and an API client; they are usable
at once, and loading twice changes nothing."""

import csv
import io

import pytest
from django.core.management import call_command

from organisation.enums import Application, Niveau, StatutStructure
from organisation.habilitations import peut
from organisation.models import Structure, Utilisateur
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
    fnfe = next(ligne for ligne in lignes if ligne["role"] == "Fournisseur des exemples FNFE (corpus Factur-X)")
    assert (fnfe["structure"], fnfe["identifiant"]) == ("Fournisseur des exemples FNFE", "99999999800010")

    techniques = [ligne for ligne in lignes if ligne["role"] == "compte technique"]
    assert [(t["structure"], t["identifiant"]) for t in techniques] == [
        (fournisseur["structure"], fournisseur["identifiant"]),
        (entite["structure"], entite["identifiant"]),
        (fnfe["structure"], fnfe["identifiant"]),
    ]
    assert CompteTechnique.objects.count() == 3
    for ligne in techniques:
        compte = authentifier_compte(ligne["login"], ligne["mot_de_passe"])
        assert compte.structure.identifiant == ligne["identifiant"]
        assert compte.derniere_utilisation_le is not None

    (client_api,) = [ligne for ligne in lignes if ligne["role"] == "client API"]
    jeton, duree = jeton_emettre(client_id=client_api["login"], secret=client_api["mot_de_passe"])
    assert duree == 3600 and jeton_verifier(jeton) == ClientApi.objects.get()


def test_le_fournisseur_des_exemples_fnfe_et_ses_acheteurs(settings):
    """The FNFE seller's user may issue invoices and manage its connection; its buyers are public, active, and
    require no code service (the examples carry none)."""
    call_command("charger_matelas", stdout=io.StringIO())
    lignes = list(csv.DictReader((settings.VAR_DIR / "matelas.csv").open(encoding="utf-8")))
    fnfe = next(ligne for ligne in lignes if ligne["role"].startswith("Fournisseur des exemples FNFE"))
    utilisateur = Utilisateur.objects.get(email=fnfe["login"])
    assert utilisateur.check_password(fnfe["mot_de_passe"]) and utilisateur.is_active
    vendeur = Structure.objects.get(identifiant="99999999800010")
    for application in (Application.FACTURES_EMISES, Application.RACCORDEMENT):
        assert peut(utilisateur, application, Niveau.MODIFICATION, vendeur)
    for siret in ("78787878400035", "34343434600010"):
        acheteur = Structure.objects.get(identifiant=siret)
        assert acheteur.est_publique and acheteur.statut == StatutStructure.ACTIVE
        assert not acheteur.code_service_obligatoire and not acheteur.engagement_obligatoire
