from organisation.enums import StatutRattachement
from organisation.models import Rattachement


def rattachements_actifs(utilisateur):
    return (
        Rattachement.objects.filter(utilisateur=utilisateur, statut=StatutRattachement.ACTIF)
        .select_related("structure")
        .order_by("structure__raison_sociale")
    )


def a_une_structure(utilisateur):
    return Rattachement.objects.filter(utilisateur=utilisateur, statut=StatutRattachement.ACTIF).exists()
