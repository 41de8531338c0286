"""Fiches de raccordement (chorus-pro-features.md rows 89–90, 93–96): a connection request, EDI or API, with its
protocol and the formats the partner sends and receives; qualification first, then production. An EDI connection
carries the partner's certificate, read and checked by raccordement.certificats, and may replace it later."""

import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from raccordement.certificats import lire_certificat
from raccordement.enums import EnvironnementRaccordement, ProtocoleRaccordement, SyntaxeFlux, TypeRaccordement
from raccordement.models import ClientApi, FicheRaccordement
from raccordement.services.comptes import date_heure, exiger_modification

PROTOCOLES = {
    TypeRaccordement.EDI: [ProtocoleRaccordement.AS2, ProtocoleRaccordement.SFTP, ProtocoleRaccordement.PESIT],
    TypeRaccordement.API: [ProtocoleRaccordement.API],
}
# What the partner sends: the deposit syntaxes of the flux pipeline (chorus-pro-api.md §3.2).
FORMATS_EMIS = list(SyntaxeFlux.choices)
# What Chorus Pro sends back (chorus-pro-api.md §3.2 EDI interface codes; chorus-pro-features.md rows 94, 96).
FORMATS_RECUS = [
    ("CR_INTEGRATION", "Compte rendu d'intégration des flux (CSO…A)"),
    ("FEN1200A", "Cycle de vie des factures (FEN1200A / FEN1201A)"),
    ("FEN1202A", "Cycle de vie CII ARM FE (FEN1202A)"),
    ("CDAR", "Cycle de vie CDAR (codes de la réforme 2026)"),
    ("ANNUAIRE", "Annuaire des structures publiques (XML)"),
]
ADRESSE_LONGUEUR_MAX = 255
# host or IPv4, optional port: what an SFTP or PeSIT partner gives
_HOTE = re.compile(r"^(?:sftp://|pesit://)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?/?$")


def libelles_formats(codes, choix):
    noms = dict(choix)
    return [noms.get(code, code) for code in codes]


def _formats(codes, choix, libelle, champ):
    codes = list(dict.fromkeys(codes or []))
    connus = {code for code, _ in choix}
    inconnus = [c for c in codes if c not in connus]
    if inconnus:
        raise ApplicationError(f"{libelle} : format inconnu « {inconnus[0]} ».", champ=champ)
    return codes


def _client_de(structure, client_id):
    client = ClientApi.objects.filter(structure=structure, client_id=client_id).first()
    if client is None:
        raise ApplicationError(
            "Client API : choisissez l'un des clients API de la structure (à créer d'abord dans « Clients API »).",
            champ="client_api",
        )
    if not client.actif:
        raise ApplicationError(f"Client API : le client « {client.nom} » est désactivé.", champ="client_api")
    return client


def _adresse(protocole, adresse):
    adresse = (adresse or "").strip()
    if not adresse:
        raise ApplicationError(
            "Adresse du partenaire : saisissez l'URL AS/2 ou l'hôte SFTP ou PeSIT de votre plateforme.",
            champ="adresse",
        )
    if len(adresse) > ADRESSE_LONGUEUR_MAX:
        raise ApplicationError(f"Adresse du partenaire : {ADRESSE_LONGUEUR_MAX} caractères au plus.", champ="adresse")
    if protocole == ProtocoleRaccordement.AS2:
        try:
            URLValidator(schemes=["https", "http"])(adresse)
        except ValidationError:
            raise ApplicationError(
                "Adresse du partenaire : en AS/2, l'adresse est une URL, par exemple https://as2.exemple.fr/as2.",
                champ="adresse",
            ) from None
    elif not _HOTE.match(adresse):
        raise ApplicationError(
            "Adresse du partenaire : indiquez un nom d'hôte ou une adresse IP, avec le port s'il le faut, par exemple "
            "sftp.exemple.fr:22.",
            champ="adresse",
        )
    return adresse


