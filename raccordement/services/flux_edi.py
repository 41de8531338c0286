"""The EDI drop directory (issue #6 « Flux integration »): `<EDI_DEPOT_DIR>/<SIRET>/depot/`, one folder per structure.

A structure with an active EDI connection record (FicheRaccordement of type EDI, not deactivated) drops its flux files
in its `depot/` folder (a partner's SFTP or AS/2 gateway writes there). The beat task turns each file into a flux
(canal EDI) and only after the flux row is committed moves the file to `traites/<numéro du flux>-<nom>`; a file the
reception refuses (too big, not what it claims) goes to `refuses/` with a `.erreur.txt` saying why. A crash between the
commit and the move leaves the file in place: the next pass deposits it again and the integration rejects that copy
as a resubmitted flux (same sha-256), so nothing is integrated twice.

Files whose name starts with a dot are ignored: a sender writes `.facture.xml.part` and renames it when complete (the
usual SFTP convention), so a half-written file is never taken. Links and folders are ignored too.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction

from chorus.exceptions import ApplicationError
from chorus.stockage import StockagePlein
from organisation.enums import TypeIdentifiant
from organisation.models import Structure
from raccordement.enums import CanalFlux, TypeRaccordement
from raccordement.services.flux import TAILLE_ARCHIVE_MAX, flux_recevoir

journal = logging.getLogger(__name__)


def dossier_depot(structure):
    return Path(settings.EDI_DEPOT_DIR) / structure.identifiant / "depot"


def structures_edi():
    return Structure.objects.filter(
        type_identifiant=TypeIdentifiant.SIRET,
        fiches_raccordement__type_raccordement=TypeRaccordement.EDI,
        fiches_raccordement__desactivee_le__isnull=True,
    ).distinct()


def _ranger(chemin, sous_dossier, nom):
    cible = chemin.parent.parent / sous_dossier
    cible.mkdir(parents=True, exist_ok=True)
    destination = cible / nom
    chemin.replace(destination)
    return destination


def _fichiers(dossier):
    if not dossier.is_dir() or dossier.is_symlink():
        return []
    return sorted(f for f in dossier.iterdir() if not f.name.startswith(".") and f.is_file() and not f.is_symlink())


def depots_edi_relever(*, limite=200):
    """One pass over the drop folders; returns the flux created."""
    crees = []
    for structure in structures_edi():
        for chemin in _fichiers(dossier_depot(structure)):
            if len(crees) >= limite:
                return crees
            try:
                if chemin.stat().st_size > TAILLE_ARCHIVE_MAX:
                    # not read into memory: verifier_fichier only needs to know it is too big
                    with chemin.open("rb") as fichier:
                        contenu = fichier.read(TAILLE_ARCHIVE_MAX + 1)
                else:
                    contenu = chemin.read_bytes()
            except OSError:
                journal.warning("Dépôt EDI : %s illisible, laissé en place", chemin)
                continue
            try:
                with transaction.atomic():
                    flux = flux_recevoir(
                        structure=structure, contenu=contenu, nom_fichier=chemin.name, canal=CanalFlux.EDI
                    )
            except StockagePlein:
                # left in the drop folder: the next pass takes it once the media volume has space again
                journal.warning("Dépôt EDI : espace de stockage plein, %s laissé en place", chemin)
                return crees
            except ApplicationError as exc:
                refuse = _ranger(chemin, "refuses", chemin.name)
                refuse.with_name(refuse.name + ".erreur.txt").write_text(exc.message + "\n", encoding="utf-8")
                continue
            _ranger(chemin, "traites", f"{flux.numero}-{chemin.name}")
            crees.append(flux)
    return crees
