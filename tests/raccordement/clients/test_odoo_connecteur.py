"""The OCA Odoo connector `l10n_fr_chorus_account` 18.0.1.2.0.1 (PyPI odoo-addon-l10n-fr-chorus-account, pinned here
as it was read) cannot run without Odoo: each request it builds is reproduced as its source builds it (the path, the
headers and the payload; file and line of the pinned wheel in each case, paths relative to
odoo/addons/l10n_fr_chorus_account/), sent to the portal with Django's test client, and every key the connector reads
in the answer is checked, with the type it relies on (an `int()`, a Selection, a date). `l10n_fr_chorus_sale`
18.0.1.0.0.5 builds no request of its own: sale_order.py:35-41 reaches res_company.py:387 (the common checks), hence
the engagement check of res_company.py:518-537, the same request as for an invoice.

It runs as the demo data set's API client and the FNFE seller's technical account (var/matelas.csv), the company
whose invoices Odoo sends; the customer is the demo public entity (its services, its rules).
"""

import base64
import datetime
import io
import json
import tarfile
import time

import pytest
from django.core.cache import cache
from django.test import Client

from demo.comptes import charger_comptes
from engagements.matelas import charger_engagements
from facturation.formats.facturx import generer_facturx
from facturation.formats.lecture import lire
from organisation.matelas import RoleDemo
from organisation.models import Service, Structure
from raccordement.enums import CanalFlux, EtatFlux, SyntaxeFlux
from raccordement.matelas import ROLE_CLIENT, ROLE_COMPTE
from raccordement.models import CompteTechnique
from raccordement.services.flux import flux_recevoir
from tests.raccordement.flux_donnees import (
    FNFE_BASICWL,
    SIRET_ACHETEUR_FNFE,
    SIRET_VENDEUR_FNFE,
    facture_cii,
    numero_unique,
)

pytestmark = pytest.mark.django_db

