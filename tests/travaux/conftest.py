"""The actors of a works contract, each with one user holding « Factures de travaux – modification », and an
outsider company; `piece()` builds the invoice row a works deposit starts from."""

import datetime

import pytest

from facturation.models import Facture
from organisation.enums import Application, Niveau, StatutStructure, TypeIdentifiant
from organisation.matelas import siret_fictif
from organisation.models import Service, Structure
from tests.factories import UtilisateurFactory, rattacher
from travaux.services.depot import piece_deposer

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


class Groupement:
    """A groupement conjoint on the works contract: the mandataire, a co-contractor, a sub-contractor of the
    co-contractor; the MOE and the MOA; an outsider validator."""

    def __init__(self):
        self.mandataire = structure(601, "Mandataire Constructions")
        self.service_mandataire = Service.objects.create(structure=self.mandataire, code="MARCHES", libelle="Marchés")
        self.cotraitant = structure(602, "Cotraitant Électricité")
        self.sous_traitant = structure(603, "Sous-traitant Peinture")
        self.moe = structure(604, "Cabinet Lenoir")
        self.moa = structure(605, "Commune de Valbourg", est_publique=True)
        self.etrangere = structure(606, "Entreprise Étrangère")
        self.u_cotraitant = utilisateur_travaux(self.cotraitant)
        self.u_sous_traitant = utilisateur_travaux(self.sous_traitant)
        self.u_moe = utilisateur_travaux(self.moe)
        self.v_mandataire = valideur(self.mandataire)
        self.v_cotraitant = valideur(self.cotraitant)
        self.v_etranger = valideur(self.etrangere)

    def deposer(self, cadre="A13", *, par=None, role="cotraitant", fournisseur=None, numero="PDM-CT-1", **options):
        return piece_deposer(
            par=par or self.u_cotraitant,
            role=role,
            cadre=cadre,
            type_depot="initial",
            canal="portail",
            facture=piece(fournisseur or self.cotraitant, numero),
            lignes=LIGNES,
            moe=self.moe,
            moa=self.moa,
            **options,
        )


def valideur(structure_):
    user = UtilisateurFactory()
    rattacher(user, structure_, (Application.VALIDATION, Niveau.MODIFICATION))
    return user


@pytest.fixture
def chantier(db):
    return Chantier()


def piece(fournisseur, numero, **champs):
    """An unsaved invoice row for a works deposit (the deposit sets cadre, recipient and totals)."""
    return Facture(numero=numero, date_facture=datetime.date(2026, 3, 31), fournisseur=fournisseur, **champs)
