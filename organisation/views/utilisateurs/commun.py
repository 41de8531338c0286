"""What the views of this package share."""

from django.utils import timezone
from django.utils.dateformat import format as formater_date

REFUS_CONSULTATION = (
    "Vous n'êtes pas habilité à modifier les utilisateurs de cette structure : il faut le profil « Organisation – "
    "modification ». Demandez-le à un gestionnaire de la structure."
)


def effective_le(modification):
    return formater_date(timezone.localtime(modification.effective_le), r"d/m/Y à H \h i")
