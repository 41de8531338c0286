"""The API's common ground, called the way the open-source Chorus Pro clients call it (OCA l10n_fr_chorus, Pastell,
the Go and Python clients): a token from /api/oauth/token, then POST JSON with `Authorization: Bearer` and
`cpro-account: base64(login:password)`. Each refused credential is named with its reason; the envelope, the
pagination and the rate per account; a technical account sees what its structure may see, nothing else."""

import base64
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Service, Structure
from raccordement.api.vues import DebitParCompteTechnique
from raccordement.models import CompteTechnique, JetonApi
from raccordement.services.clients_api import client_api_creer
from raccordement.services.comptes import compte_technique_creer
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

pytestmark = pytest.mark.django_db

JETON = "/api/oauth/token"


def publique(**champs):
    s = StructureFactory(est_publique=True, **champs)
    Structure.objects.filter(pk=s.pk).update(statut=StatutStructure.ACTIVE)
    s.refresh_from_db()
    return s


class Integrateur:
    """A supplier's integrator: a technical account (usable at once) and an API client of its structure."""

    def __init__(self, structure=None):
        self.structure = structure or StructureFactory(raison_sociale="Fournisseur intégré")
        gestionnaire = UtilisateurFactory()
        rattacher(gestionnaire, self.structure, (Application.RACCORDEMENT, Niveau.MODIFICATION))
        self.compte, self.mot_de_passe = compte_technique_creer(par=gestionnaire, structure=self.structure)
        CompteTechnique.objects.filter(pk=self.compte.pk).update(actif_le=timezone.now() - timedelta(minutes=1))
        self.client_api, self.secret = client_api_creer(par=gestionnaire, structure=self.structure, nom="ERP")

    def jeton(self, client):
        reponse = client.post(
            JETON,
            {"grant_type": "client_credentials", "client_id": self.client_api.client_id, "client_secret": self.secret},
        )
        assert reponse.status_code == 200, reponse.content
        return reponse.json()["access_token"]

    def entetes(self, client, *, jeton=None, login=None, mot_de_passe=None):
        compte = f"{login or self.compte.login}:{mot_de_passe or self.mot_de_passe}"
        return {
            "HTTP_AUTHORIZATION": f"Bearer {jeton or self.jeton(client)}",
            "HTTP_CPRO_ACCOUNT": base64.b64encode(compte.encode()).decode(),
        }

    def appeler(self, client, chemin, corps=None, **entetes):
        entetes = entetes or self.entetes(client)
        return client.post(
            f"/cpro/{chemin}", corps if corps is not None else {}, content_type="application/json", **entetes
        )


@pytest.fixture
def integrateur(db):
    return Integrateur()


@pytest.fixture(autouse=True)
def _debit_remis_a_zero():
    cache.clear()


# --- the token endpoint --------------------------------------------------------------------------------------------


