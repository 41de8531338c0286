"""The integration report of a flux as a PDF (consulterCR's `fichierCR`, chorus-pro-api.md §2.5): the reason the
service exists, since a client that cannot read the detail still has a document to show or archive. It lists the
flux, its state and every error with its rule, field and values found and expected — what « Suivi des flux » shows."""

from django.template.loader import render_to_string
from django.utils import timezone

from raccordement.enums import ETATS_FINAUX, EtatFlux
from raccordement.selectors.flux import code_interface, date_etat_courant


def html_compte_rendu(flux):
    """`flux` comes from flux_consulter (its report prefetched, its invoices counted)."""
    return render_to_string(
        "raccordement/flux/compte_rendu_pdf.html",
        {
            "flux": flux,
            "libelle_etat": EtatFlux(flux.etat).label,
            "date_etat": timezone.localtime(date_etat_courant(flux)),
            "code_interface": code_interface(flux),
            "nb_factures": len(flux.lignes),
            "nb_integrees": sum(1 for ligne in flux.lignes if ligne.integree),
            "nb_rejetees": sum(1 for ligne in flux.lignes if not ligne.integree),
            "final": flux.etat in ETATS_FINAUX,
            "etabli_le": timezone.localtime(),
        },
    )


def pdf_compte_rendu(flux):
    from weasyprint import HTML  # loads Pango: only the processes that render PDFs pay for it

    return HTML(string=html_compte_rendu(flux)).write_pdf()
