"""The works pieces of the demo data set: the demo supplier's projets de décompte mensuel for the demo département
(MOA), through the demo MOE — one waiting for the MOE for 9 days (the daily reminders run), one taken to the MOA —
and the demo co-contractor's projet de décompte mensuel (A13) waiting for the demo supplier, its mandataire, in
« Factures à valider »."""

import datetime

from django.db import transaction
from django.utils import timezone

from facturation.matelas import _structure
from facturation.models import Facture
from organisation.enums import RoleDemo
from travaux.services.depot import piece_deposer

LIGNES = [
    {"designation": "Gros œuvre, situation mensuelle", "quantite": "1", "prix_unitaire_ht": "18500", "taux_tva": "20"}
]


def _deposer(par, role, cadre, numero, fournisseur, **options):
    return piece_deposer(
        par=par,
        role=role,
        cadre=cadre,
        type_depot="association" if options.get("piece_precedente") else "initial",
        canal="portail",
        facture=Facture(
            numero=numero,
            date_facture=timezone.localdate(),
            fournisseur=fournisseur,
            numero_marche="MARCHE-TRAVAUX-COLLEGE-2026",
            numero_engagement="EJ-2026-0042",
        ),
        lignes=LIGNES,
        **options,
    )


@transaction.atomic
def charger_pieces():
    fournisseur, fanny = _structure(RoleDemo.FOURNISSEUR)
    moe, maelle = _structure(RoleDemo.MOE)
    moa, mathieu = _structure(RoleDemo.MOA)
    service_moa = moa.services.get(code="DIR-PATRIMOINE")
    creees = 0
    acteurs = {"moe": moe, "moa": moa, "service_moa": service_moa}
    if not Facture.objects.filter(fournisseur=fournisseur, numero="PDM-2026-01").exists():
        premiere = _deposer(fanny, "fournisseur", "A4", "PDM-2026-01", fournisseur, **acteurs)
        _deposer(maelle, "moe", "A15", "EA-2026-01", fournisseur, piece_precedente=premiere)
        creees += 2
    if not Facture.objects.filter(fournisseur=fournisseur, numero="PDM-2026-02").exists():
        seconde = _deposer(fanny, "fournisseur", "A4", "PDM-2026-02", fournisseur, **acteurs)
        # with the MOE for 9 days: past the 7 days of the CCAG Travaux (art. 12.2.2), the reminders are due
        il_y_a = timezone.now() - datetime.timedelta(days=9)
        Facture.objects.filter(pk=seconde.facture_id).update(deposee_le=il_y_a, statut_depuis=il_y_a)
        seconde.facture.historique.update(le=il_y_a)
        creees += 1
    cotraitant, corinne = _structure(RoleDemo.COTRAITANT)
    if not Facture.objects.filter(fournisseur=cotraitant, numero="PDM-CT-2026-01").exists():
        _deposer(corinne, "cotraitant", "A13", "PDM-CT-2026-01", cotraitant, valideur_1=fournisseur, **acteurs)
        creees += 1
    return creees