def test_le_jeton_par_formulaire_et_par_basic(client, integrateur):
    reponse = client.post(
        JETON,
        {
            "grant_type": "client_credentials",
            "client_id": integrateur.client_api.client_id,
            "client_secret": integrateur.secret,
        },
    )
    corps = reponse.json()
    assert reponse.status_code == 200
    assert (corps["token_type"], corps["expires_in"], corps["scope"]) == ("Bearer", 3600, "openid")
    assert JetonApi.objects.get().empreinte != corps["access_token"]  # kept as its SHA-256 only
    basic = base64.b64encode(f"{integrateur.client_api.client_id}:{integrateur.secret}".encode()).decode()
    reponse = client.post(JETON, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert reponse.status_code == 200 and reponse.json()["access_token"] != corps["access_token"]


def test_le_jeton_refuse_dit_pourquoi(client, integrateur):
    mauvais = client.post(
        JETON,
        {"grant_type": "client_credentials", "client_id": integrateur.client_api.client_id, "client_secret": "faux"},
    )
    assert mauvais.status_code == 401 and mauvais.json()["error"] == "invalid_client"
    assert "client_id ou client_secret incorrect" in mauvais.json()["error_description"]
    inconnu = client.post(JETON, {"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"})
    # an unknown client is not told from a wrong secret (issue #15)
    assert inconnu.status_code == 401 and inconnu.json() == mauvais.json()
    sans = client.post(JETON, {"grant_type": "password", "client_id": "x", "client_secret": "y"})
    assert sans.status_code == 400 and sans.json()["error"] == "unsupported_grant_type"
    assert client.get(JETON).status_code == 405


# --- the two credentials -------------------------------------------------------------------------------------------

RATTACHEMENTS = "utilisateurs/v1/monCompte/recuperer/rattachements"


def test_un_appel_avec_les_deux_identifiants(client, integrateur):
    reponse = integrateur.appeler(client, RATTACHEMENTS)
    corps = reponse.json()
    assert reponse.status_code == 200 and corps["codeRetour"] == 0 and corps["libelle"] == "TRA_MSG_00.000"
    [rattachement] = corps["listeStructureRattachement"]
    assert rattachement["identifiantStructure"] == integrateur.structure.identifiant
    assert rattachement["roleUtilisateur"] == "UTILISATEUR_TECHNIQUE"
    # the technical user acts for the structure: it cannot log into the portal
    integrateur.compte.refresh_from_db()
    assert not integrateur.compte.utilisateur.has_usable_password()


def _refus(reponse):
    assert reponse.status_code == 401, reponse.content
    corps = reponse.json()
    assert corps["codeRetour"] == 20010
    return corps["identifiantRefuse"], corps["motif"], corps["libelle"], reponse["WWW-Authenticate"]


def test_chaque_identifiant_refuse_est_nomme(client, integrateur):
    entetes = integrateur.entetes(client)
    sans_jeton = {k: v for k, v in entetes.items() if k != "HTTP_AUTHORIZATION"}
    assert _refus(integrateur.appeler(client, RATTACHEMENTS, **sans_jeton))[:2] == ("Authorization", "JETON_MANQUANT")
    faux = {**entetes, "HTTP_AUTHORIZATION": "Bearer nimportequoi"}
    identifiant, motif, libelle, www = _refus(integrateur.appeler(client, RATTACHEMENTS, **faux))
    assert (identifiant, motif) == ("Authorization", "JETON_INCONNU") and www.startswith("Bearer")
    assert "/api/oauth/token" in libelle

    sans_compte = {k: v for k, v in entetes.items() if k != "HTTP_CPRO_ACCOUNT"}
    assert _refus(integrateur.appeler(client, RATTACHEMENTS, **sans_compte))[:2] == ("cpro-account", "COMPTE_MANQUANT")
    illisible = {**entetes, "HTTP_CPRO_ACCOUNT": "pas du base64 !"}
    assert _refus(integrateur.appeler(client, RATTACHEMENTS, **illisible))[:2] == ("cpro-account", "COMPTE_ILLISIBLE")
    mauvais = integrateur.entetes(client, mot_de_passe="mauvais")
    identifiant, motif, libelle, www = _refus(integrateur.appeler(client, RATTACHEMENTS, **mauvais))
    # the header that failed is named, not which half of it (issue #15)
    assert (identifiant, motif) == ("cpro-account", "IDENTIFIANTS_INCORRECTS") and www.startswith("cpro-account")
    assert "identifiant ou mot de passe incorrect" in libelle


def test_jeton_expire_et_mot_de_passe_expire(client, integrateur):
    entetes = integrateur.entetes(client)
    JetonApi.objects.update(expire_le=timezone.now() - timedelta(seconds=1))
    identifiant, motif, libelle, _ = _refus(integrateur.appeler(client, RATTACHEMENTS, **entetes))
    assert (identifiant, motif) == ("Authorization", "JETON_EXPIRE") and "Jeton expiré le" in libelle

    CompteTechnique.objects.filter(pk=integrateur.compte.pk).update(
        mot_de_passe_expire_le=timezone.now() - timedelta(days=1)
    )
    identifiant, motif, libelle, _ = _refus(integrateur.appeler(client, RATTACHEMENTS, **integrateur.entetes(client)))
    assert (identifiant, motif) == ("cpro-account", "MOT_DE_PASSE_EXPIRE") and "a expiré le" in libelle


def test_un_identifiant_dans_l_adresse_est_refuse(client, integrateur):
    entetes = integrateur.entetes(client)
    reponse = client.post(f"/cpro/{RATTACHEMENTS}?api_key=x", {}, content_type="application/json", **entetes)
    assert _refus(reponse)[:2] == ("api_key", "IDENTIFIANT_DANS_L_URL")


def test_corps_qui_n_est_pas_du_json(client, integrateur):
    entetes = integrateur.entetes(client)
    reponse = client.post(f"/cpro/{RATTACHEMENTS}", "{pas du json", content_type="application/json", **entetes)
    assert reponse.status_code == 400 and reponse.json()["codeRetour"] == 20002
    assert reponse.json()["libelle"].startswith("JSON illisible")
    liste = client.post(f"/cpro/{RATTACHEMENTS}", "[1, 2]", content_type="application/json", **entetes)
    assert liste.status_code == 400 and liste.json()["libelle"] == "Le corps de la requête doit être un objet JSON."
    assert client.get(f"/cpro/{RATTACHEMENTS}", **entetes).status_code == 405


def test_le_debit_par_compte(client, integrateur, monkeypatch):
    monkeypatch.setattr(DebitParCompteTechnique, "rate", "3/min")
    entetes = integrateur.entetes(client)
    codes = [integrateur.appeler(client, RATTACHEMENTS, **entetes).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    reponse = integrateur.appeler(client, RATTACHEMENTS, **entetes)
    assert reponse.json()["codeRetour"] == 20011 and int(reponse["Retry-After"]) >= 1
    # another account has its own allowance
    autre = Integrateur()
    assert autre.appeler(client, RATTACHEMENTS).status_code == 200


def test_le_debit_repart_a_la_fin_de_sa_fenetre(client, integrateur, monkeypatch):
    # one counter per account and window (chorus.cache.compter_dans_fenetre): the window opened by the first call
    # ends a minute later, and the refusal says how long is left of it
    monkeypatch.setattr(DebitParCompteTechnique, "rate", "2/min")
    entetes = integrateur.entetes(client)
    with time_machine.travel(timezone.now(), tick=False) as voyage:
        assert [integrateur.appeler(client, RATTACHEMENTS, **entetes).status_code for _ in range(2)] == [200, 200]
        voyage.shift(timedelta(seconds=40))
        refus = integrateur.appeler(client, RATTACHEMENTS, **entetes)
        assert refus.status_code == 429 and 1 <= int(refus["Retry-After"]) <= 20
        voyage.shift(timedelta(seconds=21))
        assert integrateur.appeler(client, RATTACHEMENTS, **entetes).status_code == 200


def test_health_check(client, integrateur):
    entetes = integrateur.entetes(client)
    reponse = client.get("/cpro/transverses/v1/health-check", **entetes)
    assert reponse.status_code == 200 and reponse.json() == {
        "codeRetour": 0,
        "libelle": "TRA_MSG_00.000",
        "statut": "OK",
        # the gateway's ResponseEntity, read by chorus-api 1.0.6 (HealthCheckResponse: body, statusCode,
        # statusCodeValue)
        "headers": {},
        "body": "OK",
        "statusCode": "OK",
        "statusCodeValue": 200,
    }
    assert client.get("/cpro/transverses/v1/health-check").status_code == 401


# --- structures, pagination, another structure ---------------------------------------------------------------------


def test_rechercher_les_structures_toutes_les_pages(client, integrateur):
    for n in range(23):
        publique(raison_sociale=f"Commune {n:02d}")
    privee = StructureFactory(raison_sociale="Commune privée d'un autre")
    entetes = integrateur.entetes(client)
    vus, page, pages = [], 1, None
    while pages is None or page <= pages:
        corps = integrateur.appeler(
            client,
            "structures/v1/rechercher",
            {
                "structure": {"raisonSocialeStructure": "Commune"},
                "parametres": {
                    "nbResultatsParPage": 10,
                    "pageResultatDemandee": page,
                    "triColonne": "RaisonSociale",
                    "triSens": "Descendant",
                },
            },
            **entetes,
        ).json()
        assert corps["codeRetour"] == 0
        pages = corps["parametresRetour"]["pages"]
        assert corps["parametresRetour"]["pageCourante"] == page and corps["parametresRetour"]["total"] == 23
        vus += [s["designationStructure"] for s in corps["listeStructures"]]
        page += 1
    assert pages == 3 and vus == [f"Commune {n:02d}" for n in range(22, -1, -1)]
    assert privee.raison_sociale not in vus
    trop_loin = integrateur.appeler(
        client,
        "structures/v1/rechercher",
        {"parametres": {"nbResultatsParPage": 10, "pageResultatDemandee": 9}},
        **entetes,
    )
    assert trop_loin.status_code == 400 and trop_loin.json()["champ"] == "parametres.pageResultatDemandee"
    vide = integrateur.appeler(
        client, "structures/v1/rechercher", {"structure": {"identifiantStructure": "0"}}, **entetes
    ).json()
    assert (vide["codeRetour"], vide["libelle"]) == (20000, "La recherche n'a retourné aucun résultat")


def test_consulter_une_structure_et_ses_services(client, integrateur):
    commune = publique(raison_sociale="Commune de Valbourg", code_postal="35000")
    Structure.objects.filter(pk=commune.pk).update(code_service_obligatoire=True)
    service = Service.objects.create(structure=commune, code="ACHATS", libelle="Service des achats")
    entetes = integrateur.entetes(client)
    corps = integrateur.appeler(client, "structures/v1/consulter", {"idStructureCPP": commune.pk}, **entetes).json()
    assert corps["informationGenerales"]["raisonSocialeStructure"] == "Commune de Valbourg"
    assert corps["informationGenerales"]["structurePriveePublique"] == "PUBLIQUE"
    assert corps["parametres"]["codeServiceDoitEtreRenseigne"] is True
    services = integrateur.appeler(
        client, "structures/v1/rechercher/services", {"idStructure": commune.pk}, **entetes
    ).json()
    assert [s["codeService"] for s in services["listeServices"]] == ["ACHATS"]
    detail = integrateur.appeler(
        client, "structures/v1/consulter/service", {"idStructure": commune.pk, "idService": service.pk}, **entetes
    ).json()
    assert detail["informationsGenerales"]["nomService"] == "Service des achats"


def test_une_structure_privee_d_un_autre_est_introuvable(client, integrateur):
    autre = Integrateur()
    entetes = integrateur.entetes(client)
    reponse = integrateur.appeler(client, "structures/v1/consulter", {"idStructureCPP": autre.structure.pk}, **entetes)
    inexistante = integrateur.appeler(client, "structures/v1/consulter", {"idStructureCPP": 999999}, **entetes)
    assert reponse.status_code == inexistante.status_code == 404
    assert reponse.json() == inexistante.json() and reponse.json()["codeRetour"] == 20003
    mienne = integrateur.appeler(
        client, "structures/v1/consulter", {"idStructureCPP": integrateur.structure.pk}, **entetes
    )
    assert mienne.status_code == 200
    sans_id = integrateur.appeler(client, "structures/v1/consulter", {}, **entetes)
    assert sans_id.status_code == 400 and sans_id.json()["libelle"] == "idStructureCPP : ce champ est obligatoire."


# --- transverses ---------------------------------------------------------------------------------------------------


def test_les_listes_de_reference(client, integrateur):
    entetes = integrateur.entetes(client)
    cadres = integrateur.appeler(
        client, "transverses/v1/recuperer/cadrefacturation", {"typeDemandePaiement": "FACTURE_TRAVAUX"}, **entetes
    ).json()
    codes = [c["codeCadreFacturation"] for c in cadres["listeCadreFacturation"]]
    assert "A4_PROJET_DECOMPTE_MENSUEL" in codes or any(c.startswith("A4_") for c in codes)
    assert not any(c.startswith("A1_") for c in codes)
    etats = integrateur.appeler(
        client, "transverses/v1/recuperer/etats/traitement", {"statutCourant": "MISE_A_DISPOSITION"}, **entetes
    ).json()
    possibles = {e["statutPossiblePourTraitement"] for e in etats["listeStatutsPossiblesPourTraitement"]}
    assert {"SERVICE_FAIT", "SUSPENDUE", "REJETEE", "A_RECYCLER", "MISE_EN_PAIEMENT"} <= possibles
    inconnu = integrateur.appeler(
        client, "transverses/v1/recuperer/etats/traitement", {"statutCourant": "X"}, **entetes
    )
    assert inconnu.status_code == 400 and inconnu.json()["champ"] == "statutCourant"
    devises = integrateur.appeler(client, "transverses/v1/recuperer/devises", {}, **entetes).json()
    assert {"codeDevise": "XPF", "libelleDevise": "Franc CFP"} in devises["listeDevises"]
    modes = integrateur.appeler(client, "transverses/v1/recuperer/modedepot", {}, **entetes).json()
    assert {"modeDepot": "SAISIE_API"} in modes["listeModeDepot"]


def test_un_identifiant_hors_limites(client, integrateur):
    reponse = integrateur.appeler(client, "structures/v1/consulter", {"idStructureCPP": 2**70})
    assert reponse.status_code == 400
    assert reponse.json() == {
        "codeRetour": 20002,
        "libelle": "idStructureCPP : nombre hors limites.",
        "champ": "idStructureCPP",
    }


def test_un_caractere_nul_est_refuse_en_nommant_le_champ(client, integrateur):
    reponse = integrateur.appeler(client, "structures/v1/rechercher", {"structure": {"libelleStructure": "a\x00b"}})
    assert reponse.status_code == 400
    assert reponse.json()["champ"] == "structure.libelleStructure"
    assert reponse.json()["libelle"] == "structure.libelleStructure : le caractère NUL (\\u0000) n'est pas admis."
