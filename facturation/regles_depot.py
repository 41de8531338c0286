"""THE deposit rules of an invoice's data, in one place (issue #17): the entry form (facturation.forms.saisie), the
deposit service (facturation.services.depot, and so the upload, the flux and the works deposit), the draft's
« Valider et envoyer » (facturation.services.brouillon) and the API's soumettreFacture
(facturation.services.soumission) ask these functions, and each answers with its errors keyed by field.

The field names are the entry form's (`numero_facture_origine`, `siret_valideur`, a line's `quantite`); the deposit
service names the model's (`valideur_1`) where the form has no such field, and the API maps either to Chorus Pro's
JSON paths once (raccordement.api.factures_fournisseur.CHEMIN_DU_CHAMP). The routing rules (recipient, service,
code service or engagement required, number unique) are facturation.acheminement's, asked at deposit by every
channel; the amounts are facturation.calcul's.

Where two channels worded one rule differently, the wording kept is the one a test asserted and a person reads on
the entry page (the form's « Libellé : … » messages); the deposit service's sentence where only it was asserted.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from chorus import limites
from chorus.chiffres import que_des_chiffres
from facturation.acheminement import CADRES_AVEC_VALIDEUR, MESSAGE_MEME_STRUCTURE, ErreurAcheminement, service_actif
from facturation.enums import ModePaiement, TypeFacture, TypeTva, arrondir, decimales
from facturation.referentiels import DEVISES, TAUX_TVA, UNITES
from facturation.templatetags.paiement import montant_devise
from organisation.enums import StatutStructure, TypeIdentifiant
from organisation.models import Structure

# an error of a rule: its field and its message (and, for a refusal's report, the value found and expected)
Erreur = ErreurAcheminement

# who validates an invoice of a cadre with a validator (facturation: A9 sub-contractor, A12 co-contractor)
VALIDEUR_DU_CADRE = {"A9": "du titulaire du marché", "A12": "du mandataire du groupement"}
DATE_FACTURE_MIN = datetime.date(2000, 1, 1)


NUMERO_MAX = limites.nombre("numero_facture_longueur_max")
# The other cadres (works, mémoires) arrive with their issues.
CADRES_SAISIE = ("A1", "A2", "A9", "A12")

# The texts of an entry: label and longest length. The entry form declares its fields from these tables, the API's
# submission is checked against them (valeurs, valeurs_ligne).
TEXTES = {
    "siret_valideur": ("SIRET du valideur", 14),
    "code_service_valideur": ("Code service du valideur", 100),
    "destinataire": ("SIRET du destinataire", 20),
    "code_service": ("Code du service destinataire", 100),
    "numero": ("Numéro de facture", NUMERO_MAX),
    "numero_facture_origine": ("Numéro de la facture d'origine", NUMERO_MAX),
    "motif_exoneration": ("Motif d'exonération de TVA", 255),
    "numero_engagement": ("Numéro d'engagement", 50),
    "numero_marche": ("Numéro de marché", 50),
    "motif_remise_globale": ("Motif de la remise globale", 255),
    "commentaire": ("Commentaire", 2000),
}
TEXTES_LIGNE = {"reference": ("Référence", 100), "designation": ("Désignation", 255)}
# The values chosen from a list, and the message refusing another one.
CHOIX = {
    "cadre": (CADRES_SAISIE, "Cadre de facturation : choisissez un cadre de la liste (A1, A2, A9 ou A12)."),
    "devise": (tuple(code for code, _ in DEVISES), "Devise : choisissez une devise de la liste."),
    "type_facture": (tuple(TypeFacture.values), "Type de facture : choisissez facture ou avoir."),
    "type_tva": (tuple(TypeTva.values), "Type de TVA : choisissez un type de la liste."),
    "mode_paiement": (tuple(ModePaiement.values), "Mode de paiement : choisissez un mode de la liste."),
}
CHOIX_LIGNE = {
    "unite": (tuple(code for code, _ in UNITES), "Unité : choisissez une unité de la liste."),
    "taux_tva": (tuple(TAUX_TVA), "Taux de TVA : choisissez un taux de la liste."),
}
# a line's amounts and quantity: at most 6 decimals (EN 16931 BT-146), 19 digits
DECIMALES_LIGNE = 6
CHIFFRES_MAX = 19


def message_longueur(libelle, longueur_max, saisis="%(show_value)d"):
    """« Numéro de facture : 20 caractères au plus (25 saisis). » (`saisis`: the form's placeholder by default)."""
    return f"{libelle} : {longueur_max} caractères au plus ({saisis} saisis)."


def messages_montant(libelle, decimales_max=2):
    """An amount's messages (the form's fields declare them, the API's submission reads them)."""
    return {
        "required": f"Le champ « {libelle} » est obligatoire : indiquez un montant.",
        "invalid": f"Le champ « {libelle} » doit être un montant, par exemple 1250,50.",
        "min_value": f"Le champ « {libelle} » ne peut pas être négatif.",
        "max_decimal_places": f"Le champ « {libelle} » a au plus {decimales_max} décimales.",
        "max_digits": f"Le champ « {libelle} » est trop grand.",
        "max_whole_digits": f"Le champ « {libelle} » est trop grand.",
    }


MESSAGE_DATE_INVALIDE = "Date de facture : la date n'est pas valide (format attendu : jj/mm/aaaa)."
MESSAGE_DESIGNATION = "Désignation : décrivez le bien ou la prestation."
MESSAGES_QUANTITE = {
    "required": "Quantité : indiquez une quantité.",
    "invalid": "Quantité : saisissez un nombre, par exemple 2 ou 1,5.",
    "max_decimal_places": "Quantité : 6 décimales au plus.",
    "max_digits": "Quantité : le nombre est trop grand.",
    "max_whole_digits": "Quantité : le nombre est trop grand.",
}


def de_la_ligne(message, libelle, rang):
    """A line's message says which line: « Quantité : … » → « Quantité de la ligne 2 : … »."""
    return message.replace(f"{libelle} :", f"{libelle} de la ligne {rang} :").replace(
        f"« {libelle} »", f"« {libelle} » de la ligne {rang}"
    )


def _fr(valeur):
    return format(valeur, "f").replace(".", ",")


# --- one value -----------------------------------------------------------------------------------------------------


def precision(montant, devise, quoi):
    """None, or the French message refusing an amount with more decimals than its currency has (XPF: none)."""
    if montant is None:
        return None
    autorisees = decimales(devise)
    exposant = -montant.normalize().as_tuple().exponent
    if exposant <= autorisees:
        return None
    if autorisees == 0:
        return f"La devise {devise} n'accepte pas de décimales : {quoi} ({_fr(montant)}) doit être un nombre entier."
    return f"La devise {devise} accepte {autorisees} décimales au plus : {quoi} ({_fr(montant)}) en a {exposant}."


def numero(valeur, *, pour_depot=True):
    """The number a deposit needs (its characters, length and uniqueness: facturation.acheminement)."""
    if pour_depot and not (valeur or "").strip():
        return [Erreur("numero", "Numéro de facture : indiquez le numéro de la facture.")]
    return []


def date_facture(date, *, pour_depot=True, aujourd_hui=None):
    if date is None:
        return [Erreur("date_facture", "Date de facture : indiquez la date de la facture.")] if pour_depot else []
    if date > (aujourd_hui or timezone.localdate()):
        return [
            Erreur(
                "date_facture",
                f"Date de facture : le {date:%d/%m/%Y} est postérieur à la date du jour ; une facture ne peut pas "
                "être datée dans le futur.",
            )
        ]
    if date < DATE_FACTURE_MIN:
        return [Erreur("date_facture", "Date de facture : la date est antérieure au 01/01/2000.")]
    return []


def siret_destinataire(siret):
    """(the active public structure of `siret`, errors): the recipient as the entry form and the API name it."""
    siret = re.sub(r"\s", "", siret or "")
    if not siret:
        message = "SIRET du destinataire : indiquez le SIRET du destinataire ou recherchez-le par son nom."
        return None, [Erreur("destinataire", message)]
    if not (que_des_chiffres(siret) and len(siret) == 14):
        message = f"SIRET du destinataire : un SIRET comporte 14 chiffres ({len(siret)} caractères saisis)."
        return None, [Erreur("destinataire", message)]
    structure = destinataire_par_siret(siret)
    if structure is None:
        message = (
            f"SIRET du destinataire : aucune structure publique active n'a le SIRET {siret}. Vérifiez-le ou "
            "recherchez le destinataire par son nom."
        )
        return None, [Erreur("destinataire", message)]
    return structure, []


def destinataire_par_siret(siret):
    siret = re.sub(r"\s", "", siret or "")
    return (
        Structure.objects.publiques_actives().filter(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret).first()
    )


def _chiffres(valeur):
    """(decimals, whole digits) of a Decimal, as Django's DecimalValidator counts them."""
    signe, chiffres, exposant = valeur.as_tuple()
    if exposant >= 0:
        return 0, len(chiffres) + exposant
    return -exposant, max(len(chiffres) + exposant, 0)


def nombre(valeur, messages, *, requis=False, positif=False, decimales_max=DECIMALES_LIGNE):
    """None or the message refusing a number (an amount or a quantity) by `messages` (messages_montant…)."""
    if valeur is None:
        return messages["required"] if requis else None
    if not valeur.is_finite():
        return messages["invalid"]
    if positif and valeur < 0:
        return messages["min_value"]
    decimales_valeur, entiers = _chiffres(valeur)
    if decimales_valeur + entiers > CHIFFRES_MAX:
        return messages["max_digits"]
    if decimales_valeur > decimales_max:
        return messages["max_decimal_places"]
    if entiers > CHIFFRES_MAX - decimales_max:
        return messages["max_whole_digits"]
    return None


def valeurs(donnees):
    """The texts' lengths and the listed values of an entry's header (`donnees`: field → value, the form's names)."""
    erreurs = []
    for champ, (libelle, longueur_max) in TEXTES.items():
        texte = donnees.get(champ) or ""
        if len(texte) > longueur_max:
            erreurs.append(Erreur(champ, message_longueur(libelle, longueur_max, len(texte))))
    for champ, (permis, message) in CHOIX.items():
        valeur = donnees.get(champ) or ""
        if valeur and valeur not in permis:
            erreurs.append(Erreur(champ, message))
    message = nombre(donnees.get("remise_globale"), messages_montant("Remise globale TTC", 6), positif=True)
    if message:
        erreurs.append(Erreur("remise_globale", message))
    return erreurs


def valeurs_ligne(ligne, rang):
    """A line's values (`ligne`: field → value); each message names the line."""
    erreurs = []
    for champ, (libelle, longueur_max) in TEXTES_LIGNE.items():
        texte = ligne.get(champ) or ""
        if len(texte) > longueur_max:
            message = message_longueur(libelle, longueur_max, len(texte))
            erreurs.append(Erreur(champ, de_la_ligne(message, libelle, rang)))
    if not (ligne.get("designation") or "").strip():
        erreurs.append(Erreur("designation", de_la_ligne(MESSAGE_DESIGNATION, "Désignation", rang)))
    for champ, (permis, message) in CHOIX_LIGNE.items():
        if ligne.get(champ) not in permis:
            libelle = message.split(" :", 1)[0]
            erreurs.append(Erreur(champ, de_la_ligne(message, libelle, rang)))
    for champ, libelle, messages, requis, positif in (
        ("quantite", "Quantité", MESSAGES_QUANTITE, True, False),
        ("prix_unitaire_ht", "Prix unitaire HT", messages_montant("Prix unitaire HT", 6), True, True),
        ("remise", "Remise HT", messages_montant("Remise HT", 6), False, True),
    ):
        message = nombre(ligne.get(champ), messages, requis=requis, positif=positif)
        if message:
            erreurs.append(Erreur(champ, de_la_ligne(message, libelle, rang)))
    return erreurs


# --- between fields of the header ----------------------------------------------------------------------------------


def avoir(*, type_facture, numero_facture_origine, mode_paiement, pour_depot=True):
    """An avoir names the invoice it corrects, and has no payment means."""
    if type_facture != TypeFacture.AVOIR:
        return []
    erreurs = []
    if pour_depot and not numero_facture_origine:
        erreurs.append(
            Erreur(
                "numero_facture_origine",
                "Numéro de la facture d'origine : obligatoire pour un avoir, indiquez la facture qu'il corrige.",
            )
        )
    if mode_paiement:
        erreurs.append(Erreur("mode_paiement", "Mode de paiement : un avoir ne comporte pas de mode de paiement."))
    return erreurs


def exoneration(*, type_tva, motif_exoneration, pour_depot=True):
    if type_tva == TypeTva.EXONERATION and pour_depot and not motif_exoneration:
        return [
            Erreur(
                "motif_exoneration", "Motif d'exonération de TVA : obligatoire quand la facture est exonérée de TVA."
            )
        ]
    return []


def remise_globale(*, remise, motif, devise):
    erreurs = []
    if remise and not motif:
        erreurs.append(
            Erreur("motif_remise_globale", "Motif de la remise globale : obligatoire avec une remise globale.")
        )
    message = precision(remise, devise or "EUR", "la remise globale")
    if message:
        erreurs.append(Erreur("remise_globale", message))
    return erreurs


def fournisseur_coherent(*, fournisseur, service_fournisseur=None, coordonnee_bancaire=None, destinataire=None):
    """The supplier's service and bank account are its own; the recipient is another structure."""
    if fournisseur is None:
        return []
    erreurs = []
    if service_fournisseur is not None and service_fournisseur.structure_id != fournisseur.pk:
        erreurs.append(
            Erreur(
                "service_fournisseur",
                f"Service du fournisseur : le service {service_fournisseur.code} n'appartient pas à "
                f"{fournisseur.designation}.",
            )
        )
    if coordonnee_bancaire is not None and coordonnee_bancaire.structure_id != fournisseur.pk:
        erreurs.append(
            Erreur(
                "coordonnee_bancaire",
                f"Coordonnées bancaires : le compte {coordonnee_bancaire.iban_masque} n'appartient pas à "
                f"{fournisseur.designation}.",
            )
        )
    if destinataire is not None and destinataire.pk == fournisseur.pk:
        erreurs.append(Erreur("destinataire", f"SIRET du destinataire : {MESSAGE_MEME_STRUCTURE}"))
    return erreurs


def service_destinataire(destinataire, code):
    """(the recipient's active service of `code`, errors); no code or no recipient: (None, [])."""
    code = (code or "").strip()
    if not code or destinataire is None:
        return None, []
    service = destinataire.services.filter(code=code).first()
    if service is None or not service_actif(service):
        etat = "n'existe pas" if service is None else "n'est pas actif"
        message = (
            f"Code du service destinataire : le service « {code} » {etat} chez {destinataire.raison_sociale} "
            f"({destinataire.identifiant})."
        )
        return None, [Erreur("code_service", message)]
    return service, []


def valideur_manquant(cadre, qui=None, *, champ="valideur_1"):
    """The error of a cadre with a validator deposited without one (`qui`: whose SIRET it is; travaux passes its
    own cadres' validators)."""
    qui = qui or VALIDEUR_DU_CADRE[cadre]
    return Erreur(champ, f"Le cadre {cadre} exige un valideur : indiquez le SIRET {qui}.")


@dataclass
class Valideur:
    structure: Structure | None = None
    service: object = None
    erreurs: list = field(default_factory=list)


def valideur(*, cadre, siret, code_service="", fournisseur=None, pour_depot=True):
    """The validator of an A9 or A12 invoice, named by its SIRET (and optionally a service code)."""
    resultat = Valideur()
    siret = re.sub(r"\s", "", siret or "")
    code = (code_service or "").strip()
    if cadre not in CADRES_AVEC_VALIDEUR:
        return resultat
    if not siret:
        if pour_depot:
            # the form's field, its label before the rule's sentence (as the works deposit page shows it)
            manquant = valideur_manquant(cadre)
            resultat.erreurs.append(Erreur("siret_valideur", f"SIRET du valideur : {manquant.message}"))
        return resultat
    structure = (
        Structure.objects.filter(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret)
        .filter(statut=StatutStructure.ACTIVE)
        .first()
    )
    if structure is None:
        resultat.erreurs.append(
            Erreur(
                "siret_valideur", f"SIRET du valideur : aucune structure active n'a le SIRET {siret} sur Chorus Pro."
            )
        )
        return resultat
    if fournisseur is not None and structure.pk == fournisseur.pk:
        resultat.erreurs.append(
            Erreur("siret_valideur", "SIRET du valideur : le valideur doit être une autre structure que vous.")
        )
        return resultat
    resultat.structure = structure
    if code:
        service = structure.services.filter(code=code).first()
        if service is None or not service_actif(service):
            resultat.erreurs.append(
                Erreur(
                    "code_service_valideur",
                    f"Code service du valideur : le service « {code} » n'existe pas ou n'est pas actif chez "
                    f"{structure.raison_sociale}.",
                )
            )
        else:
            resultat.service = service
    return resultat


def facture_deposee(facture):
    """What a deposit checks on the invoice row itself, whatever the channel (the routing table aside):
    a validator for A9/A12, an avoir's reference and no payment means."""
    erreurs = []
    if facture.cadre in CADRES_AVEC_VALIDEUR and facture.valideur_1_id is None:
        erreurs.append(valideur_manquant(facture.cadre))
    erreurs += avoir(
        type_facture=facture.type_facture,
        numero_facture_origine=facture.numero_facture_origine,
        mode_paiement=facture.mode_paiement,
    )
    return erreurs


@dataclass
class EnTete:
    """The header's rules between fields, resolved: the recipient's service, the validator and its service."""

    service_destinataire: object = None
    valideur: Structure | None = None
    service_valideur: object = None
    erreurs: list = field(default_factory=list)


def en_tete(donnees, *, pour_depot=True):
    """Every rule between the header's fields (`donnees`: the form's names, the supplier, recipient and supplier's
    service and bank account as structures; a value refused on its own is absent)."""
    fournisseur, destinataire = donnees.get("fournisseur"), donnees.get("destinataire")
    service, erreurs_service = service_destinataire(destinataire, donnees.get("code_service"))
    resultat_valideur = valideur(
        cadre=donnees.get("cadre"),
        siret=donnees.get("siret_valideur"),
        code_service=donnees.get("code_service_valideur"),
        fournisseur=fournisseur,
        pour_depot=pour_depot,
    )
    erreurs = [
        *avoir(
            type_facture=donnees.get("type_facture"),
            numero_facture_origine=donnees.get("numero_facture_origine"),
            mode_paiement=donnees.get("mode_paiement"),
            pour_depot=pour_depot,
        ),
        *exoneration(
            type_tva=donnees.get("type_tva"), motif_exoneration=donnees.get("motif_exoneration"), pour_depot=pour_depot
        ),
        *remise_globale(
            remise=donnees.get("remise_globale"),
            motif=donnees.get("motif_remise_globale"),
            devise=donnees.get("devise"),
        ),
        *fournisseur_coherent(
            fournisseur=fournisseur,
            service_fournisseur=donnees.get("service_fournisseur"),
            coordonnee_bancaire=donnees.get("coordonnee_bancaire"),
            destinataire=destinataire,
        ),
        *erreurs_service,
        *resultat_valideur.erreurs,
    ]
    return EnTete(service, resultat_valideur.structure, resultat_valideur.service, erreurs)


def valeurs_du_brouillon(donnees, *, service_destinataire, valideur, service_valideur):
    """The invoice's field values of an entry whose rules passed (`donnees`: the form's names, structures resolved),
    for facturation.services.brouillon: the entry form and facture_soumettre save the same draft."""
    avec_valideur = donnees["cadre"] in CADRES_AVEC_VALIDEUR
    avoir_ = donnees["type_facture"] == TypeFacture.AVOIR
    return {
        "cadre": donnees["cadre"],
        "type_facture": donnees["type_facture"],
        "numero": donnees["numero"].strip(),
        "date_facture": donnees["date_facture"],
        "devise": donnees["devise"],
        "fournisseur": donnees["fournisseur"],
        "destinataire": donnees["destinataire"],
        "service_destinataire": service_destinataire,
        "service_fournisseur": donnees["service_fournisseur"],
        "coordonnee_bancaire": donnees["coordonnee_bancaire"],
        "type_tva": donnees["type_tva"],
        "motif_exoneration": donnees["motif_exoneration"],
        "mode_paiement": donnees["mode_paiement"],
        "numero_facture_origine": donnees["numero_facture_origine"] if avoir_ else "",
        "numero_engagement": donnees["numero_engagement"].strip(),
        "numero_marche": donnees["numero_marche"].strip(),
        "remise_globale": donnees["remise_globale"] or Decimal(0),
        "motif_remise_globale": donnees["motif_remise_globale"],
        "commentaire": donnees["commentaire"],
        "valideur_1": valideur if avec_valideur else None,
        "service_valideur_1": service_valideur if avec_valideur else None,
    }


# --- lines ---------------------------------------------------------------------------------------------------------


def ligne(*, rang, quantite, prix_unitaire_ht, remise, devise):
    """A line's own rules: amounts within the currency's precision, a quantity, a discount within the line."""
    erreurs = []
    for nom, valeur, quoi in (
        ("prix_unitaire_ht", prix_unitaire_ht, "le prix unitaire HT"),
        ("remise", remise, "la remise"),
    ):
        message = precision(valeur, devise, f"{quoi} de la ligne {rang}")
        if message:
            erreurs.append(Erreur(nom, message))
    if quantite is not None and quantite == 0:
        erreurs.append(Erreur("quantite", f"Quantité de la ligne {rang} : la quantité ne peut pas être nulle."))
    if None not in (quantite, prix_unitaire_ht) and remise and remise > abs(quantite * prix_unitaire_ht):
        erreurs.append(
            Erreur(
                "remise",
                f"Remise HT de la ligne {rang} : la remise ({_fr(remise)}) dépasse le montant de la ligne "
                f"({_fr(quantite * prix_unitaire_ht)}).",
            )
        )
    return erreurs


def lignes_presentes(lignes):
    if not lignes:
        return [Erreur("lignes", "Lignes de la facture : saisissez au moins une ligne.")]
    return []


# --- amounts -------------------------------------------------------------------------------------------------------


def montants(totaux, devise):
    """The totals computed from the lines (calcul.calculer) a deposit accepts: a global discount within the
    lines' TTC, an amount already paid between 0 and the TTC."""
    erreurs = []
    if totaux.remise_excessive:
        erreurs.append(
            Erreur(
                "remise_globale",
                f"Remise globale TTC : la remise ({montant_devise(totaux.remise_globale, devise)}) dépasse le "
                f"total TTC des lignes ({montant_devise(totaux.ttc_avant_remise, devise)}).",
            )
        )
    if totaux.montant_paye_avance < 0 or totaux.montant_paye_avance > max(totaux.total_ttc, 0):
        erreurs.append(
            Erreur(
                "montant_paye_avance",
                f"Le montant déjà payé ({_fr_devise(totaux.montant_paye_avance, devise)}) doit être compris "
                f"entre 0 et le total TTC ({_fr_devise(totaux.total_ttc, devise)}).",
            )
        )
    return erreurs


def _fr_devise(montant, devise):
    return f"{montant:f} {devise}".replace(".", ",")


TOTAUX_ANNONCES = {
    "total_ht": "le total HT",
    "total_tva": "le total de TVA",
    "total_ttc": "le total TTC",
    "net_a_payer": "le net à payer",
}


@dataclass(frozen=True)
class Ecart:
    """An announced amount that is not the computed one. `cle`: the total (TOTAUX_ANNONCES) or, for a VAT
    breakdown row, `base_ht` / `montant_tva` with its `rang`; `taux` absent from the lines: `calcule` is None."""

    cle: str
    annonce: Decimal
    calcule: Decimal | None
    rang: int | None = None
    taux: Decimal | None = None


def ecarts_annonces(totaux, devise, *, totaux_annonces=None, ventilation_annoncee=()):
    """THE comparison of announced amounts with those computed from the lines (`totaux`, calcul.calculer), both
    rounded to the currency: `totaux_annonces` {total_ht|total_tva|total_ttc|net_a_payer: Decimal}, and
    `ventilation_annoncee` [(taux, base_ht | None, montant_tva | None)]. A total absent (None) is not compared."""
    ecarts = []
    for cle, annonce in (totaux_annonces or {}).items():
        calcule = getattr(totaux, cle)
        if annonce is not None and arrondir(annonce, devise) != arrondir(calcule, devise):
            ecarts.append(Ecart(cle, annonce, arrondir(calcule, devise)))
    par_taux = {Decimal(v.taux).normalize(): v for v in totaux.ventilation}
    for rang, (taux, base_ht, montant_tva) in enumerate(ventilation_annoncee):
        calculee = par_taux.get(Decimal(taux).normalize())
        if calculee is None:
            ecarts.append(Ecart("taux", taux, None, rang=rang, taux=taux))
            continue
        for cle, annonce, calcule in (
            ("base_ht", base_ht, calculee.base_ht),
            ("montant_tva", montant_tva, calculee.montant_tva),
        ):
            if annonce is not None and arrondir(annonce, devise) != arrondir(calcule, devise):
                ecarts.append(Ecart(cle, annonce, arrondir(calcule, devise), rang=rang, taux=taux))
    return ecarts
