"""Structure creation, the part the foundation needs (the demo data set); issue #3 adds the screens and checks."""

from django.db import transaction

from organisation.enums import StatutRattachement, StatutStructure
from organisation.habilitations import toutes_les_habilitations
from organisation.models import Habilitation, Rattachement, Structure
from organisation.workflow import STRUCTURE_WORKFLOW


@transaction.atomic
def structure_creer(*, par, type_identifiant, identifiant, raison_sociale, est_publique=False):
    """The creator becomes gestionnaire principal with every profile. A public structure waits for the support."""
    structure = Structure.objects.create(
        type_identifiant=type_identifiant,
        identifiant=identifiant,
        raison_sociale=raison_sociale,
        est_publique=est_publique,
        statut=StatutStructure.EN_ATTENTE_VALIDATION if est_publique else StatutStructure.ACTIVE,
    )
    rattachement = Rattachement.objects.create(
        utilisateur=par, structure=structure, statut=StatutRattachement.ACTIF, est_gestionnaire_principal=True
    )
    Habilitation.objects.bulk_create(
        Habilitation(rattachement=rattachement, application=application, niveau=niveau)
        for application, niveau in toutes_les_habilitations()
    )
    return structure


@transaction.atomic
def structure_valider(*, structure, par, commentaire=""):
    return STRUCTURE_WORKFLOW.appliquer(structure, "valider", par=par, commentaire=commentaire)


@transaction.atomic
def structure_refuser(*, structure, par, motif):
    return STRUCTURE_WORKFLOW.appliquer(structure, "refuser", par=par, motif=motif)