# The syntaxeFlux of the company's « Chorus Invoice Format » pdf_factur-x: syntax_odoo2chorus() is {} in
# l10n_fr_chorus_account (models/chorus_flow.py:91-93); l10n_fr_chorus_facturx maps it to this value.
FORMAT_FACTURX = "pdf_factur-x"
SYNTAXE_FACTURX = SyntaxeFlux.IN_DP_E2_CII_FACTURX


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Odoo:
    """The company's Chorus settings (res_company.py:110-157, _chorus_get_api_params): oauth id and secret, the
    technical account's login and password; the token as _get_new_token gets it."""

    def __init__(self, lignes, django_capture_on_commit_callbacks):
        self.client = Client()
        self.capturer = django_capture_on_commit_callbacks
        compte = next(c for c in lignes if c["role"] == ROLE_COMPTE and c["identifiant"] == SIRET_VENDEUR_FNFE)
        application = next(c for c in lignes if c["role"] == ROLE_CLIENT)
        self.api_params = {
            "oauth_id": application["login"],
            "oauth_secret": application["mot_de_passe"],
            "login": compte["login"],
            "password": compte["mot_de_passe"],
        }
        self.compte_technique = CompteTechnique.objects.get(login=compte["login"])
        self.societe = Structure.objects.get(identifiant=SIRET_VENDEUR_FNFE)
        self.client_public = Structure.objects.get(
            identifiant=next(c["identifiant"] for c in lignes if c["role"] == RoleDemo.ENTITE_PUBLIQUE.label)
        )

    def nouveau_jeton(self, secret=None):
        # res_company.py:165-174: requests.post(TOKEN_URL, data={...}) — a form, the secret in the body
        return self.client.post(
            "/api/oauth/token",
            {
                "grant_type": "client_credentials",
                "client_id": self.api_params["oauth_id"],
                "client_secret": secret or self.api_params["oauth_secret"],
                "scope": "openid",
            },
        )

    def chorus_post(self, url_path, payload):
        """res_company.py:255-336 (_chorus_post): POST {API_URL}/cpro/{url_path}, `data=json.dumps(payload)`, the
        headers of lines 261-264 (cpro-account: base64 of « login:password », bytes as requests sends them) and the
        Bearer that OAuth2Session adds. Returns the answer after the checks _chorus_post makes."""
        jeton = self.nouveau_jeton().json()
        auth_piste = ":".join((self.api_params["login"], self.api_params["password"]))
        reponse = self.client.post(
            f"/cpro/{url_path}",
            data=json.dumps(payload),
            content_type="application/json;charset=utf-8",
            HTTP_CPRO_ACCOUNT=base64.b64encode(auth_piste.encode("utf8")).decode(),
            HTTP_AUTHORIZATION=f"{jeton['token_type']} {jeton['access_token']}",
        )
        # res_company.py:301-321: any other status is an error whose `libelle` is shown to the user, when JSON
        assert reponse.status_code == 200, (url_path, reponse.status_code, reponse.content[:500])
        answer = reponse.json()  # line 325: r.json()
        # lines 327-331: parametresRetour.pages, compared with 1
        if answer.get("parametresRetour") and answer["parametresRetour"].get("pages"):
            assert isinstance(answer["parametresRetour"]["pages"], int)
        return answer

    def erreur(self, url_path, payload):
        """The error path of _chorus_post (res_company.py:301-321): the status is not 200, the Content-Type header is
        there and, when JSON, `libelle` says what failed (an empty message otherwise)."""
        jeton = self.nouveau_jeton().json()
        auth_piste = ":".join((self.api_params["login"], self.api_params["password"]))
        reponse = self.client.post(
            f"/cpro/{url_path}",
            data=json.dumps(payload),
            content_type="application/json;charset=utf-8",
            HTTP_CPRO_ACCOUNT=base64.b64encode(auth_piste.encode("utf8")).decode(),
            HTTP_AUTHORIZATION=f"Bearer {jeton['access_token']}",
        )
        assert reponse.status_code != 200
        assert reponse.headers.get("Content-Type", "").startswith("application/json"), reponse.content[:300]
        assert reponse.json().get("libelle")
        return reponse

    def flux(self, contenu, nom, syntaxe):
        """A flux of the company deposited through the project's service, integrated at once (its task at commit):
        the requests that read a flux are tried without depending on the deposit request."""
        with self.capturer(execute=True):
            flux = flux_recevoir(
                structure=self.societe,
                contenu=contenu,
                nom_fichier=nom,
                canal=CanalFlux.API,
                compte_technique=self.compte_technique,
                syntaxe=syntaxe,
            )
        flux.refresh_from_db()
        return flux

    def flux_integre(self):
        numero = numero_unique("ODOO")
        flux = self.flux(
            facture_cii(numero, vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE),
            f"cii_chorus_facture_{numero}.xml",
            SyntaxeFlux.IN_DP_E1_CII_16B,
        )
        assert flux.etat == EtatFlux.IN_INTEGRE, flux.etat
        return flux, numero


@pytest.fixture
def odoo(django_capture_on_commit_callbacks):
    cache.clear()  # the request rate per technical account starts afresh
    return Odoo(charger_comptes(), django_capture_on_commit_callbacks)


def _entier(valeur):
    """Odoo stores Chorus identifiers in Integer fields (account_move.py:78, res_partner.py:33,
    chorus_partner_service.py:29) and calls int() on idService (res_partner.py:290)."""
    assert isinstance(valeur, int) and not isinstance(valeur, bool), valeur
    return valeur


# --- token -----------------------------------------------------------------------------------------------------------


def test_jeton(odoo):
    reponse = odoo.nouveau_jeton()
    assert reponse.status_code == 200
    token = reponse.json()  # res_company.py:197
    # line 231: int(token.get("expires_in")) - 240; OAuth2Session (line 268) needs access_token and a Bearer type
    assert int(token["expires_in"]) > 240
    assert token["access_token"] and token["token_type"].lower() == "bearer"


def test_jeton_refuse(odoo):
    reponse = odoo.nouveau_jeton(secret="mauvais-secret")
    assert reponse.status_code != 200
    token = reponse.json()  # res_company.py:197, then lines 207-222 show error and error_description
    assert token["error"] and token["error_description"]


# --- partners and services -------------------------------------------------------------------------------------------


def test_tester_l_api(odoo):
    # wizard/res_config_settings.py:50-54 (fr_chorus_test_api): any 200 is a success
    odoo.chorus_post("structures/v1/rechercher", {"structure": {"nomStructure": "This is just a test"}})


