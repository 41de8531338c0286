"""chorus-api 1.0.6 (PyPI, module `chorusapi`), a public client of the real Chorus Pro API, run unchanged against the
live test server (issue #14): only its two URLs change, the token endpoint (`auth_url`) and the API base
(`api_url`), both set from `sandbox` in chorusapi/models/api.py (API.__init__). It authenticates with the demo data
set's API client and the FNFE seller's technical account, as var/matelas.csv lists them.

Each public method of `chorusapi.client.ChorusAPI` is a case of its own. The answer is read by the client's own
response classes (chorusapi/responses/api_response.py): every attribute they fill must be filled, every list they map
must have rows, and every key they read must be in the answer. A few values are empty in the demo data itself (a
structure without fax); those are listed, with why, and still must be sent as keys.
"""

import base64
import inspect
import re

import pytest
import requests
from chorusapi.client import ChorusAPI
from chorusapi.constants.syntax_flux_constant import SyntaxFlux
from chorusapi.responses.api_response import InformationSiretResponse
from django.core.cache import cache

from demo.comptes import charger_comptes
from organisation.matelas import RoleDemo
from organisation.models import Structure
from raccordement.api.siret import NON_TENUS
from raccordement.enums import CanalFlux, EtatFlux, SyntaxeFlux
from raccordement.matelas import ROLE_CLIENT, ROLE_COMPTE
from raccordement.models import CompteTechnique, Flux
from raccordement.services.flux import flux_recevoir
from tests.raccordement.flux_donnees import (
    FNFE_BASICWL,
    SIRET_ACHETEUR_FNFE,
    SIRET_VENDEUR_FNFE,
    facture_cii,
    numero_unique,
)

ETATS_FINAUX = (EtatFlux.IN_INTEGRE, EtatFlux.IN_INTEGRE_PARTIEL, EtatFlux.IN_REJETE)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Demo:
    """The demo accounts as `make run` loads them (demo.comptes.charger_comptes, which adds the technical
    accounts and the API client of raccordement.matelas), and the client pointed at the live server."""

    def __init__(self, live_server, espion):
        self.espion = espion
        cache.clear()  # the request rate per technical account starts afresh
        lignes = charger_comptes()
        compte = next(c for c in lignes if c["role"] == ROLE_COMPTE and c["identifiant"] == SIRET_VENDEUR_FNFE)
        application = next(c for c in lignes if c["role"] == ROLE_CLIENT)
        self.fournisseur = Structure.objects.get(identifiant=SIRET_VENDEUR_FNFE)
        self.compte_technique = CompteTechnique.objects.get(login=compte["login"])
        self.entite_publique = Structure.objects.get(
            identifiant=next(c["identifiant"] for c in lignes if c["role"] == RoleDemo.ENTITE_PUBLIQUE.label)
        )
        self.api = ChorusAPI(
            client_id=application["login"],
            client_secret=application["mot_de_passe"],
            tech_username=compte["login"],
            tech_password=compte["mot_de_passe"],
            sandbox=True,
        )
        # its two URLs, and nothing else
        self.api.auth_url = f"{live_server.url}/api/oauth/token"
        self.api.api_url = live_server.url

    def rempli(self, reponse):
        """The response object the client built from its last answer has every field filled."""
        rempli(reponse, self.espion.derniere())

    def flux(self, contenu, nom, syntaxe):
        """A flux deposited by the technical account through the project's service (not through the client, so that
        each method is tried on its own), integrated at once (eager task at commit)."""
        flux = flux_recevoir(
            structure=self.fournisseur,
            contenu=contenu,
            nom_fichier=nom,
            canal=CanalFlux.API,
            compte_technique=self.compte_technique,
            syntaxe=syntaxe,
        )
        flux.refresh_from_db()
        assert flux.etat in ETATS_FINAUX, flux.etat
        return flux

    def flux_integre(self):
        numero = numero_unique("CLIENT")
        flux = self.flux(
            facture_cii(numero, vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE),
            f"{numero}.xml",
            SyntaxeFlux.IN_DP_E1_CII_16B,
        )
        assert flux.etat == EtatFlux.IN_INTEGRE, [(e.code, e.message) for e in flux.erreurs.all()]
        return flux


@pytest.fixture
def demo(transactional_db, live_server, monkeypatch):
    return Demo(live_server, Espion(monkeypatch))


# --- what each answer must carry ----------------------------------------------------------------------------------

