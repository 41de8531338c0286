"""The flux over the API (chorus-pro-api.md §2.1, §2.5): `factures/v1/deposer/flux` saves the flux and queues its
integration (the same pipeline as the portal's « Suivi des flux » and the EDI drop), `transverses/v1/consulterCR`
and `consulterCRDetaille` give its state and its complete report."""

import base64
import binascii

from django.http import Http404
from rest_framework import status

from raccordement.api import enveloppe
from raccordement.api.schema import liste, objet
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ
from raccordement.compte_rendu_pdf import pdf_compte_rendu
from raccordement.enums import CanalFlux, EtatFlux, SyntaxeFlux
from raccordement.selectors.flux import avec_rapport, compte_rendu, compte_rendu_detaille, flux_visibles
from raccordement.services.flux import TAILLE_ARCHIVE_MAX, flux_recevoir

# base64 makes the body a third larger than the file it carries
TAILLE_B64_MAX = TAILLE_ARCHIVE_MAX * 4 // 3 + 4


class TropGros(Exception):
    pass


class DeposerFluxFacture(ServiceCpro):
    """Dépose un flux (une facture UBL, CII ou Factur-X, ou une archive .tar.gz de factures) ; son intégration se
    suit avec consulterCR et consulterCRDetaille. Toutes les valeurs de syntaxeFlux sont reçues : E1 (UBL, CII) et
    Factur-X sont intégrés ; E2 « _MIN » (UBL, CII) portent le PDF de la facture en pièce jointe encodée (BG-24),
    qui en devient la copie lisible ; PDFARCHIVE est une archive .tar.gz où chaque facture (XML) a son PDF du même
    nom. PES, xCBL, CPP et les mémoires E3 sont reçus puis rejetés dans le compte rendu, qui nomme la syntaxe."""

    requete = objet(
        {
            "idUtilisateurCourant": {"type": "integer"},
            "fichierFlux": {"type": "string", "format": "byte"},
            "nomFichier": {"type": "string"},
            "syntaxeFlux": {"type": "string", "enum": list(SyntaxeFlux.values)},
            "avecSignature": {"type": "boolean"},
        },
        ["fichierFlux", "nomFichier"],
    )
    reponse = {
        "numeroFluxDepot": {"type": "string"},
        "dateDepot": {"type": "string"},
        "syntaxeFlux": {"type": "string"},
    }

    def traiter(self, request, corps):
        b64 = champ(corps, "fichierFlux", type_=str, obligatoire=True)
        if len(b64) > TAILLE_B64_MAX:
            raise TropGros()
        try:
            contenu = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            raise ErreurDonnees(
                "fichierFlux : le contenu du fichier doit être encodé en base64.", champ="fichierFlux"
            ) from None
        compte = request.auth
        flux = flux_recevoir(
            structure=compte.structure,
            contenu=contenu,
            nom_fichier=champ(corps, "nomFichier", type_=str, obligatoire=True),
            canal=CanalFlux.API,
            compte_technique=compte,
            syntaxe=champ(corps, "syntaxeFlux", type_=str, defaut=""),
        )
        return {
            "numeroFluxDepot": flux.numero,
            "dateDepot": flux.recu_le.date().isoformat(),
            "syntaxeFlux": flux.syntaxe,
        }

    def handle_exception(self, exc):
        if isinstance(exc, TropGros):
            return enveloppe.erreur(
                enveloppe.FICHIER_TROP_GROS,
                f"fichierFlux : le fichier dépasse {TAILLE_ARCHIVE_MAX // (1024 * 1024)} Mo (archive .tar.gz) ou "
                "10 Mo (fichier seul).",
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                champ="fichierFlux",
            )
        return super().handle_exception(exc)


def _flux(request, corps):
    numero = champ(corps, "numeroFluxDepot", type_=str, obligatoire=True)
    flux = flux_visibles(request.user).filter(numero=numero).first()
    if flux is None:
        raise Http404("numeroFluxDepot")
    return flux


ETAT_FLUX = {"type": "string", "enum": list(EtatFlux.values)}


class ConsulterCR(ServiceCpro):
    """L'état d'un flux déposé et son compte rendu d'intégration en PDF (fichierCR, en base64) : le flux, son état
    et chaque erreur avec sa règle, son champ, la valeur trouvée et la valeur attendue."""

    requete = objet(
        {"numeroFluxDepot": {"type": "string"}, "dateDepot": {"type": "string"}, "syntaxeFlux": {"type": "string"}},
        ["numeroFluxDepot"],
    )
    reponse = {
        "numeroFluxDepot": {"type": "string"},
        "dateDepotFlux": {"type": "string", "format": "date"},
        "dateHeureEtatCourantFlux": {"type": "string", "format": "date-time"},
        "nomFichierFlux": {"type": "string"},
        "syntaxeFlux": {"type": "string"},
        "codeInterfaceFlux": {"type": "string"},
        "designationPartenaire": {"type": "string"},
        "codeAppliPartenaire": {"type": "string"},
        "etatCourantFlux": ETAT_FLUX,
        "libelleEtatFlux": {"type": "string"},
        "fichierCR": {"type": "string", "format": "byte", "description": "Le compte rendu d'intégration (PDF)."},
    }

    def traiter(self, request, corps):
        flux = avec_rapport(_flux(request, corps))
        resultat = compte_rendu(flux)
        # the envelope's libelle stays the call's; the flux's state label goes in its own field
        resultat["libelleEtatFlux"] = resultat.pop("libelle")
        resultat["fichierCR"] = base64.b64encode(pdf_compte_rendu(flux)).decode("ascii")
        return resultat


class ConsulterCRDetaille(ServiceCpro):
    """L'état d'un flux et toutes ses erreurs, techniques et par facture, sans troncature."""

    requete = objet({"numeroFluxDepot": {"type": "string"}}, ["numeroFluxDepot"])
    reponse = {
        "numeroFluxDepot": {"type": "string"},
        "nomFichier": {"type": "string"},
        "dateDepotFlux": {"type": "string", "format": "date"},
        "codeInterfaceDepotFlux": {"type": "string"},
        "etatCourantDepotFlux": ETAT_FLUX,
        "dateHeureEtatCourantFlux": {"type": "string", "format": "date-time"},
        "libelleEtatFlux": {"type": "string"},
        "listeErreurTechnique": liste(
            {"codeErreur": {"type": "string"}, "libelleErreur": {"type": "string"}, "natureErreur": {"type": "string"}}
        ),
        "listeErreurDP": liste(
            {
                "identifiantFournisseur": {"type": "string"},
                "identifiantDestinataire": {"type": "string"},
                "numeroDP": {"type": "string"},
                "libelleErreurDP": {"type": "string"},
            }
        ),
    }

    def traiter(self, request, corps):
        resultat = compte_rendu_detaille(_flux(request, corps))
        resultat["libelleEtatFlux"] = resultat.pop("libelle")
        return resultat
