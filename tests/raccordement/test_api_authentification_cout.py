"""Issue #16: every API call ran the technical account's password through the slow hasher (PBKDF2, ~350 ms). A
password checked once is now remembered a few minutes in the shared cache, under an HMAC of (login, password, stored
hash): the next calls skip the hasher, while a new password, a lock or a disabled account are refused at once and a
wrong password still costs the hasher and counts as a failure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import hashers
from django.core.cache import caches

from chorus import debits
from organisation.enums import Application, Niveau
from raccordement.services import identifiants_memorises
from raccordement.services.comptes import compte_technique_desactiver, compte_technique_renouveler
from raccordement.services.identifiants_memorises import PORTEE_COMPTE_TECHNIQUE, mot_de_passe_correspond
from raccordement.services.verrouillage import ECHECS_AVANT_VERROUILLAGE
from tests.factories import UtilisateurFactory, rattacher
from tests.raccordement.test_api_socle import JETON, RATTACHEMENTS, Integrateur

pytestmark = pytest.mark.django_db
RACINE = Path(__file__).resolve().parents[2]


class Hacheur:
    """Counts the runs of the configured hasher's verify(), which still does the real work."""

    def __init__(self, monkeypatch):
        self.appels = 0
        classe = type(hashers.get_hasher())
        verifier = classe.verify

        def verify(hasher, password, encoded):
            self.appels += 1
            return verifier(hasher, password, encoded)

        monkeypatch.setattr(classe, "verify", verify)

    def depuis(self, avant):
        return self.appels - avant


@pytest.fixture
def hacheur(monkeypatch):
    return Hacheur(monkeypatch)


def _motif(reponse):
    assert reponse.status_code == 401, reponse.content
    return reponse.json()["motif"]


def _gestionnaire(integrateur):
    gestionnaire = UtilisateurFactory()
    rattacher(gestionnaire, integrateur.structure, (Application.RACCORDEMENT, Niveau.MODIFICATION))
    return gestionnaire


def test_un_second_appel_ne_repasse_pas_par_le_hacheur(client, hacheur):
    integrateur = Integrateur()
    entetes = integrateur.entetes(client)
    avant = hacheur.appels
    assert integrateur.appeler(client, RATTACHEMENTS, **entetes).status_code == 200
    assert hacheur.depuis(avant) == 1
    avant = hacheur.appels
    for _ in range(3):
        assert integrateur.appeler(client, RATTACHEMENTS, **entetes).status_code == 200
    assert hacheur.depuis(avant) == 0


def test_le_point_de_jeton_ne_repasse_pas_non_plus_par_le_hacheur(client, hacheur):
    """For the clients that ask a token before every call; a wrong secret still pays the hasher."""
    integrateur = Integrateur()
    avant = hacheur.appels
    integrateur.jeton(client)
    integrateur.jeton(client)
    assert hacheur.depuis(avant) == 1
    avant = hacheur.appels
    faux = {"grant_type": "client_credentials", "client_id": integrateur.client_api.client_id, "client_secret": "x"}
    assert client.post(JETON, faux).status_code == 401
    assert hacheur.depuis(avant) == 1


def test_un_nouveau_mot_de_passe_refuse_l_ancien_aussitot(client, hacheur):
    integrateur = Integrateur()
    jeton = integrateur.jeton(client)
    ancien = integrateur.entetes(client, jeton=jeton)
    assert integrateur.appeler(client, RATTACHEMENTS, **ancien).status_code == 200  # remembered

    _compte, nouveau = compte_technique_renouveler(par=_gestionnaire(integrateur), compte=integrateur.compte)
    avant = hacheur.appels
    assert _motif(integrateur.appeler(client, RATTACHEMENTS, **ancien)) == "IDENTIFIANTS_INCORRECTS"
    assert hacheur.depuis(avant) == 1  # the old password met the new hash: no memory applied
    neuf = integrateur.entetes(client, jeton=jeton, mot_de_passe=nouveau)
    assert integrateur.appeler(client, RATTACHEMENTS, **neuf).status_code == 200
    assert _motif(integrateur.appeler(client, RATTACHEMENTS, **ancien)) == "IDENTIFIANTS_INCORRECTS"


def test_un_compte_desactive_est_refuse_aussitot_meme_memorise(client):
    integrateur = Integrateur()
    entetes = integrateur.entetes(client)
    assert integrateur.appeler(client, RATTACHEMENTS, **entetes).status_code == 200
    compte_technique_desactiver(par=_gestionnaire(integrateur), compte=integrateur.compte)
    assert _motif(integrateur.appeler(client, RATTACHEMENTS, **entetes)) == "DESACTIVE"


