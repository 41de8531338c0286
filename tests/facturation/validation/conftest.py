import pytest

from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Structure
from tests.factories import StructureFactory, UtilisateurFactory, facture_deposee, rattacher


def structure_publique_active(**kwargs):
    structure = StructureFactory(est_publique=True, **kwargs)
    Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.ACTIVE)
    structure.refresh_from_db()
    return structure


def agent(structure, *habilitations):
    user = UtilisateurFactory()
    rattacher(user, structure, *habilitations)
    return user


class Circuit:
    """A sub-contractor invoices a public entity through its titulaire (A9); an outsider validates elsewhere."""

    def __init__(self):
        self.sous_traitant = StructureFactory(raison_sociale="Sous-traitant Plâtrerie")
        self.titulaire = StructureFactory(raison_sociale="Titulaire Bâtiment")
        self.mandataire = StructureFactory(raison_sociale="Mandataire Groupement")
        self.destinataire = structure_publique_active(raison_sociale="Commune de Valbourg")
        self.valideur = agent(self.titulaire, (Application.VALIDATION, Niveau.MODIFICATION))
        self.valideur_lecteur = agent(self.titulaire, (Application.VALIDATION, Niveau.CONSULTATION))
        self.valideur_2 = agent(self.mandataire, (Application.VALIDATION, Niveau.MODIFICATION))
        self.agent_destinataire = agent(self.destinataire, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
        autre = StructureFactory(raison_sociale="Autre titulaire")
        # every profile, but on its own structure
        self.etranger = autre.rattachements.get().utilisateur

    def facture(self, **champs):
        champs.setdefault("statut", "A_VALIDER_1")
        champs.setdefault("cadre", "A9")
        champs.setdefault("valideur_1", self.titulaire)
        return facture_deposee(self.sous_traitant, self.destinataire, **champs)


@pytest.fixture
def circuit(db):
    return Circuit()
