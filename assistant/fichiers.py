"""The knowledge base's articles, kept as Markdown files (assistant/articles/<slug>.md) and loaded into the database.

Each file opens with a front matter of `champ: valeur` lines between two `---` lines (the model's fields: slug, titre,
theme, ordre, resume, mots_cles, source, lien_url, lien_libelle; `publie: non` keeps an article out of the answers),
then the article's text: paragraphs separated by a blank line, lines starting with "- " forming a list. The files are
written from the reference documents (release notes V3.0.1, V3.2.3 and V3.9.11, the training deck « La facturation
électronique avec Chorus Pro », the Communauté Chorus Pro newsletters); `mots_cles` holds the words users type for
the subject, including those the text does not use.

`assistant.services.articles_charger`, run by `manage.py charger_articles` (`make run`'s setup, the demo load, a
deployment after migrate), adds the new articles and updates the changed ones: edit a file, run it again.
"""

from pathlib import Path

from assistant.enums import Theme

DOSSIER = Path(__file__).resolve().parent / "articles"
CHAMPS = ("slug", "titre", "theme", "ordre", "resume", "mots_cles", "source", "lien_url", "lien_libelle", "publie")
OBLIGATOIRES = ("slug", "titre", "theme", "ordre", "resume")
OUI_NON = {"oui": True, "non": False}


class ArticleInvalide(ValueError):
    pass


def lire_article(chemin: Path) -> dict:
    """The model's fields of one Markdown file; a malformed file is refused with its name and the reason."""
    texte = chemin.read_text(encoding="utf-8")
    debut, separateur, reste = texte.partition("\n---\n")
    if not debut.startswith("---\n") or not separateur:
        raise ArticleInvalide(f"{chemin.name} : l'en-tête entre deux lignes « --- » manque.")
    champs: dict = {}
    for ligne in debut.removeprefix("---\n").splitlines():
        cle, deux_points, valeur = ligne.partition(":")
        cle = cle.strip()
        if not deux_points or cle not in CHAMPS:
            raise ArticleInvalide(f"{chemin.name} : ligne d'en-tête inconnue « {ligne} ».")
        champs[cle] = valeur.strip()
    manquants = [cle for cle in OBLIGATOIRES if not champs.get(cle)]
    if manquants:
        raise ArticleInvalide(f"{chemin.name} : champs manquants : {', '.join(manquants)}.")
    # the file is named after the slug, so that the folder's listing finds an article by its address
    if champs["slug"] != chemin.stem:
        raise ArticleInvalide(f"{chemin.name} : le fichier doit s'appeler {champs['slug']}.md.")
    if champs["theme"] not in Theme.values:
        raise ArticleInvalide(f"{chemin.name} : thème inconnu « {champs['theme']} ».")
    if champs.get("publie", "oui") not in OUI_NON:
        raise ArticleInvalide(f"{chemin.name} : publie vaut « oui » ou « non ».")
    champs["ordre"] = int(champs["ordre"])
    champs["publie"] = OUI_NON[champs.get("publie", "oui")]
    for cle in ("mots_cles", "source", "lien_url", "lien_libelle"):
        champs.setdefault(cle, "")
    champs["corps"] = reste.strip("\n")
    return champs


def lire_articles(dossier: Path = DOSSIER) -> list[dict]:
    """Every article of the folder, in the knowledge base's order."""
    return sorted((lire_article(chemin) for chemin in dossier.glob("*.md")), key=lambda a: (a["ordre"], a["slug"]))