# Values that are empty in the demo data itself; the key must still be in the answer (attribute: why).
VIDES_ADMIS = {
    # chorusapi.responses.api_response.ConsulterCrDetailleResponse on an integrated flux: no error to list
    "liste_erreur_dp": "flux intégré : aucune erreur de facture",
    "liste_erreur_technique": "flux intégré : aucune erreur technique",
    # AdressePostaleDuSiege: the demo public entity has no fax, no second address complement
    "fax": "pas de fax dans le jeu de démonstration",
    "indicatif_fax": "pas de fax dans le jeu de démonstration",
    "complement_adresse_2": "un seul complément d'adresse dans le jeu de démonstration",
    "telephone": "pas de téléphone dans le jeu de démonstration",
    "indicatif_telephone": "pas de téléphone dans le jeu de démonstration",
    # InformationGenerales of a public entity (a legal person): no first name, no RCS number, not duplicated
    "nom_structure": "personne morale : pas de nom de personne physique",
    "prenom_structure": "personne morale : pas de prénom",
    "numero_rcs_structure": "entité publique : pas de numéro RCS",
    "numero_tva": "entité publique du jeu de démonstration : pas de numéro de TVA",
    "email_structure": "pas de courriel de structure dans le jeu de démonstration",
    "id_structure_origine": "structure qui n'est pas issue d'une duplication",
    "liste_structure_dupliquees": "aucune structure dupliquée",
    "date_expiration_mot_passe_compte_tech": "la structure consultée n'a pas de compte technique",
    # InformationSiretResponse: never reactivated, no predecessor, a company has no civility
    "date_reactivation_etablissement": "établissement jamais réactivé",
    "siret_predecesseur_successeur": "aucun prédécesseur ni successeur",
    "civilite": "personne morale : pas de civilité",
    # the SIRENE data nothing in the portal holds: answered null, each with its reason in raccordement/api/siret.py
    # (NON_TENUS); test_information_siret_tout_ce_que_le_portail_tient checks that the others are filled
    "categorie_entreprise": NON_TENUS["categorieEntreprise"],
    "categorie_juridique": NON_TENUS["categorieJuridique"],
    "date_creation_entreprise": NON_TENUS["dateCreationEntreprise"],
    "date_creation_etablissement": NON_TENUS["dateCreationEtablissement"],
    "localisation_siege": NON_TENUS["localisationSiege"],
    "siege": NON_TENUS["siege"],
    # ListeFactures: a flux invoice has no processing of a rejection
    "rejet_traite": "facture non rejetée",
}


class Espion:
    """The JSON of each answer the client received (it keeps none): requests.post/get are wrapped, not replaced."""

    def __init__(self, monkeypatch):
        self.reponses = []
        for nom in ("post", "get"):
            monkeypatch.setattr(requests, nom, self._garder(getattr(requests, nom)))

    def _garder(self, envoyer):
        def envoyer_et_garder(*args, **kwargs):
            reponse = envoyer(*args, **kwargs)
            self.reponses.append(reponse)
            return reponse

        return envoyer_et_garder

    def derniere(self):
        reponse = self.reponses[-1]
        assert reponse.status_code == 200 and reponse.headers["Content-Type"].startswith("application/json")
        return reponse.json()


def _lus(classe):
    """The JSON keys a response class reads (`json_response.get("…")` / `data.get("…")` in its __init__)."""
    return set(re.findall(r"""(?:json_response|data)\.get\(\s*["']([^"']+)["']""", inspect.getsource(classe.__init__)))


# The JSON key behind each nested object or list the classes map (ListeServices rows sit in `liste_structures`).
IMBRIQUES = {
    "adresse_postale_du_siege": ("adressePostaleDuSiege",),
    "information_generales": ("informationGenerales",),
    "parametres": ("parametres",),
    "liste_structures": ("listeStructures", "listeServices"),
    "liste_structure_dupliquees": ("listeStructureDupliquees",),
    "liste_factures": ("listeFactures",),
    "liste_devises": ("listeDevises",),
    "liste_erreur_dp": ("listeErreurDP",),
    "liste_erreur_technique": ("listeErreurTechnique",),
}


def _verifier(objet, json, chemin, manques):
    """Every key the class reads is in the JSON; every attribute it fills is filled, nested objects and list rows
    included."""
    for cle in sorted(_lus(type(objet))):
        if cle not in json:
            manques.append(f"{chemin}{cle} : clé absente de la réponse")
    for attribut, valeur in vars(objet).items():
        ici = f"{chemin}{attribut}"
        if (valeur is None or valeur == "" or valeur == []) and attribut not in VIDES_ADMIS:
            manques.append(f"{ici} : vide ({valeur!r})")
        if attribut not in IMBRIQUES:
            continue
        brut = next((json[k] for k in IMBRIQUES[attribut] if k in json), None)
        if isinstance(valeur, list):
            for rang, (ligne, ligne_brute) in enumerate(zip(valeur, brut or [], strict=True)):
                _verifier(ligne, ligne_brute, f"{ici}[{rang}].", manques)
        else:
            _verifier(valeur, brut or {}, f"{ici}.", manques)
    return manques


