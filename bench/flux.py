"""Cost of the flux pipeline per invoice, next to the validation floor, on the configured database.

N generated CII invoices (EN 16931, 3 to 20 lines each) are deposited as tar.gz flux (flux_recevoir: checks, sha-256,
file and row) and integrated by the real integration function (what the Celery task runs: archive read, format, XSD,
EN 16931 and Chorus Pro layers, each invoice deposited in its own transaction with its FluxFacture row). The floor is
the validation alone on the same files, without any database: parse + XSD + EN 16931 rules (facturation.formats.lire
and facturation.validation.valider). With BENCH_WORKERS=2 the flux are integrated by two processes at once (two
workers on this 2-core machine).

    CHORUS_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py migrate
    CHORUS_VAR_DIR=/tmp/bench-var BENCH_FACTURES=400 .venv/bin/python bench/flux.py
    DATABASE_URL=postgres://… BENCH_WORKERS=2 .venv/bin/python bench/flux.py

The last line reads `flux: <invoices per second> invoices/s, <R>x the validation floor`.
"""

import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "0")

import django  # noqa: E402

django.setup()

from django.db import connections, transaction  # noqa: E402

from facturation.formats.lecture import lire  # noqa: E402
from facturation.validation import valider  # noqa: E402
from organisation.enums import StatutStructure, TypeIdentifiant  # noqa: E402
from organisation.matelas import siret_fictif  # noqa: E402
from organisation.models import Structure  # noqa: E402
from raccordement.enums import CanalFlux, EtatFlux  # noqa: E402
from raccordement.models import Flux  # noqa: E402
from raccordement.services.flux import flux_integrer, flux_recevoir  # noqa: E402
from tests.raccordement.flux_donnees import facture_cii, tar_gz  # noqa: E402

FACTURES = int(os.environ.get("BENCH_FACTURES", 400))
PAR_FLUX = int(os.environ.get("BENCH_PAR_FLUX", 100))
WORKERS = int(os.environ.get("BENCH_WORKERS", 1))


def structures():
    def une(graine, nom, publique):
        structure, _ = Structure.objects.get_or_create(
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant=siret_fictif(graine),
            defaults={"raison_sociale": nom, "est_publique": publique, "statut": StatutStructure.ACTIVE},
        )
        return structure

    return une(990_001, "Banc flux fournisseur", False), une(990_002, "Banc flux acheteur", True)


def factures(vendeur, acheteur):
    hasard = random.Random(6)
    serie = time.time_ns() % 10**8
    return [
        (
            f"f{i:05d}.xml",
            facture_cii(
                f"B{serie}-{i:05d}",
                vendeur=vendeur.identifiant,
                acheteur=acheteur.identifiant,
                lignes=hasard.randint(3, 20),
            ),
        )
        for i in range(FACTURES)
    ]


def plancher(fichiers):
    """Parse + XSD + EN 16931 on every file, no database; seconds."""
    valider(fichiers[0][1], "cii")  # warm-up: schemas and the schematron compiled once per process
    debut = time.perf_counter()
    for _nom, xml in fichiers:
        _syntaxe, _facture, contenu = lire(xml)
        rapport = valider(contenu, "cii")
        assert rapport.est_valide, rapport.erreurs[:3]
    return time.perf_counter() - debut


def _integrer(ids):
    connections.close_all()  # a forked process opens its own connection
    for flux_id in ids:
        flux_integrer(flux_id=flux_id)
    connections.close_all()


def pipeline(vendeur, fichiers):
    """Receive then integrate every flux; seconds (with WORKERS processes integrating at once)."""
    lots = [fichiers[i : i + PAR_FLUX] for i in range(0, len(fichiers), PAR_FLUX)]
    archives = [tar_gz(lot) for lot in lots]
    valider(fichiers[0][1], "cii")  # same warm-up as the floor
    debut = time.perf_counter()
    ids = []
    for rang, archive in enumerate(archives):
        with transaction.atomic():
            flux = flux_recevoir(
                structure=vendeur,
                contenu=archive,
                nom_fichier=f"banc-{rang}.tar.gz",
                canal=CanalFlux.EDI,
                compte_technique=None,
            )
        ids.append(flux.pk)
    if WORKERS <= 1:
        _integrer(ids)
    else:
        connections.close_all()
        contexte = multiprocessing.get_context("fork")
        processus = [contexte.Process(target=_integrer, args=(ids[i::WORKERS],)) for i in range(WORKERS)]
        for p in processus:
            p.start()
        for p in processus:
            p.join()
    duree = time.perf_counter() - debut
    etats = list(Flux.objects.filter(pk__in=ids).values_list("etat", flat=True))
    assert etats == [EtatFlux.IN_INTEGRE] * len(ids), etats
    return duree


def main():
    from raccordement.models import FicheRaccordement

    vendeur, acheteur = structures()
    # the bench deposits through the EDI channel: the structure needs an active EDI connection record
    FicheRaccordement.objects.get_or_create(
        structure=vendeur, type_raccordement="EDI", desactivee_le=None, defaults={"protocole": "SFTP"}
    )
    fichiers = factures(vendeur, acheteur)
    lignes = sum(xml.count(b"<ram:IncludedSupplyChainTradeLineItem>") for _nom, xml in fichiers)
    print(
        f"{FACTURES} factures CII EN 16931, {lignes} lignes ({lignes / FACTURES:.1f} par facture), flux de {PAR_FLUX}"
    )
    print(f"base : {connections['default'].vendor}, processus d'intégration : {WORKERS}")

    duree_plancher = plancher(fichiers)
    par_facture_plancher = duree_plancher / FACTURES * 1000
    print(f"plancher (lecture + XSD + EN 16931, sans base) : {par_facture_plancher:6.2f} ms par facture")

    duree = pipeline(vendeur, fichiers)
    par_facture = duree / FACTURES * 1000
    print(f"pipeline (réception + intégration complète)    : {par_facture:6.2f} ms par facture")
    # with several processes the wall time is shared: the cost per invoice is compared per process
    ratio = (par_facture * WORKERS) / par_facture_plancher
    print(f"flux: {FACTURES / duree:.0f} invoices/s, {ratio:.2f}x the validation floor")


if __name__ == "__main__":
    main()
