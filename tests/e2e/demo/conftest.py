"""The journey suite: the demo served by `make run` itself, walked in Chromium as its users would.

One demo server for the whole session, started by the command the README gives (`make run`) in its own process
group, with its own var/ (mailbox, matelas.csv, SQLite file, filesystem broker), its own PostgreSQL database when
the tests run on PostgreSQL, and its own Redis db when they run on Redis. The tests speak to it over HTTP only, like
a user: no pytest-django database, no ORM. Each journey uses demo objects of its own, so that the journeys of one
session do not step on each other and each module passes alone.

Every page a journey opens is checked: no console error, no uncaught exception, no CSP violation, no axe violation.
"""

import base64
import contextlib
import csv
import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations

ICI = Path(__file__).resolve().parent
RACINE = ICI.parents[2]
BASE_DEMO_PG = "chorus_demo_parcours"
DB_REDIS_DEMO = 8
# `make run` on a fresh var/ collects and compresses the static files (about a minute), migrates and loads the demo
# data: three minutes on a quiet machine, far more when both cores are busy (the CI's other pass, a bench). A demo
# that does not start at all still fails, with its log, once this is spent.
DEMARRAGE_MAX_SECONDES = 600
# The static files `make run` collected and compressed in the last session's var/ (about 45 s of CPU: the DSFR
# compressed by WhiteNoise), kept for the next session's fresh var/. Copied with their times, so the Makefile's rule
# still collects again when a static file or the venv is newer, as it does for a user's var/ (issue #17).
STATIQUES_GARDES = RACINE / "var" / "test" / "demo-static"

# What the settings read from the environment (and what pytest-django's test settings put there): the demo server
# gets none of it from the test process, as `make run` typed in a fresh shell would not.
VARIABLES_DU_PROCESSUS_DE_TEST = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "CHORUS_VAR_DIR",
    "MAIL_DIR",
    "EDI_DEPOT_DIR",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "CELERY_QUEUE_DIR",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_BACKEND",
    "URL_PORTAIL",
    "WEBAUTHN_ORIGINS",
    "WEBAUTHN_RP_ID",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    # pytest-xdist's, read by chorus/settings/test.py only: the demo is no test worker
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_WORKER_COUNT",
    "PYTEST_XDIST_TESTRUNUID",
}


def _port_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _url_de_la_base_des_tests():
    from django.conf import settings

    base = settings.DATABASES["default"]
    if base["ENGINE"].endswith("postgresql"):
        return os.environ.get("DATABASE_URL") or (
            f"postgres://{base['USER']}:{base.get('PASSWORD', '')}@{base['HOST']}:{base.get('PORT') or 5432}/"
            f"{base['NAME']}"
        )
    return None


def _url_de_la_base(url, nom):
    morceaux = urlsplit(url)
    return urlunsplit((morceaux.scheme, morceaux.netloc, f"/{nom}", morceaux.query, ""))


def _recreer_base_pg(url_tests, nom, supprimer_seulement=False):
    import psycopg

    with psycopg.connect(_url_de_la_base(url_tests, "postgres"), autocommit=True) as connexion:
        connexion.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')
        if not supprimer_seulement:
            connexion.execute(f'CREATE DATABASE "{nom}"')


def _broker_redis_de_la_demo():
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis"):
        return None
    morceaux = urlsplit(url)
    url_demo = urlunsplit((morceaux.scheme, morceaux.netloc, f"/{DB_REDIS_DEMO}", morceaux.query, ""))
    import redis

    redis.Redis.from_url(url_demo).flushdb()
    return url_demo


