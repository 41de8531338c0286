"""The MOE's 7-day deadline in production: a real Celery worker with beat (every 2 s) sends the daily reminders.

The worker runs on the real clock, so the clocks are moved on the data: the pieces reached the MOE 8 or 9 days ago.
"""

import itertools
import re
from datetime import datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from chorus.mail import lire_boite
from facturation.models import Facture
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure, TypeIdentifiant
from organisation.matelas import siret_fictif
from organisation.models import Structure
from tests.factories import UtilisateurFactory, rattacher
from tests.test_worker import attendre, attendre_courriels, worker  # noqa: F401 (the worker fixture)
from travaux.models import DossierFacturation, PieceTravaux, RelanceMoe

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

GRAINES = itertools.count(62_000)
DELAI = 120  # the machine can be loaded: the worker may take a while to start and beat


def structure(nom, **champs):
    return Structure.objects.create(
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret_fictif(next(GRAINES)),
        raison_sociale=nom,
        est_publique=True,
        statut=StatutStructure.ACTIVE,
        **champs,
    )


def il_y_a(jours):
    """Noon, Paris time, `jours` calendar days ago: far from midnight, so the worker and the test agree on the day."""
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=jours), time(12)))


def piece(fournisseur, moe, moa, numero, *, depuis, statut="MISE_A_DISPOSITION_MOE"):
    dossier = DossierFacturation.objects.create(numero=f"DF-{numero}", fournisseur=fournisseur, moe=moe, moa=moa)
    facture = Facture.objects.create(
        numero=numero,
        cadre="A4",
        fournisseur=fournisseur,
        destinataire=moe,
        statut=statut,
        statut_depuis=depuis,
        deposee_le=depuis,
    )
    return PieceTravaux.objects.create(facture=facture, dossier=dossier, role_deposant="fournisseur")


def numero_piece(message):
    return re.search(r"[Pp]ièce (\S+)", message.objet).group(1)


def jours(piece):
    return list(RelanceMoe.objects.filter(piece=piece).values_list("jour", flat=True))


def test_le_beat_relance_la_moa_et_le_fournisseur_une_fois_par_jour(worker):  # noqa: F811
    aujourd_hui = timezone.localdate()
    # All at once: the beat must not see a piece before the rows that tell it what was already sent.
    with transaction.atomic():
        fournisseur = structure("Bâtiments Durand")
        rattacher(
            UtilisateurFactory(email="travaux@durand.fr"),
            fournisseur,
            (Application.FACTURES_TRAVAUX, Niveau.CONSULTATION),
            statut=StatutRattachement.ACTIF,
        )
        moe = structure("Cabinet Moreau")
        moa = structure("Commune de Saint-Exemple", email="moa@mairie-exemple.fr")
        jour_8 = piece(fournisseur, moe, moa, "J8", depuis=il_y_a(8))
        deja_relancee = piece(fournisseur, moe, moa, "DEJA", depuis=il_y_a(8))
        RelanceMoe.objects.create(piece=deja_relancee, jour=aujourd_hui)
        traitee = piece(fournisseur, moe, moa, "TRAITEE", depuis=il_y_a(8), statut="PRISE_EN_COMPTE_MOE")
        jour_9 = piece(fournisseur, moe, moa, "J9", depuis=il_y_a(9))
        RelanceMoe.objects.create(piece=jour_9, jour=aujourd_hui - timedelta(days=1))

    messages = attendre_courriels(worker, 4, delai=DELAI)
    assert attendre(lambda: False, delai=6) is False  # three more beats: nothing else may leave
    messages = lire_boite(worker)

    envois = sorted((numero_piece(m), m.destinataires) for m in messages)
    assert envois == [
        ("J8", "moa@mairie-exemple.fr"),
        ("J8", "travaux@durand.fr"),
        ("J9", "moa@mairie-exemple.fr"),
        ("J9", "travaux@durand.fr"),
    ]
    assert all("depuis 8 jours" in m.corps for m in messages if numero_piece(m) == "J8")
    assert all("depuis 9 jours" in m.corps for m in messages if numero_piece(m) == "J9")
    assert all("(CCAG Travaux, article 12.2.2)" in m.corps for m in messages)

    assert jours(jour_8) == [aujourd_hui]
    assert jours(deja_relancee) == [aujourd_hui]
    assert jours(traitee) == []
    assert jours(jour_9) == [aujourd_hui - timedelta(days=1), aujourd_hui]