def rempli(reponse, json):
    manques = _verifier(reponse, json, "", [])
    assert not manques, f"{type(reponse).__name__} :\n" + "\n".join(manques)


# --- one case per public method -----------------------------------------------------------------------------------


def _auth(demo):
    assert demo.api.auth() is demo.api and demo.api.token
    assert demo.api._token_date_expiration is not None  # read from expires_in (chorusapi/models/api.py, auth)


def _get_token(demo):
    demo.api.auth()
    jeton = demo.api.get_token()
    assert jeton and isinstance(jeton, str)


def _health_check(demo):
    reponse = demo.api.auth().health_check()
    demo.rempli(reponse)
    assert reponse.status_code == "OK" and reponse.status_code_value == 200


def _deposer_flux(demo):
    contenu = base64.b64encode(FNFE_BASICWL.read_bytes()).decode()
    reponse = demo.api.auth().deposer_flux(contenu, FNFE_BASICWL.name)  # the default syntax: IN_DP_E2_CII_FACTURX
    demo.rempli(reponse)
    assert reponse.code_retour == 0 and reponse.syntaxe_flux == SyntaxFlux.IN_DP_E2_CII_FACTURX
    flux = Flux.objects.get(numero=reponse.numero_flux_depot)
    assert flux.etat == EtatFlux.IN_INTEGRE and flux.compte_technique == demo.compte_technique


def _rechercher_facture(demo):
    flux = demo.flux_integre()
    reponse = demo.api.auth().rechercher_facture(flux.numero)
    demo.rempli(reponse)
    assert reponse.code_retour == 0 and len(reponse.liste_factures) == 1
    assert reponse.liste_factures[0].numero_flux_depot == flux.numero


def _rechercher_structure(demo):
    reponse = demo.api.auth().rechercher_structure(demo.entite_publique.identifiant)
    demo.rempli(reponse)
    assert [s.id_structure_cpp for s in reponse.liste_structures] == [demo.entite_publique.pk]


def _rechercher_services(demo):
    reponse = demo.api.auth().rechercher_services(demo.entite_publique.pk)
    demo.rempli(reponse)
    codes = {s.code_service for s in reponse.liste_structures}  # (sic: the class names the services' list so)
    assert {"SERVICE-ACHATS", "SERVICE-TRAVAUX"} <= codes


def _consulter_structure(demo):
    reponse = demo.api.auth().consulter_structure(demo.entite_publique.pk)
    demo.rempli(reponse)
    assert reponse.information_generales.id_structure_cpp == demo.entite_publique.pk


def _consulter_cr(demo):
    flux = demo.flux_integre()
    reponse = demo.api.auth().consulter_cr(flux.numero)
    demo.rempli(reponse)
    assert reponse.numero_flux_depot == flux.numero and reponse.etat_courant_flux == EtatFlux.IN_INTEGRE
    assert base64.b64decode(reponse.fichier_cr).startswith(b"%PDF-")  # the integration report itself


def _consulter_cr_detaille(demo):
    flux = demo.flux_integre()
    reponse = demo.api.auth().consulter_cr_detaille(flux.numero)
    demo.rempli(reponse)
    assert reponse.etat_courant_depot_flux == EtatFlux.IN_INTEGRE and reponse.nomFichier == flux.nom_fichier


def _consulter_cr_detaille_erreur_facture(demo):
    numero = numero_unique("CLIENT")
    # a buyer that is no structure of the portal: the invoice is rejected by the Chorus Pro rules
    flux = demo.flux(
        facture_cii(numero, vendeur=SIRET_VENDEUR_FNFE, acheteur="12345678901234"),
        f"{numero}.xml",
        SyntaxeFlux.IN_DP_E1_CII_16B,
    )
    reponse = demo.api.auth().consulter_cr_detaille(flux.numero)
    demo.rempli(reponse)
    assert reponse.etat_courant_depot_flux == EtatFlux.IN_REJETE and reponse.liste_erreur_dp
    assert {e.numero_dp for e in reponse.liste_erreur_dp} == {numero}


