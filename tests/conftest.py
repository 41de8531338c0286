import io
import json
import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from organisation.middleware import CLE_CONNECTE_LE
from organisation.services.second_facteur import appareil_code_courriel
from tests.factories import UtilisateurFactory

# Playwright's sync API runs an event loop in the main thread; the ORM calls of a browser test are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The acceptance corpus and the Chorus Pro reference sit next to the repository (../shared) on the project's machines,
# not in a clone of it. Tests reach them through these names: a test that needs what is absent skips, saying so.
PARTAGE = Path(__file__).resolve().parents[1].parent / "shared"
REFERENCE = PARTAGE / "reference"
CORPUS_PARTAGE = PARTAGE / "corpus"
# Without the shared corpus, the project's own few files (tests/corpus/README.md): same layout, same MANIFEST.tsv
# columns, so the flux pipeline's acceptance and refusal tests still run.
CORPUS_PROPRE = Path(__file__).resolve().parent / "corpus"
CORPUS_COMPLET = (CORPUS_PARTAGE / "MANIFEST.tsv").is_file()
CORPUS = CORPUS_PARTAGE if CORPUS_COMPLET else CORPUS_PROPRE


def partage_requis(chemin):
    """`chemin` (under ../shared or the corpus) if it exists; otherwise the test is skipped with the reason."""
    if not Path(chemin).exists():
        pytest.skip(f"{chemin} absent : ../shared (corpus et référence partagés) n'est pas à côté du dépôt")
    return chemin


def corpus_complet_requis():
    """For the tests about the whole shared corpus (its manifest, every file of a source), not a sample of it."""
    if not CORPUS_COMPLET:
        pytest.skip(f"corpus partagé absent ({CORPUS_PARTAGE}) : ce test porte sur le corpus entier")


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The DSFR drops its transitions under reduced motion: axe then never checks a modal halfway through fading in.
    return {**browser_context_args, "reduced_motion": "reduce"}


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings, django_db_blocker):
    """Under several xdist workers, each worker's test database is a copy of one migrated for the run
    (tests/base_modele.py): pytest-django is told to keep what exists (its migrate then has nothing to do), and the
    copy is dropped at the end as it would have dropped its own. --reuse-db keeps its meaning."""
    from tests import base_modele

    if request.config.getvalue("reuse_db") or request.config.getvalue("create_db") or not base_modele.en_parallele():
        yield request.config.getvalue("reuse_db")
        return
    with django_db_blocker.unblock():
        base_modele.preparer_les_bases(Path(os.environ["CHORUS_VAR_DIR"]).parent)
    yield True
    with django_db_blocker.unblock():
        base_modele.supprimer_les_bases()


@pytest.fixture(autouse=True)
def _dossiers_isoles(settings, tmp_path):
    settings.MAIL_DIR = tmp_path / "mail"
    settings.VAR_DIR = tmp_path


@pytest.fixture(autouse=True)
def _cache_vide():
    # the cache is a file cache shared by processes (throttles, lock-outs): no test inherits another's counts
    cache.clear()


MOT_DE_PASSE = "Un-mot-de-passe-solide-2026"


def demo_du_module(django_db_blocker, dossier):
    """For a module-scoped fixture: the demo data set (`manage.py charger_matelas`, about 11 s of CPU on SQLite)
    loaded once in a transaction rolled back after the module's last test. Each test's own transaction is a
    savepoint inside it, so one test's writes are undone before the next, as when each test loaded it (issue #17).
    Its media and mails go to `dossier`. Not for transactional tests (theirs would commit and flush it)."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=dossier / "media", MAIL_DIR=dossier / "mail", VAR_DIR=dossier),
        transaction.atomic(),
    ):
        call_command("charger_matelas", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def utilisateur(db):
    return UtilisateurFactory(password=MOT_DE_PASSE)


def connecter(client, user):
    """A session as after a full login (password and second factor), without going through the pages."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = appareil_code_courriel(user).persistent_id
    session[CLE_CONNECTE_LE] = timezone.now().isoformat()
    session.save()
    return client


def code_du_courriel(message):
    return re.search(r"^\s*(\d{6})\s*$", message.body, re.MULTILINE).group(1)


def lien_du_courriel(message):
    """The path of the first portal link in a mail (its host is settings.URL_PORTAIL)."""
    url = re.search(r"https?://\S+", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def pytest_report_header(config):
    from django.conf import settings

    return (
        f"base de données : {settings.DATABASES['default']['ENGINE']} ; "
        f"broker Celery : {settings.CELERY_BROKER_URL.split('@')[-1]}"
    )


# The reliability suite's books (tests/fiabilite/livres.py) are counted where its tests run: under pytest-xdist, in
# the workers. Each worker hands its figures to the controller, which prints them all in its terminal summary. Here
# and not in tests/fiabilite/conftest.py: the xdist controller collects nothing, so it never loads that one.
def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):
        from tests.fiabilite.livres import RELEVES

        session.config.workeroutput["releves_fiabilite"] = json.dumps(RELEVES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from tests.fiabilite.livres import RELEVES

    RELEVES.extend(
        tuple(releve) for releve in json.loads(getattr(node, "workeroutput", {}).get("releves_fiabilite", "[]"))
    )


def pytest_terminal_summary(terminalreporter):
    from tests.fiabilite.livres import RELEVES

    if not RELEVES:
        return
    terminalreporter.section("fiabilité : les livres")
    for nom, figures in RELEVES:
        terminalreporter.write_line(f"{nom} : " + " ; ".join(f"{cle} {valeur}" for cle, valeur in figures.items()))
