"""The text side of the assistant's ranking: normalising a question and, where PostgreSQL is absent, scoring.

Both backends receive the same words: lower case, without accents (users often type "securite" for "sécurité"),
without French stop words. PostgreSQL stems them with its 'french' configuration; the portable scorer below uses
a light stemmer of its own and weighs title > keywords > body, with rare words counting more than words every
article contains (inverse document frequency), so "facture" alone does not decide.
"""

import math
import re
import unicodedata
from dataclasses import dataclass

# Words that carry no subject. Includes the question words and polite forms users type, and "chorus pro", which
# every article mentions.
MOTS_VIDES = frozenset(
    """
    a ai aie aient ait alors apres as au aucun aussi autre aux avais avait avant avec avez avoir avons bah
    bien bonjour c ca car ce ceci cela celle celui ces cet cette chez chorus comme comment d dans de deja des
    dois doit donc dont du elle elles en encore es est et etc etes etre eu eux faire fais fait faites faut ici
    il ils j je l la le les leur leurs lui m ma mais me merci mes moi mon n ne ni non nos notre nous o on ont
    ou oui par pas peu peut peuvent peux plus pour pourquoi pouvez pro puis qu quand que quel quelle quelles
    quels qui quoi s sa sans se ses si sil sont sous stp suis sur svp t ta te tes toi ton tous tout toute
    toutes tres tu un une vers veux vos votre voudrais vous y
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

_MOT = re.compile(r"[a-z0-9]+")

# Longest first within a family, so "ements" goes before "ement" and "es" before "s".
_SUFFIXES = (
    "issements",
    "issement",
    "ications",
    "ication",
    "ations",
    "ation",
    "atrices",
    "atrice",
    "ateurs",
    "ateur",
    "ements",
    "ement",
    "ments",
    "ment",
    "euses",
    "euse",
    "eux",
    "ions",
    "ion",
    "ees",
    "ee",
    "es",
    "er",
    "ez",
    "e",
    "s",
    "x",
)


def sans_accents(texte):
    """Lower case, no diacritics, ligatures spelled out: « Œuvre Déposée » → « oeuvre deposee »."""
    texte = (texte or "").lower().replace("œ", "oe").replace("æ", "ae")
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c))


def mots(texte):
    """The question's meaningful words, unaccented, in order, without repeats."""
    vus = []
    for mot in _MOT.findall(sans_accents(texte)):
        if mot not in MOTS_VIDES and mot not in vus:
            vus.append(mot)
    return vus


def racine(mot):
    """A light French stemmer: plural marks and common derivation suffixes, keeping at least three letters."""
    if len(mot) <= 3 or mot.isdigit():
        return mot
    for suffixe in _SUFFIXES:
        if mot.endswith(suffixe) and len(mot) - len(suffixe) >= 3:
            mot = mot[: -len(suffixe)]
            break
    # verbs in -ier: « modifier », « modifié » and « modification » share « modif »
    return mot[:-1] if mot.endswith("i") and len(mot) > 4 else mot


def racines(texte):
    return [racine(m) for m in _MOT.findall(sans_accents(texte)) if m not in MOTS_VIDES]


# The weight of a word found in each part of an article (PostgreSQL's A, B and C weights play the same role).
POIDS_TITRE = 1.0
POIDS_MOTS_CLES = 0.6
POIDS_CORPS = 0.25


@dataclass(frozen=True)
class Index:
    """One article's stems per part, computed once per version of the article."""

    titre: frozenset
    mots_cles: frozenset
    corps: dict  # stem → occurrences

    @classmethod
    def de(cls, article):
        corps = {}
        for r in racines(article.corps) + racines(article.resume):
            corps[r] = corps.get(r, 0) + 1
        return cls(frozenset(racines(article.titre)), frozenset(racines(article.mots_cles)), corps)

    def contient(self, r):
        return r in self.titre or r in self.mots_cles or r in self.corps

    def poids(self, r):
        if r in self.titre:
            return POIDS_TITRE
        if r in self.mots_cles:
            return POIDS_MOTS_CLES
        if r in self.corps:
            # a subject an article develops says it more than once, with diminishing returns
            return POIDS_CORPS * (1 + 0.2 * min(self.corps[r] - 1, 3))
        return 0.0


_CACHE = {}


def _index(article):
    cle = (article.pk, article.modifie_le)
    if cle not in _CACHE:
        if len(_CACHE) > 500:
            _CACHE.clear()
        _CACHE[cle] = Index.de(article)
    return _CACHE[cle]


def classer(question, articles, limite):
    """The articles that share a word with the question, best first (ties keep the articles' order)."""
    termes = list(dict.fromkeys(racine(m) for m in mots(question)))
    if not termes:
        return []
    index = [(a, _index(a)) for a in articles]
    total = len(index)
    frequences = {t: sum(1 for _, idx in index if idx.contient(t)) for t in termes}
    scores = []
    for rang, (article, idx) in enumerate(index):
        score = 0.0
        for terme in termes:
            poids = idx.poids(terme)
            if poids:
                score += poids * math.log(1 + total / frequences[terme])
        if score > 0:
            scores.append((-score, rang, article))
    scores.sort(key=lambda s: (s[0], s[1]))
    return [article for _, _, article in scores[:limite]]
