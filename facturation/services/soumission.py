"""Submitting an invoice from its data, outside the entry page: the API's soumettreFacture (chorus-pro-api.md §3.1).

The data come typed (FactureSoumise: texts, dates, Decimals, ids); the checks are the entry form's, asked of the same
rules (facturation.regles_depot), then the invoice goes the entry page's way: saved as a draft and sent as
« Valider et envoyer » does (the routing rules, the Factur-X built from the saved invoice), in one transaction, so a
refused deposit leaves no draft behind. Every error is raised at once in a DepotRefuse, each keyed by the entry
form's field name (a line's `lignes[rang].champ`, rang from 0).
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import transaction

from facturation import regles_depot
from facturation.calcul import Totaux, calculer
from facturation.enums import ModeDepot, TypeFacture
from facturation.services.brouillon import brouillon_envoyer, facture_enregistrer_brouillon
from facturation.services.depot import DepotRefuse, facture_deposer
from organisation.enums import Application, Niveau, StatutStructure
from organisation.habilitations import structures_visibles
from organisation.models import CoordonneeBancaire, Service

Erreur = regles_depot.Erreur

MESSAGE_FOURNISSEUR = "Structure du fournisseur : vous n'émettez pas de factures pour cette structure."
MESSAGE_SERVICE_FOURNISSEUR = "Service du fournisseur : choisissez un service actif de la liste."
MESSAGE_COORDONNEE = "Coordonnées bancaires : choisissez un compte actif de la liste."


@dataclass(frozen=True)
class LigneSoumise:
    designation: str = ""
    quantite: Decimal | None = None
    prix_unitaire_ht: Decimal | None = None
    taux_tva: str = ""  # as the list of rates writes it: « 20 », « 5.5 »
    reference: str = ""
    unite: str = "C62"
    remise: Decimal | None = None


@dataclass(frozen=True)
class FactureSoumise:
    """An invoice's data, named as the entry form's fields (the supplier, its service and bank account by id)."""

    fournisseur: int
    numero: str = ""
    destinataire: str = ""  # the recipient's SIRET
    lignes: tuple[LigneSoumise, ...] = ()
    date_facture: datetime.date | None = None
    cadre: str = "A1"
    siret_valideur: str = ""
    code_service_valideur: str = ""
    code_service: str = ""
    service_fournisseur: int | None = None
    coordonnee_bancaire: int | None = None
    devise: str = "EUR"
    type_facture: str = TypeFacture.FACTURE
    numero_facture_origine: str = ""
    type_tva: str = "TVA_SUR_DEBIT"
    motif_exoneration: str = ""
    mode_paiement: str = ""
    numero_engagement: str = ""
    numero_marche: str = ""
    remise_globale: Decimal | None = None
    motif_remise_globale: str = ""
    commentaire: str = ""


def _parties(par, donnees, erreurs):
    """The supplier (one the user invoices for), its active service and bank account: an id out of reach is refused
    as the form refuses a choice not in its list."""
    fournisseurs = structures_visibles(par, Application.FACTURES_EMISES, Niveau.MODIFICATION).filter(
        statut=StatutStructure.ACTIVE
    )
    fournisseur = fournisseurs.filter(pk=donnees.fournisseur).first()
    if fournisseur is None:
        erreurs.append(Erreur("fournisseur", MESSAGE_FOURNISSEUR))
    service = coordonnee = None
    if donnees.service_fournisseur is not None:
        service = (
            Service.objects.filter(structure__in=fournisseurs, actif=True, pk=donnees.service_fournisseur)
            .select_related("structure")
            .first()
        )
        if service is None:
            erreurs.append(Erreur("service_fournisseur", MESSAGE_SERVICE_FOURNISSEUR))
    if donnees.coordonnee_bancaire is not None:
        coordonnee = CoordonneeBancaire.objects.filter(
            structure__in=fournisseurs, actif=True, pk=donnees.coordonnee_bancaire
        ).first()
        if coordonnee is None:
            erreurs.append(Erreur("coordonnee_bancaire", MESSAGE_COORDONNEE))
    return fournisseur, service, coordonnee


def _controler(par, donnees):
    """(header values for the draft, lines, errors): every check of the entry form, in its order."""
    erreurs = regles_depot.valeurs(asdict(donnees))
    refuses = {e.champ for e in erreurs}
    destinataire = None
    if "destinataire" not in refuses:
        destinataire, refus = regles_depot.siret_destinataire(donnees.destinataire)
        erreurs += refus
    fournisseur, service_fournisseur, coordonnee = _parties(par, donnees, erreurs)
    numero = donnees.numero.strip()
    if "numero" not in refuses:
        erreurs += regles_depot.numero(numero)
    erreurs += regles_depot.date_facture(donnees.date_facture)
    refuses = {e.champ for e in erreurs}
    entete = {
        champ: (None if champ in refuses else valeur)
        for champ, valeur in asdict(donnees).items()
        if champ not in ("lignes", "fournisseur", "service_fournisseur", "coordonnee_bancaire", "destinataire")
    }
    entete |= {
        "fournisseur": fournisseur,
        "service_fournisseur": service_fournisseur,
        "coordonnee_bancaire": coordonnee,
        "destinataire": destinataire,
        "code_service": donnees.code_service.strip(),
    }
    resultat = regles_depot.en_tete(entete)
    erreurs += resultat.erreurs

    # the lines' precision follows the currency (the form's devise_soumise: EUR when it is not in the list)
    devise = donnees.devise if donnees.devise in regles_depot.CHOIX["devise"][0] else "EUR"
    lignes = []
    for index, soumise in enumerate(donnees.lignes):
        ligne = asdict(soumise)
        propres = regles_depot.valeurs_ligne(ligne, index + 1)
        refusees = {e.champ for e in propres}
        propres += regles_depot.ligne(
            rang=index + 1,
            quantite=None if "quantite" in refusees else soumise.quantite,
            prix_unitaire_ht=None if "prix_unitaire_ht" in refusees else soumise.prix_unitaire_ht,
            remise=None if "remise" in refusees else soumise.remise,
            devise=devise,
        )
        erreurs += [Erreur(f"lignes[{index}].{e.champ}", e.message) for e in propres]
        lignes.append(
            {
                "numero": index + 1,
                "reference": soumise.reference,
                "designation": soumise.designation,
                "quantite": soumise.quantite,
                "unite": soumise.unite,
                "prix_unitaire_ht": soumise.prix_unitaire_ht,
                "remise": soumise.remise or Decimal(0),
                "taux_tva": Decimal(soumise.taux_tva) if soumise.taux_tva in regles_depot.TAUX_TVA else None,
            }
        )
    if not any(e.champ.startswith("lignes[") for e in erreurs):
        erreurs += regles_depot.lignes_presentes(lignes)

    if erreurs:
        return None, lignes, erreurs
    valeurs = regles_depot.valeurs_du_brouillon(
        entete | {"numero": numero},
        service_destinataire=resultat.service_destinataire,
        valideur=resultat.valideur,
        service_valideur=resultat.service_valideur,
    )
    return valeurs, lignes, erreurs


@dataclass(frozen=True)
class SoumissionVerifiee:
    """A submission that passed the entry's checks: the draft's header values, its lines and the totals computed
    from them (calcul.calculer), which the caller may compare with amounts it was announced
    (regles_depot.ecarts_annonces)."""

    valeurs: dict
    lignes: list
    totaux: Totaux


def facture_verifier(*, par, donnees):
    """The SoumissionVerifiee of `donnees` (a FactureSoumise); raises DepotRefuse with every error."""
    valeurs, lignes, erreurs = _controler(par, donnees)
    if erreurs:
        raise DepotRefuse(erreurs)
    totaux = calculer(lignes, valeurs["devise"], valeurs["remise_globale"])
    return SoumissionVerifiee(valeurs, lignes, totaux)


def facture_soumettre(
    *,
    par,
    donnees=None,
    verifiee=None,
    pieces_structure=(),
    mode_depot=ModeDepot.SAISIE_API,
    pdf=None,
    nom_pdf="",
    format_depot="",
):
    """Deposit the invoice `donnees` (a FactureSoumise, or `verifiee`, what facture_verifier made of it for the same
    user) for `par`; returns it deposited.

    Without `pdf`, its Factur-X is built from the saved invoice (« Valider et envoyer »); with `pdf` (the supplier's
    own PDF, `format_depot` PDF_NON_SIGNE or PDF_SIGNE_PADES), that PDF is the invoice. `pieces_structure`: the
    supplier's documents (PieceJointeStructure) joined to it. Raises DepotRefuse; nothing is saved then."""
    verifiee = verifiee or facture_verifier(par=par, donnees=donnees)
    valeurs, lignes = verifiee.valeurs, verifiee.lignes
    with transaction.atomic():
        brouillon = facture_enregistrer_brouillon(
            par=par, donnees=valeurs, lignes=lignes, pieces_structure=pieces_structure
        )
        if pdf is None:
            return brouillon_envoyer(facture=brouillon, par=par, mode_depot=mode_depot)
        return facture_deposer(
            facture=brouillon, par=par, mode_depot=mode_depot, format_depot=format_depot, pdf=pdf, nom_pdf=nom_pdf
        )
