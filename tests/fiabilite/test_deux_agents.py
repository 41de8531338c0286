"""Fault 12: two agents process the same invoice at the same instant (one rejects it, the other puts it in payment,
as the portal and the API both do through facture_traiter). One wins; the other is told the status changed; the
history, the supplier's mails and the lifecycle messages hold one change."""

import threading
import time

import pytest
from django.db import connection, transaction

from chorus.models import Courriel
from chorus.workflow import TransitionInterdite
from facturation.models import Facture
from facturation.services.traitement import facture_traiter
from raccordement.enums import CanalFlux, ProtocoleRaccordement, TypeRaccordement
from raccordement.models import FicheRaccordement, Flux, FluxFacture, MessageCycleVie
from tests.factories import facture_deposee
from tests.fiabilite.conftest import attendre
from tests.fiabilite.livres import verifier_livres
from tests.fiabilite.outils import Circuit

pytestmark = pytest.mark.django_db(transaction=True)

ESSAIS = 5


def facture_de_flux(circuit, flux, rang):
    numero = f"DUO-{rang}"
    facture = facture_deposee(circuit.fournisseur, circuit.destinataire, numero=numero)
    FluxFacture.objects.create(flux=flux, rang=rang, numero_facture=numero, facture=facture, integree=True)
    return facture


def test_deux_agents_sur_la_meme_facture_au_meme_instant(systeme):
    from django.utils import timezone

    circuit = Circuit()
    FicheRaccordement.objects.create(
        structure=circuit.fournisseur, type_raccordement=TypeRaccordement.API, protocole=ProtocoleRaccordement.API
    )
    flux = Flux.objects.create(
        numero="CPP0000000001",
        structure=circuit.fournisseur,
        canal=CanalFlux.EDI,
        nom_fichier="flux.xml",
        sha256="0" * 64,
        recu_le=timezone.now(),
        etat="IN_INTEGRE",
        traitement_fin_le=timezone.now(),
    )
    factures = [facture_de_flux(circuit, flux, rang) for rang in range(1, ESSAIS + 1)]
    systeme.demarrer("worker")

    issues = []
    for facture in factures:
        depart = threading.Barrier(2)

        def traiter(agent, cible, pk=facture.pk, depart=depart):
            try:
                depart.wait()
                with transaction.atomic():
                    facture_traiter(
                        facture=Facture.objects.get(pk=pk), par=agent, statut_cible=cible, motif="Facture en double"
                    )
                issues.append(cible)
            except TransitionInterdite:
                issues.append("refusée")
            finally:
                connection.close()

        fils = [
            threading.Thread(target=traiter, args=(circuit.agents[0], "REJETEE")),
            threading.Thread(target=traiter, args=(circuit.agents[1], "MISE_EN_PAIEMENT")),
        ]
        for f in fils:
            f.start()
        for f in fils:
            f.join(timeout=60)

    assert issues.count("refusée") == ESSAIS, issues
    for facture in factures:
        assert facture.historique.count() == 2  # the deposit and one change
        assert MessageCycleVie.objects.filter(facture=facture).count() == 1
    assert attendre(lambda: not Courriel.objects.filter(envoye_le__isnull=True).exists())
    time.sleep(1)
    verifier_livres(
        "deux agents au même instant",
        numeros=[f.numero for f in factures],
        boite=systeme.boite,
        courriels_attendus=ESSAIS,
    )
