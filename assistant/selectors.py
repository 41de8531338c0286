"""Reads of the virtual assistant: the knowledge base, its ranking, and the user's own invoices cited by number.

An answer costs a fixed number of queries: one for the articles, and, for a signed-in user whose question cites
something that looks like an invoice number, one for the invoices.
"""

import functools
import operator
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Subquery, TextField, Value
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator

from assistant import recherche
from assistant.enums import Theme
from assistant.models import Article
from facturation.models import FactureHistorique
from facturation.selectors import emises
from facturation.selectors.consultables import factures_consultables

LONGUEUR_MAX_QUESTION = 300
NOMBRE_REPONSES = 3
NOMBRE_FACTURES = 5


def articles_publies():
    return Article.objects.filter(publie=True)


def article_publie_ou_404(slug):
    return get_object_or_404(articles_publies(), slug=slug)


def articles_par_theme():
    """The FAQ page: every published article under its theme, themes in their declared order."""
    par_theme = {}
    for article in articles_publies().only("titre", "slug", "theme", "resume", "ordre"):
        par_theme.setdefault(article.theme, []).append(article)
    return [(libelle, par_theme[code]) for code, libelle in Theme.choices if code in par_theme]


# ---------------------------------------------------------------------------------------------------------------
# Ranking


def articles_pertinents(question, limite=NOMBRE_REPONSES):
    """The published articles that answer `question`, most relevant first: PostgreSQL's full-text search where
    the database is PostgreSQL, the portable scorer of `assistant.recherche` elsewhere."""
    termes = recherche.mots(question)
    if not termes:
        return []
    if connection.vendor == "postgresql":
        return _pertinents_postgresql(termes, limite)
    return recherche.classer(question, list(articles_publies()), limite)


_ACCENTS = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ"
_SANS_ACCENTS = "aaaaaaceeeeiiiinooooouuuuyy"


def _sans_accents_sql(champ):
    # TRANSLATE is built in, unlike the unaccent extension: the question is stripped the same way in Python
    minuscules = Func(Func(F(champ), function="LOWER"), Value("œ"), Value("oe"), function="REPLACE")
    return Func(minuscules, Value(_ACCENTS), Value(_SANS_ACCENTS), function="TRANSLATE", output_field=TextField())


def _pertinents_postgresql(termes, limite):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    # any word may match (a user's question is not a conjunction); the rank rewards the words that do
    requete = functools.reduce(
        operator.or_, (SearchQuery(t, config="french", search_type="plain") for t in termes[:20])
    )
    document = (
        SearchVector(_sans_accents_sql("titre"), config="french", weight="A")
        + SearchVector(_sans_accents_sql("mots_cles"), config="french", weight="B")
        + SearchVector(_sans_accents_sql("resume"), _sans_accents_sql("corps"), config="french", weight="C")
    )
    return list(
        articles_publies()
        .annotate(document=document)
        .filter(document=requete)
        .annotate(rang=SearchRank(document, requete))
        .order_by("-rang", "ordre", "pk")[:limite]
    )


# ---------------------------------------------------------------------------------------------------------------
# The user's invoices cited by number

# An invoice number (BT-1, at most 20 characters here) has a digit; cadres (A1…A25) and flux names are not numbers.
_CANDIDAT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-/.]*")
_PAS_UN_NUMERO = re.compile(r"^(A\d{1,2}|(FSO|FEN)\d+[A-Z]?|V?\d+(\.\d+)+)$", re.IGNORECASE)


def numeros_cites(question):
    """What in the question may be an invoice number, at most five, as typed and upper-cased."""
    numeros = []
    for brut in _CANDIDAT.findall(question or ""):
        candidat = brut.rstrip("./-_")
        if (
            3 <= len(candidat) <= 20
            and any(c.isdigit() for c in candidat)
            and not _PAS_UN_NUMERO.match(candidat)
            and candidat not in numeros
        ):
            numeros.append(candidat)
    return numeros[:NOMBRE_FACTURES]


def _dernier_commentaire(champ):
    # the latest history row that explains something: the recipient's motif or comment (or a validator's)
    return Subquery(
        FactureHistorique.objects.filter(facture=OuterRef("pk"))
        .exclude(motif="", commentaire="")
        .order_by("-le", "-pk")
        .values(champ)[:1]
    )


def factures_citees(user, numeros):
    """The invoices numbered `numeros` among those `user` may read (sent or received, as the API's
    consulterHistoriqueFacture): another structure's invoice is simply absent, as a number that does not exist."""
    if not numeros or not user.is_authenticated:
        return []
    variantes = set(numeros) | {n.upper() for n in numeros}
    emises_visibles = emises.factures_emises(user)
    return list(
        factures_consultables(user)
        .filter(numero__in=variantes)
        .select_related("fournisseur", "destinataire")
        .annotate(
            emise=Exists(emises_visibles.filter(pk=OuterRef("pk"))),
            dernier_motif=_dernier_commentaire("motif"),
            dernier_commentaire=_dernier_commentaire("commentaire"),
            dernier_commentaire_le=_dernier_commentaire("le"),
        )
        .order_by("-deposee_le", "-pk")[:NOMBRE_FACTURES]
    )


# ---------------------------------------------------------------------------------------------------------------
# The answer


@dataclass
class Reponse:
    question: str
    articles: list = field(default_factory=list)
    factures: list = field(default_factory=list)
    numeros: list = field(default_factory=list)
    connecte: bool = False

    @property
    def parle_de_facture(self):
        texte = recherche.sans_accents(self.question)
        return bool(self.numeros) and ("factur" in texte or "numero" in texte or "n°" in texte)

    @property
    def facture_introuvable(self):
        """A number was asked about and none of the user's invoices carries it (or it is another's)."""
        return self.connecte and self.parle_de_facture and not self.factures

    @property
    def trouve(self):
        return bool(self.articles or self.factures)

    @property
    def parametres_sollicitation(self):
        """The ticket form's query string: the question becomes the message, its start the subject."""
        objet = Truncator(self.question).chars(80)
        return urlencode({"objet": objet, "message": self.question})


def repondre(user, question):
    numeros = numeros_cites(question)
    return Reponse(
        question=question,
        articles=articles_pertinents(question),
        factures=factures_citees(user, numeros),
        numeros=numeros,
        connecte=user.is_authenticated,
    )
