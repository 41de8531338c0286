"""Fault 12: two agents process the same invoice at the same instant, one in the portal (« Mise en paiement »), the
other through the API (« Rejetée »). One wins, the other is told the status changed; the history, the supplier's
mails and the lifecycle messages hold one change."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.models import Courriel
from facturation.models import Facture
from raccordement.enums import CanalFlux, EtatFlux, ProtocoleRaccordement, TypeRaccordement
from raccordement.models import FicheRaccordement, Flux, FluxFacture, MessageCycleVie
from tests.conftest import connecter
from tests.factories import facture_deposee
from tests.fiabilite.conftest import attendre
from tests.fiabilite.livres import verifier_livres
from tests.fiabilite.outils import Circuit
from tests.raccordement.test_api_socle import Integrateur

pytestmark = pytest.mark.django_db(transaction=True)

ESSAIS = 5


def factures_de_flux(circuit, nombre=ESSAIS):
    """Invoices deposited by a flux of a supplier connected by API: each status change gives it a message."""
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
        etat=EtatFlux.IN_INTEGRE,
        traitement_fin_le=timezone.now(),
    )
    factures = []
    for rang in range(1, nombre + 1):
        # one transaction, as the pipeline's: the deposit's message is written once the invoice is known as a flux's
        with transaction.atomic():
            facture = facture_deposee(circuit.fournisseur, circuit.destinataire, numero=f"DUO-{rang}")
            FluxFacture.objects.create(
                flux=flux, rang=rang, numero_facture=facture.numero, facture=facture, integree=True
            )
        factures.append(facture)
    return factures


def test_deux_agents_sur_la_meme_facture_au_meme_instant(systeme):
    circuit = Circuit()
    factures = factures_de_flux(circuit)
    integrateur = Integrateur(circuit.destinataire)
    systeme.demarrer("worker")
    portail, api = connecter(Client(), circuit.agents[0]), Client()
    entetes = integrateur.entetes(api)

    gagnants = []
    for facture in factures:
        depart = threading.Barrier(2)
        issues = {}

        def par_le_portail(pk=facture.pk, depart=depart, issues=issues):
            depart.wait()
            reponse = portail.post(
                reverse("facturation:recues_traiter", args=[pk]), {"statut_cible": "MISE_EN_PAIEMENT"}
            )
            issues["MISE_EN_PAIEMENT"] = reponse.status_code == 302
            connection.close()

        def par_l_api(pk=facture.pk, depart=depart, issues=issues):
            depart.wait()
            corps = {"idFacture": pk, "nouveauStatut": "REJETEE", "motif": "Facture en double"}
            issues["REJETEE"] = (
                integrateur.appeler(api, "factures/v1/traiter/recue", corps, **entetes).status_code == 200
            )
            connection.close()

        fils = [threading.Thread(target=par_le_portail), threading.Thread(target=par_l_api)]
        for f in fils:
            f.start()
        for f in fils:
            f.join(timeout=60)
        gagnants.append([statut for statut, gagne in issues.items() if gagne])

    assert all(len(g) == 1 for g in gagnants), gagnants
    for facture, (statut,) in zip(factures, gagnants, strict=True):
        assert Facture.objects.get(pk=facture.pk).statut == statut
        assert facture.historique.count() == 2  # the deposit and one change
        messages = MessageCycleVie.objects.filter(facture=facture).order_by("pk").values_list("statut", flat=True)
        assert list(messages) == ["MISE_A_DISPOSITION", statut]
    assert attendre(lambda: not Courriel.objects.filter(envoye_le__isnull=True).exists())
    time.sleep(1)
    verifier_livres(
        "deux agents au même instant (portail et API)",
        numeros=[f.numero for f in factures],
        boite=systeme.boite,
        courriels_attendus=ESSAIS,
    )