def test_identifiant_chorus_d_un_partenaire(odoo):
    # res_partner.py:108-117 (_fr_chorus_api_structures_rechercher)
    answer = odoo.chorus_post(
        "structures/v1/rechercher",
        {"structure": {"identifiantStructure": odoo.client_public.identifiant, "typeIdentifiantStructure": "SIRET"}},
    )
    # lines 122-127: exactly one row, its idStructureCPP
    assert len(answer["listeStructures"]) == 1
    assert _entier(answer["listeStructures"][0]["idStructureCPP"]) == odoo.client_public.pk


def test_identifiant_chorus_de_la_societe(odoo):
    # the same request for the company itself (res_company.py:496-499, get_company_identifier), whose
    # idStructureCPP the engagement check sends
    answer = odoo.chorus_post(
        "structures/v1/rechercher",
        {"structure": {"identifiantStructure": SIRET_VENDEUR_FNFE, "typeIdentifiantStructure": "SIRET"}},
    )
    assert [_entier(s["idStructureCPP"]) for s in answer["listeStructures"]] == [odoo.societe.pk]


def test_regles_d_un_partenaire(odoo):
    # res_partner.py:207-211 (_fr_chorus_api_structures_consulter)
    answer = odoo.chorus_post("structures/v1/consulter", {"idStructureCPP": odoo.client_public.pk})
    parametres = answer["parametres"]  # lines 215-228
    for cle in ("gestionNumeroEJOuCodeService", "codeServiceDoitEtreRenseigne", "numeroEJDoitEtreRenseigne"):
        assert isinstance(parametres[cle], bool), cle
    # the demo public entity requires a service code (organisation.matelas._completer): Odoo reads « service »
    assert parametres["codeServiceDoitEtreRenseigne"] is True
    assert parametres["numeroEJDoitEtreRenseigne"] is odoo.client_public.engagement_obligatoire


def test_services_d_un_partenaire(odoo):
    # res_partner.py:265-273 (_fr_chorus_api_rechercher_services): nbResultatsParPage hard-coded to 10000
    answer = odoo.chorus_post(
        "structures/v1/rechercher/services",
        {"idStructure": odoo.client_public.pk, "parametresRechercherServicesStructure": {"nbResultatsParPage": 10000}},
    )
    # lines 276-291
    assert answer["codeRetour"] == 0 and isinstance(answer["listeServices"], list)
    lus = {}
    for srv in answer["listeServices"]:
        assert srv["codeService"] and isinstance(srv["libelleService"], str) and isinstance(srv["estActif"], bool)
        lus[srv["codeService"]] = _entier(srv["idService"])
    attendus = dict(Service.objects.filter(structure=odoo.client_public).values_list("code", "pk"))
    assert lus == attendus


def test_un_service_d_un_partenaire(odoo):
    service = Service.objects.get(structure=odoo.client_public, code="SERVICE-TRAVAUX")
    # chorus_partner_service.py:74-83 (_api_consulter_service)
    answer = odoo.chorus_post(
        "structures/v1/consulter/service", {"idStructure": odoo.client_public.pk, "idService": service.pk}
    )
    # lines 87-92: codeRetour 0, parametres.numeroEngagement (the demo's « Direction des travaux » requires one)
    assert answer["codeRetour"] == 0 and answer["parametres"]["numeroEngagement"] is True


def test_service_inconnu_repond_une_erreur_lisible(odoo):
    odoo.erreur("structures/v1/consulter/service", {"idStructure": odoo.client_public.pk, "idService": 999999999})


# --- sending invoices ------------------------------------------------------------------------------------------------


def _deposer(odoo, contenu, nom):
    # account_move.py:287-292 (_prepare_chorus_deposer_flux_payload) sent by account_move.py:361-374 (_fr_chorus_send)
    payload = {
        "fichierFlux": base64.b64encode(contenu).decode("ascii"),
        "nomFichier": nom,
        "syntaxeFlux": SYNTAXE_FACTURX,
        "avecSignature": False,
    }
    with odoo.capturer(execute=True):
        answer = odoo.chorus_post("factures/v1/deposer/flux", payload)
    # lines 376-381: numeroFluxDepot names the chorus.flow, dateDepot fills its Date field (fields.Date.to_date
    # reads the first 10 characters as %Y-%m-%d)
    assert answer["numeroFluxDepot"]
    datetime.datetime.strptime(answer["dateDepot"][:10], "%Y-%m-%d")  # noqa: DTZ007 — the format only is checked
    return answer


