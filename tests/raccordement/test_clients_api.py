"""API clients (issue #6, standing in for PISTE): client id and secret shown once, a bearer token valid 3600 s of
which only the SHA-256 is kept; each refusal says which credential failed."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.exceptions import ApplicationError
from raccordement.models import ClientApi, JetonApi
from raccordement.services.clients_api import (
    IdentifiantsClientRefuses,
    JetonRefuse,
    client_api_creer,
    client_api_desactiver,
    jeton_emettre,
    jeton_verifier,
)
from raccordement.services.comptes import date_heure
from tests.raccordement.outils_comptes import integrateur

pytestmark = pytest.mark.django_db


def test_creer_puis_jeton_garde_seulement_son_empreinte():
    user, structure = integrateur()
    client, secret = client_api_creer(par=user, structure=structure, nom="ERP comptabilité")
    assert len(secret) >= 32 and client.client_id and client.structure == structure
    assert secret not in ClientApi.objects.get().secret
    jeton, duree = jeton_emettre(client_id=client.client_id, secret=secret)
    assert duree == 3600
    enregistre = JetonApi.objects.get()
    assert enregistre.empreinte == hashlib.sha256(jeton.encode()).hexdigest() and jeton not in enregistre.empreinte
    assert timedelta(seconds=3590) < enregistre.expire_le - timezone.now() <= timedelta(seconds=3600)
    assert jeton_verifier(jeton) == client


def test_jeton_emettre_refus():
    user, structure = integrateur()
    client, secret = client_api_creer(par=user, structure=structure, nom="ERP")
    # an unknown client and a wrong secret answer alike (issue #15)
    with pytest.raises(IdentifiantsClientRefuses) as inconnu:
        jeton_emettre(client_id="inconnu", secret=secret)
    with pytest.raises(IdentifiantsClientRefuses) as refus:
        jeton_emettre(client_id=client.client_id, secret="faux")
    assert inconnu.value.motif == refus.value.motif == "IDENTIFIANTS_INCORRECTS"
    assert inconnu.value.message == refus.value.message == "Client API refusé : client_id ou client_secret incorrect."
    client_api_desactiver(par=user, client=client)
    with pytest.raises(IdentifiantsClientRefuses) as refus:
        jeton_emettre(client_id=client.client_id, secret=secret)
    assert refus.value.motif == "CLIENT_DESACTIVE"
    assert refus.value.message.startswith("Client désactivé : le client API")


def test_jeton_verifier_refus():
    user, structure = integrateur()
    client, secret = client_api_creer(par=user, structure=structure, nom="ERP")
    with pytest.raises(JetonRefuse) as refus:
        jeton_verifier("pas-un-jeton")
    assert refus.value.motif == "JETON_INCONNU" and refus.value.message.startswith("Jeton inconnu : ")

    jeton, _ = jeton_emettre(client_id=client.client_id, secret=secret)
    passe = timezone.now() - timedelta(minutes=1)
    JetonApi.objects.update(expire_le=passe)
    with pytest.raises(JetonRefuse) as refus:
        jeton_verifier(jeton)
    assert refus.value.motif == "JETON_EXPIRE"
    assert refus.value.message.startswith(f"Jeton expiré le {date_heure(passe)} : ")

    jeton, _ = jeton_emettre(client_id=client.client_id, secret=secret)
    client_api_desactiver(par=user, client=client)
    with pytest.raises(JetonRefuse) as refus:
        jeton_verifier(jeton)
    assert refus.value.motif == "CLIENT_DESACTIVE"
    assert refus.value.message == (
        f"Client désactivé : le client API {client.client_id} (« ERP ») est désactivé, ses jetons ne sont plus "
        "acceptés."
    )


def test_nom_obligatoire_et_habilitation():
    user, structure = integrateur()
    with pytest.raises(ApplicationError) as erreur:
        client_api_creer(par=user, structure=structure, nom="  ")
    assert erreur.value.champ == "nom" and erreur.value.message.startswith("Nom de l'application : ")
    etranger, _ = integrateur()
    with pytest.raises(ApplicationError, match="Raccordement – modification"):
        client_api_creer(par=etranger, structure=structure, nom="ERP")
    client, _ = client_api_creer(par=user, structure=structure, nom="ERP")
    with pytest.raises(ApplicationError, match="Raccordement – modification"):
        client_api_desactiver(par=etranger, client=client)
    client_api_desactiver(par=user, client=client)
    with pytest.raises(ApplicationError, match="déjà désactivé"):
        client_api_desactiver(par=user, client=client)
