"""Forms of the structure pages: creation, fiche, parameters, services, bank details, mandate, attachments.

The checks that need no database (identifier formats, VAT, IBAN, attachment rules) run here as well as in the
services, so that every wrong field is reported at once; the services stay the authority.
"""

import json

from django import forms
from django.utils.html import format_html_join
from dsfr.forms import DsfrBaseForm

from chorus.exceptions import ApplicationError
from organisation import identifiants, types_pieces
from organisation.enums import Application, TypeIdentifiant
from organisation.forms import champ_type_identifiant
from organisation.models import Service, Structure
from organisation.pays import nom_du_pays, pays_choix  # noqa: F401 — nom_du_pays: imported from here by the views
from organisation.services.coordonnees import verifier_piece_jointe
from organisation.services.structures import DELAIS_GLOBAUX_PAIEMENT

PRIVEE, PUBLIQUE = "PRIVEE", "PUBLIQUE"  # typeStructure (chorus-pro-api.md §4.5)

AIDES_IDENTIFIANT = {
    TypeIdentifiant.SIRET: "Veuillez renseigner le siret de la structure : 14 chiffres, par exemple "
    "130 005 481 00010.",
    TypeIdentifiant.UE_HORS_FRANCE: "Numéro de TVA intracommunautaire précédé du code du pays, par exemple "
    "DE136695976.",
    TypeIdentifiant.HORS_UE: "Identifiant de la structure dans son pays : 2 à 80 lettres, chiffres, espaces, points "
    "ou tirets.",
    TypeIdentifiant.RIDET: "Numéro d'entreprise (6 ou 7 chiffres) suivi du rang de l'établissement (3 chiffres), par "
    "exemple 1234567.001.",
    TypeIdentifiant.TAHITI: "6 caractères (lettres ou chiffres) suivis du rang de l'établissement (3 chiffres), par "
    "exemple A12345001.",
    TypeIdentifiant.PARTICULIER: "Laissez ce champ vide : le portail attribue un identifiant.",
    TypeIdentifiant.EN_COURS_IMMATRICULATION: "Laissez ce champ vide : le portail attribue un identifiant provisoire.",
}
SANS_IDENTIFIANT = {TypeIdentifiant.PARTICULIER, TypeIdentifiant.EN_COURS_IMMATRICULATION}
MESSAGE_ESPACES = "Choisissez au moins un espace utilisé par la structure."


def _obligatoire(message):
    return {"required": message}


def _libelle(champ, modele=Structure):
    return str(modele._meta.get_field(champ).verbose_name)


def _texte(label, max_length, *, requis=None, aide="", **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=requis is not None,
        help_text=aide,
        error_messages={
            "required": requis or "",
            "max_length": f"{label} : {max_length} caractères au plus.",
        },
        **kwargs,
    )


def _date(label, *, requis=None, aide="Format attendu : jj/mm/aaaa"):
    return forms.DateField(
        label=label,
        required=requis is not None,
        help_text=aide,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": requis or "",
            "invalid": f"La date « {label.lower()} » n'est pas valide (format attendu : jj/mm/aaaa).",
        },
    )


class _SaisieSelonLeType(forms.TextInput):
    def use_required_attribute(self, initial):
        return False


class ChampSelonLeType(forms.CharField):
    """Shown as required (the hint says for which identifier types); the form's clean() decides, knowing the
    type chosen."""

    widget = _SaisieSelonLeType

    def __init__(self, label, max_length, aide):
        super().__init__(label=label, max_length=max_length, required=True, help_text=aide)
        self.error_messages["max_length"] = f"{label} : {max_length} caractères au plus."

    def validate(self, value):
        pass


def _boutons_radio():
    # "django.forms" comes before "dsfr" in INSTALLED_APPS, so Django's option templates would win over the
    # DSFR ones: name the DSFR markup explicitly
    widget = forms.RadioSelect()
    widget.option_template_name = "organisation/structures/widgets/option_radio.html"
    return widget


