import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from organisation.enums import ObjetLien


class UtilisateurManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, is_active=True)
        return self.create_user(email, password, **extra)


class Utilisateur(AbstractBaseUser, PermissionsMixin):
    """A person; the login is the e-mail address. Structures are reached through rattachements."""

    email = models.EmailField("adresse électronique de connexion", unique=True)
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    consentement_enquete = models.BooleanField("accepte les enquêtes de satisfaction", default=False)
    conditions_acceptees_le = models.DateTimeField(null=True, blank=True)
    # inactive until the activation link has been followed and a password chosen
    is_active = models.BooleanField("actif", default=False)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    est_agent_support = models.BooleanField("agent du support", default=False)
    # Accounts of the DGFiP's public-management portal (PIGP): created by injection, authenticated upstream,
    # so not asked for Chorus Pro's second factor (see organisation/pigp.py).
    est_pigp = models.BooleanField("compte PIGP", default=False)
    date_joined = models.DateTimeField("créé le", default=timezone.now)
    # the login before the current one, for "Dernière connexion le …"
    connexion_precedente = models.DateTimeField(null=True, blank=True)

    objects = UtilisateurManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["prenom", "nom"]

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.UniqueConstraint(models.functions.Lower("email"), name="utilisateur_email_unique_insensible"),
        ]

    def __str__(self):
        return self.nom_complet or self.email

    @property
    def nom_complet(self):
        return f"{self.prenom} {self.nom}".strip()

    def get_full_name(self):
        return self.nom_complet

    def get_short_name(self):
        return self.prenom

    def _get_session_auth_hash(self, secret=None):
        # The login address is part of the hash: changing it ends every open session, as Chorus Pro requires.
        return salted_hmac(
            "organisation.Utilisateur.session",
            f"{self.password}|{self.email.lower()}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


def _empreinte(jeton):
    return hashlib.sha256(jeton.encode()).hexdigest()


class LienUniqueQuerySet(models.QuerySet):
    def par_jeton(self, jeton, objet):
        return self.filter(empreinte=_empreinte(jeton), objet=objet).select_related("utilisateur").first()


class LienUnique(models.Model):
    """A one-time link sent by mail (activation, change of login address). Only the token's hash is stored."""

    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="liens")
    objet = models.CharField(max_length=30, choices=ObjetLien)
    empreinte = models.CharField(max_length=64, unique=True)
    nouvelle_adresse = models.EmailField(blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    expire_le = models.DateTimeField()
    utilise_le = models.DateTimeField(null=True, blank=True)
    remplace_le = models.DateTimeField(null=True, blank=True)

    objects = LienUniqueQuerySet.as_manager()

    class Meta:
        verbose_name = "lien à usage unique"

    def __str__(self):
        return f"{self.get_objet_display()} – {self.utilisateur}"

    @classmethod
    def emettre(cls, *, utilisateur, objet, validite, nouvelle_adresse=""):
        """Create a link and return (row, clear token); the clear token goes only into the mail."""
        jeton = secrets.token_urlsafe(32)
        now = timezone.now()
        lien = cls.objects.create(
            utilisateur=utilisateur,
            objet=objet,
            empreinte=_empreinte(jeton),
            nouvelle_adresse=nouvelle_adresse,
            cree_le=now,
            expire_le=now + validite,
        )
        return lien, jeton

    @property
    def est_expire(self):
        return timezone.now() >= self.expire_le
