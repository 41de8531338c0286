"""Cost of a deposit, measured on the configured database: « Valider et envoyer » of a web invoice (routing rules,
Factur-X PDF/A-3b rendered by WeasyPrint with its CII, files written, history) and the validation of that CII in
layers (XSD + EN 16931 schematron by saxonche), for 2 and 20 lines. Prints the median and the slowest of N runs.

    DEBUG=1 .venv/bin/python bench/depot.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chorus_bench DEBUG=1 .venv/bin/python bench/depot.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from demo.comptes import charger_comptes  # noqa: E402
from facturation.calcul import montant_ligne  # noqa: E402
from facturation.models import Facture, LigneFacture  # noqa: E402
from facturation.services.brouillon import brouillon_envoyer  # noqa: E402
from facturation.validation.couches import valider  # noqa: E402
from organisation.enums import RoleDemo  # noqa: E402

REPETITIONS = int(os.environ.get("BENCH_REPETITIONS", 10))


def brouillon(fournisseur, commune, service, nombre_lignes, rang):
    facture = Facture.objects.create(
        statut="BROUILLON",
        numero=f"BENCH-{nombre_lignes}-{rang}-{time.time_ns() % 10**8}",
        date_facture=timezone.localdate(),
        fournisseur=fournisseur,
        destinataire=commune,
        service_destinataire=service,
        type_tva="TVA_SUR_DEBIT",
        mode_paiement="VIREMENT",
    )
    LigneFacture.objects.bulk_create(
        LigneFacture(
            facture=facture,
            numero=i,
            designation=f"Article {i}",
            quantite=i,
            prix_unitaire_ht="12.34",
            taux_tva="20" if i % 2 else "5.5",
            montant_ht=montant_ligne(i, "12.34", 0, "EUR"),
        )
        for i in range(1, nombre_lignes + 1)
    )
    return facture


def afficher(nom, durees):
    print(f"{nom:<46} {statistics.median(durees):8.1f} ms médiane  {max(durees):8.1f} ms max")


def main():
    from facturation.matelas import _structure

    charger_comptes()
    fournisseur, fanny = _structure(RoleDemo.FOURNISSEUR)
    commune, _ = _structure(RoleDemo.ENTITE_PUBLIQUE)
    service = commune.services.get(code="SERVICE-ACHATS")
    print(f"base : {connection.vendor}, {REPETITIONS} dépôts par mesure")
    for nombre_lignes in (2, 20):
        envois, validations = [], []
        for rang in range(REPETITIONS + 1):
            facture = brouillon(fournisseur, commune, service, nombre_lignes, rang)
            debut = time.perf_counter()
            facture = brouillon_envoyer(facture=facture, par=fanny)
            duree = (time.perf_counter() - debut) * 1000
            xml = facture.fichier_xml.read()
            debut = time.perf_counter()
            rapport = valider(xml, "cii")
            duree_validation = (time.perf_counter() - debut) * 1000
            assert rapport.est_valide, rapport
            if rang:  # the first run loads fonts and compiles the XSLT
                envois.append(duree)
                validations.append(duree_validation)
        afficher(f"Valider et envoyer ({nombre_lignes} lignes, Factur-X)", envois)
        afficher(f"validation XSD + EN 16931 ({nombre_lignes} lignes)", validations)


if __name__ == "__main__":
    main()
