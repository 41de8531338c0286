"""The apps' layers (docs/architecture.md, « Dependencies point one way »): an app imports only the apps below it,
at the top of a module or inside a function alike, so that no rule reaches a lower domain through a detour and no
import cycle comes back. Read from the source (ast), without importing anything."""

import ast
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]

# lowest first: each app may import those before it in this list, never one after it
COUCHES = [
    "chorus",
    "exports",
    "communication",
    "organisation",
    "engagements",
    "facturation",
    "travaux",
    "support",
    "assistant",
    "raccordement",
    "demo",
]
# (module, app it imports): the one exception, and why
EXCEPTIONS = {
    # the header's menus are drawn for every page from the user's profiles (organisation.habilitations.ouvertures),
    # and every app's pages use the header
    ("chorus/menus.py", "organisation"),
}


def _imports(chemin):
    for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.Import):
            yield from (alias.name.split(".")[0] for alias in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.level == 0 and noeud.module:
            yield noeud.module.split(".")[0]


def _violations():
    for rang, app in enumerate(COUCHES):
        au_dessus = set(COUCHES[rang + 1 :])
        for chemin in sorted((RACINE / app).rglob("*.py")):
            if "migrations" in chemin.parts:
                continue
            module = chemin.relative_to(RACINE).as_posix()
            for importee in _imports(chemin):
                if importee in au_dessus and (module, importee) not in EXCEPTIONS:
                    yield f"{module} importe {importee}, une couche au-dessus de {app}"


def test_chaque_app_n_importe_que_les_couches_en_dessous():
    assert list(_violations()) == []


def test_chaque_app_du_projet_a_sa_couche():
    """A new app is placed in the layers, or its imports would go unchecked."""
    from django.conf import settings

    apps = {chemin.parent.name for chemin in RACINE.glob("*/apps.py")}
    assert apps == set(COUCHES)
    assert {app for app in settings.INSTALLED_APPS if app in apps} == apps


def test_une_importation_dans_une_fonction_est_lue(tmp_path):
    """The check reads function-level imports too: the demo loader's old place imported every domain that way."""
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from facturation.matelas import charger_factures\n", encoding="utf-8")
    assert list(_imports(module)) == ["facturation"]
