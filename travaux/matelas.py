"""The works pieces of the demo data set: the demo supplier's projets de décompte mensuel for the demo département
(MOA), through the demo MOE — January's taken to the MOA, February's waiting for the MOE for 9 days (the daily
reminders run) — and the demo co-contractor's projet de décompte mensuel (A13) waiting for the demo supplier, its
mandataire, in « Factures à valider ».

Each piece goes through the portal's own deposit (piece_deposer, « Dépôt PDF sur le portail ») with its PDF, on the
day the story places it: its checks apply (a piece dated after its deposit, or deposited before the piece it answers,
is refused), so the demo holds nothing the portal forbids."""

import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from facturation.calcul import calculer
from facturation.enums import CadreFacturation
from facturation.matelas import _structure
from facturation.models import Facture
from facturation.services.brouillon import nom_de_fichier
from organisation.enums import RoleDemo
from travaux.services.depot import piece_deposer

LIGNES = [
    {"designation": "Gros œuvre, situation mensuelle", "quantite": "1", "prix_unitaire_ht": "18500", "taux_tva": "20"}
]
MARCHE = "MARCHE-TRAVAUX-COLLEGE-2026"
ENGAGEMENT = "EJ-2026-0042"


def pdf_de_piece(facture, *, cadre, fournisseur, moa, service_moa, moe):
    """The PDF a supplier, MOE or MOA would deposit: the piece as a readable document."""
    # WeasyPrint loads Pango (~0.7 s): only the processes that render a PDF pay for it
    from weasyprint import HTML

    contexte = {
        "facture": facture,
        "libelle": CadreFacturation(cadre).label,
        "fournisseur": fournisseur,
        "moa": moa,
        "service_moa": service_moa,
        "moe": moe,
        "lignes": LIGNES,
        "totaux": calculer(LIGNES, "EUR"),
    }
    return HTML(string=render_to_string("travaux/matelas/piece.html", contexte)).write_pdf()


def _deposer(par, role, cadre, numero, fournisseur, *, il_y_a, dossier, piece_precedente=None, **options):
    deposee_le = timezone.now() - datetime.timedelta(days=il_y_a)
    facture = Facture(
        numero=numero,
        date_facture=timezone.localdate(deposee_le),
        fournisseur=fournisseur,
        numero_marche=MARCHE,
        numero_engagement=ENGAGEMENT,
    )
    facture.cadre = cadre
    pdf = pdf_de_piece(facture, cadre=cadre, fournisseur=fournisseur, **dossier)
    acteurs = {} if piece_precedente else {k: v for k, v in dossier.items() if k in ("moe", "moa", "service_moa")}
    return piece_deposer(
        par=par,
        role=role,
        cadre=cadre,
        type_depot="association" if piece_precedente else "initial",
        canal="portail",
        facture=facture,
        lignes=LIGNES,
        piece_precedente=piece_precedente,
        pdf=pdf,
        nom_pdf=nom_de_fichier(numero, "pdf"),
        deposee_le=deposee_le,
        **acteurs,
        **options,
    )


@transaction.atomic
def charger_pieces():
    fournisseur, fanny = _structure(RoleDemo.FOURNISSEUR)
    moe, maelle = _structure(RoleDemo.MOE)
    moa, _mathieu = _structure(RoleDemo.MOA)
    dossier = {"moe": moe, "moa": moa, "service_moa": moa.services.get(code="DIR-PATRIMOINE")}
    creees = 0
    if not Facture.objects.filter(fournisseur=fournisseur, numero="PDM-2026-01").exists():
        premiere = _deposer(fanny, "fournisseur", "A4", "PDM-2026-01", fournisseur, il_y_a=40, dossier=dossier)
        _deposer(
            maelle, "moe", "A15", "EA-2026-01", fournisseur, il_y_a=35, dossier=dossier, piece_precedente=premiere
        )
        creees += 2
    if not Facture.objects.filter(fournisseur=fournisseur, numero="PDM-2026-02").exists():
        # with the MOE for 9 days: past the 7 days of the CCAG Travaux (art. 12.2.2), the reminders are due
        _deposer(fanny, "fournisseur", "A4", "PDM-2026-02", fournisseur, il_y_a=9, dossier=dossier)
        creees += 1
    cotraitant, corinne = _structure(RoleDemo.COTRAITANT)
    if not Facture.objects.filter(fournisseur=cotraitant, numero="PDM-CT-2026-01").exists():
        _deposer(
            corinne,
            "cotraitant",
            "A13",
            "PDM-CT-2026-01",
            cotraitant,
            il_y_a=0,
            dossier=dossier,
            valideur_1=fournisseur,
        )
        creees += 1
    return creees
