"""Fault 1: the worker is killed (SIGKILL) while it integrates a multi-invoice flux. A new worker is started, and
every invoice ends integrated exactly once, the flux final.

The killed worker's message is not counted on: the file broker drops it on delivery and Redis gives it back only after
its visibility timeout; the sweeper (beat) takes the flux back once it shows no progress, which the test ages by
moving the flux's clocks back (as tests/travaux/test_worker_relances.py does)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from facturation.models import Facture
from organisation.enums import Application, Niveau
from raccordement.enums import CanalFlux, EtatFlux
from raccordement.models import Flux, FluxFacture
from raccordement.services.flux import flux_recevoir
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.televersement.conftest import structure
from tests.fiabilite.conftest import attendre
from tests.fiabilite.livres import verifier_livres
from tests.raccordement.flux_donnees import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, facture_cii, tar_gz

pytestmark = pytest.mark.django_db(transaction=True)

NOMBRE = 300  # ~20–40 ms each: the worker is busy for several seconds, long enough to be killed in the middle
DELAI = 180


def test_un_worker_tue_pendant_un_flux_ne_perd_ni_ne_double_aucune_facture(systeme):
    vendeur = structure(SIRET_VENDEUR_FNFE, "Fournisseur FNFE")
    structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True)
    deposant = UtilisateurFactory()
    rattacher(deposant, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    numeros = [f"KILL-{i:03d}" for i in range(NOMBRE)]
    archive = tar_gz(
        [
            (f"f{i:03d}.xml", facture_cii(numero, vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE))
            for i, numero in enumerate(numeros)
        ]
    )

    premier = systeme.demarrer("premier")
    with transaction.atomic():
        flux = flux_recevoir(
            structure=vendeur, contenu=archive, nom_fichier="gros.tar.gz", canal=CanalFlux.PORTAIL, par=deposant
        )

    # killed once some invoices are committed, well before the end
    assert attendre(lambda: FluxFacture.objects.filter(flux=flux).count() >= 10, delai=DELAI)
    systeme.tuer(premier)
    faites = FluxFacture.objects.filter(flux=flux).count()
    flux.refresh_from_db()
    assert 10 <= faites < NOMBRE, faites
    assert flux.etat == EtatFlux.IN_EN_COURS_TRAITEMENT_CPP
    assert Facture.objects.filter(numero__startswith="KILL-").count() == faites  # nothing half-saved

    # the flux shows no progress for longer than the sweeper's threshold
    il_y_a = timezone.now() - timedelta(minutes=10)
    Flux.objects.filter(pk=flux.pk).update(traitement_debut_le=il_y_a, recu_le=il_y_a)
    FluxFacture.objects.filter(flux=flux).update(traitee_le=il_y_a)

    systeme.demarrer("second")
    assert attendre(lambda: Flux.objects.filter(pk=flux.pk, etat=EtatFlux.IN_INTEGRE).exists(), delai=DELAI), (
        Flux.objects.get(pk=flux.pk).etat
    )

    flux.refresh_from_db()
    assert flux.tentatives == 2
    assert FluxFacture.objects.filter(flux=flux, integree=True).count() == NOMBRE
    assert sorted(FluxFacture.objects.filter(flux=flux).values_list("rang", flat=True)) == list(range(1, NOMBRE + 1))
    verifier_livres("worker tué pendant un flux", numeros=numeros, boite=systeme.boite)
