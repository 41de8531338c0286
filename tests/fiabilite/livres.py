"""The books a fault test checks once the system has settled: every invoice accepted exactly once, every status
change in its history, every mail and lifecycle message sent exactly once, no flux stuck, nothing half-written.

`verifier_livres` prints its figures (and keeps them for the terminal summary, so CI shows them without -s), then
fails on any figure that is not zero."""

from collections import Counter

from django.db.models import Count

from chorus.differe import modifications_en_retard
from chorus.mail import lire_boite
from chorus.models import Courriel
from facturation.enums import StatutFacture
from facturation.models import Facture, FactureHistorique
from raccordement.enums import ETATS_FINAUX
from raccordement.models import FicheRaccordement, Flux, FluxFacture, MessageCycleVie

# where a history starts: nothing (the portal's deposit), or the draft an upload or a flux was read into
ORIGINES = {"", StatutFacture.BROUILLON}
RELEVES = []  # (test, figures): read by conftest's terminal summary


def _historique_incomplet():
    """Invoices whose history does not chain from nothing to their current status (a change left unrecorded)."""
    incompletes = 0
    lignes = FactureHistorique.objects.order_by("facture_id", "le", "pk").values_list(
        "facture_id", "de_statut", "vers_statut"
    )
    chaines = {}
    for facture_id, de, vers in lignes:
        chaines.setdefault(facture_id, []).append((de, vers))
    for facture_id, statut in Facture.objects.values_list("pk", "statut"):
        chaine = chaines.get(facture_id, [])
        suivie = all(de == precedente[1] for precedente, (de, _) in zip(chaine, chaine[1:], strict=False))
        if not chaine or chaine[0][0] not in ORIGINES or chaine[-1][1] != statut or not suivie:
            incompletes += 1
    return incompletes


def _courriels(boite):
    """Sent rows against the mailbox, by (address, subject): extra messages are duplicates, missing ones lost."""
    attendus = Counter(Courriel.objects.values_list("destinataire", "objet"))
    recus = Counter((m.destinataires, m.objet) for m in lire_boite(boite, limite=100_000))
    doubles = sum((recus - attendus).values())
    perdus = sum((attendus - recus).values()) + Courriel.objects.filter(envoye_le__isnull=True).count()
    return sum(recus.values()), doubles, perdus


def _messages_cycle_vie():
    """Lifecycle messages against the status changes of the invoices deposited by flux for a connected supplier:
    (duplicates, lost)."""
    connectees = FicheRaccordement.objects.filter(desactivee_le__isnull=True).values("structure_id")
    changements = Counter(
        FactureHistorique.objects.filter(
            facture__flux_facture__isnull=False, facture__fournisseur_id__in=connectees
        ).values_list("facture_id", "vers_statut")
    )
    messages = Counter(MessageCycleVie.objects.filter(facture__isnull=False).values_list("facture_id", "statut"))
    return sum((messages - changements).values()), sum((changements - messages).values())


def verifier_livres(nom, *, numeros=(), boite=None, courriels_attendus=None):
    """`numeros`: the invoice numbers sent into the system (portal, API, EDI); `boite`: the worker's file mailbox."""
    presents = Counter(Facture.objects.filter(numero__in=list(numeros)).values_list("numero", flat=True))
    figures = {
        "factures envoyées": len(numeros),
        "acceptées": sum(1 for n in set(numeros) if presents[n]),
        "en double": sum(n - 1 for n in presents.values() if n > 1),
        "perdues": sum(1 for n in set(numeros) if not presents[n]),
        "historique incomplet": _historique_incomplet(),
    }
    if boite is not None:
        envoyes, doubles, perdus = _courriels(boite)
        figures |= {"courriels envoyés": envoyes, "courriels en double": doubles, "courriels perdus": perdus}
    doubles, perdus = _messages_cycle_vie()
    figures |= {
        "messages de cycle de vie en double": doubles,
        "messages de cycle de vie perdus": perdus,
        "flux bloqués": Flux.objects.exclude(etat__in=ETATS_FINAUX).count(),
        "modifications différées en souffrance": modifications_en_retard().count(),
        "à moitié écrits": (
            FluxFacture.objects.filter(integree=True, facture__isnull=True).count()
            + Flux.objects.filter(etat__in=ETATS_FINAUX, traitement_fin_le__isnull=True).count()
            + Facture.objects.annotate(n=Count("historique")).filter(n=0).count()
        ),
    }
    RELEVES.append((nom, figures))
    print(f"\nLivres — {nom} : " + " ; ".join(f"{cle} {valeur}" for cle, valeur in figures.items()))
    toleres = {"factures envoyées", "acceptées", "courriels envoyés"}
    fautes = {cle: valeur for cle, valeur in figures.items() if cle not in toleres and valeur}
    assert not fautes, f"Livres faux ({nom}) : {fautes}"
    if courriels_attendus is not None:
        assert figures["courriels envoyés"] == courriels_attendus, figures
    return figures