def test_envoyer_une_facture(odoo):
    # account_move.py:263-271: one invoice, « {short_format}_chorus_facture_{name}.{ext} » of the format pdf_factur-x
    nom = f"{FORMAT_FACTURX[4:]}_chorus_facture_FA-2026-00001.{FORMAT_FACTURX[:3]}"
    answer = _deposer(odoo, FNFE_BASICWL.read_bytes(), nom)
    etat = odoo.chorus_post("transverses/v1/consulterCRDetaille", {"numeroFluxDepot": answer["numeroFluxDepot"]})
    assert etat["etatCourantDepotFlux"] == EtatFlux.IN_INTEGRE, json.dumps(etat, ensure_ascii=False)


def _facturx(numero):
    """A Factur-X invoice of the company to the FNFE public buyer, as Odoo renders one (l10n_fr_chorus_facturx)."""
    _syntaxe, neutre, _xml = lire(facture_cii(numero, vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE))
    return generer_facturx(neutre)


def test_envoyer_un_lot_de_factures(odoo):
    # account_move.py:272-285: several invoices in one tar.gz, members « factur-x_chorus_facture_{name}.pdf »
    tampon = io.BytesIO()
    with tarfile.open(fileobj=tampon, mode="w:gz") as tar:
        for rang in (1, 2):
            inv_name = numero_unique(f"FA{rang}")
            contenu = _facturx(inv_name)
            info = tarfile.TarInfo(name=f"{FORMAT_FACTURX[4:]}_chorus_facture_{inv_name}.{FORMAT_FACTURX[:3]}")
            info.size = len(contenu)
            info.mtime = int(time.time())
            tar.addfile(tarinfo=info, fileobj=io.BytesIO(contenu))
    answer = _deposer(odoo, tampon.getvalue(), f"{FORMAT_FACTURX[4:]}_chorus_lot_factures.tar.gz")
    etat = odoo.chorus_post("transverses/v1/consulterCRDetaille", {"numeroFluxDepot": answer["numeroFluxDepot"]})
    assert etat["etatCourantDepotFlux"] == EtatFlux.IN_INTEGRE, json.dumps(etat, ensure_ascii=False)


# --- following a flow and its invoices -------------------------------------------------------------------------------


def _consulter_cr(odoo, numero_flux):
    # chorus_flow.py:95-103 (_chorus_api_consulter_cr): consulterCRDetaille, « which works for all formats »
    answer = odoo.chorus_post("transverses/v1/consulterCRDetaille", {"numeroFluxDepot": numero_flux})
    # lines 104-165: libelle, etatCourantDepotFlux (the flow's status, compared with IN_INTEGRE… in
    # chorus_flow.py:230 and 283-288), and the two error lists
    assert answer["etatCourantDepotFlux"] in EtatFlux.values and "libelle" in answer
    assert isinstance(answer["listeErreurTechnique"], list) and isinstance(answer["listeErreurDP"], list)
    for erreur in answer["listeErreurTechnique"]:
        assert erreur["libelleErreur"]
    for erreur in answer["listeErreurDP"]:
        for cle in ("identifiantFournisseur", "identifiantDestinataire", "numeroDP", "libelleErreurDP"):
            assert erreur[cle], (cle, erreur)
    return answer


def test_etat_d_un_flux_integre(odoo):
    flux, _numero = odoo.flux_integre()
    answer = _consulter_cr(odoo, flux.numero)
    assert answer["etatCourantDepotFlux"] == EtatFlux.IN_INTEGRE
    assert not answer["listeErreurTechnique"] and not answer["listeErreurDP"]


def test_etat_d_un_flux_dont_la_facture_est_rejetee(odoo):
    numero = numero_unique("ODOO")
    # a buyer that is no structure of the portal: Odoo finds the invoice by numeroDP (lines 139-155) and detaches it
    flux = odoo.flux(
        facture_cii(numero, vendeur=SIRET_VENDEUR_FNFE, acheteur="12345678901234"),
        f"cii_chorus_facture_{numero}.xml",
        SyntaxeFlux.IN_DP_E1_CII_16B,
    )
    answer = _consulter_cr(odoo, flux.numero)
    assert answer["etatCourantDepotFlux"] == EtatFlux.IN_REJETE
    assert {e["numeroDP"] for e in answer["listeErreurDP"]} == {numero}
    assert {e["identifiantFournisseur"] for e in answer["listeErreurDP"]} == {SIRET_VENDEUR_FNFE}


