"""Data the fault tests make through the services: a supplier and a public recipient, invoices, a delayed change."""

from datetime import timedelta

from django.db import transaction

from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Structure
from organisation.services import coordonnees
from tests.factories import StructureFactory, UtilisateurFactory, rattacher


class Circuit:
    """A supplier with a mail address (its status mails go there) and a public recipient with two agents."""

    def __init__(self):
        self.fournisseur = StructureFactory(raison_sociale="Fournisseur fiable")
        Structure.objects.filter(pk=self.fournisseur.pk).update(email="compta@fournisseur.fr")
        self.fournisseur.refresh_from_db()
        self.destinataire = StructureFactory(raison_sociale="Commune de Valbourg", est_publique=True)
        Structure.objects.filter(pk=self.destinataire.pk).update(statut=StatutStructure.ACTIVE)
        self.destinataire.refresh_from_db()
        self.agents = [UtilisateurFactory(), UtilisateurFactory()]
        for agent in self.agents:
            rattacher(agent, self.destinataire, (Application.FACTURES_RECUES, Niveau.MODIFICATION))


def modification_programmer(settings, secondes):
    """An IBAN added through the service, effective in `secondes`: (the pending row, its structure)."""
    settings.MODIFICATIONS_DIFFEREES_DELAI = timedelta(seconds=secondes)
    structure = StructureFactory()
    gp = structure.rattachements.get().utilisateur
    with transaction.atomic():
        modification = coordonnees.coordonnee_bancaire_ajouter(
            structure=structure, par=gp, titulaire="Fiable", iban="FR7630006000011234567890189"
        )
    return modification, structure