def _cases_a_cocher():
    widget = forms.CheckboxSelectMultiple()
    widget.option_template_name = "organisation/structures/widgets/option_case.html"
    return widget


def _case(label, aide=""):
    return forms.BooleanField(label=label, required=False, help_text=aide)


class AdresseMixin(forms.Form):
    """The postal address fields shared by structures and services (organisation.models.structures.Adresse)."""

    adresse = _texte("Adresse", 255, requis="Saisissez l'adresse (numéro et voie).")
    complement_1 = _texte("Complément d'adresse 1", 255)
    complement_2 = _texte("Complément d'adresse 2", 255)
    code_postal = _texte("Code postal", 20, requis="Saisissez le code postal.")
    ville = _texte("Ville", 100, requis="Saisissez la ville.")
    pays = forms.ChoiceField(
        label="Pays",
        choices=pays_choix,
        initial="FR",
        error_messages={"required": "Choisissez le pays.", "invalid_choice": "Choisissez un pays de la liste."},
    )
    telephone = forms.RegexField(
        label="Téléphone",
        regex=r"^\+?[0-9 .\-()]{6,30}$",
        max_length=30,
        required=False,
        help_text="Exemple : 01 23 45 67 89 ou +33 1 23 45 67 89",
        error_messages={
            "invalid": "Le numéro de téléphone n'est pas valide : chiffres, espaces, points, tirets et + seulement.",
            "max_length": "Le numéro de téléphone comporte 30 caractères au plus.",
        },
    )


def _adresse_facultative(form):
    for nom in ("adresse", "code_postal", "ville"):
        form.fields[nom].required = False


