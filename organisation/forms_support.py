"""Forms of the support agents' screens and of the directory search."""

from django import forms
from dsfr.forms import DsfrBaseForm

from chorus.recherche import RechercheListe
from organisation.forms import champ_identifiant, champ_type_identifiant
from organisation.selectors.annuaire import TRI_DEFAUT, TRIS


class RechercheAnnuaireForm(RechercheListe, DsfrBaseForm):
    q = forms.CharField(
        label="SIRET, identifiant ou nom de la structure",
        required=False,
        max_length=255,
        help_text="Une partie suffit, par exemple « 213500017 » ou « mairie de rennes ».",
        error_messages={"max_length": "La recherche ne peut pas dépasser 255 caractères."},
    )

    def valeurs(self):
        """(search, sort) from the GET parameters; a bad sort falls back to the default."""
        recherche = self.cleaned_data.get("q", "") if self.is_valid() else ""
        tri = self.data.get("tri", TRI_DEFAUT)
        return recherche, tri if tri in TRIS else TRI_DEFAUT


class MotifRefusStructureForm(DsfrBaseForm):
    motif = forms.CharField(
        label="Motif du refus",
        help_text="Il est envoyé au gestionnaire principal de la structure.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Saisissez le motif du refus : il est communiqué au gestionnaire principal.",
            "max_length": "Le motif ne peut pas dépasser 2000 caractères.",
        },
    )


class RechercheUtilisateurForm(DsfrBaseForm):
    q = forms.CharField(
        label="Adresse électronique, nom ou identifiant PIGP",
        max_length=255,
        error_messages={
            "required": "Saisissez une adresse électronique, un nom ou un identifiant PIGP.",
            "max_length": "La recherche ne peut pas dépasser 255 caractères.",
        },
    )


class ChangementAdresseSupportForm(DsfrBaseForm):
    nouvelle_adresse = forms.EmailField(
        label="Nouvelle adresse électronique de connexion",
        help_text="Format attendu : nom@domaine.fr. Un lien de confirmation, valable 24 heures, y sera envoyé.",
        max_length=254,
        error_messages={
            "required": "Saisissez la nouvelle adresse électronique de connexion.",
            "invalid": "La nouvelle adresse n'est pas valide (format attendu : nom@domaine.fr).",
            "max_length": "L'adresse ne peut pas dépasser 254 caractères.",
        },
    )
    nouvelle_adresse_confirmation = forms.EmailField(
        label="Ressaisissez la nouvelle adresse",
        max_length=254,
        error_messages={
            "required": "Ressaisissez la nouvelle adresse électronique de connexion.",
            "invalid": "L'adresse ressaisie n'est pas valide (format attendu : nom@domaine.fr).",
            "max_length": "L'adresse ne peut pas dépasser 254 caractères.",
        },
    )

    def clean(self):
        cleaned = super().clean()
        a, b = cleaned.get("nouvelle_adresse"), cleaned.get("nouvelle_adresse_confirmation")
        if a and b and a.strip().lower() != b.strip().lower():
            self.add_error("nouvelle_adresse_confirmation", "Les deux adresses saisies ne sont pas identiques.")
        return cleaned


class ChoixRattachementField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.utilisateur.nom_complet} ({obj.utilisateur.email})"


class TransfertGestionnaireSupportForm(DsfrBaseForm):
    destinataire = ChoixRattachementField(
        label="Nouveau gestionnaire principal",
        help_text="Un utilisateur rattaché à la structure, au compte actif.",
        queryset=None,
        empty_label="Choisissez un utilisateur",
        error_messages={
            "required": "Choisissez le nouveau gestionnaire principal.",
            "invalid_choice": "Choisissez un utilisateur rattaché à la structure : le nouveau gestionnaire "
            "principal doit déjà y être rattaché.",
        },
    )
    motif = forms.CharField(
        label="Motif du transfert",
        help_text="Par exemple : départ du gestionnaire principal, demande de la structure du …",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Saisissez le motif du transfert (par exemple : départ du gestionnaire).",
            "max_length": "Le motif ne peut pas dépasser 2000 caractères.",
        },
    )

    def __init__(self, *args, candidats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destinataire"].queryset = candidats


class RechercheStructureSupportForm(DsfrBaseForm):
    q = forms.CharField(
        label="Identifiant ou raison sociale de la structure",
        help_text="Une partie suffit, par exemple « 213500017 » ou « mairie de rennes ».",
        max_length=255,
        error_messages={
            "required": "Saisissez un identifiant (SIRET…) ou une raison sociale.",
            "max_length": "La recherche ne peut pas dépasser 255 caractères.",
        },
    )


class DoublonStructureForm(DsfrBaseForm):
    type_identifiant = champ_type_identifiant(
        label="Type d'identifiant de la structure d'origine",
        requis="Choisissez le type d'identifiant de la structure d'origine.",
    )
    identifiant = champ_identifiant(
        label="Identifiant de la structure d'origine",
        aide="Par exemple un SIRET de 14 chiffres. La structure d'origine doit être active.",
        requis="Saisissez l'identifiant de la structure d'origine.",
    )
    motif = forms.CharField(
        label="Motif",
        help_text="Par exemple : structure créée deux fois, demande du … Il est envoyé au gestionnaire principal "
        "de la structure marquée comme doublon.",
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Saisissez le motif : il est communiqué au gestionnaire principal du doublon.",
            "max_length": "Le motif ne peut pas dépasser 255 caractères.",
        },
    )
