"""Fault 8: the media volume fills up during uploads. A real filesystem says « no space left »: MEDIA_ROOT is a tiny
tmpfs mounted for the test (the test process is root; elsewhere the test is skipped), filled by a padding file.

While it is full: the portal's invoice deposit and flux upload answer 503 with a French page, the API's deposerPDF
and deposerFluxFacture a 503 in the envelope (codeRetour, libelle); nothing is half-saved — no row, and no file
(not even the partial one of a write that ran out of space midway). A flux received before the disk filled waits
in the worker (no invoice, no file, its attempt not counted) and is integrated once space is back, as are the same
deposits sent again."""

import base64
import contextlib
import errno
import subprocess

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.urls import reverse

from facturation.models import Facture
from raccordement.api.enveloppe import SERVICE_INDISPONIBLE
from raccordement.enums import CanalFlux, EtatFlux
from raccordement.models import Flux
from raccordement.services.flux import flux_recevoir
from tests.conftest import connecter
from tests.facturation.televersement.conftest import FNFE
from tests.fiabilite.conftest import attendre
from tests.fiabilite.depots import Deposant, vieillir_flux
from tests.fiabilite.livres import verifier_livres
from tests.raccordement.flux_donnees import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, facture_cii, tar_gz
from tests.raccordement.test_api_factures_fournisseur import _pdf
from tests.raccordement.test_api_socle import Integrateur

pytestmark = pytest.mark.django_db(transaction=True)

TAILLE = "4m"
DEPOT_FACTURE = "/factures/emises/deposer/"
DELAI = 120


class Volume:
    """A tmpfs of TAILLE as the media volume; `remplir(reste)` leaves `reste` bytes free."""

    def __init__(self, point):
        self.point = point
        self.bourre = point / ".bourre"

    def remplir(self, reste=0):
        self.bourre.unlink(missing_ok=True)
        with self.bourre.open("wb", buffering=0) as fichier, contextlib.suppress(OSError):
            while True:
                fichier.write(b"\0" * 4096)
        if reste:
            with self.bourre.open("r+b") as fichier:
                fichier.truncate(self.bourre.stat().st_size - reste)

    def liberer(self):
        self.bourre.unlink(missing_ok=True)

    def fichiers(self):
        return sorted(
            str(f.relative_to(self.point)) for f in self.point.rglob("*") if f.is_file() and f != self.bourre
        )

    def plein(self):
        essai = self.point / ".essai"
        try:
            essai.write_bytes(b"x" * 4096)
        except OSError as exc:
            return exc.errno == errno.ENOSPC
        finally:
            essai.unlink(missing_ok=True)
        return False


@pytest.fixture
def volume(tmp_path, settings, monkeypatch):
    point = tmp_path / "medias"
    point.mkdir()
    monte = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TAILLE}", "tmpfs", str(point)], capture_output=True, check=False
    )
    if monte.returncode:
        pytest.skip(f"pas de tmpfs à monter pour les médias (root requis) : {monte.stderr.decode().strip()}")
    settings.MEDIA_ROOT = point
    monkeypatch.setenv("MEDIA_ROOT", str(point))  # the workers started by the test
    yield Volume(point)
    subprocess.run(["umount", "-l", str(point)], check=False)


def _flux_televerse(client, vendeur, archive, nom):
    fichier = SimpleUploadedFile(nom, archive, content_type="application/gzip")
    return client.post(reverse("raccordement:flux_deposer"), {"structure": vendeur.pk, "fichier": fichier})


def _facture_deposee(client, vendeur):
    fichier = SimpleUploadedFile(FNFE.name, FNFE.read_bytes(), content_type="application/pdf")
    return client.post(DEPOT_FACTURE, {"fournisseur": vendeur.pk, "format_depot": "AUTO", "fichier": fichier})


def _fichiers_nommes():
    """Every file a row of any model names."""
    noms = set()
    for modele in apps.get_models():
        for champ in modele._meta.get_fields():
            if isinstance(champ, models.FileField):
                noms |= set(modele.objects.exclude(**{champ.name: ""}).values_list(champ.name, flat=True))
    return noms


def _b64(contenu):
    return base64.b64encode(contenu).decode()


def _archive(prefixe, nombre=2):
    numeros = [f"{prefixe}-{i}" for i in range(nombre)]
    membres = [(f"{n}.xml", facture_cii(n, vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE)) for n in numeros]
    return numeros, tar_gz(membres)


def _refus_de_la_page(reponse):
    page = reponse.content.decode()
    assert reponse.status_code == 503, page[:500]
    assert "Service momentanément indisponible" in page
    assert "L&#x27;espace de stockage du portail est plein" in page and "rien n&#x27;a été enregistré" in page
    assert reponse["Retry-After"]


