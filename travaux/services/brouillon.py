"""« Enregistrer » on the works deposit page: the typed form kept as a draft of its author, with its PDF."""

from django.core.files.base import ContentFile
from django.db import transaction

from travaux.models import BrouillonTravaux

# what the draft keeps of the posted form: its fields, never the token or the button
_HORS_DONNEES = {"csrfmiddlewaretoken", "action", "pdf"}


def brouillon_enregistrer(*, par, brouillon=None, structure, role, cadre, type_depot, donnees, pdf=None, nom_pdf=""):
    """Create or update `par`'s draft; `pdf` (bytes) replaces the kept PDF when given."""
    with transaction.atomic():
        if brouillon is None:
            brouillon = BrouillonTravaux(user=par)
        elif brouillon.user_id != par.pk:
            raise ValueError("A draft is only saved by its author.")
        brouillon.structure = structure
        brouillon.role = role or ""
        brouillon.cadre = cadre or ""
        brouillon.type_depot = type_depot or BrouillonTravaux._meta.get_field("type_depot").default
        brouillon.donnees = {cle: valeur for cle, valeur in donnees.items() if cle not in _HORS_DONNEES}
        if pdf is not None:
            if brouillon.pdf:
                brouillon.pdf.delete(save=False)
            brouillon.pdf.save(nom_pdf or "piece.pdf", ContentFile(pdf), save=False)
        brouillon.save()
    return brouillon


def brouillon_supprimer(*, par, brouillon):
    """Once the piece is deposited, its draft goes."""
    if brouillon.user_id != par.pk:
        raise ValueError("A draft is only deleted by its author.")
    if brouillon.pdf:
        brouillon.pdf.delete(save=False)
    brouillon.delete()