class StructureCreationForm(AdresseMixin, DsfrBaseForm):
    type_identifiant = champ_type_identifiant(
        aide="Le type d'identifiant détermine les champs à compléter (voir l'aide de chaque champ)."
    )
    identifiant = ChampSelonLeType(
        "Identifiant de la structure",
        80,
        "Sauf pour « Particulier » et « En cours d'immatriculation ». Selon le type d'identifiant :"
        + format_html_join(
            "", "<br>{} : {}", ((libelle, AIDES_IDENTIFIANT[v]) for v, libelle in TypeIdentifiant.choices)
        ),
    )
    raison_sociale = ChampSelonLeType("Raison sociale", 255, "Pour tous les types d'identifiant sauf « Particulier ».")
    nom = ChampSelonLeType("Nom du particulier", 100, "Uniquement pour le type « Particulier ».")
    prenom = ChampSelonLeType("Prénom du particulier", 100, "Uniquement pour le type « Particulier ».")
    numero_tva = _texte(
        "Numéro de TVA intracommunautaire",
        20,
        aide="Code du pays puis numéro, par exemple FR40303265045 ; celui d'une structure identifiée "
        "par son SIRET commence par FR.",
    )
    numero_rcs = _texte("Numéro RCS", 40, aide="Numéro d'inscription au registre du commerce.")
    email = forms.EmailField(
        label="Adresse électronique de la structure",
        required=False,
        help_text="Format attendu : nom@domaine.fr",
        error_messages={"invalid": "L'adresse électronique n'est pas valide (format attendu : nom@domaine.fr)."},
    )
    type_structure = forms.ChoiceField(
        label="Structure privée ou publique",
        choices=[(PRIVEE, "Structure privée"), (PUBLIQUE, "Structure publique")],
        initial=PRIVEE,
        widget=_boutons_radio(),
        help_text="Une structure publique (État, collectivité, établissement public…) est active après validation "
        "par le support. Un particulier est une structure privée.",
        error_messages={
            "required": "Indiquez si la structure est privée ou publique.",
            "invalid_choice": "Indiquez si la structure est privée ou publique.",
        },
    )

    field_order = [
        "type_identifiant", "identifiant", "raison_sociale", "nom", "prenom", "numero_tva", "numero_rcs",
        "adresse", "complement_1", "complement_2", "code_postal", "ville", "pays", "telephone", "email",
        "type_structure",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # read by static/js/structures.js to show only the hint and fields of the chosen type
        self.fields["type_identifiant"].widget.attrs["data-aides"] = json.dumps(AIDES_IDENTIFIANT)

    def clean(self):
        donnees = super().clean()
        type_identifiant = donnees.get("type_identifiant")
        if not type_identifiant:
            return donnees
        if type_identifiant in SANS_IDENTIFIANT:
            donnees["identifiant"] = ""
        elif "identifiant" in donnees:
            try:
                identifiants.verifier_identifiant(type_identifiant, donnees["identifiant"])
            except ApplicationError as erreur:
                self.add_error("identifiant", erreur.message)
        if type_identifiant == TypeIdentifiant.PARTICULIER:
            if "nom" in donnees and not donnees["nom"]:
                self.add_error("nom", "Saisissez le nom du particulier.")
            if "prenom" in donnees and not donnees["prenom"]:
                self.add_error("prenom", "Saisissez le prénom du particulier.")
            if donnees.get("type_structure") == PUBLIQUE:
                self.add_error("type_structure", "Un particulier ne peut pas être une structure publique.")
        elif "raison_sociale" in donnees and not donnees["raison_sociale"]:
            self.add_error("raison_sociale", "Saisissez la raison sociale de la structure.")
        if donnees.get("numero_tva"):
            try:
                identifiants.verifier_tva(
                    donnees["numero_tva"], pays_attendu="FR" if type_identifiant == TypeIdentifiant.SIRET else None
                )
            except ApplicationError as erreur:
                self.add_error("numero_tva", erreur.message)
        return donnees

    def arguments_du_service(self):
        donnees = dict(self.cleaned_data)
        donnees["est_publique"] = donnees.pop("type_structure") == PUBLIQUE
        return donnees


class FicheForm(AdresseMixin, DsfrBaseForm):
    raison_sociale = _texte("Raison sociale", 255, requis="Saisissez la raison sociale de la structure.")
    nom = _texte("Nom du particulier", 100, requis="Saisissez le nom du particulier.")
    prenom = _texte("Prénom du particulier", 100, requis="Saisissez le prénom du particulier.")
    numero_tva = _texte(
        "Numéro de TVA intracommunautaire", 20, aide="Code du pays puis numéro, par exemple FR40303265045."
    )
    numero_rcs = _texte("Numéro RCS", 40, aide="Numéro d'inscription au registre du commerce et des sociétés.")
    email = forms.EmailField(
        label="Adresse électronique de la structure",
        required=False,
        help_text="Format attendu : nom@domaine.fr",
        error_messages={"invalid": "L'adresse électronique n'est pas valide (format attendu : nom@domaine.fr)."},
    )

    field_order = [
        "raison_sociale", "nom", "prenom", "numero_tva", "numero_rcs", "adresse", "complement_1", "complement_2",
        "code_postal", "ville", "pays", "telephone", "email",
    ]  # fmt: skip

    def __init__(self, *args, structure, **kwargs):
        self.structure = structure
        initial = {nom: getattr(structure, nom) for nom in self.field_order}
        super().__init__(*args, initial=initial, **kwargs)
        if structure.type_identifiant != TypeIdentifiant.PARTICULIER:
            del self.fields["nom"], self.fields["prenom"]
        # a structure created before the address was asked may keep an empty one
        _adresse_facultative(self)

    def clean_numero_tva(self):
        numero = self.cleaned_data["numero_tva"]
        if numero:
            francaise = self.structure.type_identifiant == TypeIdentifiant.SIRET
            try:
                identifiants.verifier_tva(numero, pays_attendu="FR" if francaise else None)
            except ApplicationError as erreur:
                raise forms.ValidationError(erreur.message) from None
        return numero


PARAMETRES = [
    "code_service_obligatoire", "engagement_obligatoire", "engagement_ou_service",
    "statut_mise_en_paiement_non_remonte", "moa_uniquement",
]  # fmt: skip
# "Organisation" is where the structure is managed: it cannot be switched off.
ESPACES_CHOISIS = [(valeur, libelle) for valeur, libelle in Application.choices if valeur != Application.ORGANISATION]


def _champ_delai_global_paiement(actuel):
    choix = list(DELAIS_GLOBAUX_PAIEMENT.items())
    if actuel not in DELAIS_GLOBAUX_PAIEMENT:  # a value set before this choice existed stays selectable
        choix.append((actuel, f"{actuel} jours (valeur actuelle)"))
    return forms.TypedChoiceField(
        label=_libelle("delai_global_paiement"),
        choices=choix,
        coerce=int,
        help_text="Code de la commande publique, art. R. 2192-10 et R. 2192-11 : il s'applique aux factures "
        "déposées après la prise d'effet de la modification.",
        error_messages={
            "required": "Choisissez le délai global de paiement.",
            "invalid_choice": "Choisissez un délai global de paiement de la liste.",
        },
    )


class ParametresForm(DsfrBaseForm):
    # the labels are Chorus Pro's own (chorus-pro-api.md §4.8), kept on the model
    code_service_obligatoire = _case(_libelle("code_service_obligatoire"))
    engagement_obligatoire = _case(_libelle("engagement_obligatoire"))
    engagement_ou_service = _case(
        _libelle("engagement_ou_service"),
        "Le numéro d'engagement ou le code service doit être renseigné ; ne se combine pas avec les deux "
        "paramètres précédents.",
    )
    statut_mise_en_paiement_non_remonte = _case(_libelle("statut_mise_en_paiement_non_remonte"))
    moa_uniquement = _case(_libelle("moa_uniquement"))
    espaces = forms.MultipleChoiceField(
        label="Espaces utilisés par la structure",
        choices=ESPACES_CHOISIS,
        widget=_cases_a_cocher(),
        help_text="Les applications que la structure utilise ; l'espace « Organisation » est toujours ouvert.",
        error_messages={"required": MESSAGE_ESPACES, "invalid_choice": "Choisissez des espaces de la liste."},
    )

    def __init__(self, *args, structure, **kwargs):
        self.structure = structure
        initial = {nom: getattr(structure, nom) for nom in PARAMETRES}
        initial["espaces"] = [e for e in (structure.espaces or Application.values) if e != Application.ORGANISATION]
        initial["delai_global_paiement"] = structure.delai_global_paiement
        super().__init__(*args, initial=initial, **kwargs)
        if structure.est_publique:
            # the délai is the recipient's: a private structure receives no invoice from the public sector
            self.fields["delai_global_paiement"] = _champ_delai_global_paiement(structure.delai_global_paiement)
            self.order_fields([*PARAMETRES, "delai_global_paiement", "espaces"])

    def arguments_du_service(self):
        donnees = {nom: self.cleaned_data[nom] for nom in PARAMETRES}
        if "delai_global_paiement" in self.fields:
            donnees["delai_global_paiement"] = self.cleaned_data["delai_global_paiement"]
        choisis = set(self.cleaned_data["espaces"]) | {Application.ORGANISATION}
        if choisis == set(self.structure.espaces or Application.values):
            donnees["espaces"] = self.structure.espaces  # an empty list already means "every espace"
        else:
            donnees["espaces"] = [e for e in Application.values if e in choisis]
        return donnees


class ServiceForm(AdresseMixin, DsfrBaseForm):
    code = _texte(
        "Code du service",
        100,
        requis="Saisissez le code du service.",
        aide="Le code que les fournisseurs indiquent sur leurs factures ; il ne pourra plus être modifié.",
    )
    libelle = _texte("Libellé du service", 255, requis="Saisissez le libellé du service.")
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    date_debut_validite = _date("Début de validité")
    date_fin_validite = _date("Fin de validité")
    actif = _case("Service actif", "Seuls les services actifs peuvent être choisis sur une facture.")
    engagement_obligatoire = _case(_libelle("engagement_obligatoire", Service))
    mise_en_paiement = _case(_libelle("mise_en_paiement", Service))

    field_order = [
        "code", "libelle", "description", "date_debut_validite", "date_fin_validite", "actif",
        "engagement_obligatoire", "mise_en_paiement", "adresse", "complement_1", "complement_2", "code_postal",
        "ville", "pays", "telephone",
    ]  # fmt: skip

    def __init__(self, *args, service=None, **kwargs):
        if service is not None:
            kwargs["initial"] = {nom: getattr(service, nom) for nom in self.field_order if nom != "code"}
        else:
            kwargs["initial"] = {"actif": True, "mise_en_paiement": True, "pays": "FR"}
        super().__init__(*args, **kwargs)
        if service is not None:
            del self.fields["code"]
        _adresse_facultative(self)

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut_validite"), donnees.get("date_fin_validite")
        if debut and fin and fin < debut:
            self.add_error("date_fin_validite", "La fin de validité précède le début de validité.")
        return donnees


def _verifie(fonction, valeur):
    try:
        return fonction(valeur)
    except ApplicationError as erreur:
        raise forms.ValidationError(erreur.message) from None


class CoordonneeBancaireForm(DsfrBaseForm):
    titulaire = _texte("Titulaire du compte", 255, requis="Saisissez le titulaire du compte.")
    iban = _texte("IBAN", 50, requis="Saisissez l'IBAN du compte.", aide="Exemple : FR76 3000 6000 0112 3456 7890 189")
    bic = _texte("BIC", 15, aide="8 ou 11 caractères, par exemple BNPAFRPPXXX.")
    affactureur = _case("Affactureur", "Cochez si le compte est celui d'un affactureur (société d'affacturage).")

    def __init__(self, *args, coordonnee=None, **kwargs):
        if coordonnee is not None:
            kwargs["initial"] = {
                "titulaire": coordonnee.titulaire,
                "iban": coordonnee.iban_lisible,
                "bic": coordonnee.bic,
                "affactureur": coordonnee.affactureur,
            }
        super().__init__(*args, **kwargs)

    def clean_iban(self):
        return _verifie(identifiants.verifier_iban, self.cleaned_data["iban"])

    def clean_bic(self):
        return _verifie(identifiants.verifier_bic, self.cleaned_data["bic"])


class MandatForm(DsfrBaseForm):
    mandataire_identifiant = _texte(
        "SIRET du mandataire", 20, requis="Saisissez le SIRET du mandataire (14 chiffres).", aide="14 chiffres"
    )
    mandataire_raison_sociale = _texte(
        "Raison sociale du mandataire", 255, requis="Saisissez la raison sociale du mandataire."
    )
    date_debut = _date("Début du mandat", requis="Saisissez la date de début du mandat.")
    date_fin = _date("Fin du mandat", aide="Format attendu : jj/mm/aaaa")

    def __init__(self, *args, mandat=None, **kwargs):
        if mandat is not None:
            kwargs["initial"] = {nom: getattr(mandat, nom) for nom in self.base_fields}
        super().__init__(*args, **kwargs)

    def clean_mandataire_identifiant(self):
        return _verifie(
            lambda valeur: identifiants.verifier_siret(valeur, champ="mandataire_identifiant"),
            self.cleaned_data["mandataire_identifiant"],
        )

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin du mandat précède son début.")
        return donnees


class PieceJointeForm(DsfrBaseForm):
    type_piece = forms.ChoiceField(
        label="Type de document",
        choices=types_pieces.CHOIX,
        initial=types_pieces.AUTRE,
        error_messages={
            "required": "Choisissez le type de document.",
            "invalid_choice": "Choisissez un type de document de la liste.",
        },
    )
    fichier = forms.FileField(
        label="Fichier",
        # the empty file gets the service's message, which names the file
        allow_empty_file=True,
        help_text="Nom de 50 caractères au plus, extension comprise ; moins de 10 Mo ; fichier non vide.",
        error_messages={
            "required": "Choisissez un fichier.",
            "invalid": "Le fichier envoyé n'a pas pu être lu : choisissez-le à nouveau.",
            "missing": "Choisissez un fichier.",
        },
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        _verifie(verifier_piece_jointe, fichier)
        return fichier
