"""Fault 6: beat runs twice at once (two workers each started with --beat, as after a bad deployment). The 7-day
reminder of a works piece and a delayed change are each applied once; the sweepers racing send each mail once."""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from chorus.models import ModificationDifferee
from facturation.models import FactureHistorique
from organisation.enums import Application, Niveau, StatutRattachement
from organisation.models import CoordonneeBancaire
from tests.factories import UtilisateurFactory, rattacher
from tests.fiabilite.conftest import attendre
from tests.fiabilite.livres import verifier_livres
from tests.fiabilite.outils import modification_programmer
from tests.travaux.test_worker_relances import il_y_a, piece, structure
from travaux.models import RelanceMoe

pytestmark = pytest.mark.django_db(transaction=True)


def pieces_chez_la_moe(depuis_jours, nombre=3):
    with transaction.atomic():
        fournisseur = structure("Bâtiments Durand")
        rattacher(
            UtilisateurFactory(email="travaux@durand.fr"),
            fournisseur,
            (Application.FACTURES_TRAVAUX, Niveau.CONSULTATION),
            statut=StatutRattachement.ACTIF,
        )
        moe, moa = structure("Cabinet Moreau"), structure("Commune de Saint-Exemple", email="moa@mairie.fr")
        pieces = [piece(fournisseur, moe, moa, f"A4-{i}", depuis=il_y_a(depuis_jours)) for i in range(nombre)]
        for p in pieces:  # the deposit's history row, which the works deposit writes
            FactureHistorique.objects.create(facture=p.facture, action="deposer", vers_statut=p.facture.statut)
        return pieces


def test_deux_beats_n_appliquent_rien_deux_fois(systeme, settings):
    pieces = pieces_chez_la_moe(8)
    modification, structure_iban = modification_programmer(settings, 2)
    for nom in ("un", "deux"):
        systeme.demarrer(nom, concurrence=2)

    assert attendre(lambda: len(systeme.courriels()) >= 2 * len(pieces))
    assert attendre(lambda: CoordonneeBancaire.objects.filter(structure=structure_iban).exists())
    time.sleep(4)  # several more beats of each

    aujourd_hui = timezone.localdate()
    for p in pieces:
        assert list(RelanceMoe.objects.filter(piece=p).values_list("jour", flat=True)) == [aujourd_hui]
    assert CoordonneeBancaire.objects.filter(structure=structure_iban).count() == 1
    modification.refresh_from_db()
    assert modification.statut == ModificationDifferee.Statut.APPLIQUEE
    verifier_livres(
        "beat lancé deux fois",
        numeros=[p.facture.numero for p in pieces],
        boite=systeme.boite,
        courriels_attendus=2 * len(pieces),
    )
