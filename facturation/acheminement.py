"""Chorus Pro's routing rules at deposit (chorus-pro-features.md row 34, chorus-pro-api.md §1 and §4.8).

Every channel (web entry, upload, API, flux) asks `controler()` and gets every error at once, each naming its field,
so a page or an integration report can show them all, untruncated. The field names are the web form's.
"""

import re
from dataclasses import dataclass, field

from django.utils import timezone

from chorus import limites
from facturation.models import Facture
from organisation.enums import StatutStructure, TypeIdentifiant
from organisation.models import Service, Structure

NUMERO_LONGUEUR_MAX = limites.nombre("numero_facture_longueur_max")
ENGAGEMENT_LONGUEUR_MAX = limites.nombre("numero_engagement_longueur_max")
# CS17 DeposerPdfFacture.cs: alphanumeric plus - _ / +
NUMERO_CARACTERES = re.compile(r"^[A-Za-z0-9\-_/+]+$")
CADRES_AVEC_VALIDEUR = ("A9", "A12")
CODES_CITES_MAX = 10
# also said by the entry form before the deposit (facturation.regles_depot.fournisseur_coherent)
MESSAGE_MEME_STRUCTURE = "Le fournisseur et le destinataire doivent être deux structures différentes."


@dataclass(frozen=True)
class ErreurAcheminement:
    champ: str
    message: str
    # what the deposit says and what the rule wants, for the refusal's report (issue #13); empty when the message
    # says it all (a missing value has nothing to show)
    valeur_trouvee: str = ""
    valeur_attendue: str = ""

    def __str__(self):
        return self.message


@dataclass
class Acheminement:
    destinataire: Structure | None = None
    service: Service | None = None
    erreurs: list[ErreurAcheminement] = field(default_factory=list)

    def erreur(self, champ, message, *, trouvee="", attendue=""):
        self.erreurs.append(ErreurAcheminement(champ, message, trouvee, attendue))


def _numero(resultat, fournisseur, numero, exclure):
    numero = (numero or "").strip()
    if not numero:
        resultat.erreur("numero", "Le numéro de facture est obligatoire.")
        return
    if len(numero) > NUMERO_LONGUEUR_MAX:
        resultat.erreur(
            "numero",
            f"Le numéro de facture « {numero} » dépasse {NUMERO_LONGUEUR_MAX} caractères ({len(numero)} caractères).",
            trouvee=_caracteres(len(numero)),
            attendue=f"{NUMERO_LONGUEUR_MAX} caractères au plus",
        )
    if not NUMERO_CARACTERES.match(numero):
        resultat.erreur(
            "numero",
            f"Le numéro de facture « {numero} » ne peut contenir que des lettres sans accent, des chiffres "
            "et les caractères - _ / +.",
            trouvee=numero,
            attendue="lettres sans accent, chiffres, - _ / +",
        )
    if fournisseur is not None:
        existantes = Facture.objects.filter(fournisseur=fournisseur, numero=numero)
        if exclure is not None:
            existantes = existantes.exclude(pk=exclure.pk)
        if existantes.exists():
            resultat.erreur(
                "numero",
                f"Le numéro de facture « {numero} » a déjà été utilisé par ce fournisseur : il doit être unique.",
                trouvee=numero,
                attendue="un numéro que ce fournisseur n'a pas encore utilisé",
            )


def _destinataire(resultat, identifiant, destinataire):
    if destinataire is None:
        identifiant = re.sub(r"\s", "", identifiant or "")
        if not identifiant:
            resultat.erreur("destinataire", "Le destinataire (SIRET) est obligatoire.")
            return None
        siret = Structure.objects.filter(type_identifiant=TypeIdentifiant.SIRET)
        destinataire = siret.filter(identifiant=identifiant).first()
        if destinataire is None:
            resultat.erreur(
                "destinataire",
                f"Le destinataire {identifiant} n'est pas connu de Chorus Pro.",
                trouvee=identifiant,
                attendue="le SIRET d'une structure publique connue de Chorus Pro",
            )
            return None
    if not destinataire.est_publique:
        resultat.erreur(
            "destinataire",
            f"Le destinataire {destinataire.identifiant} ({destinataire.raison_sociale}) n'est pas une structure "
            "publique : il ne peut pas recevoir de factures.",
            trouvee=f"{destinataire.identifiant} : structure privée",
            attendue="une structure publique",
        )
    if destinataire.statut != StatutStructure.ACTIVE:
        resultat.erreur(
            "destinataire",
            f"Le destinataire {destinataire.identifiant} ({destinataire.raison_sociale}) n'est pas actif.",
            trouvee=f"{destinataire.identifiant} : {destinataire.get_statut_display().lower()}",
            attendue="une structure active",
        )
    return destinataire


