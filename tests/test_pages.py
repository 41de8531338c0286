import csv
import io
import json
import os
import subprocess
import sys

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from chorus.mail import BoiteFichiersBackend
from organisation.enums import StatutStructure
from organisation.models import Structure, Utilisateur
from support.notes import NOTES_DE_VERSION
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory


def test_accueil_anonyme(client, db, settings):
    page = client.get("/").content.decode()
    assert "Bienvenue sur le Portail Chorus Pro" in page
    for domaine in ["Marché", "Commande", "Facturation", "Organisation", "Raccordement", "Outils"]:
        assert f'<h3 class="fr-card__title">{domaine}</h3>' in page
    assert page.count("Connexion requise") == 6
    assert "Créer un compte" in page and "Se connecter" in page
    assert "SUPPORT" in page and "COMMUNICATION" in page
    assert f"Version {settings.VERSION}" in page
    assert 'href="/notes-de-version/"' in page
    assert 'href="#content"' in page  # skip link


def test_premiere_connexion_sans_structure_affiche_le_panneau(client, utilisateur):
    connecter(client, utilisateur)
    page = client.get("/").content.decode()
    assert "Félicitations ! Votre compte utilisateur est créé." in page
    assert reverse("organisation:creer_structure") in page
    assert "Demander un rattachement à une structure" in page
    for url in [reverse("organisation:creer_structure"), reverse("organisation:demander_rattachement")]:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("qui", ["rattache", "agent"])
def test_pas_de_panneau_pour_un_utilisateur_rattache_ou_un_agent(client, db, qui):
    utilisateur = UtilisateurFactory(est_agent_support=qui == "agent")
    if qui == "rattache":
        StructureFactory(gestionnaire=utilisateur)
    connecter(client, utilisateur)
    assert "Félicitations" not in client.get("/").content.decode()


@pytest.mark.parametrize("url, budget", [("/", 9), ("/mon-compte/", 9), ("/mon-compte/facteurs/", 9)])
def test_nombre_de_requetes_fixe_quel_que_soit_le_nombre_de_structures(
    client, utilisateur, django_assert_max_num_queries, url, budget
):
    StructureFactory(gestionnaire=utilisateur)
    connecter(client, utilisateur)
    client.get(url)  # the first request writes the session's activity time
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
    for _ in range(10):
        StructureFactory(gestionnaire=utilisateur)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_notes_de_version_et_accessibilite(client, db, settings):
    page = client.get(reverse("support:notes_de_version")).content.decode()
    assert "Version 0.1.0" in page
    # the newest note is the version the footer shows (VERSION, the one place it is written)
    assert NOTES_DE_VERSION[0]["version"] == settings.VERSION
    assert page.index(f"Version {settings.VERSION}") < page.index("Version 0.1.0")
    assert "partiellement conforme" in client.get(reverse("accessibilite")).content.decode()


def test_boite_mail_de_demonstration(client, db, settings, tmp_path):
    BoiteFichiersBackend().send_messages(
        [EmailMessage("Votre code <b>", "Code : 123456", "a@exemple.fr", ["camille@exemple.fr"])]
    )
    page = client.get(reverse("demo:boite_mail")).content.decode()
    assert "Votre code &lt;b&gt;" in page  # escaped
    assert "123456" in page and "camille@exemple.fr" in page


def test_boite_mail_et_matelas_n_existent_pas_hors_demo(client, db, settings):
    settings.DEMO = False
    assert client.get(reverse("demo:boite_mail")).status_code == 404
    assert client.get(reverse("demo:matelas")).status_code == 404


def test_le_matelas_cree_les_comptes_et_leur_table(client, db, settings):
    sortie = io.StringIO()
    call_command("charger_matelas", stdout=sortie)
    call_command("charger_matelas", stdout=io.StringIO())  # idempotent
    lignes = list(csv.DictReader((settings.VAR_DIR / "matelas.csv").open(encoding="utf-8")))
    assert list(lignes[0]) == ["role", "structure", "identifiant", "login", "mot_de_passe"]
    # the technical accounts and the API client (issue #6) are checked in tests/raccordement/test_comptes_matelas.py
    lignes = [ligne for ligne in lignes if ligne["role"] not in ("compte technique", "client API")]
    roles = [ligne["role"] for ligne in lignes]
    assert roles == [
        "Fournisseur",
        "Entité publique (destinataire)",
        "Maître d'œuvre (MOE)",
        "Maître d'ouvrage (MOA)",
        "Cotraitant",
        "Sous-traitant",
        "Agent du support",
        "Fournisseur des exemples FNFE (corpus Factur-X)",
    ]
    # 6 demo structures, plus the 3 of the FNFE examples (facturation.matelas.STRUCTURES_FNFE; the seller has a user
    # for the API deposits of issue #13)
    assert Utilisateur.objects.count() == 8 and Structure.objects.count() == 6 + 3
    for ligne in lignes:
        utilisateur = Utilisateur.objects.get(email=ligne["login"])
        assert utilisateur.is_active and utilisateur.check_password(ligne["mot_de_passe"])
        if ligne["identifiant"]:
            structure = Structure.objects.get(identifiant=ligne["identifiant"])
            assert structure.statut == StatutStructure.ACTIVE
            assert structure.rattachements.get().utilisateur == utilisateur
    assert Structure.objects.filter(est_publique=True).count() == 2 + 2  # the two FNFE buyers
    assert "fournisseur@demo.chorus-pro.example" in sortie.getvalue()
    reponse = client.get(reverse("demo:matelas"))
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content).decode().startswith("role,structure,identifiant,login,mot_de_passe")


