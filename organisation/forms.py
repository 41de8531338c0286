from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core import validators
from dsfr.forms import DsfrBaseForm

from chorus.captcha_audio import champ_captcha
from chorus.courriels import courriel_programmer
from organisation import pigp
from organisation.enums import TypeIdentifiant


def _obligatoire(message):
    return {"required": message}


def champ_type_identifiant(
    label="Type d'identifiant", requis="Choisissez le type d'identifiant de la structure.", aide=""
):
    """The identifier-type select shared by every form that names a structure by its identifier."""
    return forms.ChoiceField(
        label=label,
        choices=TypeIdentifiant.choices,
        initial=TypeIdentifiant.SIRET,
        help_text=aide,
        error_messages={"required": requis, "invalid_choice": "Choisissez un type d'identifiant de la liste."},
    )


def champ_identifiant(*, label, aide, requis):
    return forms.CharField(
        label=label,
        help_text=aide,
        max_length=80,
        error_messages={"required": requis, "max_length": "L'identifiant ne peut pas dépasser 80 caractères."},
    )


class InscriptionForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique de connexion",
        help_text="Format attendu : nom@domaine.fr. Elle doit mener à une boîte que vous consultez : "
        "les codes de connexion y sont envoyés.",
        max_length=254,
        error_messages={
            "required": "Saisissez votre adresse électronique de connexion.",
            "invalid": "L'adresse électronique de connexion n'est pas valide (format attendu : nom@domaine.fr).",
        },
    )
    email_confirmation = forms.EmailField(
        label="Ressaisissez votre adresse électronique de connexion",
        max_length=254,
        error_messages={
            "required": "Ressaisissez votre adresse électronique de connexion.",
            "invalid": "L'adresse ressaisie n'est pas valide (format attendu : nom@domaine.fr).",
        },
    )
    prenom = forms.CharField(label="Prénom", max_length=100, error_messages=_obligatoire("Saisissez votre prénom."))
    nom = forms.CharField(label="Nom", max_length=100, error_messages=_obligatoire("Saisissez votre nom."))
    telephone = forms.RegexField(
        label="Téléphone",
        regex=r"^\+?[0-9 .\-()]{6,20}$",
        max_length=30,
        help_text="Exemple : 01 23 45 67 89 ou +33 1 23 45 67 89",
        error_messages={
            "required": "Saisissez votre numéro de téléphone.",
            "invalid": "Le numéro de téléphone n'est pas valide : chiffres, espaces, points, tirets et + seulement.",
        },
    )
    consentement_enquete = forms.BooleanField(
        label="J'accepte que mon nom, prénom et adresse électronique soient utilisés par le Ministère chargé du "
        "Budget (et par le prestataire réalisant les enquêtes de satisfaction pour le compte de l'AIFE) afin de "
        "recevoir l'enquête de satisfaction sur Chorus Pro. Je note par ailleurs que je pourrai à tout moment "
        "exercer mon droit de retrait en décochant l'option.",
        required=False,
    )
    conditions = forms.BooleanField(
        label="J'accepte les conditions",
        help_text="Conditions générales d'utilisation du portail.",
        error_messages=_obligatoire(
            "Vous devez accepter les conditions générales d'utilisation pour créer un compte."
        ),
    )
    captcha = champ_captcha()

    def clean(self):
        cleaned = super().clean()
        email, confirmation = cleaned.get("email"), cleaned.get("email_confirmation")
        if email and confirmation and email.strip().lower() != confirmation.strip().lower():
            self.add_error(
                "email_confirmation",
                "Les deux adresses électroniques de connexion ne sont pas identiques.",
            )
        return cleaned


class ChoixMotDePasseForm(DsfrBaseForm):
    mot_de_passe = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_obligatoire("Choisissez un mot de passe."),
    )
    mot_de_passe_confirmation = forms.CharField(
        label="Confirmez le mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_obligatoire("Confirmez le mot de passe."),
    )

    def __init__(self, *args, utilisateur=None, **kwargs):
        self.utilisateur = utilisateur
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        mdp, confirmation = cleaned.get("mot_de_passe"), cleaned.get("mot_de_passe_confirmation")
        if mdp and confirmation and mdp != confirmation:
            self.add_error("mot_de_passe_confirmation", "Les deux mots de passe ne sont pas identiques.")
        if mdp:
            try:
                password_validation.validate_password(mdp, self.utilisateur)
            except forms.ValidationError as erreur:
                self.add_error("mot_de_passe", erreur)
        return cleaned


class AdresseForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique de connexion",
        error_messages={
            "required": "Saisissez votre adresse électronique de connexion.",
            "invalid": "L'adresse électronique de connexion n'est pas valide (format attendu : nom@domaine.fr).",
        },
    )


