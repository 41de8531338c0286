"""Exports at scale (issue #16): the CSV of « Factures reçues » and « Factures émises » streamed through the Django
test client, and the Excel file built as the Celery worker builds it (exports.services.export_produire), on
N invoices (default 100 000) from the demo supplier to the demo commune. Prints rows/s, the time, and the peak of
Python memory (tracemalloc, in a second pass: it slows the code it watches) at N/10 and N rows, so that a memory
growing with the rows shows.

    createdb -h 127.0.0.1 -U postgres h_exports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_exports .venv/bin/python bench/exports.py
    EXPORTS_N=20000 ... (a smaller run)
"""

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from demo.comptes import charger_comptes  # noqa: E402
from organisation.matelas import COMPTES  # noqa: E402
from organisation.models import Utilisateur  # noqa: E402

N = int(os.environ.get("EXPORTS_N", 100_000))
# EXPORTS_XLSX=0: the CSV only (the Excel task takes minutes at 100 000 rows)
AVEC_XLSX = os.environ.get("EXPORTS_XLSX", "1") != "0"
PREFIXE = "EXP-"


def peupler(fournisseur, destinataire, nombre):
    """`nombre` invoices numbered EXP-…, each with its deposit history row (« Factures émises » reads the last one)."""
    from decimal import Decimal

    from facturation.models import Facture, FactureHistorique

    deja = Facture.objects.filter(numero__startswith=PREFIXE).count()
    if deja >= nombre:
        return
    statuts = ["MISE_A_DISPOSITION", "SERVICE_FAIT", "SUSPENDUE", "MISE_EN_PAIEMENT", "REJETEE", "COMPLETEE"]
    maintenant = timezone.now()
    service = destinataire.services.first()
    for debut in range(deja, nombre, 10_000):
        factures = Facture.objects.bulk_create(
            Facture(
                numero=f"{PREFIXE}{i:07d}",
                date_facture=maintenant.date(),
                fournisseur=fournisseur,
                destinataire=destinataire,
                service_destinataire=service if i % 3 else None,
                statut=statuts[i % len(statuts)],
                statut_depuis=maintenant,
                deposee_le=maintenant - timezone.timedelta(minutes=i),
                mode_depot="SAISIE_PORTAIL",
                delai_paiement_jours=30,
                total_ht=Decimal("100.00") + i,
                total_tva=Decimal("20.00"),
                total_ttc=Decimal("120.00") + i,
                net_a_payer=Decimal("120.00") + i,
            )
            for i in range(debut, min(debut + 10_000, nombre))
        )
        FactureHistorique.objects.bulk_create(
            FactureHistorique(facture=f, action="deposer", de_statut="BROUILLON", vers_statut=f.statut, motif="Banc")
            for f in factures
        )
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE")


def consommer(reponse):
    """Read the streamed body as a client would, keeping only its size (joining it would measure the join)."""
    assert reponse.status_code == 200, reponse.status_code
    taille = 0
    for bloc in reponse.streaming_content:
        taille += len(bloc)
    return taille


def csv_mesure(nom, client, url, lignes):
    consommer(client.get(url + "&numero=EXP-000000"))  # warm-up
    debut = time.perf_counter()
    taille = consommer(client.get(url))
    duree = time.perf_counter() - debut
    tracemalloc.start()
    consommer(client.get(url))
    _courant, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{nom:<40} {lignes:>7} lignes {duree:7.2f} s {lignes / duree:9.0f} lignes/s "
        f"{taille / 1e6:6.1f} Mo  pic mémoire {pic / 1e6:6.1f} Mo"
    )


def xlsx_mesure(nom, utilisateur, genre, criteres, lignes):
    from exports.models import DemandeExport
    from exports.services import export_produire

    def une_fois():
        demande = DemandeExport.objects.create(
            demandeur=utilisateur, genre=genre, criteres=criteres, expire_le=timezone.now()
        )
        debut = time.perf_counter()
        assert export_produire(demande_id=demande.pk)
        duree = time.perf_counter() - debut
        demande.refresh_from_db()
        assert demande.lignes_ecrites == lignes, (demande.lignes_ecrites, lignes)
        taille = demande.fichier.size
        demande.fichier.delete(save=False)
        demande.delete()
        return duree, taille

    duree, taille = une_fois()
    tracemalloc.start()
    une_fois()
    _courant, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{nom:<40} {lignes:>7} lignes {duree:7.2f} s {lignes / duree:9.0f} lignes/s "
        f"{taille / 1e6:6.1f} Mo  pic mémoire {pic / 1e6:6.1f} Mo"
    )


def main():
    from bench.run import client_connecte
    from facturation.matelas import charger_factures
    from facturation.models import Facture

    setup_test_environment()
    call_command("migrate", verbosity=0)
    charger_comptes()
    charger_factures()
    fanny = Utilisateur.objects.get(email=COMPTES[0].login)
    paul = Utilisateur.objects.get(email=COMPTES[1].login)
    fournisseur = fanny.rattachements.get().structure
    commune = paul.rattachements.get().structure
    peupler(fournisseur, commune, N)
    recues = client_connecte(paul)
    emises = client_connecte(fanny)
    print(f"base : {connection.vendor}, {Facture.objects.count()} factures", flush=True)
    # the first N/10 invoices (EXP-000… for N = 100 000), then all N
    for numero in (PREFIXE + "0" * (7 - len(str(N // 10 - 1))), PREFIXE):
        attendu = Facture.objects.filter(numero__startswith=numero, destinataire=commune).count()
        critere = f"numero={numero}&tri=numero"
        csv_mesure("CSV reçues", recues, f"/factures/recues/rechercher/export.csv?{critere}", attendu)
        csv_mesure("CSV émises", emises, f"/factures/emises/rechercher/export/?format=csv&{critere}", attendu)
        if not AVEC_XLSX:
            continue
        criteres = {"numero": [numero], "tri": ["numero"]}
        xlsx_mesure("XLSX reçues (tâche)", paul, "factures_recues", criteres, attendu)
        xlsx_mesure("XLSX émises (tâche)", fanny, "factures_emises", criteres, attendu)


if __name__ == "__main__":
    main()
