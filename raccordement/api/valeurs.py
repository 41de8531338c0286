"""How the API reads and writes values the way Chorus Pro's JSON carries them: ISO dates, amounts as numbers rounded
to their currency, cadres by their API code (A1_FACTURE_FOURNISSEUR) or short code, statuses, identifiers."""

from decimal import Decimal

from facturation.enums import StatutFacture, arrondir, lire_table
from raccordement.api.vues import ErreurDonnees, champ

CADRE_API = {ligne["code"]: ligne["api_value"] for ligne in lire_table("cadres.csv")}
CADRE_DU_CODE_API = {valeur: code for code, valeur in CADRE_API.items()}


def date_api(valeur):
    return valeur.isoformat() if valeur else None


def montant_api(valeur, devise):
    return float(arrondir(Decimal(valeur or 0), devise))


def cadre_demande(corps, cle="cadreFacturation"):
    valeur = champ(corps, cle, type_=str)
    if valeur is None:
        return None
    if valeur in CADRE_DU_CODE_API:
        return CADRE_DU_CODE_API[valeur]
    if valeur in CADRE_API:
        return valeur
    raise ErreurDonnees(f"{cle} : « {valeur} » n'est pas un cadre de facturation.", champ=cle)


def statuts_demandes(corps, cle="statutCourant"):
    valeur = corps.get(cle)
    if valeur in (None, "", []):
        return None
    valeurs = valeur if isinstance(valeur, list) else [valeur]
    inconnus = [v for v in valeurs if v not in StatutFacture.values]
    if inconnus:
        raise ErreurDonnees(f"{cle} : statut inconnu « {inconnus[0]} ».", champ=cle)
    return valeurs


def identifiant_demande(corps, *cles):
    for cle in cles:
        if (valeur := champ(corps, cle, type_=int)) is not None:
            return valeur
    raise ErreurDonnees(f"{cles[0]} : ce champ est obligatoire.", champ=cles[0])
