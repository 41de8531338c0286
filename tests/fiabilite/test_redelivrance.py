"""Fault 7: the same Celery task delivered twice (a broker redelivers an unacknowledged message, a sweeper re-queues
a task still in flight). Every task is sent three times at once to two workers: each effect happens once."""

import time

import pytest
from django.db import transaction

from chorus.courriels import courriel_programmer
from chorus.models import ModificationDifferee
from chorus.tasks import appliquer_modification, envoyer_courriel
from organisation.enums import Application, Niveau
from organisation.models import CoordonneeBancaire
from raccordement.enums import CanalFlux, EtatFlux
from raccordement.models import Flux
from raccordement.services.flux import flux_recevoir
from raccordement.tasks import integrer_flux
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.televersement.conftest import structure
from tests.fiabilite.conftest import attendre
from tests.fiabilite.livres import verifier_livres
from tests.fiabilite.outils import modification_programmer
from tests.raccordement.flux_donnees import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, facture_cii, tar_gz

pytestmark = pytest.mark.django_db(transaction=True)

NOMBRE = 20


def test_une_tache_livree_plusieurs_fois_n_agit_qu_une_fois(systeme, settings):
    vendeur = structure(SIRET_VENDEUR_FNFE, "Fournisseur FNFE")
    structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True)
    deposant = UtilisateurFactory(prenom="Redite")
    rattacher(deposant, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    numeros = [f"BIS-{i:02d}" for i in range(NOMBRE)]
    archive = tar_gz(
        [(f"{n}.xml", facture_cii(n, vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE)) for n in numeros]
    )
    modification, structure_iban = modification_programmer(settings, 1)
    with transaction.atomic():
        flux = flux_recevoir(
            structure=vendeur, contenu=archive, nom_fichier="bis.tar.gz", canal=CanalFlux.PORTAIL, par=deposant
        )
        courriel = courriel_programmer(
            gabarit="organisation/email/tentative_connexion",
            destinataire=deposant.email,
            contexte={"utilisateur": deposant},
        )
    time.sleep(1)  # the change is due: every delivery of its task may apply it
    for _ in range(2):  # with the on_commit one: three deliveries each
        integrer_flux.delay(flux.pk)
        envoyer_courriel.delay(courriel.pk)
        appliquer_modification.delay(modification.pk)

    for nom in ("un", "deux"):
        systeme.demarrer(nom, beat=False, concurrence=2)
    assert attendre(lambda: Flux.objects.filter(pk=flux.pk, etat=EtatFlux.IN_INTEGRE).exists()), flux.etat
    assert attendre(lambda: len(systeme.courriels()) >= 1)
    assert attendre(lambda: CoordonneeBancaire.objects.filter(structure=structure_iban).exists())
    time.sleep(2)  # the other deliveries have run

    assert CoordonneeBancaire.objects.filter(structure=structure_iban).count() == 1
    modification.refresh_from_db()
    assert modification.statut == ModificationDifferee.Statut.APPLIQUEE
    verifier_livres("tâche livrée trois fois", numeros=numeros, boite=systeme.boite, courriels_attendus=1)