def fiche_creer(
    *, par, structure, type_raccordement, protocole="", formats_emis=(), formats_recus=(), adresse="", client_api=""
):
    """A new connection record, in qualification. EDI: protocol AS/2, SFTP or PeSIT and the partner's address;
    API: the structure's client API (its client id is the PISTE application code the fiche names)."""
    exiger_modification(par, structure)
    if type_raccordement not in TypeRaccordement.values:
        raise ApplicationError("Type de raccordement : choisissez EDI ou API.", champ="type_raccordement")
    if type_raccordement == TypeRaccordement.API:
        protocole = ProtocoleRaccordement.API
        adresse = _client_de(structure, client_api).client_id
    else:
        if protocole not in PROTOCOLES[TypeRaccordement.EDI]:
            raise ApplicationError(
                "Protocole : un raccordement EDI passe par AS/2, SFTP ou PeSIT-E (TLS).", champ="protocole"
            )
        adresse = _adresse(protocole, adresse)
    emis = _formats(formats_emis, FORMATS_EMIS, "Formats envoyés", "formats_emis")
    recus = _formats(formats_recus, FORMATS_RECUS, "Formats reçus", "formats_recus")
    if not emis and not recus:
        raise ApplicationError(
            "Formats envoyés : choisissez au moins un format envoyé à Chorus Pro ou reçu de Chorus Pro.",
            champ="formats_emis",
        )
    with transaction.atomic():
        return FicheRaccordement.objects.create(
            structure=structure,
            type_raccordement=type_raccordement,
            protocole=protocole,
            formats_emis=emis,
            formats_recus=recus,
            adresse=adresse,
            environnement=EnvironnementRaccordement.QUALIFICATION,
            # the fiche starts in qualification (Chorus Pro's sandbox) the moment it is created
            qualifiee_le=timezone.now(),
            cree_par=par,
        )


def _verrouiller(fiche):
    return FicheRaccordement.objects.select_for_update().select_related("structure").get(pk=fiche.pk)


def _exiger_active(fiche):
    if fiche.desactivee_le:
        raise ApplicationError(
            f"Cette fiche de raccordement est désactivée depuis le {date_heure(fiche.desactivee_le)}."
        )


def fiche_certificat_deposer(*, par, fiche, contenu):
    """Read and check the certificate (raccordement.certificats), then store it with what was read; an earlier
    certificate is replaced (its file is removed once the new one is saved)."""
    with transaction.atomic():
        fiche = _verrouiller(fiche)
        exiger_modification(par, fiche.structure)
        _exiger_active(fiche)
        if fiche.type_raccordement != TypeRaccordement.EDI:
            raise ApplicationError(
                "Certificat : seul un raccordement EDI porte un certificat ; un raccordement API s'authentifie par "
                "son client API.",
                champ="certificat",
            )
        lu = lire_certificat(contenu)
        ancien = fiche.certificat.name if fiche.certificat else ""
        stockage = fiche.certificat.storage
        fiche.certificat.save(f"fiche-{fiche.pk}-{lu.empreinte[:16]}.{lu.extension}", ContentFile(contenu), save=False)
        nouveau = fiche.certificat.name
        fiche.certificat_sujet = lu.sujet[:500]
        fiche.certificat_emetteur = lu.emetteur[:500]
        fiche.certificat_debut = lu.debut
        fiche.certificat_fin = lu.fin
        fiche.certificat_empreinte = lu.empreinte
        try:
            fiche.save()
        except Exception:
            stockage.delete(nouveau)  # nothing half-saved: no file without its row
            raise
        if ancien and ancien != nouveau:
            transaction.on_commit(lambda: stockage.delete(ancien))
    return fiche


def fiche_passer_en_production(*, par, fiche):
    """Qualification → production. EDI: a certificate valid now is required first."""
    with transaction.atomic():
        fiche = _verrouiller(fiche)
        exiger_modification(par, fiche.structure)
        _exiger_active(fiche)
        if fiche.environnement == EnvironnementRaccordement.PRODUCTION:
            raise ApplicationError(
                f"Cette fiche de raccordement est en production depuis le {date_heure(fiche.production_le)}."
            )
        maintenant = timezone.now()
        if fiche.type_raccordement == TypeRaccordement.EDI:
            if not fiche.certificat_empreinte:
                raise ApplicationError(
                    "Certificat : un raccordement EDI ne passe en production qu'avec un certificat valide. Déposez "
                    "d'abord le certificat de votre plateforme.",
                    champ="certificat",
                )
            if fiche.certificat_fin <= maintenant:
                raise ApplicationError(
                    f"Certificat : le certificat de cette fiche a expiré le {date_heure(fiche.certificat_fin)}. "
                    "Déposez un certificat en cours de validité avant de passer en production.",
                    champ="certificat",
                )
            if fiche.certificat_debut > maintenant:
                raise ApplicationError(
                    f"Certificat : le certificat de cette fiche n'est valable qu'à partir du "
                    f"{date_heure(fiche.certificat_debut)}.",
                    champ="certificat",
                )
        else:
            _client_de(fiche.structure, fiche.adresse)
        fiche.environnement = EnvironnementRaccordement.PRODUCTION
        fiche.production_le = maintenant
        fiche.save(update_fields=["environnement", "production_le", "modifiee_le"])
    return fiche


def fiche_desactiver(*, par, fiche):
    with transaction.atomic():
        fiche = _verrouiller(fiche)
        exiger_modification(par, fiche.structure)
        _exiger_active(fiche)
        fiche.desactivee_le = timezone.now()
        fiche.save(update_fields=["desactivee_le", "modifiee_le"])
    return fiche