class ConnexionForm(DsfrBaseForm):
    username = forms.CharField(
        label="Adresse électronique de connexion",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
        error_messages={"required": "Saisissez votre adresse électronique de connexion."},
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages=_obligatoire("Saisissez votre mot de passe."),
    )

    def clean_username(self):
        identifiant = self.cleaned_data["username"].strip()
        if pigp.est_login_pigp(identifiant):
            # PIGP logins (DGFiP) authenticate on the public-management portal, never here (organisation/pigp.py)
            raise forms.ValidationError(
                "Les comptes PIGP (identifiant se terminant par « -xt ») se connectent depuis le portail de la "
                "gestion publique (PIGP), qui les transmet à Chorus Pro."
            )
        try:
            validators.validate_email(identifiant)
        except forms.ValidationError:
            raise forms.ValidationError(
                "L'adresse électronique de connexion n'est pas valide (format attendu : nom@domaine.fr)."
            ) from None
        return identifiant


class CodeForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code de sécurité",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "pattern": "[0-9 ]*"}
        ),
        error_messages=_obligatoire("Saisissez le code de sécurité à 6 chiffres."),
    )


class ChangementAdresseForm(DsfrBaseForm):
    nouvelle_adresse = forms.EmailField(
        label="Nouvelle adresse électronique de connexion",
        error_messages={
            "required": "Saisissez la nouvelle adresse électronique de connexion.",
            "invalid": "La nouvelle adresse n'est pas valide (format attendu : nom@domaine.fr).",
        },
    )
    nouvelle_adresse_confirmation = forms.EmailField(
        label="Ressaisissez la nouvelle adresse",
        error_messages={
            "required": "Ressaisissez la nouvelle adresse électronique de connexion.",
            "invalid": "L'adresse ressaisie n'est pas valide (format attendu : nom@domaine.fr).",
        },
    )
    mot_de_passe = forms.CharField(
        label="Mot de passe actuel",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages=_obligatoire("Saisissez votre mot de passe actuel pour confirmer."),
    )

    def clean(self):
        cleaned = super().clean()
        a, b = cleaned.get("nouvelle_adresse"), cleaned.get("nouvelle_adresse_confirmation")
        if a and b and a.strip().lower() != b.strip().lower():
            self.add_error("nouvelle_adresse_confirmation", "Les deux adresses saisies ne sont pas identiques.")
        return cleaned


class AjoutApplicationForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code affiché par l'application",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages=_obligatoire("Saisissez le code à 6 chiffres affiché par l'application."),
    )
    nom = forms.CharField(
        label="Nom de l'appareil",
        max_length=64,
        required=False,
        help_text="Par exemple : Téléphone professionnel dédié à Chorus Pro",
    )

    def __init__(self, *args, remplacement=False, **kwargs):
        super().__init__(*args, **kwargs)
        if remplacement:
            self.fields["code_actuel"] = forms.CharField(
                label="Code de l'application actuellement déclarée",
                max_length=10,
                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
                error_messages=_obligatoire("Saisissez un code de l'application actuelle pour la remplacer."),
            )


class SuppressionApplicationForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code affiché par l'application actuelle",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages=_obligatoire("Saisissez le code à 6 chiffres affiché par l'application."),
    )


class MotDePasseOublieForm(DsfrBaseForm, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Adresse électronique de connexion",
        max_length=254,
        error_messages={
            "required": "Saisissez votre adresse électronique de connexion.",
            "invalid": "L'adresse électronique de connexion n'est pas valide (format attendu : nom@domaine.fr).",
        },
    )

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        # through the outbox and Celery, like every other mail
        from django.conf import settings
        from django.urls import reverse

        lien = settings.URL_PORTAIL + reverse(
            "organisation:mot_de_passe_nouveau", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        courriel_programmer(
            gabarit="organisation/email/mot_de_passe_oublie",
            destinataire=to_email,
            contexte={"utilisateur": context["user"], "lien": lien},
        )


class NouveauMotDePasseForm(DsfrBaseForm, auth_forms.SetPasswordForm):
    pass


class ChangementMotDePasseForm(DsfrBaseForm, auth_forms.PasswordChangeForm):
    pass


class InformationsForm(DsfrBaseForm):
    prenom = forms.CharField(label="Prénom", max_length=100, error_messages=_obligatoire("Saisissez votre prénom."))
    nom = forms.CharField(label="Nom", max_length=100, error_messages=_obligatoire("Saisissez votre nom."))
    telephone = forms.RegexField(
        label="Téléphone",
        regex=r"^\+?[0-9 .\-()]{6,20}$",
        max_length=30,
        required=False,
        help_text="Exemple : 01 23 45 67 89 ou +33 1 23 45 67 89",
        error_messages={
            "invalid": "Le numéro de téléphone n'est pas valide : chiffres, espaces, points, tirets et + seulement."
        },
    )
