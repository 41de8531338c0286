"""The actors of a works contract, each with one user holding « Factures de travaux – modification », and an
outsider company; `piece()` builds the invoice row a works deposit starts from."""

import datetime

import pytest

from facturation.models import Facture
from organisation.enums import Application, Niveau, StatutStructure, TypeIdentifiant
from organisation.matelas import siret_fictif
from organisation.models import Service, Structure
from tests.factories import UtilisateurFactory, rattacher

LIGNES = [{"designation": "Gros œuvre, situation 1", "quantite": "1", "prix_unitaire_ht": "10000", "taux_tva": "20"}]


def structure(graine, raison_sociale, *, est_publique=False, **champs):
    return Structure.objects.create(
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret_fictif(graine),
        raison_sociale=raison_sociale,
        est_publique=est_publique,
        statut=champs.pop("statut", StatutStructure.ACTIVE),
        **champs,
    )


def utilisateur_travaux(structure_):
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, structure_, (Application.FACTURES_TRAVAUX, Niveau.MODIFICATION))
    return utilisateur


class Chantier:
    """Supplier, MOE (a private engineering firm), public MOA with a service, and an outsider company."""

    def __init__(self):
        self.fournisseur = structure(501, "Bâtiments Durand")
        self.moe = structure(502, "Cabinet d'architectes Lenoir")
        self.moa = structure(503, "Commune de Villeneuve", est_publique=True)
        self.service_moa = Service.objects.create(structure=self.moa, code="TRAVAUX", libelle="Services techniques")
        self.etrangere = structure(504, "Entreprise Étrangère")
        self.u_fournisseur = utilisateur_travaux(self.fournisseur)
        self.u_moe = utilisateur_travaux(self.moe)
        self.u_moa = utilisateur_travaux(self.moa)
        self.u_etranger = utilisateur_travaux(self.etrangere)


@pytest.fixture
def chantier(db):
    return Chantier()


def piece(fournisseur, numero, **champs):
    """An unsaved invoice row for a works deposit (the deposit sets cadre, recipient and totals)."""
    return Facture(numero=numero, date_facture=datetime.date(2026, 3, 31), fournisseur=fournisseur, **champs)