def test_un_compte_verrouille_est_refuse_aussitot_meme_memorise(client, hacheur):
    integrateur = Integrateur()
    jeton = integrateur.jeton(client)
    bon = integrateur.entetes(client, jeton=jeton)
    faux = integrateur.entetes(client, jeton=jeton, mot_de_passe="mauvais")
    assert integrateur.appeler(client, RATTACHEMENTS, **bon).status_code == 200
    avant = hacheur.appels
    for _ in range(ECHECS_AVANT_VERROUILLAGE):
        assert _motif(integrateur.appeler(client, RATTACHEMENTS, **faux)) == "IDENTIFIANTS_INCORRECTS"
    # every wrong password paid the full hasher: a refusal costs what it cost before
    assert hacheur.depuis(avant) == ECHECS_AVANT_VERROUILLAGE
    assert _motif(integrateur.appeler(client, RATTACHEMENTS, **bon)) == "COMPTE_VERROUILLE"


def test_un_mauvais_mot_de_passe_est_refuse_et_compte_comme_un_echec(client, hacheur):
    integrateur = Integrateur()
    jeton = integrateur.jeton(client)
    assert integrateur.appeler(client, RATTACHEMENTS, **integrateur.entetes(client, jeton=jeton)).status_code == 200
    faux = integrateur.entetes(client, jeton=jeton, mot_de_passe=integrateur.mot_de_passe + "x")
    avant = hacheur.appels
    assert _motif(integrateur.appeler(client, RATTACHEMENTS, **faux)) == "IDENTIFIANTS_INCORRECTS"
    assert _motif(integrateur.appeler(client, RATTACHEMENTS, **faux)) == "IDENTIFIANTS_INCORRECTS"
    assert hacheur.depuis(avant) == 2  # never remembered as a success
    assert debits.compte(debits.cle("compte-technique-echecs", integrateur.compte.login)) == 2


def test_la_memoire_ne_garde_ni_le_mot_de_passe_ni_rien_sans_la_cle_secrete(settings):
    empreinte = hashers.make_password("Secret-2026")
    assert mot_de_passe_correspond(PORTEE_COMPTE_TECHNIQUE, "TECH_1", "Secret-2026", empreinte)
    cle = identifiants_memorises.cle(PORTEE_COMPTE_TECHNIQUE, "TECH_1", "Secret-2026", empreinte)
    assert "Secret-2026" not in cle and "TECH_1" not in cle
    settings.SECRET_KEY = "une-autre-cle-secrete-de-test-assez-longue-pour-django"
    assert identifiants_memorises.cle(PORTEE_COMPTE_TECHNIQUE, "TECH_1", "Secret-2026", empreinte) != cle