def service_actif(service, jour=None):
    jour = jour or timezone.localdate()
    return (
        service.actif
        and (service.date_debut_validite is None or service.date_debut_validite <= jour)
        and (service.date_fin_validite is None or jour <= service.date_fin_validite)
    )


def _service(resultat, destinataire, code_service, service):
    code_service = (code_service or "").strip()
    if service is None and code_service:
        service = Service.objects.filter(structure=destinataire, code=code_service).first()
        if service is None:
            resultat.erreur(
                "code_service",
                f"Le code service « {code_service} » n'existe pas chez le destinataire {destinataire.identifiant} "
                f"({destinataire.raison_sociale}).",
                trouvee=code_service,
                attendue=_codes_actifs(destinataire),
            )
            return None
    if service is not None and not service_actif(service):
        resultat.erreur(
            "code_service",
            f"Le service « {service.code} » du destinataire {destinataire.identifiant} n'est pas actif.",
            trouvee=f"{service.code} : inactif",
            attendue=_codes_actifs(destinataire),
        )
    return service


def _codes_actifs(destinataire):
    """« un code service actif : A, B, C » — the recipient's services are public (annuaire); a long list is cut."""
    codes = [s.code for s in Service.objects.filter(structure=destinataire).order_by("code") if service_actif(s)]
    if not codes:
        return f"aucun code service : le destinataire {destinataire.identifiant} n'a pas de service actif"
    suite = f" (et {len(codes) - CODES_CITES_MAX} autres)" if len(codes) > CODES_CITES_MAX else ""
    return f"un code service actif du destinataire : {', '.join(codes[:CODES_CITES_MAX])}{suite}"


def _caracteres(n):
    return f"{n} caractère{'s' if n > 1 else ''}"


def _obligations(resultat, destinataire, service, engagement):
    nom = f"{destinataire.identifiant} ({destinataire.raison_sociale})"
    if destinataire.code_service_obligatoire and service is None:
        resultat.erreur(
            "code_service",
            f"Le code service est obligatoire pour le destinataire {nom}.",
            trouvee="absent",
            attendue=_codes_actifs(destinataire),
        )
    if destinataire.engagement_obligatoire and not engagement:
        resultat.erreur(
            "numero_engagement",
            f"Le numéro d'engagement est obligatoire pour le destinataire {nom}.",
            trouvee="absent",
            attendue="un numéro d'engagement",
        )
    elif service is not None and service.engagement_obligatoire and not engagement:
        resultat.erreur(
            "numero_engagement",
            f"Le numéro d'engagement est obligatoire pour le service « {service.code} » du destinataire {nom}.",
            trouvee="absent",
            attendue="un numéro d'engagement",
        )
    if destinataire.engagement_ou_service and service is None and not engagement:
        resultat.erreur(
            "numero_engagement",
            f"Le destinataire {nom} exige un numéro d'engagement ou un code service : renseignez l'un des deux.",
            trouvee="ni numéro d'engagement, ni code service",
            attendue="un numéro d'engagement ou un code service",
        )


def controler(
    *,
    fournisseur,
    numero,
    identifiant_destinataire="",
    destinataire=None,
    code_service="",
    service=None,
    numero_engagement="",
    exclure=None,
):
    """Check a deposit's routing; returns an Acheminement with the resolved recipient and service and every error.

    `exclure` is the invoice itself when it already exists (a draft, or a recycled invoice keeping its number).
    """
    resultat = Acheminement()
    _numero(resultat, fournisseur, numero, exclure)
    engagement = (numero_engagement or "").strip()
    if len(engagement) > ENGAGEMENT_LONGUEUR_MAX:
        resultat.erreur(
            "numero_engagement",
            f"Le numéro d'engagement dépasse {ENGAGEMENT_LONGUEUR_MAX} caractères ({len(engagement)} caractères).",
            trouvee=_caracteres(len(engagement)),
            attendue=f"{ENGAGEMENT_LONGUEUR_MAX} caractères au plus",
        )
    if fournisseur is not None and fournisseur.statut != StatutStructure.ACTIVE:
        resultat.erreur("fournisseur", f"La structure {fournisseur.raison_sociale} n'est pas active.")
    destinataire = _destinataire(resultat, identifiant_destinataire, destinataire)
    if destinataire is None:
        return resultat
    if fournisseur is not None and destinataire.pk == fournisseur.pk:
        resultat.erreur("destinataire", MESSAGE_MEME_STRUCTURE)
    resultat.destinataire = destinataire
    resultat.service = _service(resultat, destinataire, code_service, service)
    _obligations(resultat, destinataire, resultat.service, engagement)
    return resultat
