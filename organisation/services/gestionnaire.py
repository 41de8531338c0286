"""A gestionnaire creates a user of the structure (Chorus Pro's « Créer un utilisateur » of the management space,
served by the API's `utilisateurs/v1/gestionnaire/saisir/generalites/nouvelutilisateur`)."""

from django.db import transaction
from django.utils import timezone

from chorus.exceptions import ApplicationError
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure
from organisation.models import Habilitation, Rattachement, Utilisateur
from organisation.services.comptes import _envoyer_lien_activation
from organisation.services.rattachements import profils_par_defaut
from organisation.services.structures import exiger


@transaction.atomic
def utilisateur_creer_par_gestionnaire(*, par, structure, email, prenom, nom, telephone=""):
    """The account is created inactive, with the activation link of a sign-up (the person chooses a password), and
    attached at once with the profiles of an approved attachment: every one but « Organisation – modification »
    (chorus-pro-features.md row 22). An address already known is refused: that person asks for the attachment from
    « Mon compte », so nobody is attached to a structure without their own step."""
    exiger(par, Application.ORGANISATION, Niveau.MODIFICATION, structure)
    if structure.statut != StatutStructure.ACTIVE:
        raise ApplicationError("Cette structure n'est pas active : aucun utilisateur ne peut y être rattaché.")
    email, prenom, nom = email.strip().lower(), prenom.strip(), nom.strip()
    if not prenom:
        raise ApplicationError("Saisissez le prénom de l'utilisateur.", champ="prenom")
    if not nom:
        raise ApplicationError("Saisissez le nom de l'utilisateur.", champ="nom")
    if Utilisateur.objects.filter(email__iexact=email).exists():
        raise ApplicationError(
            "Un compte utilisateur existe déjà avec cette adresse : la personne demande elle-même son rattachement "
            "à la structure depuis « Mon compte ».",
            champ="email",
        )
    utilisateur = Utilisateur.objects.create_user(
        email=email, prenom=prenom, nom=nom, telephone=telephone.strip(), is_active=False
    )
    _envoyer_lien_activation(utilisateur)
    rattachement = Rattachement.objects.create(
        utilisateur=utilisateur,
        structure=structure,
        statut=StatutRattachement.ACTIF,
        traite_le=timezone.now(),
        traite_par=par,
    )
    Habilitation.objects.bulk_create(
        Habilitation(rattachement=rattachement, application=a, niveau=n, service=s) for a, n, s in profils_par_defaut()
    )
    return rattachement
