"""Deposits for the outage faults: flux of CII invoices sent through the portal's service, as the upload page does,
by a client that sends again what the portal did not acknowledge (a 500 or a refused connection)."""

import time
from datetime import timedelta

from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import F

from organisation.enums import Application, Niveau
from raccordement.enums import CanalFlux
from raccordement.models import Flux, FluxFacture
from raccordement.services.flux import flux_recevoir
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.televersement.conftest import structure
from tests.raccordement.flux_donnees import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, facture_cii, tar_gz

PAR_FLUX = 2


class Deposant:
    def __init__(self, prefixe):
        self.prefixe = prefixe
        self.vendeur = structure(SIRET_VENDEUR_FNFE, "Fournisseur FNFE")
        structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True)
        self.utilisateur = UtilisateurFactory(prenom="Rafale")
        rattacher(self.utilisateur, self.vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
        self.numeros = []  # acknowledged by the portal
        self.refus = 0  # deposits the portal could not take (sent again)
        self.flux = []

    def deposer(self, rang, *, essais_pendant=60.0):
        """One flux of PAR_FLUX invoices; sent again until the portal acknowledges it (within `essais_pendant`)."""
        numeros = [f"{self.prefixe}-{rang:03d}-{i}" for i in range(PAR_FLUX)]
        archive = tar_gz(
            [(f"{n}.xml", facture_cii(n, vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE)) for n in numeros]
        )
        fin = time.monotonic() + essais_pendant
        while True:
            try:
                with transaction.atomic():
                    flux = flux_recevoir(
                        structure=self.vendeur,
                        contenu=archive,
                        nom_fichier=f"{self.prefixe}-{rang}.tar.gz",
                        canal=CanalFlux.PORTAIL,
                        par=self.utilisateur,
                    )
                break
            except (OperationalError, InterfaceError):
                self.refus += 1
                # what a new request would get: a fresh connection
                connections.close_all()
                if time.monotonic() > fin:
                    raise
                time.sleep(0.3)
        self.numeros += numeros
        self.flux.append(flux.pk)
        return flux


def vieillir_flux(minutes=10):
    """Time passes for the sweeper: flux left without their task (a publish refused, a worker cut mid-integration)
    look as old as its thresholds (2 and 5 minutes) want, instead of the test waiting for them."""
    Flux.objects.update(
        recu_le=F("recu_le") - timedelta(minutes=minutes),
        traitement_debut_le=F("traitement_debut_le") - timedelta(minutes=minutes),
    )
    FluxFacture.objects.update(traitee_le=F("traitee_le") - timedelta(minutes=minutes))