def test_l_administration_passe_par_la_connexion_du_portail(client, db):
    reponse = client.get("/admin/login/?next=/admin/")
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("organisation:connexion"))
    assert client.get("/admin/").status_code == 302


def test_les_reponses_portent_une_politique_de_securite_du_contenu(client, db):
    entetes = client.get("/").headers
    assert "script-src 'self'" in entetes["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in entetes["Content-Security-Policy"]
    assert entetes["X-Content-Type-Options"] == "nosniff"
    assert entetes["X-Frame-Options"] == "DENY"


TITRES_ERREUR = {400: "Requête incorrecte", 403: "Accès refusé", 404: "Page non trouvée", 500: "Erreur inattendue"}


@pytest.fixture
def sans_debug(client, settings):
    """The demo's and production's configuration: no debug page, failures answered as a visitor sees them."""
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.urls_erreurs"
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("code", [400, 403, 404, 500])
def test_pages_d_erreur_dsfr_en_francais_sans_debug(sans_debug, db, code):
    reponse = sans_debug.get("/page-qui-n-existe-pas/" if code == 404 else f"/echec/{code}/")
    assert reponse.status_code == code
    page = reponse.content.decode()
    assert f"<h1>{TITRES_ERREUR[code]}</h1>" in page and f"Erreur {code}" in page
    assert f"<title>{TITRES_ERREUR[code]} — Chorus Pro</title>" in page
    assert '<a class="fr-btn" href="/">Page d\'accueil</a>' in page
    assert 'class="fr-header"' in page and 'id="footer"' in page
    # no debug page: neither the URL patterns nor Django's English
    for fuite in ["admin/", "URLconf", "Page not found", "Traceback", "Server Error"]:
        assert fuite not in page


def test_page_500_sans_base_de_donnees(db, django_assert_num_queries):
    from chorus.erreurs import erreur_serveur

    with django_assert_num_queries(0):
        reponse = erreur_serveur(RequestFactory().get("/factures/"))
    assert reponse.status_code == 500
    assert "<h1>Erreur inattendue</h1>" in reponse.content.decode()


def test_formulaire_expire_en_francais(client, db, settings):
    settings.DEBUG = False
    csrf = Client(enforce_csrf_checks=True)
    reponse = csrf.post(reverse("organisation:connexion"), {"username": "x", "password": "y"})
    assert reponse.status_code == 403
    page = reponse.content.decode()
    assert "<h1>Formulaire expiré</h1>" in page and 'href="/"' in page
    assert "CSRF verification failed" not in page


@pytest.mark.parametrize(
    "url, code, code_retour",
    [
        ("/cpro/service/inconnu", 404, 20003),
        ("/api/inconnu", 404, 20003),
        ("/cpro/echec/400/", 400, 20002),
        ("/cpro/echec/403/", 403, 20004),
        ("/cpro/echec/500/", 500, 20099),
    ],
)
def test_erreurs_de_l_api_dans_l_enveloppe_json(sans_debug, db, url, code, code_retour):
    reponse = sans_debug.get(url)
    assert reponse.status_code == code
    assert reponse["Content-Type"] == "application/json"
    corps = reponse.json()
    assert corps["codeRetour"] == code_retour and corps["libelle"]


@pytest.mark.parametrize("demo", [True, False])
def test_outils_de_demonstration_selon_le_reglage_demo_sans_debug(sans_debug, db, settings, demo):
    settings.DEMO = demo
    reponse = sans_debug.get(reverse("demo:boite_mail"))
    assert reponse.status_code == (200 if demo else 404)
    pied = sans_debug.get("/").content.decode()
    assert ("Boîte mail de démonstration" in pied) is demo
    assert ("Comptes de démonstration (matelas)" in pied) is demo


def _reglages(tmp_path, base_dir, **env):
    """The settings as a process started with this environment reads them (as bin/run or production starts one)."""
    script = (
        "import json; from chorus.settings import base as s; "
        "print(json.dumps([s.DEBUG, s.DEMO, s.SESSION_COOKIE_SECURE, s.STORAGES['staticfiles']['BACKEND']]))"
    )
    propre = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO", "COOKIES_SECURE", "SECRET_KEY"}}
    sortie = subprocess.run(
        [sys.executable, "-c", script],
        env={**propre, "CHORUS_VAR_DIR": str(tmp_path), **env},
        cwd=base_dir,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(sortie.stdout)


def test_la_demo_a_ses_outils_sans_debug_et_la_production_n_en_a_pas(tmp_path, settings):
    # the demo (bin/run): no debug, its own tools, cookies over plain http, static files the production way
    assert _reglages(tmp_path, settings.BASE_DIR, DEMO="1", COOKIES_SECURE="0", SECRET_KEY="k") == [
        False,
        True,
        False,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]
    # production: nothing of the demo, secure cookies
    assert _reglages(tmp_path, settings.BASE_DIR, SECRET_KEY="k")[:3] == [False, False, True]
