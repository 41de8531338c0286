"""The payment clock Chorus Pro does not show: délai global de paiement, due date, late-payment interest.

Code de la commande publique: the délai global de paiement is 30 days for the State and local authorities
(R.2192-10) and 50 days for public health establishments (R.2192-11); it is the recipient's setting, kept on the
invoice at deposit. It runs from the deposit, stops while the invoice is suspended until the supplier completes it
(R.2192-27), and past the due date interest runs from the next day until the payment, at the ECB main refinancing
rate in force on the first day of the half-year in which it started to run, plus 8 points (R.2192-31 et s.); a
fixed indemnity of 40 € for recovery costs is due on top (D.2192-35).

The same rules give the payment mentions an invoice must carry (Code de commerce L441-9: the payment date or term,
the discount for early payment, the late-payment penalty rate and the 40 € recovery indemnity), written on the
generated Factur-X by mentions_paiement().

Pure computation: it reads the invoice, its recipient and its status history, and writes nothing.
"""

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from django.db import models
from django.utils import timezone

from facturation.enums import REGLES, StatutFacture, TypeFacture, arrondir
from facturation.models import Facture

MAJORATION_POINTS = Decimal("8")
# Code de commerce L441-10: between businesses, late-payment penalties run at the ECB rate plus 10 points.
MAJORATION_POINTS_ENTREPRISES = Decimal("10")
INDEMNITE_FORFAITAIRE = Decimal("40.00")  # euros, whatever the invoice's currency (D.2192-35)
DEVISE_INDEMNITE = "EUR"
JOURS_PAR_AN = Decimal("365")

SUSPENDUE = StatutFacture.SUSPENDUE.value
MISE_EN_PAIEMENT = StatutFacture.MISE_EN_PAIEMENT.value
CADRE_DEJA_PAYEE = "A2"

# Final statuses of an invoice that will not be paid: no délai runs (a new invoice starts its own).
STATUTS_SANS_PAIEMENT = frozenset(
    {
        "REJETEE",
        "REFUSEE_1",
        "REFUSEE_2",
        "REFUSEE_MOE",
        "REFUSEE_MOA",
        "REFUSEE_FOURNISSEUR",
        "ABANDONNEE",
        "SUPPRIMEE",
        "NON_CONFORME",
    }
)


class EtatDelai(models.TextChoices):
    EN_COURS = "EN_COURS", "En cours"
    ECHUE = "ECHUE", "Échue"
    PAYEE = "PAYEE", "Payée"
    SANS_OBJET = "SANS_OBJET", "Sans objet"


@dataclass(frozen=True)
class TauxInterets:
    """The rate of the late-payment interest and what it is made of."""

    taux: Decimal  # applied, in %: taux_bce + 8
    taux_bce: Decimal
    date_bce: date  # the first day of the half-year whose ECB rate is used
    source: str

    @property
    def base(self):
        return f"taux BCE {_pourcent(self.taux_bce)} % au {self.date_bce:%d/%m/%Y} + {MAJORATION_POINTS} points"


@dataclass(frozen=True)
class HorlogePaiement:
    etat: str
    motif: str = ""  # why there is no clock, when etat is SANS_OBJET
    delai: int | None = None
    depart: date | None = None
    echeance: date | None = None
    jours_suspendus: int = 0
    suspendue_depuis: date | None = None  # the clock is stopped right now
    jours_restants: int | None = None
    jours_retard: int = 0
    payee_le: date | None = None
    jours_paiement: int | None = None  # days the clock ran until the payment
    devise: str = "EUR"
    net_a_payer: Decimal | None = None
    interets: Decimal | None = None
    taux: TauxInterets | None = None
    indemnite: Decimal | None = None
    devise_indemnite: str = DEVISE_INDEMNITE

    @property
    def sans_objet(self):
        return self.etat == EtatDelai.SANS_OBJET

    @property
    def payee(self):
        return self.etat == EtatDelai.PAYEE

    @property
    def en_retard(self):
        return self.jours_retard > 0

    @property
    def libelle_etat(self):
        return EtatDelai(self.etat).label


def _pourcent(valeur):
    return f"{valeur:.2f}".replace(".", ",")


@cache
def taux_bce():
    """[(date, taux, source)] of regles/taux_bce.csv, oldest first."""
    with open(REGLES / "taux_bce.csv", encoding="utf-8", newline="") as fichier:
        lignes = [
            (date.fromisoformat(ligne["date"]), Decimal(ligne["taux"]), ligne["source"])
            for ligne in csv.DictReader(fichier)
        ]
    return sorted(lignes)