def test_etat_d_un_flux_en_erreur_technique(odoo):
    premier, _numero = odoo.flux_integre()
    with premier.fichier.open("rb") as fichier:
        contenu = fichier.read()
    flux = odoo.flux(contenu, premier.nom_fichier, SyntaxeFlux.IN_DP_E1_CII_16B)  # the same file again
    answer = _consulter_cr(odoo, flux.numero)
    assert answer["etatCourantDepotFlux"] == EtatFlux.IN_REJETE and answer["listeErreurTechnique"]


def test_identifiants_des_factures_d_un_flux(odoo):
    flux, numero = odoo.flux_integre()
    # chorus_flow.py:194-204 (_chorus_api_rechercher_fournisseur): one invoice sent, nbResultatsParPage 1 + 2
    answer = odoo.chorus_post(
        "factures/v1/rechercher/fournisseur",
        {"numeroFluxDepot": flux.numero, "rechercheFactureParFournisseur": {"nbResultatsParPage": 3}},
    )
    # lines 207-218: numeroFacture (the Odoo invoice's name), identifiantFactureCPP, statut
    assert isinstance(answer["listeFactures"], list) and len(answer["listeFactures"]) == 1
    facture = answer["listeFactures"][0]
    assert facture["numeroFacture"] == numero and facture["statut"]
    assert _entier(facture["identifiantFactureCPP"]) == flux.factures.get().facture_id


def test_statut_d_une_facture(odoo):
    flux, _numero = odoo.flux_integre()
    facture = flux.factures.get().facture
    # account_move.py:295-301 (_chorus_api_consulter_historique)
    answer = odoo.chorus_post("factures/v1/consulter/historique", {"idFacture": facture.pk})
    # lines 304-309: idFacture equal to the one sent, statutCourantCode
    assert _entier(answer["idFacture"]) == facture.pk and answer["statutCourantCode"] == facture.statut


# --- engagement check (invoices and, through l10n_fr_chorus_sale, sale orders) ---------------------------------------


def test_verifier_un_numero_d_engagement_inconnu(odoo):
    # res_company.py:530-537 (_chorus_api_check_commitment_number): the company's own idStructureCPP, as a string
    answer = odoo.chorus_post(
        "engagementsJuridiques/v1/rechercher",
        {
            "structureReceptriceEngagementJuridique": str(odoo.societe.pk),
            "numeroEngagementJuridique": "EJ-INCONNU-0001",
            "etatCourantEngagementJuridique": "COMMANDE",
        },
    )
    # lines 539-563: listeEngagementJuridique, empty or absent when the number is unknown (« not found »)
    assert not answer.get("listeEngagementJuridique")


def test_verifier_un_numero_d_engagement_du_jeu_de_demonstration(django_capture_on_commit_callbacks):
    # the same request from the demo supplier's Odoo: EJ-2026-0001, issued to it by Commune de Démoville
    # (engagements.matelas), is found once: res_company.py:539-541 returns True
    cache.clear()
    lignes = charger_comptes()
    charger_engagements()  # as `manage.py charger_matelas` does after the accounts
    odoo = Odoo(lignes, django_capture_on_commit_callbacks)
    fournisseur = next(c for c in lignes if c["role"] == RoleDemo.FOURNISSEUR.label)
    compte = next(c for c in lignes if c["role"] == ROLE_COMPTE and c["identifiant"] == fournisseur["identifiant"])
    odoo.api_params |= {"login": compte["login"], "password": compte["mot_de_passe"]}
    societe = Structure.objects.get(identifiant=fournisseur["identifiant"])

    answer = odoo.chorus_post(
        "engagementsJuridiques/v1/rechercher",
        {
            "structureReceptriceEngagementJuridique": str(societe.pk),
            "numeroEngagementJuridique": "EJ-2026-0001",
            "etatCourantEngagementJuridique": "COMMANDE",
        },
    )
    assert len(answer["listeEngagementJuridique"]) == 1