def _consulter_cr_detaille_erreur_technique(demo):
    premier = demo.flux_integre()
    with premier.fichier.open("rb") as fichier:
        contenu = fichier.read()
    # the same file again: a technical error (FLUX_DOUBLON), the flux is not integrated twice
    flux = demo.flux(contenu, premier.nom_fichier, SyntaxeFlux.IN_DP_E1_CII_16B)
    reponse = demo.api.auth().consulter_cr_detaille(flux.numero)
    demo.rempli(reponse)
    assert reponse.etat_courant_depot_flux == EtatFlux.IN_REJETE
    assert [e.code_erreur for e in reponse.liste_erreur_technique] == ["FLUX_DOUBLON"]


def _information_siret(demo):
    reponse = demo.api.auth().information_siret(demo.entite_publique.identifiant)
    demo.rempli(reponse)
    assert reponse.siret == demo.entite_publique.identifiant and reponse.siren == demo.entite_publique.identifiant[:9]


def _annuaire_destinataire(demo):
    reponse = demo.api.auth().annuaire_destinataire()
    demo.rempli(reponse)
    assert reponse.code_retour == 0 and base64.b64decode(reponse.fichier_resultat)


def _devises(demo):
    reponse = demo.api.auth().devises()
    demo.rempli(reponse)
    assert "EUR" in {d.code_devise for d in reponse.liste_devises}


CAS = {
    "auth": _auth,
    "get_token": _get_token,
    "health_check": _health_check,
    "deposer_flux": _deposer_flux,
    "rechercher_facture": _rechercher_facture,
    "rechercher_structure": _rechercher_structure,
    "rechercher_services": _rechercher_services,
    "consulter_structure": _consulter_structure,
    "consulter_cr": _consulter_cr,
    "consulter_cr_detaille": _consulter_cr_detaille,
    "consulter_cr_detaille-erreur_facture": _consulter_cr_detaille_erreur_facture,
    "consulter_cr_detaille-erreur_technique": _consulter_cr_detaille_erreur_technique,
    "information_siret": _information_siret,
    "annuaire_destinataire": _annuaire_destinataire,
    "devises": _devises,
}


def test_chaque_methode_publique_a_son_cas():
    publiques = {nom for nom in dir(ChorusAPI) if not nom.startswith("_") and callable(getattr(ChorusAPI, nom))}
    assert publiques == {cas.split("-")[0] for cas in CAS}


@pytest.mark.parametrize("cas", list(CAS))
def test_methode_du_client(demo, cas):
    CAS[cas](demo)


@pytest.mark.parametrize("syntaxe", [v for k, v in vars(SyntaxFlux).items() if not k.startswith("_")])
def test_deposer_flux_accepte_chaque_syntaxe_du_client(demo, syntaxe):
    """Every syntaxeFlux value the client offers is a valid value of the real API: the deposit is accepted, and a
    file the syntax does not describe is rejected in the flux's report, never by a 400."""
    contenu = base64.b64encode(FNFE_BASICWL.read_bytes()).decode()
    reponse = demo.api.auth().deposer_flux(contenu, FNFE_BASICWL.name, syntaxe_flux=syntaxe)
    demo.rempli(reponse)
    assert reponse.code_retour == 0 and reponse.syntaxe_flux == syntaxe
    assert Flux.objects.get(numero=reponse.numero_flux_depot).etat in ETATS_FINAUX


@pytest.mark.parametrize("qui", ["entite_publique", "fournisseur"])
def test_information_siret_tout_ce_que_le_portail_tient(demo, qui):
    """information_siret on a public entity of the directory and on the account's own structure: every key the
    client reads is answered; what the structures directory holds is filled with the structure's data; null only
    what nothing in the portal holds (NON_TENUS, each with its reason)."""
    structure = getattr(demo, qui)
    reponse = demo.api.auth().information_siret(structure.identifiant)
    brut = demo.espion.derniere()
    assert _lus(InformationSiretResponse) <= set(brut)
    assert reponse.code_retour == 0
    assert (reponse.siret, reponse.siren, reponse.numero_interne_classement) == (
        structure.identifiant,
        structure.identifiant[:9],
        structure.identifiant[9:],
    )
    assert reponse.raison_sociale == structure.raison_sociale
    assert reponse.estActif is True and reponse.non_diffusible_insee is False
    assert {c: reponse.adresse[c] for c in ("adresse", "codePostal", "ville", "pays")} == {
        "adresse": structure.adresse,
        "codePostal": structure.code_postal,
        "ville": structure.ville,
        "pays": structure.pays,
    }
    assert all(reponse.adresse[c] for c in ("adresse", "codePostal", "ville", "pays"))
    assert {cle for cle, valeur in brut.items() if valeur is None} == set(NON_TENUS)