def debut_semestre(jour):
    return date(jour.year, 1 if jour.month <= 6 else 7, 1)


def taux_interets_moratoires(debut_interets):
    """The rate for interest that started to run on `debut_interets`; None before the first known ECB rate.

    The table's latest row on or before the half-year's first day is used, so a half-year not yet in the table
    keeps the last known rate."""
    semestre = debut_semestre(debut_interets)
    connues = [ligne for ligne in taux_bce() if ligne[0] <= semestre]
    if not connues:
        return None
    _, taux, source = connues[-1]
    return TauxInterets(taux=taux + MAJORATION_POINTS, taux_bce=taux, date_bce=semestre, source=source)


def interets_moratoires(montant, taux, jours, devise):
    return arrondir(Decimal(montant) * taux / 100 * jours / JOURS_PAR_AN, devise)


def motif_sans_objet(facture):
    """Why `facture` has no payment clock ("" when it has one), from the row's own fields only."""
    if facture.type_facture == TypeFacture.AVOIR:
        return "Un avoir n'appelle pas de paiement : aucun délai de paiement ne court."
    if facture.cadre == CADRE_DEJA_PAYEE:
        return "Facture déjà payée (cadre A2) : aucun délai de paiement ne court."
    if facture.deposee_le is None or facture.statut == StatutFacture.BROUILLON:
        return "La facture n'est pas encore déposée : le délai de paiement court à partir de son dépôt."
    if facture.statut in STATUTS_SANS_PAIEMENT:
        return (
            f"La facture est au statut « {StatutFacture(facture.statut).label} » : elle ne sera pas payée, aucun "
            "délai de paiement ne court."
        )
    return ""


def _delai_connu_sans_requete(facture):
    if facture.delai_paiement_jours is not None:
        return facture.delai_paiement_jours
    if Facture._meta.get_field("destinataire").is_cached(facture):
        return facture.destinataire.delai_global_paiement
    return None


def echeance(facture):
    """The due date from the row's own fields (deposit + délai), without any query: for lists.

    It IGNORES suspensions (they need the history: use horloge() on a consult page). None when the invoice has no
    clock, or when an old row has no délai of its own and its recipient is not already loaded (select_related)."""
    if motif_sans_objet(facture):
        return None
    delai = _delai_connu_sans_requete(facture)
    if delai is None:
        return None
    return timezone.localdate(facture.deposee_le) + timedelta(days=delai)


def _date_paiement(facture, historique):
    for ligne in historique:
        if ligne.vers_statut == MISE_EN_PAIEMENT:
            return timezone.localdate(ligne.le)
    return timezone.localdate(facture.statut_depuis or facture.deposee_le)


def _suspensions(historique, depart, fin):
    """(days suspended between `depart` and `fin`, date of the suspension still running or None).

    A suspension lasts from its history row to the next row that leaves SUSPENDUE (the supplier's completion, or the
    recipient's decision); a row that stays SUSPENDUE (an added document) does not end it."""
    jours, debut = 0, None
    for ligne in historique:
        jour = min(max(timezone.localdate(ligne.le), depart), fin)
        if ligne.vers_statut == SUSPENDUE:
            if debut is None:
                debut = jour
        elif debut is not None:
            jours += (jour - debut).days
            debut = None
    if debut is not None:
        jours += (fin - debut).days
    return jours, debut


def horloge(facture, aujourd_hui=None):
    """The payment clock of `facture` on `aujourd_hui` (today by default), as supplier and recipient see it.

    Reads `facture.historique` (one query, none if prefetched) and, for an old row without its own délai, the
    recipient's setting."""
    motif = motif_sans_objet(facture)
    if motif:
        return HorlogePaiement(etat=EtatDelai.SANS_OBJET, motif=motif)
    aujourd_hui = aujourd_hui or timezone.localdate()
    delai = facture.delai_paiement_jours
    if delai is None:
        delai = facture.destinataire.delai_global_paiement
    depart = timezone.localdate(facture.deposee_le)
    historique = list(facture.historique.all())
    payee_le = _date_paiement(facture, historique) if facture.statut == MISE_EN_PAIEMENT else None
    fin = max(payee_le or aujourd_hui, depart)
    jours_suspendus, suspendue_depuis = _suspensions(historique, depart, fin)
    date_echeance = depart + timedelta(days=delai + jours_suspendus)
    jours_retard = max(0, (fin - date_echeance).days)
    taux = interets = indemnite = None
    if jours_retard:
        taux = taux_interets_moratoires(date_echeance + timedelta(days=1))
        if taux is not None:
            interets = interets_moratoires(facture.net_a_payer, taux.taux, jours_retard, facture.devise)
        indemnite = INDEMNITE_FORFAITAIRE
    etat = EtatDelai.PAYEE if payee_le else EtatDelai.ECHUE if jours_retard else EtatDelai.EN_COURS
    return HorlogePaiement(
        etat=etat,
        delai=delai,
        depart=depart,
        echeance=date_echeance,
        jours_suspendus=jours_suspendus,
        suspendue_depuis=None if payee_le else suspendue_depuis,
        jours_restants=None if payee_le or jours_retard else (date_echeance - aujourd_hui).days,
        jours_retard=jours_retard,
        payee_le=payee_le,
        jours_paiement=(payee_le - depart).days - jours_suspendus if payee_le else None,
        devise=facture.devise,
        net_a_payer=facture.net_a_payer,
        interets=interets,
        taux=taux,
        indemnite=indemnite,
    )


