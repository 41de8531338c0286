"""Writes on user accounts: sign-up, activation, login address change. Every mail leaves after commit."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chorus.courriels import courriel_programmer
from chorus.exceptions import ApplicationError
from organisation.enums import ObjetLien
from organisation.models import LienUnique, Utilisateur


class LienInvalide(ApplicationError):
    def __init__(self, message, *, raison, lien=None):
        super().__init__(message)
        self.raison = raison  # "inconnu", "utilise", "expire"
        self.lien = lien


def _url(nom, **kwargs):
    return settings.URL_PORTAIL + reverse(nom, kwargs=kwargs)


def _envoyer_lien_activation(utilisateur):
    LienUnique.objects.filter(
        utilisateur=utilisateur, objet=ObjetLien.ACTIVATION, utilise_le__isnull=True, remplace_le__isnull=True
    ).update(remplace_le=timezone.now())
    lien, jeton = LienUnique.emettre(
        utilisateur=utilisateur, objet=ObjetLien.ACTIVATION, validite=settings.LIEN_ACTIVATION_VALIDITE
    )
    courriel_programmer(
        gabarit="organisation/email/activation",
        destinataire=utilisateur.email,
        contexte={
            "utilisateur": utilisateur,
            "lien": _url("organisation:activer", jeton=jeton),
            "expire_le": lien.expire_le,
            "renvoi": _url("organisation:activation_renvoyer"),
        },
    )


@transaction.atomic
def compte_creer(*, email, prenom, nom, telephone="", consentement_enquete=False):
    """Step 1 of Chorus Pro's account creation. The answer is the same whether or not the address is known:
    a known address gets a mail saying so, never a second account."""
    email = email.strip().lower()
    existant = Utilisateur.objects.filter(email__iexact=email).first()
    if existant is not None:
        if existant.is_active:
            courriel_programmer(
                gabarit="organisation/email/compte_existant",
                destinataire=existant.email,
                contexte={"utilisateur": existant, "oubli": _url("organisation:mot_de_passe_oublie")},
            )
        else:
            _envoyer_lien_activation(existant)
        return None
    utilisateur = Utilisateur.objects.create_user(
        email=email,
        prenom=prenom.strip(),
        nom=nom.strip(),
        telephone=telephone.strip(),
        consentement_enquete=consentement_enquete,
        conditions_acceptees_le=timezone.now(),
        is_active=False,
    )
    _envoyer_lien_activation(utilisateur)
    return utilisateur


def lien_verifier(*, jeton, objet):
    """The link behind `jeton`, or LienInvalide saying why (unknown, already used, expired)."""
    lien = LienUnique.objects.par_jeton(jeton, objet)
    if lien is None:
        raise LienInvalide("Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.", raison="inconnu")
    if lien.utilise_le is not None:
        raise LienInvalide("Ce lien a déjà été utilisé.", raison="utilise", lien=lien)
    if lien.remplace_le is not None:
        raise LienInvalide(
            "Ce lien a été remplacé par un lien plus récent : utilisez le dernier courriel reçu.",
            raison="remplace",
            lien=lien,
        )
    if lien.est_expire:
        raise LienInvalide(
            f"Ce lien a expiré le {timezone.localtime(lien.expire_le):%d/%m/%Y à %H:%M}.", raison="expire", lien=lien
        )
    return lien


@transaction.atomic
def compte_activer(*, jeton, mot_de_passe):
    lien = lien_verifier(jeton=jeton, objet=ObjetLien.ACTIVATION)
    utilisateur = Utilisateur.objects.select_for_update().get(pk=lien.utilisateur_id)
    validate_password(mot_de_passe, utilisateur)
    utilisateur.set_password(mot_de_passe)
    utilisateur.is_active = True
    utilisateur.save(update_fields=["password", "is_active"])
    lien.utilise_le = timezone.now()
    lien.save(update_fields=["utilise_le"])
    return utilisateur


@transaction.atomic
def activation_renvoyer(*, email):
    """Send a fresh activation link to an account not yet activated; silent otherwise."""
    utilisateur = Utilisateur.objects.filter(email__iexact=email.strip(), is_active=False).first()
    if utilisateur is None:
        return
    deja_active = utilisateur.liens.filter(objet=ObjetLien.ACTIVATION, utilise_le__isnull=False).exists()
    if not deja_active:  # a deactivated account is not reopened by a mail
        _envoyer_lien_activation(utilisateur)


@transaction.atomic
def adresse_changement_demander(*, utilisateur, nouvelle_adresse, mot_de_passe):
    if not utilisateur.check_password(mot_de_passe):
        raise ApplicationError("Le mot de passe saisi est incorrect.", champ="mot_de_passe")
    nouvelle_adresse = nouvelle_adresse.strip().lower()
    if nouvelle_adresse == utilisateur.email.lower():
        raise ApplicationError(
            "La nouvelle adresse est identique à votre adresse de connexion actuelle.", champ="nouvelle_adresse"
        )
    if Utilisateur.objects.filter(email__iexact=nouvelle_adresse).exists():
        _remplacer_liens_changement_adresse(utilisateur)
        # Said only to the owner of the new mailbox, so the form reveals nothing about other accounts.
        courriel_programmer(
            gabarit="organisation/email/adresse_deja_utilisee",
            destinataire=nouvelle_adresse,
            contexte={"utilisateur": utilisateur},
        )
        return None
    return envoyer_lien_changement_adresse(utilisateur=utilisateur, nouvelle_adresse=nouvelle_adresse)


def _remplacer_liens_changement_adresse(utilisateur):
    LienUnique.objects.filter(
        utilisateur=utilisateur,
        objet=ObjetLien.CHANGEMENT_ADRESSE,
        utilise_le__isnull=True,
        remplace_le__isnull=True,
    ).update(remplace_le=timezone.now())


def envoyer_lien_changement_adresse(*, utilisateur, nouvelle_adresse):
    """The 24-hour confirmation link to the new address (older links replaced), and a word to the old one. Shared by
    the user's own request and the support's."""
    _remplacer_liens_changement_adresse(utilisateur)
    lien, jeton = LienUnique.emettre(
        utilisateur=utilisateur,
        objet=ObjetLien.CHANGEMENT_ADRESSE,
        validite=settings.LIEN_CHANGEMENT_ADRESSE_VALIDITE,
        nouvelle_adresse=nouvelle_adresse,
    )
    courriel_programmer(
        gabarit="organisation/email/adresse_confirmer",
        destinataire=nouvelle_adresse,
        contexte={
            "utilisateur": utilisateur,
            "lien": _url("organisation:adresse_confirmer", jeton=jeton),
            "expire_le": lien.expire_le,
        },
    )
    courriel_programmer(
        gabarit="organisation/email/adresse_demande_ancienne",
        destinataire=utilisateur.email,
        contexte={"utilisateur": utilisateur, "nouvelle_adresse": nouvelle_adresse},
    )
    return lien


@transaction.atomic
def adresse_changement_confirmer(*, jeton):
    """Apply the new login address. Every open session of the account ends (the session hash includes it)."""
    lien = lien_verifier(jeton=jeton, objet=ObjetLien.CHANGEMENT_ADRESSE)
    utilisateur = Utilisateur.objects.select_for_update().get(pk=lien.utilisateur_id)
    if Utilisateur.objects.filter(email__iexact=lien.nouvelle_adresse).exclude(pk=utilisateur.pk).exists():
        raise ApplicationError("Cette adresse est déjà utilisée par un autre compte.")
    ancienne = utilisateur.email
    utilisateur.email = lien.nouvelle_adresse
    utilisateur.save(update_fields=["email"])
    lien.utilise_le = timezone.now()
    lien.save(update_fields=["utilise_le"])
    for destinataire in (utilisateur.email, ancienne):
        courriel_programmer(
            gabarit="organisation/email/adresse_changee",
            destinataire=destinataire,
            contexte={"utilisateur": utilisateur, "ancienne": ancienne, "nouvelle": utilisateur.email},
        )
    return utilisateur


@transaction.atomic
def informations_modifier(*, utilisateur, prenom, nom, telephone=""):
    """A change to the user account: effective after the delay, like on Chorus Pro."""
    from chorus.differe import modification_programmer

    donnees = {"prenom": prenom.strip(), "nom": nom.strip(), "telephone": telephone.strip()}
    if not donnees["prenom"]:
        raise ApplicationError("Saisissez votre prénom.", champ="prenom")
    if not donnees["nom"]:
        raise ApplicationError("Saisissez votre nom.", champ="nom")
    donnees = {k: v for k, v in donnees.items() if getattr(utilisateur, k) != v}
    if not donnees:
        raise ApplicationError("Aucune modification n'a été saisie.")
    return modification_programmer(
        objet=utilisateur,
        operation="utilisateur.modifier",
        donnees=donnees,
        par=utilisateur,
        libelle="Modification de vos informations personnelles",
        perimetre=f"utilisateur:{utilisateur.pk}",
    )
