"""Fault 13: a flux of 10 000 invoices in one tar.gz, through a real worker. Its archive is read as a stream (one
invoice in memory, never the archive inflated), integrated by runs of PAR_PASSAGE invoices, each run queuing the next
behind the flux deposited meanwhile: a small flux deposited once the large one has started is integrated before the
large one ends. The supplier follows « n / N factures traitées » on the flux page (its polling JSON).

Figures printed: the time, the worker's peak memory (VmHWM) against its memory before the flux, the order.
FLUX_GEANT_FACTURES sets the size: 10 000 by default on PostgreSQL (production's shape, CI's first pass), 1 000 on
the embedded SQLite default, whose single writer makes the 10 000 a quarter of an hour of CI for nothing the
PostgreSQL pass does not already prove."""

import os
import re
import time

import pytest
from django.db import transaction
from django.urls import reverse

from raccordement.enums import CanalFlux, EtatFlux
from raccordement.models import Flux, FluxFacture
from raccordement.services.flux import PAR_PASSAGE, TAILLE_ARCHIVE_MAX, flux_recevoir
from tests.conftest import connecter
from tests.fiabilite.conftest import attendre
from tests.fiabilite.depots import Deposant
from tests.fiabilite.livres import RELEVES, verifier_livres
from tests.raccordement.flux_donnees import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, facture_cii, tar_gz

pytestmark = pytest.mark.django_db(transaction=True)


def _nombre():
    from django.db import connection

    return int(os.environ.get("FLUX_GEANT_FACTURES") or (10000 if connection.vendor == "postgresql" else 1000))


NOMBRE = _nombre()
DELAI = 3600


def _memoire_ko(pid, champ):
    texte = open(f"/proc/{pid}/status").read()  # noqa: PTH123, SIM115 — one read of a proc file
    return int(re.search(rf"^{champ}:\s+(\d+) kB", texte, re.M).group(1))


def _deposer(depot, numeros, nom):
    archive = tar_gz(
        [
            (f"{n}.xml", facture_cii(n, vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE, lignes=1))
            for n in numeros
        ]
    )
    with transaction.atomic():
        flux = flux_recevoir(
            structure=depot.vendeur, contenu=archive, nom_fichier=nom, canal=CanalFlux.PORTAIL, par=depot.utilisateur
        )
    return flux, len(archive)


def test_un_flux_de_dix_mille_factures(systeme, client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "medias"
    # the workers started by the test; restored after it, or the next tests' workers would write elsewhere
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    depot = Deposant("GEANT")
    connecter(client, depot.utilisateur)
    grands = [f"GEANT-{i:05d}" for i in range(NOMBRE)]
    petits = ["PETIT-0", "PETIT-1"]

    # the sweepers every 30 s (60 in production), not every second: eight sweeps a second, each scanning the day's
    # history, would queue ahead of each run and measure them rather than the flux
    worker = systeme.demarrer("un", balayage=30)
    # a first small flux warms the worker up (Django, the XSD and schematron layers): the baseline of its memory
    chauffe, _ = _deposer(depot, ["CHAUFFE-0", "CHAUFFE-1"], "chauffe.tar.gz")
    assert attendre(lambda: Flux.objects.get(pk=chauffe.pk).etat == EtatFlux.IN_INTEGRE, delai=DELAI)
    memoire_avant = _memoire_ko(worker.pid, "VmHWM")

    debut = time.monotonic()
    grand, taille = _deposer(depot, grands, "grand.tar.gz")
    assert taille <= TAILLE_ARCHIVE_MAX
    # the first run has started: the small flux is deposited behind it
    assert attendre(lambda: FluxFacture.objects.filter(flux=grand).count() >= 20, delai=DELAI)
    etat = reverse("raccordement:flux_etat", args=[grand.pk])
    premier = client.get(etat).json()
    assert premier["nombre"] == NOMBRE and 20 <= premier["traitees"] < NOMBRE
    assert re.fullmatch(rf"\d+ / {NOMBRE} factures traitées", premier["progression"]), premier
    page = client.get(reverse("raccordement:flux_consulter", args=[grand.pk])).content.decode()
    assert f" / {NOMBRE} factures traitées" in page
    petit, _ = _deposer(depot, petits, "petit.tar.gz")
    depose_le = time.monotonic()

    assert attendre(lambda: Flux.objects.get(pk=petit.pk).etat == EtatFlux.IN_INTEGRE, delai=DELAI)
    attente_petit = time.monotonic() - depose_le
    grand_au_passage = FluxFacture.objects.filter(flux=grand).count()
    assert grand_au_passage < NOMBRE or NOMBRE <= 2 * PAR_PASSAGE, grand_au_passage  # not starved behind it

    suivi = [client.get(etat).json()["traitees"]]
    while not attendre(lambda: Flux.objects.get(pk=grand.pk).etat == EtatFlux.IN_INTEGRE, delai=30):
        suivi.append(client.get(etat).json()["traitees"])
        assert time.monotonic() - debut < DELAI
    duree = time.monotonic() - debut
    pic = _memoire_ko(worker.pid, "VmHWM")
    assert suivi == sorted(suivi)  # the progress only goes forward

    grand.refresh_from_db()
    assert grand.tentatives == 1  # its runs are one attempt
    assert FluxFacture.objects.filter(flux=grand, integree=True).count() == NOMBRE
    figures = {
        "factures": NOMBRE,
        "archive (Ko)": taille // 1024,
        "durée (s)": round(duree, 1),
        "par facture (ms)": round(duree * 1000 / NOMBRE, 1),
        "pic du worker chauffé (Mo)": memoire_avant // 1024,
        "pic pendant le flux (Mo)": pic // 1024,
        "petit flux intégré en (s)": round(attente_petit, 1),
        "grand flux à ce moment": f"{grand_au_passage} / {NOMBRE}",
    }
    RELEVES.append((f"flux de {NOMBRE} factures", figures))
    print("\nFlux géant : " + " ; ".join(f"{cle} {valeur}" for cle, valeur in figures.items()))
    # bounded memory: one invoice at a time, whatever the flux's size (the inflated archive alone is NOMBRE × ~3 Ko)
    assert pic - memoire_avant < 100 * 1024, figures
    verifier_livres(
        f"flux de {NOMBRE} factures", numeros=grands + petits + ["CHAUFFE-0", "CHAUFFE-1"], boite=systeme.boite
    )
