"""Fault 14: restoring from a backup, as docs/exploitation.md says to do it. A running instance holds invoices with
their files (PDF rendered on upload, XML, attachments); it is backed up (pg_dump custom format, then var/media), lost,
and restored into a fresh database and a fresh media folder; every invoice's files are then read through the
portal's own pages, byte for byte.

A private cluster (never the shared server): PostgreSQL only, the SQLite default is backed up by copying its file
(docs/exploitation.md)."""

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from facturation.models import Facture
from facturation.services.televersement import facture_televerser
from organisation.enums import Application, Niveau
from tests.conftest import connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.televersement.conftest import structure
from tests.fiabilite.serveurs import django_sur
from tests.raccordement.flux_donnees import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, facture_cii

pytestmark = pytest.mark.django_db(transaction=True)

NOMBRE = 3


def _contenu(reponse):
    assert reponse.status_code == 200, reponse.status_code
    return b"".join(reponse.streaming_content) if reponse.streaming else reponse.content


def _lu_par_le_portail(client, agent):
    """Every file of every invoice, as the recipient downloads it from the portal: {(numero, fichier): bytes}."""
    connecter(client, agent)
    lus = {}
    for facture in Facture.objects.prefetch_related("pieces_jointes").order_by("numero"):
        for format_ in ("pdf", "xml"):
            lien = reverse("facturation:recues_telecharger", args=[facture.pk, format_])
            lus[facture.numero, format_] = _contenu(client.get(lien))
        for piece in facture.pieces_jointes.all():
            lien = reverse("facturation:recues_piece_jointe", args=[facture.pk, piece.pk])
            lus[facture.numero, piece.nom] = _contenu(client.get(lien))
    return lus


def test_une_sauvegarde_restauree_rend_chaque_fichier(base_privee, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    vendeur = structure(SIRET_VENDEUR_FNFE, "Fournisseur FNFE")
    acheteur = structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True)
    deposant, agent = UtilisateurFactory(), UtilisateurFactory()
    rattacher(deposant, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    rattacher(agent, acheteur, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
    for i in range(NOMBRE):
        numero = f"SAUVE-{i}"
        xml = facture_cii(numero, vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE)
        facture_televerser(
            par=deposant,
            fournisseur=vendeur,
            fichier=SimpleUploadedFile(f"{numero}.xml", xml, content_type="application/xml"),
            pieces_jointes=[SimpleUploadedFile(f"bon-{i}.pdf", b"%PDF-1.4 bon de commande " + numero.encode())],
        )
    avant = _lu_par_le_portail(client, agent)
    assert len(avant) == NOMBRE * 3 and all(avant.values())

    # the backup, in the order docs/exploitation.md gives: the database first, then the media
    sauvegarde = tmp_path / "sauvegarde"
    sauvegarde.mkdir()
    source = base_privee.url(connection.settings_dict["NAME"])
    subprocess.run(["pg_dump", "-Fc", "-f", str(sauvegarde / "chorus.dump"), source], check=True)
    shutil.copytree(settings.MEDIA_ROOT, sauvegarde / "media")
    shutil.rmtree(settings.MEDIA_ROOT)  # the instance is lost

    base_privee.executer('DROP DATABASE IF EXISTS "restauree"')
    base_privee.executer('CREATE DATABASE "restauree"')
    cible = base_privee.url("restauree")
    restaurer = ["pg_restore", "--no-owner", "--exit-on-error", "-d", cible, sauvegarde / "chorus.dump"]
    subprocess.run(restaurer, check=True)
    shutil.copytree(sauvegarde / "media", tmp_path / "media-restauree")
    settings.MEDIA_ROOT = tmp_path / "media-restauree"
    with django_sur(base_privee, "restauree"):
        apres = _lu_par_le_portail(client, agent)
    assert apres == avant