def test_deux_processus_partagent_la_memoire():
    """A password checked by one process is not hashed again by another: the memory is the shared cache."""
    empreinte = hashers.make_password("Secret-partage-2026")
    assert mot_de_passe_correspond(PORTEE_COMPTE_TECHNIQUE, "TECH_2", "Secret-partage-2026", empreinte)
    assert caches["default"].get(
        identifiants_memorises.cle(PORTEE_COMPTE_TECHNIQUE, "TECH_2", "Secret-partage-2026", empreinte)
    )
    code = (
        "import django; django.setup(); from django.contrib.auth import hashers\n"
        "def refuser(*args): raise SystemExit('hacheur appelé')\n"
        "for hasher in hashers.get_hashers(): type(hasher).verify = refuser\n"
        "from raccordement.services.identifiants_memorises import mot_de_passe_correspond\n"
        f"print(mot_de_passe_correspond({PORTEE_COMPTE_TECHNIQUE!r}, 'TECH_2', 'Secret-partage-2026', {empreinte!r}))"
    )
    fait = subprocess.run(
        [sys.executable, "-c", code],
        cwd=RACINE,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "chorus.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert fait.returncode == 0, fait.stderr
    assert fait.stdout.split()[-1] == "True"


def test_les_deux_identifiants_et_l_utilisateur_technique_en_une_requete(client):
    """The token, the technical account and its user are read by one query per call; the cache answers the lock,
    the failures and the remembered password in one round trip (the call's other queries are the service's own)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    integrateur = Integrateur()
    entetes = integrateur.entetes(client)
    assert integrateur.appeler(client, RATTACHEMENTS, **entetes).status_code == 200  # creates the technical user
    lectures = []
    original = caches["default"].get_many

    def get_many(cles, *args, **kwargs):
        lectures.append(list(cles))
        return original(cles, *args, **kwargs)

    caches["default"].get_many = get_many
    try:
        with CaptureQueriesContext(connection) as requetes:
            assert integrateur.appeler(client, RATTACHEMENTS, **entetes).status_code == 200
    finally:
        del caches["default"].get_many
    identifiants = [r["sql"] for r in requetes if "raccordement_" in r["sql"]]
    assert len(identifiants) == 1, identifiants
    assert "raccordement_jetonapi" in identifiants[0] and "organisation_utilisateur" in identifiants[0]
    assert len(lectures) == 1 and len(lectures[0]) == 3


def test_un_client_desactive_voit_ses_jetons_refuses_aussitot(client):
    from raccordement.services.clients_api import client_api_desactiver

    integrateur = Integrateur()
    entetes = integrateur.entetes(client)
    assert integrateur.appeler(client, RATTACHEMENTS, **entetes).status_code == 200
    client_api_desactiver(par=_gestionnaire(integrateur), client=integrateur.client_api)
    reponse = integrateur.appeler(client, RATTACHEMENTS, **entetes)
    assert _motif(reponse) == "CLIENT_DESACTIVE"
    assert reponse.json()["identifiantRefuse"] == "Authorization"


def test_un_jeton_expire_est_refuse_aussitot(client):
    from datetime import timedelta

    from django.utils import timezone

    from raccordement.models import JetonApi

    integrateur = Integrateur()
    entetes = integrateur.entetes(client)
    assert integrateur.appeler(client, RATTACHEMENTS, **entetes).status_code == 200
    JetonApi.objects.update(expire_le=timezone.now() - timedelta(seconds=1))
    assert _motif(integrateur.appeler(client, RATTACHEMENTS, **entetes)) == "JETON_EXPIRE"


def test_un_jeton_refuse_passe_avant_le_compte_technique(client):
    """Both credentials wrong: the token's refusal is told, whichever way the account is wrong."""
    integrateur = Integrateur()
    inconnu = integrateur.entetes(client, jeton="jeton-inconnu", mot_de_passe="mauvais")
    reponse = integrateur.appeler(client, RATTACHEMENTS, **inconnu)
    assert (_motif(reponse), reponse.json()["identifiantRefuse"]) == ("JETON_INCONNU", "Authorization")
    sans_compte = {"HTTP_AUTHORIZATION": "Bearer jeton-inconnu"}
    assert _motif(integrateur.appeler(client, RATTACHEMENTS, **sans_compte)) == "JETON_INCONNU"
    inconnu = integrateur.entetes(client, jeton="jeton-inconnu", login="TECH_INCONNU@cpro.portail")
    assert _motif(integrateur.appeler(client, RATTACHEMENTS, **inconnu)) == "JETON_INCONNU"
    # a good token and a missing account header: the account is what is refused
    bon_jeton = {"HTTP_AUTHORIZATION": f"Bearer {integrateur.jeton(client)}"}
    assert _motif(integrateur.appeler(client, RATTACHEMENTS, **bon_jeton)) == "COMPTE_MANQUANT"


@pytest.mark.django_db(transaction=True)
def test_les_services_de_lecture_hors_de_la_transaction_de_la_requete(client):
    """rattachements, the invoice searches, the consultations and the referentials only read: no BEGIN / COMMIT around
    them (ATOMIC_REQUESTS stays for the services that write)."""
    from django.db import connection

    from tests.factories import facture_deposee
    from tests.raccordement.test_api_socle import publique

    integrateur = Integrateur()
    commune = Integrateur(publique(raison_sociale="Commune de Valbourg"))
    facture = facture_deposee(integrateur.structure, commune.structure, numero="F-001")

    def dans_une_transaction(integrateur, chemin, corps=None):
        entetes = integrateur.entetes(client)
        assert integrateur.appeler(client, chemin, corps, **entetes).status_code == 200  # the technical user
        atomiques = []

        def noter(execute, sql, *args):
            # the service's own statements (not SQLite's BEGIN IMMEDIATE, sent before the block counts as open)
            if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "DELETE")):
                atomiques.append(connection.in_atomic_block)
            return execute(sql, *args)

        with connection.execute_wrapper(noter):
            assert integrateur.appeler(client, chemin, corps, **entetes).status_code == 200
        return set(atomiques)

    assert dans_une_transaction(integrateur, RATTACHEMENTS) == {False}
    assert dans_une_transaction(integrateur, "factures/v1/rechercher/fournisseur") == {False}
    assert dans_une_transaction(commune, "factures/v1/rechercher/recipiendaire") == {False}
    assert dans_une_transaction(commune, "factures/v1/consulter/recipiendaire", {"idFacture": facture.pk}) == {False}
    assert dans_une_transaction(integrateur, "structures/v1/consulter", {"idStructureCPP": commune.structure.pk}) == {
        False
    }
    assert dans_une_transaction(integrateur, "transverses/v1/recuperer/pays") == {False}
    # a service that writes (the life-cycle messages it returns are acknowledged) keeps the request's transaction
    assert dans_une_transaction(integrateur, "transverses/v1/recuperer/cyclesDeVie") == {True}
