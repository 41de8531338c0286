"""The Raccordement pages (issue #6): the structure chooser, technical accounts (password shown once), API clients;
404 for a user of another structure, read-only for « Raccordement – consultation », fixed query counts."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.enums import Application, Niveau
from raccordement.models import ClientApi, CompteTechnique
from raccordement.services.clients_api import client_api_creer
from raccordement.services.comptes import authentifier_compte, compte_technique_creer
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory, rattacher
from tests.raccordement.outils_comptes import integrateur

pytestmark = pytest.mark.django_db


def _url(nom, structure, *args):
    return reverse(f"raccordement:{nom}", args=[structure.pk, *args])


def _texte(reponse):
    return re.sub(r"\s+", " ", html.unescape(reponse.content.decode()))


def test_accueil_liste_les_structures_raccordement_seulement(client):
    user, structure = integrateur()
    autre = StructureFactory(raison_sociale="Sans raccordement")
    rattacher(user, autre, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    compte_technique_creer(par=user, structure=structure)
    connecter(client, user)
    page = _texte(client.get(reverse("raccordement:accueil")))
    assert structure.raison_sociale in page and "Sans raccordement" not in page
    assert 'aria-label="1 compte technique de' in page

    sans = UtilisateurFactory()
    connecter(client, sans)
    assert "Aucune de vos structures ne vous donne le profil « Raccordement »" in _texte(
        client.get(reverse("raccordement:accueil"))
    )


def test_creer_un_compte_le_mot_de_passe_n_est_montre_qu_une_fois(client, settings):
    settings.MODIFICATIONS_DIFFEREES_DELAI = timedelta(minutes=30)
    user, structure = integrateur()
    connecter(client, user)
    assert client.get(_url("compte_technique_creer", structure)).status_code == 200
    reponse = client.post(_url("compte_technique_creer", structure), {"libelle": "ERP"})
    assert reponse.status_code == 302 and reponse.url == _url("comptes_techniques", structure)
    compte = CompteTechnique.objects.get()
    session_apres_post = str(dict(client.session))

    page = client.get(reponse.url)
    texte = _texte(page)
    mot_de_passe = re.search(r'id="secret-mot-de-passe">([^<]+)<', page.content.decode()).group(1)
    assert page["Cache-Control"] == "no-store"
    assert compte.login in texte and "n'est affiché qu'une fois" in texte
    actif = timezone.localtime(compte.actif_le)
    assert f"Utilisable à partir du {actif:%d/%m/%Y} à {actif:%H} h {actif:%M}" in texte
    CompteTechnique.objects.update(actif_le=timezone.now())
    assert authentifier_compte(compte.login, mot_de_passe) == compte
    # nothing in clear on the server: the session holds it encrypted, the key was in a cookie now erased
    assert mot_de_passe not in session_apres_post and "raccordement_secret_unique" in session_apres_post

    again = client.get(reponse.url).content.decode()
    assert mot_de_passe not in again and 'id="secret-mot-de-passe"' not in again


def test_renouveler_et_desactiver_avec_confirmation(client):
    user, structure = integrateur()
    compte, ancien = compte_technique_creer(par=user, structure=structure)
    connecter(client, user)
    confirmation = _texte(client.get(_url("compte_technique_renouveler", structure, compte.pk)))
    assert "L'ancien cesse aussitôt de fonctionner" in confirmation
    reponse = client.post(_url("compte_technique_renouveler", structure, compte.pk))
    page = client.get(reponse.url).content.decode()
    nouveau = re.search(r'id="secret-mot-de-passe">([^<]+)<', page).group(1)
    assert nouveau != ancien and "Compte technique renouvelé" in page

    assert "Une désactivation est définitive" in _texte(
        client.get(_url("compte_technique_desactiver", structure, compte.pk))
    )
    reponse = client.post(_url("compte_technique_desactiver", structure, compte.pk), follow=True)
    texte = _texte(reponse)
    assert f"Le compte technique {compte.login} est désactivé" in texte
    assert 'fr-badge--error">Désactivé' in texte
    # a second POST is told, not a crash
    reponse = client.post(_url("compte_technique_desactiver", structure, compte.pk), follow=True)
    assert "est déjà désactivé" in _texte(reponse)


def test_etats_filtre_tri_et_export(client):
    user, structure = integrateur()
    comptes = [compte_technique_creer(par=user, structure=structure, libelle=f"n{i}")[0] for i in range(4)]
    maintenant = timezone.now()
    CompteTechnique.objects.filter(pk=comptes[1].pk).update(actif_le=maintenant - timedelta(days=1))
    CompteTechnique.objects.filter(pk=comptes[2].pk).update(
        actif_le=maintenant - timedelta(days=400), mot_de_passe_expire_le=maintenant - timedelta(days=1)
    )
    CompteTechnique.objects.filter(pk=comptes[3].pk).update(desactive_le=maintenant)
    connecter(client, user)
    page = _texte(client.get(_url("comptes_techniques", structure)))
    for libelle in ("En attente", "Actif", "Mot de passe expiré", "Désactivé"):
        assert "fr-badge--no-icon fr-badge--" in page and f">{libelle}</p>" in page
    filtre = _texte(client.get(_url("comptes_techniques", structure), {"etat": "EXPIRE"}))
    assert comptes[2].login in filtre and comptes[1].login not in filtre and "1 compte technique." in filtre
    tri = client.get(_url("comptes_techniques", structure), {"tri": "login"}).content.decode()
    assert tri.index(comptes[0].login) < tri.index(comptes[3].login)
    assert 'aria-sort="ascending"' in tri

    export = client.get(_url("comptes_techniques_export", structure), {"format": "csv", "etat": "ACTIF"})
    lignes = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][:3] == ["Identifiant", "Libellé", "État"]
    assert [ligne[:3] for ligne in lignes[1:]] == [[comptes[1].login, "n1", "Actif"]]
    assert client.get(_url("comptes_techniques_export", structure), {"format": "pdf"}).status_code == 404


def test_erreur_de_saisie_avec_son_resume(client):
    user, structure = integrateur()
    connecter(client, user)
    reponse = client.post(_url("compte_technique_creer", structure), {"libelle": "x" * 101})
    texte = _texte(reponse)
    assert reponse.status_code == 400 and 'id="resume-erreurs"' in texte
    assert '<a href="#id_libelle">Libellé : 100 caractères au plus.</a>' in texte
    assert not CompteTechnique.objects.exists()


def test_clients_api_creer_secret_une_fois_puis_desactiver(client):
    user, structure = integrateur()
    connecter(client, user)
    reponse = client.post(_url("client_api_creer", structure), {"nom": ""})
    assert reponse.status_code == 400
    assert "Nom de l'application : saisissez le nom de l'application cliente." in _texte(reponse)
    reponse = client.post(_url("client_api_creer", structure), {"nom": "ERP comptabilité"})
    page = client.get(reponse.url).content.decode()
    secret = re.search(r'id="secret-client-secret">([^<]+)<', page).group(1)
    cle = ClientApi.objects.get()
    assert cle.client_id in page
    from raccordement.services.clients_api import jeton_emettre

    assert jeton_emettre(client_id=cle.client_id, secret=secret)[1] == 3600
    assert secret not in client.get(reponse.url).content.decode()
    client.post(_url("client_api_desactiver", structure, cle.pk))
    cle.refresh_from_db()
    assert not cle.actif


@pytest.mark.parametrize(
    ("nom", "methode"),
    [
        ("comptes_techniques", "get"),
        ("comptes_techniques_export", "get"),
        ("compte_technique_creer", "get"),
        ("compte_technique_creer", "post"),
        ("clients_api", "get"),
        ("client_api_creer", "post"),
        ("fiches", "get"),
        ("fiche_creer", "get"),
    ],
)
def test_une_autre_structure_repond_404(client, nom, methode):
    _user, structure = integrateur()
    etranger, _ = integrateur()
    connecter(client, etranger)
    assert getattr(client, methode)(_url(nom, structure)).status_code == 404


def test_les_objets_d_une_autre_structure_repondent_404(client):
    user, structure = integrateur()
    compte, _ = compte_technique_creer(par=user, structure=structure)
    cle, _ = client_api_creer(par=user, structure=structure, nom="ERP")
    voisin, sienne = integrateur()
    connecter(client, voisin)
    # its own structure in the URL, the other's object: not found either
    for nom, pk in (
        ("compte_technique_renouveler", compte.pk),
        ("compte_technique_desactiver", compte.pk),
        ("client_api_desactiver", cle.pk),
    ):
        assert client.post(_url(nom, sienne, pk)).status_code == 404
        assert client.post(_url(nom, structure, pk)).status_code == 404
    compte.refresh_from_db()
    assert compte.desactive_le is None


def test_consultation_voit_sans_pouvoir_modifier(client):
    user, structure = integrateur()
    compte, _ = compte_technique_creer(par=user, structure=structure)
    cle, _ = client_api_creer(par=user, structure=structure, nom="ERP")
    lecteur, _ = integrateur(structure, niveau=Niveau.CONSULTATION)
    connecter(client, lecteur)
    page = _texte(client.get(_url("comptes_techniques", structure)))
    assert compte.login in page and "Créer un compte technique" not in page and "Renouveler" not in page
    assert 'id="lecture-seule"' in page
    clients = _texte(client.get(_url("clients_api", structure)))
    assert cle.client_id in clients and "Créer le client API" not in clients and "Désactiver" not in clients
    for nom, args in (
        ("compte_technique_creer", []),
        ("compte_technique_renouveler", [compte.pk]),
        ("compte_technique_desactiver", [compte.pk]),
        ("client_api_creer", []),
        ("client_api_desactiver", [cle.pk]),
    ):
        assert client.post(_url(nom, structure, *args)).status_code == 403
    assert client.get(_url("compte_technique_creer", structure)).status_code == 403
    assert CompteTechnique.objects.count() == 1 and ClientApi.objects.get().actif


def test_nombre_de_requetes_fixe(client, django_assert_max_num_queries):
    user, structure = integrateur()
    compte_technique_creer(par=user, structure=structure)
    client_api_creer(par=user, structure=structure, nom="ERP 0")
    connecter(client, user)
    urls = [
        reverse("raccordement:accueil"),
        _url("comptes_techniques", structure),
        _url("clients_api", structure),
        _url("fiches", structure),
    ]
    mesures = {}
    for url in urls:
        with django_assert_max_num_queries(20) as requetes:
            assert client.get(url).status_code == 200
        mesures[url] = len(requetes.captured_queries)
    for i in range(25):
        compte_technique_creer(par=user, structure=structure)
        client_api_creer(par=user, structure=structure, nom=f"ERP {i + 1}")
        structure_bis = StructureFactory()
        rattacher(user, structure_bis, (Application.RACCORDEMENT, Niveau.CONSULTATION))
    for url in urls:
        with django_assert_max_num_queries(mesures[url]):
            assert client.get(url).status_code == 200
