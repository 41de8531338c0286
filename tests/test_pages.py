import csv
import io

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
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
    page = client.get(reverse("boite_mail")).content.decode()
    assert "Votre code &lt;b&gt;" in page  # escaped
    assert "123456" in page and "camille@exemple.fr" in page


def test_boite_mail_et_matelas_n_existent_pas_hors_demo(client, db, settings):
    settings.DEMO = False
    assert client.get(reverse("boite_mail")).status_code == 404
    assert client.get(reverse("organisation:matelas")).status_code == 404


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
    ]
    # 6 demo structures, plus the 3 of the FNFE examples (facturation.matelas.STRUCTURES_FNFE, no user)
    assert Utilisateur.objects.count() == 7 and Structure.objects.count() == 6 + 3
    for ligne in lignes:
        utilisateur = Utilisateur.objects.get(email=ligne["login"])
        assert utilisateur.is_active and utilisateur.check_password(ligne["mot_de_passe"])
        if ligne["identifiant"]:
            structure = Structure.objects.get(identifiant=ligne["identifiant"])
            assert structure.statut == StatutStructure.ACTIVE
            assert structure.rattachements.get().utilisateur == utilisateur
    assert Structure.objects.filter(est_publique=True).count() == 2 + 2  # the two FNFE buyers
    assert "fournisseur@demo.chorus-pro.example" in sortie.getvalue()
    reponse = client.get(reverse("organisation:matelas"))
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