def _repond(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as reponse:  # noqa: S310 — the demo server's http:// address
            return reponse.status < 500
    except urllib.error.HTTPError as erreur:
        return erreur.code < 500
    except OSError:
        return False


@dataclass
class Demo:
    """The served demo: its address, its var/ directory and the accounts of its matelas.csv."""

    url: str
    var: Path
    comptes: list = field(default_factory=list)
    base_pg: str | None = None

    def reponse_du_captcha(self, cle):
        """What the CAPTCHA of key `cle` asks to type.

        The demo server is no test server: its CAPTCHA is a real one, and a test cannot read an image honestly.
        django-simple-captcha keeps each challenge's answer in the captcha_captchastore table; the test reads it
        from the demo's database, as an audio CAPTCHA's listener would hear it.
        """
        requete = "SELECT response FROM captcha_captchastore WHERE hashkey = %s"
        if self.base_pg:
            import psycopg

            with psycopg.connect(self.base_pg) as connexion:
                ligne = connexion.execute(requete, (cle,)).fetchone()
        else:
            with sqlite3.connect(self.var / "chorus.sqlite3") as connexion:
                ligne = connexion.execute(requete.replace("%s", "?"), (cle,)).fetchone()
        assert ligne, f"aucun CAPTCHA de clé {cle}"
        return ligne[0]

    def compte(self, role, numero=0):
        """The matelas row of a role (« Fournisseur », « compte technique »…), the n-th when there are several."""
        lignes = [ligne for ligne in self.comptes if ligne["role"].startswith(role)]
        assert lignes, f"aucun compte « {role} » dans matelas.csv : {[ligne['role'] for ligne in self.comptes]}"
        return lignes[numero]

    def appeler_api(self, chemin, corps):
        """POST `corps` to the API service `chemin` (« factures/v1/… ») with matelas.csv's client API and the
        supplier's technical account, over HTTP as a client would (curl): a token first, then the call."""
        client, technique = self.compte("client API"), self.compte("compte technique")
        jeton = curl(
            *("-d", "grant_type=client_credentials"),
            *("-d", f"client_id={client['login']}", "-d", f"client_secret={client['mot_de_passe']}"),
            f"{self.url}/api/oauth/token",
        )
        assert jeton.get("access_token"), jeton
        cpro_account = base64.b64encode(f"{technique['login']}:{technique['mot_de_passe']}".encode()).decode()
        return curl(
            *("-H", f"Authorization: Bearer {jeton['access_token']}", "-H", f"cpro-account: {cpro_account}"),
            *("-H", "Content-Type: application/json", "-d", json.dumps(corps)),
            f"{self.url}/cpro/{chemin}",
        )

    def courriels(self, adresse=None):
        """The mails of the demo mailbox (its .eml files), newest first, optionally those sent to one address."""
        dossier = self.var / "mail"
        messages = []
        for chemin in sorted(dossier.glob("*.eml"), reverse=True) if dossier.is_dir() else []:
            brut = email.message_from_bytes(chemin.read_bytes(), policy=email.policy.default)
            if adresse and adresse.lower() not in str(brut["To"]).lower():
                continue
            corps = brut.get_body(preferencelist=("plain",))
            messages.append((chemin.name, str(brut["Subject"]), corps.get_content() if corps else ""))
        return messages

    def attendre_courriel(self, adresse, deja_vus=(), objet="", delai=30):
        """The newest mail to `adresse` not among `deja_vus` (file names): the worker sends mails a moment later."""
        fin = time.monotonic() + delai
        while time.monotonic() < fin:
            for nom, sujet, corps in self.courriels(adresse):
                if nom not in deja_vus and objet in sujet:
                    return sujet, corps
            time.sleep(0.3)
        recus = self.courriels()[:5]
        raise AssertionError(f"aucun nouveau courriel « {objet} » pour {adresse} en {delai} s : {recus}")


def curl(*arguments):
    resultat = subprocess.run(["curl", "-sS", *arguments], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(resultat.stdout)


def _arreter_le_groupe(processus, delai=20):
    """SIGTERM to the process group, then SIGKILL to whatever still runs after `delai` seconds."""
    groupe = processus.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(groupe, signal.SIGTERM)
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        processus.poll()
        try:
            os.killpg(groupe, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(groupe, signal.SIGKILL)
    processus.wait()


def _lire_matelas(chemin):
    with open(chemin, encoding="utf-8") as fichier:
        return list(csv.DictReader(fichier))


def _garder_les_statiques(statiques):
    """The served demo's collected files into STATIQUES_GARDES, swapped in whole (a session never reads half)."""
    manifeste, garde = statiques / "staticfiles.json", STATIQUES_GARDES / "staticfiles.json"
    if not manifeste.is_file() or (garde.is_file() and garde.stat().st_mtime_ns == manifeste.stat().st_mtime_ns):
        return  # nothing collected, or `make run` used the kept copy as it was
    STATIQUES_GARDES.parent.mkdir(parents=True, exist_ok=True)
    provisoire = Path(tempfile.mkdtemp(prefix="demo-static-", dir=STATIQUES_GARDES.parent))
    shutil.copytree(statiques, provisoire / "static")
    ancien = STATIQUES_GARDES.with_name(provisoire.name + "-ancien")
    with contextlib.suppress(FileNotFoundError):
        STATIQUES_GARDES.rename(ancien)
    (provisoire / "static").rename(STATIQUES_GARDES)
    shutil.rmtree(ancien, ignore_errors=True)
    shutil.rmtree(provisoire, ignore_errors=True)


@pytest.fixture(scope="session")
def demo():
    """`make run` in a subprocess (its own process group), as a user starts the demo; stopped with the session.

    CHORUS_DEMO_URL and CHORUS_DEMO_VAR_DIR point the suite at a demo one already serves instead (to write a
    journey without waiting for a start each time); the journeys change its data, so restart it between runs.
    """
    if os.environ.get("CHORUS_DEMO_URL"):
        var = Path(os.environ["CHORUS_DEMO_VAR_DIR"])
        yield Demo(
            url=os.environ["CHORUS_DEMO_URL"],
            var=var,
            comptes=_lire_matelas(var / "matelas.csv"),
            base_pg=os.environ.get("CHORUS_DEMO_DATABASE_URL"),
        )
        return
    var = Path(tempfile.mkdtemp(prefix="chorus-demo-parcours-"))
    if (STATIQUES_GARDES / "staticfiles.json").is_file():
        shutil.copytree(STATIQUES_GARDES, var / "static")
    port = _port_libre()
    env = {nom: valeur for nom, valeur in os.environ.items() if nom not in VARIABLES_DU_PROCESSUS_DE_TEST}
    env.update(PORT=str(port), CHORUS_VAR_DIR=str(var), PYTHONUNBUFFERED="1")
    url_pg = _url_de_la_base_des_tests()
    if url_pg:
        _recreer_base_pg(url_pg, BASE_DEMO_PG)
        env["DATABASE_URL"] = _url_de_la_base(url_pg, BASE_DEMO_PG)
    broker = _broker_redis_de_la_demo()
    if broker:
        env["CELERY_BROKER_URL"] = broker
    journal = open(var / "make-run.log", "w+b")  # noqa: SIM115 (closed at teardown)
    processus = subprocess.Popen(
        ["make", "run"], cwd=RACINE, env=env, stdout=journal, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"

    def sortie():
        journal.flush()
        return (var / "make-run.log").read_text(errors="replace")[-6000:]

    try:
        fin = time.monotonic() + DEMARRAGE_MAX_SECONDES
        while not _repond(url + "/"):
            if processus.poll() is not None:
                pytest.fail(f"`make run` s'est arrêté (code {processus.returncode}) :\n{sortie()}")
            if time.monotonic() > fin:
                pytest.fail(f"la démo ne répond pas sur {url} après {DEMARRAGE_MAX_SECONDES} s :\n{sortie()}")
            time.sleep(1)
        _garder_les_statiques(var / "static")
        yield Demo(url=url, var=var, comptes=_lire_matelas(var / "matelas.csv"), base_pg=env.get("DATABASE_URL"))
    finally:
        # the whole group: make, bin/run, the runserver and its autoreloader child, the Celery worker
        _arreter_le_groupe(processus)
        journal.close()
        if url_pg:
            _recreer_base_pg(url_pg, BASE_DEMO_PG, supprimer_seulement=True)
        shutil.rmtree(var, ignore_errors=True)


# Chromium reports a CSP violation in the console, but the event also lands in window so nothing slips through.
SURVEILLANCE_CSP = """
window.__violationsCsp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const ou = `${e.sourceFile || ""}:${e.lineNumber || ""}`;
  const texte = `CSP ${e.violatedDirective} : ${e.blockedURI || "inline"} (${ou})`;
  window.__violationsCsp.push(texte);
  console.error(texte);
});
"""


class PageSurveillee:
    """A Playwright page whose every loaded page is checked before the journey acts on it again.

    The check runs when the journey next touches the page (any attribute: get_by_role, locator, goto…) after a
    « load » event, and once more at the end of the test: axe (WCAG 2.1 AA) once per address, and the console
    errors, uncaught exceptions and CSP violations gathered meanwhile. The journey fails at the first one.
    """

    def __init__(self, page, demo):
        self.__dict__.update(brut=page, demo=demo, _charge=False, _vues=set(), erreurs=[], _signalees=0)
        page.set_default_timeout(20_000)
        page.add_init_script(SURVEILLANCE_CSP)
        page.on("load", self._sur_chargement)
        page.on("console", self._sur_console)
        page.on("pageerror", lambda erreur: self.erreurs.append(f"exception JavaScript : {erreur}"))

    def _sur_chargement(self, _page):
        self.__dict__["_charge"] = True

    def _sur_console(self, message):
        # a form sent back with its errors answers 400: Chromium logs the document's status, which is no script error
        document = message.location.get("url", "") == self.brut.url
        if message.type == "error" and not (document and message.text.startswith("Failed to load resource")):
            self.erreurs.append(f"console : {message.text} ({message.location.get('url', '')})")

    def verifier(self):
        page = self.brut
        if self._charge:
            self.__dict__["_charge"] = False
            adresse = page.url
            if adresse.startswith(self.demo.url) and adresse not in self._vues:
                self._vues.add(adresse)
                try:
                    trouvees = violations(page)
                except PlaywrightError:
                    trouvees = []  # the page was already leaving: the next one is checked
                assert trouvees == [], f"axe sur {adresse} :\n" + "\n".join(trouvees)
        if len(self.erreurs) > self._signalees:
            nouvelles = self.erreurs[self._signalees :]
            self.__dict__["_signalees"] = len(self.erreurs)
            raise AssertionError(f"erreurs dans le navigateur ({page.url}) :\n" + "\n".join(nouvelles))

    def bilan(self):
        """End of the journey: the last page loaded is checked too (its load event may still be on its way)."""
        with contextlib.suppress(PlaywrightError):
            self.brut.wait_for_load_state("load", timeout=5_000)
        self.__dict__["_charge"] = True
        self.verifier()

    def __getattr__(self, nom):
        self.verifier()
        return getattr(self.brut, nom)

    def __setattr__(self, nom, valeur):
        setattr(self.brut, nom, valeur)


@pytest.fixture
def page(page, demo):
    return PageSurveillee(page, demo)


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    # in the call phase, not at teardown: a journey marked xfail stays « expected to fail », not « error »
    resultat = yield
    surveillee = pyfuncitem.funcargs.get("page")
    if isinstance(surveillee, PageSurveillee):
        surveillee.bilan()
    return resultat


# --- what a user does in every journey -----------------------------------------------------------------------------


def ouvrir_accueil(page, demo):
    """The only address typed: the portal's home page."""
    page.goto(demo.url + "/")
    expect(page.locator("header").first).to_be_visible()


OBJET_CODE_CONNEXION = "service d'authentification – votre code"


def se_connecter(page, demo, role, code=None, fermer=True):
    """The real two-step login: login and password of matelas.csv, then the code of the newest mail to that
    address (or the code given, e.g. a TOTP application's); closes the panels that greet a login."""
    compte = demo.compte(role) if isinstance(role, str) else role
    ouvrir_accueil(page, demo)
    deconnexion = page.get_by_role("button", name="Se déconnecter")
    if deconnexion.count():
        deconnexion.first.click()
        expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()
    deja_vus = {nom for nom, _sujet, _corps in demo.courriels(compte["login"])}
    page.get_by_role("link", name="Se connecter").first.click()
    expect(page.get_by_role("heading", name="Se connecter", level=1)).to_be_visible()
    page.get_by_label("Adresse électronique de connexion").fill(compte["login"])
    page.get_by_label("Mot de passe").fill(compte["mot_de_passe"])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Code de sécurité")).to_be_visible()
    if code is None:
        # by its subject: the worker may send this user another mail meanwhile (the demo's invoices go on living)
        _sujet, corps = demo.attendre_courriel(compte["login"], deja_vus, objet=OBJET_CODE_CONNEXION)
        code = re.search(r"^\s*(\d{6})\s*$", corps, re.MULTILINE).group(1)
    page.get_by_label("Code de sécurité").fill(code() if callable(code) else code)
    page.get_by_role("button", name="Valider").click()
    # by its id: at 390 px the header's tools are only in the menu, hidden from the accessibility tree until opened
    expect(page.locator("#utilisateur-connecte").first).to_be_attached()
    if fermer:
        fermer_fenetres_de_connexion(page)


def fermer_fenetres_de_connexion(page):
    """The rejections window and the first-login panel: closed, not acknowledged (another journey reads them)."""
    modale = page.locator("#modale-rejets")
    if modale.count():
        # the server writes it into the page; the DSFR opens it a moment after the load
        expect(modale).to_be_visible()
        modale.get_by_role("button", name="Fermer", exact=True).click()
        expect(modale).to_be_hidden()
    panneau = page.locator("#premiere-connexion")
    if panneau.count() and panneau.is_visible():
        panneau.get_by_role("button", name="Fermer", exact=True).click()


def menu(page, rubrique, lien):
    """Main menu: open a section, follow one of its links."""
    navigation = page.get_by_role("navigation", name="Menu principal")
    navigation.get_by_role("button", name=rubrique, exact=False).first.click()
    navigation.get_by_role("link", name=lien, exact=isinstance(lien, str)).first.click()


def resoudre_captcha(page, demo):
    cle = page.locator("input[name='captcha_0']").input_value()
    page.get_by_label("Reproduire la suite de caractères").fill(demo.reponse_du_captcha(cle))


def ouvrir_boite_mail(page):
    """The demo mailbox, from the footer link every page carries."""
    page.get_by_role("contentinfo").get_by_role("link", name="Boîte mail de démonstration").click()
    expect(page.get_by_role("heading", name="Boîte mail de démonstration", level=1)).to_be_visible()
