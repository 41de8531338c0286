"""The pages of the connection records (issue #6): list with filters, creation with its error summary, the fiche
with its certificate (upload, refusal named « Certificat : … », replacement), production, disabling; 404 for another
structure, read-only for « Raccordement – consultation »."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisation.enums import Niveau
from raccordement.models import FicheRaccordement
from raccordement.services.clients_api import client_api_creer
from raccordement.services.fiches import fiche_creer
from tests.conftest import connecter
from tests.raccordement.outils_comptes import certificat, cle_privee_pem, integrateur

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _medias(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(nom, structure, *args):
    return reverse(f"raccordement:{nom}", args=[structure.pk, *args])


def _texte(reponse):
    return re.sub(r"\s+", " ", html.unescape(reponse.content.decode()))


def _fiche(user, structure, **champs):
    donnees = {
        "type_raccordement": "EDI",
        "protocole": "SFTP",
        "adresse": "sftp.exemple.fr:22",
        "formats_emis": ["IN_DP_E1_CII"],
        **champs,
    }
    return fiche_creer(par=user, structure=structure, **donnees)


def _fichier(contenu, nom="plateforme.pem"):
    return SimpleUploadedFile(nom, contenu, content_type="application/x-pem-file")


def test_creer_une_fiche_edi_puis_certificat_puis_production(client):
    user, structure = integrateur()
    connecter(client, user)
    assert client.get(_url("fiche_creer", structure)).status_code == 200
    reponse = client.post(
        _url("fiche_creer", structure),
        {
            "type_raccordement": "EDI",
            "protocole": "AS2",
            "adresse": "https://as2.exemple.fr/as2",
            "formats_emis": ["IN_DP_E1_UBL_INVOICE"],
            "formats_recus": ["CR_INTEGRATION"],
        },
    )
    fiche = FicheRaccordement.objects.get()
    assert reponse.status_code == 302 and reponse.url == _url("fiche", structure, fiche.pk)
    page = _texte(client.get(reponse.url))
    assert "En qualification" in page and "UBL Invoice / CreditNote (FSO1140A)" in page
    assert "Aucun certificat" in page and "Compte rendu d'intégration des flux" in page

    # production refused without a certificate, the message on the page
    reponse = client.post(_url("fiche_production", structure, fiche.pk))
    assert reponse.status_code == 400
    assert "Certificat : un raccordement EDI ne passe en production qu'avec un certificat valide." in _texte(reponse)

    fin = datetime(2025, 6, 30, 10, 0, tzinfo=UTC)
    reponse = client.post(
        _url("fiche_certificat", structure, fiche.pk),
        {"certificat": _fichier(certificat(debut=fin - timedelta(days=365), fin=fin))},
    )
    texte = _texte(reponse)
    assert reponse.status_code == 400 and 'id="resume-erreurs"' in texte
    assert '<a href="#id_certificat">Certificat : ce certificat a expiré le 30/06/2025 à 12 h 00.' in texte

    reponse = client.post(_url("fiche_certificat", structure, fiche.pk), {"certificat": _fichier(certificat())})
    page = _texte(client.get(reponse.url))
    assert "Le certificat est enregistré." in page and "CN=as2.fournisseur.exemple" in page
    assert "Remplacer le certificat" in page
    fiche.refresh_from_db()
    assert fiche.certificat_empreinte[:2].upper() + ":" in page

    reponse = client.post(_url("fiche_production", structure, fiche.pk), follow=True)
    page = _texte(reponse)
    assert "La fiche de raccordement est passée en production." in page and "En production" in page
    assert "Passer en production" not in page


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"pas un certificat", "Certificat : ce fichier n'est pas un certificat X.509 lisible."),
        (cle_privee_pem(), "Certificat : ce fichier contient une clé privée, pas un certificat."),
        (certificat(usage="ca"), "Certificat : l'usage de la clé (keyUsage) de ce certificat n'autorise ni"),
        (b"x" * (51 * 1024), "Certificat : le fichier fait 51 Ko ; un certificat fait 50 Ko au plus."),
    ],
    ids=["illisible", "cle-privee", "usage", "taille"],
)
def test_certificat_refuse_le_dit_sur_la_page(client, contenu, message):
    user, structure = integrateur()
    fiche = _fiche(user, structure)
    connecter(client, user)
    reponse = client.post(_url("fiche_certificat", structure, fiche.pk), {"certificat": _fichier(contenu)})
    assert reponse.status_code == 400 and message in _texte(reponse)
    fiche.refresh_from_db()
    assert not fiche.certificat_empreinte


def test_formulaire_de_fiche_en_erreur(client):
    user, structure = integrateur()
    connecter(client, user)
    reponse = client.post(_url("fiche_creer", structure), {"type_raccordement": "EDI"})
    texte = _texte(reponse)
    assert reponse.status_code == 400 and "Le formulaire contient 1 erreur" in texte
    assert '<a href="#id_protocole">Protocole : choisissez le protocole de votre plateforme EDI.</a>' in texte
    reponse = client.post(
        _url("fiche_creer", structure), {"type_raccordement": "EDI", "protocole": "AS2", "adresse": "ftp://x"}
    )
    assert "Adresse du partenaire : en AS/2, l'adresse est une URL" in _texte(reponse)
    reponse = client.post(_url("fiche_creer", structure), {"type_raccordement": "API"})
    assert "Client API : choisissez le client API du raccordement." in _texte(reponse)
    assert not FicheRaccordement.objects.exists()


def test_fiche_api_par_la_page(client):
    user, structure = integrateur()
    cle, _ = client_api_creer(par=user, structure=structure, nom="ERP")
    connecter(client, user)
    assert cle.client_id in client.get(_url("fiche_creer", structure)).content.decode()
    reponse = client.post(
        _url("fiche_creer", structure),
        {"type_raccordement": "API", "client_api": cle.client_id, "formats_recus": ["CDAR"]},
        follow=True,
    )
    page = _texte(reponse)
    assert "La fiche de raccordement API est créée, en qualification." in page
    assert "API REST (PISTE)" in page and cle.client_id in page and "Déposer le certificat" not in page
    fiche = FicheRaccordement.objects.get()
    reponse = client.post(_url("fiche_production", structure, fiche.pk), follow=True)
    assert "passée en production" in _texte(reponse)


def test_liste_filtre_et_desactivation(client):
    user, structure = integrateur()
    cle, _ = client_api_creer(par=user, structure=structure, nom="ERP")
    edi = _fiche(user, structure)
    api = _fiche(user, structure, type_raccordement="API", client_api=cle.client_id)
    connecter(client, user)
    page = _texte(client.get(_url("fiches", structure)))
    assert f"Raccordement EDI n° {edi.pk}" in page and f"Raccordement API n° {api.pk}" in page
    page = _texte(client.get(_url("fiches", structure), {"type_raccordement": "API"}))
    assert f"Raccordement EDI n° {edi.pk}" not in page and f"Raccordement API n° {api.pk}" in page
    assert "définitive" in _texte(client.get(_url("fiche_desactiver", structure, edi.pk)))
    client.post(_url("fiche_desactiver", structure, edi.pk))
    page = _texte(client.get(_url("fiches", structure), {"etat": "DESACTIVEE"}))
    assert f"Raccordement EDI n° {edi.pk}" in page and f"Raccordement API n° {api.pk}" not in page
    fiche = _texte(client.get(_url("fiche", structure, edi.pk)))
    assert "Désactivée" in fiche and "Passer en production" not in fiche and "Déposer le certificat" not in fiche


def test_autre_structure_404_et_consultation_403(client):
    user, structure = integrateur()
    fiche = _fiche(user, structure)
    etranger, sienne = integrateur()
    connecter(client, etranger)
    for nom in ("fiche", "fiche_desactiver"):
        assert client.get(_url(nom, structure, fiche.pk)).status_code == 404
        assert client.get(_url(nom, sienne, fiche.pk)).status_code == 404
    for nom in ("fiche_certificat", "fiche_production", "fiche_desactiver"):
        assert client.post(_url(nom, sienne, fiche.pk)).status_code == 404

    lecteur, _ = integrateur(structure, niveau=Niveau.CONSULTATION)
    connecter(client, lecteur)
    page = _texte(client.get(_url("fiche", structure, fiche.pk)))
    assert "SFTP" in page and "Passer en production" not in page and "Déposer le certificat" not in page
    assert "Créer une fiche" not in _texte(client.get(_url("fiches", structure)))
    assert client.get(_url("fiche_creer", structure)).status_code == 403
    for nom in ("fiche_certificat", "fiche_production", "fiche_desactiver"):
        assert client.post(_url(nom, structure, fiche.pk)).status_code == 403
    fiche.refresh_from_db()
    assert fiche.environnement == "QUALIFICATION" and fiche.desactivee_le is None


def test_nombre_de_requetes_de_la_liste_et_de_la_fiche(client, django_assert_max_num_queries):
    user, structure = integrateur()
    fiche = _fiche(user, structure)
    connecter(client, user)
    with django_assert_max_num_queries(20) as requetes:
        client.get(_url("fiches", structure))
    une = len(requetes.captured_queries)
    for _ in range(25):
        _fiche(user, structure, formats_recus=["CDAR", "ANNUAIRE"])
    with django_assert_max_num_queries(une):
        assert client.get(_url("fiches", structure)).status_code == 200
    with django_assert_max_num_queries(une):
        assert client.get(_url("fiche", structure, fiche.pk)).status_code == 200