def _refus_de_l_api(reponse):
    corps = reponse.json()
    assert reponse.status_code == 503, corps
    assert corps["codeRetour"] == SERVICE_INDISPONIBLE
    assert "espace de stockage du portail est plein" in corps["libelle"]


def test_disque_des_medias_plein_pendant_les_televersements(systeme, volume, client):
    depot = Deposant("PLEIN")
    integrateur = Integrateur(structure=depot.vendeur)
    connecter(client, depot.utilisateur)
    entetes = integrateur.entetes(client)
    envoyes = []

    # a flux received while there was room; the disk fills before a worker integrates it
    numeros_attente, archive = _archive("ATTENTE", 3)
    with transaction.atomic():
        en_attente = flux_recevoir(
            structure=depot.vendeur,
            contenu=archive,
            nom_fichier="attente.tar.gz",
            canal=CanalFlux.PORTAIL,
            par=depot.utilisateur,
        )
    envoyes += numeros_attente
    avant = volume.fichiers()
    assert len(avant) == 1  # the flux's archive

    # 1. nothing free: every upload is refused before a byte is kept
    volume.remplir()
    assert volume.plein()
    numeros_portail, archive_portail = _archive("PORTAIL")
    numeros_api, archive_api = _archive("API")
    _refus_de_la_page(_flux_televerse(client, depot.vendeur, archive_portail, "portail.tar.gz"))
    _refus_de_la_page(_facture_deposee(client, depot.vendeur))
    _refus_de_l_api(
        integrateur.appeler(
            client,
            "factures/v1/deposer/flux",
            {"fichierFlux": _b64(archive_api), "nomFichier": "api.tar.gz", "syntaxeFlux": "IN_DP_E1_CII_16B"},
            **entetes,
        )
    )
    _refus_de_l_api(
        integrateur.appeler(
            client,
            "factures/v1/deposer/pdf",
            {"fichierFacture": _b64(_pdf("Facture API")), "nomFichier": "api.pdf", "formatDepot": "PDF_NON_SIGNE"},
            **entetes,
        )
    )

    # 2. 16 Kio free: the 113 Kio invoice PDF starts to be written, and its partial file does not stay
    volume.remplir(reste=16 * 1024)
    _refus_de_la_page(_facture_deposee(client, depot.vendeur))
    assert volume.fichiers() == avant, volume.fichiers()
    assert Flux.objects.count() == 1 and not Facture.objects.exists()

    # 3. a worker meets the full disk: the flux waits, nothing of its invoices is kept, its attempt not counted
    volume.remplir()
    systeme.demarrer("pendant")
    assert attendre(
        lambda: Flux.objects.filter(pk=en_attente.pk, etat=EtatFlux.IN_EN_ATTENTE_TRAITEMENT_CPP).exists(), delai=DELAI
    ), Flux.objects.get(pk=en_attente.pk).etat
    en_attente.refresh_from_db()
    assert en_attente.tentatives == 0
    assert not Facture.objects.exists() and not en_attente.factures.exists()
    assert volume.fichiers() == avant

    # 4. space is back: the waiting flux is integrated, the same deposits sent again are taken
    volume.liberer()
    vieillir_flux()  # the sweeper's 2 minutes, passed
    assert attendre(lambda: Flux.objects.get(pk=en_attente.pk).etat == EtatFlux.IN_INTEGRE, delai=DELAI), (
        Flux.objects.get(pk=en_attente.pk).etat
    )
    portail = _flux_televerse(client, depot.vendeur, archive_portail, "portail.tar.gz")
    assert portail.status_code == 302, portail.content.decode()[:500]
    envoyes += numeros_portail
    facture = _facture_deposee(client, depot.vendeur)
    assert facture.status_code == 302, facture.content.decode()[:500]
    envoyes.append("FA-2017-0010")  # the FNFE sample's number
    api = integrateur.appeler(
        client,
        "factures/v1/deposer/flux",
        {"fichierFlux": _b64(archive_api), "nomFichier": "api.tar.gz", "syntaxeFlux": "IN_DP_E1_CII_16B"},
        **entetes,
    )
    assert api.status_code == 200, api.json()
    envoyes += numeros_api
    pdf = integrateur.appeler(
        client,
        "factures/v1/deposer/pdf",
        {"fichierFacture": _b64(_pdf("Facture API")), "nomFichier": "api.pdf", "formatDepot": "PDF_NON_SIGNE"},
        **entetes,
    )
    assert pdf.status_code == 200, pdf.json()
    assert attendre(lambda: not Flux.objects.exclude(etat=EtatFlux.IN_INTEGRE).exists(), delai=DELAI), list(
        Flux.objects.values_list("numero", "etat")
    )

    # every row names a file that exists, and every file is named by a row (no orphan)
    assert _fichiers_nommes() == set(volume.fichiers())
    figures = verifier_livres("disque des médias plein", numeros=envoyes, boite=systeme.boite)
    assert figures["en double"] == 0
