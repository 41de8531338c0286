"""Exports of the ticket lists (« Sollicitations émises », « reçues », the support's queue), with the list's filters
and sort: the CSV streamed (written by PostgreSQL on PostgreSQL), the Excel file built by the « Mes exports » task.
The rows are read again with the user's rights (each side's selector); the queue only for a support agent."""

from django.db.models import Case, Func, TextField, Value, When
from django.db.models.functions import Concat
from django.db.models.lookups import IsNull

from exports.colonnes import Colonne, choix, sql_jumeau
from exports.genres import Genre
from support import acces
from support.enums import StatutSollicitation
from support.forms import FiltresAgentForm, FiltresForm
from support.models import Sollicitation
from support.selectors import sollicitations as selecteurs

# str.strip()'s ASCII whitespace, for PostgreSQL's btrim()
_BLANCS = " \t\n\r\x0b\x0c"


def _destinataire_sql(structure, raison_sociale, code_service):
    service = Case(
        When(IsNull(code_service, True), then=Value("")),
        default=Concat(Value(" – service "), code_service, output_field=TextField()),
        output_field=TextField(),
    )
    return Case(
        When(IsNull(structure, True), then=Value("Support Chorus Pro")),
        default=Concat(raison_sociale, service, output_field=TextField()),
        output_field=TextField(),
    )


@sql_jumeau(_destinataire_sql)
def _destinataire(structure, raison_sociale, code_service):
    if structure is None:
        return "Support Chorus Pro"
    service = f" – service {code_service}" if code_service is not None else ""
    return f"{raison_sociale}{service}"


def _agent_sql(agent, prenom, nom):
    complet = Concat(prenom, Value(" "), nom, output_field=TextField())
    return Case(
        When(IsNull(agent, True), then=Value("")),
        default=Func(complet, Value(_BLANCS), function="btrim", output_field=TextField()),
        output_field=TextField(),
    )


@sql_jumeau(_agent_sql)
def _agent(agent, prenom, nom):
    """Utilisateur.nom_complet, or nothing when nobody handles the ticket."""
    return f"{prenom} {nom}".strip() if agent is not None else ""


COLONNES = [
    Colonne("Numéro", "numero"),
    Colonne("Objet", "objet"),
    Colonne("Catégorie", "categorie__libelle"),
    Colonne("Sous-catégorie", "sous_categorie__libelle"),
    Colonne("Demandeur", "demandeur_nom"),
    Colonne("Adresse du demandeur", "demandeur_email"),
    Colonne(
        "Destinataire",
        "structure_destinataire",
        "structure_destinataire__raison_sociale",
        "service_destinataire__code",
        valeur=_destinataire,
    ),
    Colonne("Agent en charge", "agent", "agent__prenom", "agent__nom", valeur=_agent),
    Colonne("Statut", "statut", valeur=choix(StatutSollicitation)),
    Colonne("Créée le", "cree_le"),
    Colonne("Dernière activité", "derniere_activite"),
]


def _tri(parametres):
    tri = parametres.get("tri", selecteurs.TRI_DEFAUT)
    return tri if tri in selecteurs.TRIS else selecteurs.TRI_DEFAUT


def _liste(form_classe, selecteur, parametres):
    form = form_classe(parametres)
    return form.filtrer(selecteur(**form.filtres(), tri=_tri(parametres)))


def requete_emises(user, parametres, structure=None):
    return _liste(FiltresForm, lambda **f: selecteurs.emises(user, **f), parametres)


def requete_recues(user, parametres, structure=None):
    return _liste(FiltresForm, lambda **f: selecteurs.recues(user, **f), parametres)


def requete_file(user, parametres, structure=None):
    """The queue of the support agents; anyone else (an agent who left the support since the request) gets nothing."""
    if not acces.est_agent(user):
        return Sollicitation.objects.none()
    return _liste(FiltresAgentForm, lambda **f: selecteurs.file_support(user, **f), parametres)


def _genre(cle, libelle, prefixe, requete, page):
    return Genre(cle=cle, libelle=libelle, prefixe_fichier=prefixe, colonnes=COLONNES, requete=requete, page=page)


GENRE_EMISES = _genre(
    "sollicitations_emises", "Sollicitations émises", "sollicitations-emises", requete_emises, "support:emises"
)
GENRE_RECUES = _genre(
    "sollicitations_recues", "Sollicitations reçues", "sollicitations-recues", requete_recues, "support:recues"
)
GENRE_FILE = _genre(
    "file_support", "File des sollicitations", "file-sollicitations", requete_file, "support:agent_file"
)
