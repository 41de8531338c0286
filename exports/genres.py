"""The lists an export can be asked for. Each list's module defines its `Genre` (columns and the query that reads
the rows with the user's rights); this table names them by key, resolved when used so that this app imports none
of the apps whose lists it exports."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Genre:
    cle: str
    libelle: str  # « Mes exports » shows it: the list's name as its page calls it
    prefixe_fichier: str
    colonnes: list
    # requete(user, parametres: QueryDict, structure) -> the queryset of the rows, ordered, the user's rights applied
    requete: Callable
    page: str  # the list's URL name, for « Retour à la liste » (with the structure's id for a structure's list)
    # lignes(queryset) -> the rows' cell lists, for a list whose cells need more than value rows (a structure's users
    # and their profiles, prefetched by chunks); None: read from `colonnes` (value rows, or COPY on PostgreSQL)
    lignes: Callable | None = None
    # structure(user, pk) -> the structure a structure's list belongs to, 404 if the user may not list it; None: the
    # list is the user's own
    structure: Callable | None = None

    def lire(self, queryset):
        """The cell lists of the rows, for the Python CSV and the Excel file."""
        from exports.colonnes import valeurs_lignes

        return self.lignes(queryset) if self.lignes else valeurs_lignes(queryset, self.colonnes)

    def nom_fichier(self, structure=None):
        """Without extension: « factures-recues-20261207 », « utilisateurs-<identifiant>-20261207 »."""
        from django.utils import timezone

        milieu = f"-{structure.identifiant}" if structure is not None else ""
        return f"{self.prefixe_fichier}{milieu}-{timezone.localdate():%Y%m%d}"


GENRES = {
    "factures_emises": "facturation.views.emises.exports.GENRE",
    "factures_recues": "facturation.views.recues.telechargements.GENRE",
    "factures_a_valider": "facturation.views.validation.exports.GENRE",
    "suivi_flux": "raccordement.views.flux.pages.GENRE",
    "factures_travaux": "travaux.views.listes.pages.GENRE",
    "factures_travaux_synthese": "travaux.views.listes.pages.GENRE_SYNTHESE",
    "travaux_liste_fiscale": "travaux.views.listes.registres.GENRE_LISTE_FISCALE",
    "travaux_archives": "travaux.views.listes.registres.GENRE_ARCHIVES",
    "utilisateurs_structure": "organisation.views.utilisateurs.utilisateurs.GENRE",
    "sollicitations_emises": "support.exports.GENRE_EMISES",
    "sollicitations_recues": "support.exports.GENRE_RECUES",
    "file_support": "support.exports.GENRE_FILE",
}


def genre(cle):
    if cle not in GENRES:
        raise Http404("Liste d'export inconnue.")
    return import_string(GENRES[cle])
