"""Checks of structure identifiers, VAT numbers and bank details, each with a French message naming the field."""

import re

import schwifty
from stdnum.eu import vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren, siret

from chorus.chiffres import que_des_chiffres
from chorus.exceptions import ApplicationError
from organisation.enums import TypeIdentifiant

PAYS_UE = set(vat.MEMBER_STATES) - {"fr"}


def _compact(valeur):
    return re.sub(r"[\s.\-/]", "", valeur or "").upper()


def verifier_siret(valeur, champ="identifiant"):
    numero = _compact(valeur)
    if not numero:
        raise ApplicationError("Saisissez le SIRET de la structure (14 chiffres).", champ=champ)
    if not que_des_chiffres(numero) or len(numero) != 14:
        raise ApplicationError(
            f"Le SIRET doit comporter 14 chiffres ({len(numero)} caractère{'s' if len(numero) > 1 else ''} saisi"
            f"{'s' if len(numero) > 1 else ''}).",
            champ=champ,
        )
    if not siren.is_valid(numero[:9]):
        raise ApplicationError(
            f"Le SIREN {numero[:9]} (les 9 premiers chiffres du SIRET) est invalide : sa clé de contrôle ne "
            "correspond pas. Vérifiez la saisie.",
            champ=champ,
        )
    if not siret.is_valid(numero):  # stdnum also knows La Poste's establishments, which follow another rule
        raise ApplicationError(
            f"Le SIRET {numero} est invalide : la clé de contrôle du numéro d'établissement ne correspond pas. "
            "Vérifiez la saisie.",
            champ=champ,
        )
    return numero


def verifier_tva(valeur, champ="numero_tva", pays_attendu=None):
    numero = _compact(valeur)
    if not numero:
        return ""
    try:
        numero = vat.validate(numero)
    except StdnumError:
        raise ApplicationError(
            f"Le numéro de TVA intracommunautaire {numero} est invalide (format attendu : code pays puis numéro, "
            "par exemple FR40303265045).",
            champ=champ,
        ) from None
    if pays_attendu == "FR" and not numero.startswith("FR"):
        raise ApplicationError("Le numéro de TVA d'une structure française commence par FR.", champ=champ)
    return numero


def verifier_identifiant(type_identifiant, valeur, champ="identifiant"):
    """The identifier in its stored form, or ApplicationError saying precisely what is wrong."""
    valeur = (valeur or "").strip()
    match type_identifiant:
        case TypeIdentifiant.SIRET:
            return verifier_siret(valeur, champ)
        case TypeIdentifiant.UE_HORS_FRANCE:
            numero = _compact(valeur)
            if not numero:
                raise ApplicationError("Saisissez le numéro de TVA intracommunautaire de la structure.", champ=champ)
            if numero.startswith("FR"):
                raise ApplicationError(
                    "Une structure française s'identifie par son SIRET : choisissez le type « SIRET ».", champ=champ
                )
            if numero[:2].lower() not in PAYS_UE and numero[:2] != "EL":
                raise ApplicationError(
                    f"Le code pays « {numero[:2]} » n'est pas celui d'un État membre de l'Union européenne.",
                    champ=champ,
                )
            return verifier_tva(numero, champ)
        case TypeIdentifiant.HORS_UE:
            numero = valeur.upper()
            if not re.fullmatch(r"[A-Z0-9][A-Z0-9 .\-/]{1,79}", numero):
                raise ApplicationError(
                    "Saisissez l'identifiant de la structure dans son pays (lettres, chiffres, espaces, points, "
                    "tirets ; 2 à 80 caractères).",
                    champ=champ,
                )
            return numero
        case TypeIdentifiant.RIDET:
            numero = _compact(valeur)
            if not re.fullmatch(r"\d{6,7}\d{3}", numero):
                raise ApplicationError(
                    "Le RIDET comporte le numéro d'entreprise (6 ou 7 chiffres) suivi du rang de l'établissement "
                    "(3 chiffres), par exemple 1234567.001.",
                    champ=champ,
                )
            return numero
        case TypeIdentifiant.TAHITI:
            numero = _compact(valeur)
            if not re.fullmatch(r"[A-Z0-9]{6}\d{3}", numero):
                raise ApplicationError(
                    "Le numéro TAHITI comporte 6 caractères (lettres ou chiffres) suivis du rang de l'établissement "
                    "(3 chiffres), par exemple A12345001.",
                    champ=champ,
                )
            return numero
        case TypeIdentifiant.PARTICULIER | TypeIdentifiant.EN_COURS_IMMATRICULATION:
            return ""  # attributed by the portal
    raise ApplicationError("Choisissez le type d'identifiant de la structure.", champ="type_identifiant")


def verifier_iban(valeur, champ="iban"):
    numero = _compact(valeur)
    if not numero:
        raise ApplicationError("Saisissez l'IBAN du compte.", champ=champ)
    try:
        return schwifty.IBAN(numero).compact
    except schwifty.exceptions.InvalidChecksumDigits:
        raise ApplicationError(
            f"L'IBAN {numero} est invalide : sa clé de contrôle ne correspond pas. Vérifiez la saisie.", champ=champ
        ) from None
    except schwifty.exceptions.InvalidLength:
        raise ApplicationError(
            f"L'IBAN {numero} n'a pas la longueur attendue pour un compte du pays {numero[:2]}.", champ=champ
        ) from None
    except schwifty.exceptions.SchwiftyException:
        raise ApplicationError(
            f"L'IBAN {numero} est invalide (format attendu : FR76 3000 6000 0112 3456 7890 189).", champ=champ
        ) from None


def verifier_bic(valeur, champ="bic"):
    code = _compact(valeur)
    if not code:
        return ""
    try:
        return schwifty.BIC(code).compact
    except schwifty.exceptions.SchwiftyException:
        raise ApplicationError(
            f"Le BIC {code} est invalide : il comporte 8 ou 11 lettres et chiffres (par exemple BNPAFRPPXXX).",
            champ=champ,
        ) from None