def _jour(facture):
    return timezone.localdate(facture.deposee_le) if facture.deposee_le else timezone.localdate()


def echeance_annoncee(facture):
    """BT-9, the due date printed on the invoice: its reception (the deposit, or today for a draft about to be
    deposited) plus the recipient's délai global de paiement; None for a credit note or an invoice already paid."""
    if facture.type_facture == TypeFacture.AVOIR or facture.cadre == CADRE_DEJA_PAYEE:
        return None
    delai = facture.delai_paiement_jours
    if delai is None:
        delai = facture.destinataire.delai_global_paiement
    return _jour(facture) + timedelta(days=delai)


def _montant_fr(valeur):
    return f"{valeur:.2f}".replace(".", ",")


def mentions_paiement(facture):
    """The payment mentions of `facture`, one sentence each (BT-20 of the generated Factur-X, and its PDF).

    A public recipient owes moratorium interest (Code de la commande publique L2192-13, R2192-31: ECB rate + 8 points)
    and the 40 € indemnity (D2192-35); a private one owes the Code de commerce's penalties (L441-10: ECB rate
    + 10 points) and the same indemnity (D441-5). The rate shown is the one of the half-year of the invoice's
    reception; the one that applies is the rate of the half-year in which the interest starts to run."""
    if facture.type_facture == TypeFacture.AVOIR:
        return []
    if facture.cadre == CADRE_DEJA_PAYEE:
        return ["Facture acquittée : aucun paiement n'est attendu."]
    jour = _jour(facture)
    delai = facture.delai_paiement_jours
    if delai is None:
        delai = facture.destinataire.delai_global_paiement
    mentions = [
        f"Paiement à {delai} jour{'s' if delai >= 2 else ''} à compter de la réception de la facture, soit au plus "
        f"tard le {jour + timedelta(days=delai):%d/%m/%Y} pour une réception le {jour:%d/%m/%Y}.",
        "Pas d'escompte pour paiement anticipé.",
    ]
    publique = facture.destinataire.est_publique
    majoration = MAJORATION_POINTS if publique else MAJORATION_POINTS_ENTREPRISES
    taux = taux_interets_moratoires(jour)
    soit = (
        f", soit {_pourcent(taux.taux_bce + majoration)} % (taux BCE de {_pourcent(taux.taux_bce)} % au "
        f"{taux.date_bce:%d/%m/%Y})"
        if taux is not None
        else ""
    )
    indemnite = f"{_montant_fr(INDEMNITE_FORFAITAIRE)} €".replace(",00", "")
    if publique:
        mentions.append(
            "En cas de retard de paiement, des intérêts moratoires courent de plein droit au taux de la Banque "
            "centrale européenne (opérations principales de refinancement) en vigueur au premier jour du semestre où "
            f"ils commencent à courir, majoré de {MAJORATION_POINTS} points{soit}, et une indemnité forfaitaire pour "
            f"frais de recouvrement de {indemnite} est due (Code de la commande publique, articles L2192-13, "
            "R2192-31 et D2192-35)."
        )
    else:
        mentions.append(
            "En cas de retard de paiement, des pénalités sont exigibles au taux de la Banque centrale européenne "
            f"(opération de refinancement la plus récente) majoré de {MAJORATION_POINTS_ENTREPRISES} points{soit}, "
            f"ainsi qu'une indemnité forfaitaire pour frais de recouvrement de {indemnite} (Code de commerce, "
            "articles L441-10 et D441-5)."
        )
    return mentions
