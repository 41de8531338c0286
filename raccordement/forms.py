"""Forms of the Raccordement pages (technical accounts, API clients, connection records). Each message names its
field (« Libellé : … »): the pages' error summary lists them as they are. The services stay the authority."""

from django import forms
from dsfr.forms import DsfrBaseForm

from chorus.recherche import RechercheListe
from raccordement.certificats import TAILLE_MAX
from raccordement.enums import TypeRaccordement
from raccordement.selectors.comptes import EtatCompte, EtatFiche
from raccordement.services.comptes import LIBELLE_LONGUEUR_MAX
from raccordement.services.fiches import ADRESSE_LONGUEUR_MAX, FORMATS_EMIS, FORMATS_RECUS, PROTOCOLES


class CompteTechniqueForm(DsfrBaseForm):
    libelle = forms.CharField(
        label="Libellé (facultatif)",
        required=False,
        max_length=LIBELLE_LONGUEUR_MAX,
        help_text="Pour reconnaître le compte, par exemple le nom du logiciel qui l'utilise.",
        error_messages={"max_length": f"Libellé : {LIBELLE_LONGUEUR_MAX} caractères au plus."},
    )


class ClientApiForm(DsfrBaseForm):
    nom = forms.CharField(
        label="Nom de l'application",
        max_length=100,
        help_text="Le logiciel qui demandera des jetons d'accès, par exemple « ERP comptabilité ».",
        error_messages={
            "required": "Nom de l'application : saisissez le nom de l'application cliente.",
            "max_length": "Nom de l'application : 100 caractères au plus.",
        },
    )


class FicheForm(DsfrBaseForm):
    type_raccordement = forms.ChoiceField(
        label="Type de raccordement",
        choices=TypeRaccordement.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Type de raccordement : choisissez EDI ou API.",
            "invalid_choice": "Type de raccordement : choisissez EDI ou API.",
        },
    )
    protocole = forms.ChoiceField(
        label="Protocole (EDI)",
        required=False,
        choices=[("", "Choisissez un protocole"), *[(p.value, p.label) for p in PROTOCOLES[TypeRaccordement.EDI]]],
        error_messages={"invalid_choice": "Protocole : un raccordement EDI passe par AS/2, SFTP ou PeSIT-E (TLS)."},
    )
    adresse = forms.CharField(
        label="Adresse du partenaire (EDI)",
        required=False,
        max_length=ADRESSE_LONGUEUR_MAX,
        help_text="URL AS/2 (https://…) ou hôte SFTP / PeSIT avec son port, par exemple sftp.exemple.fr:22.",
        error_messages={"max_length": f"Adresse du partenaire : {ADRESSE_LONGUEUR_MAX} caractères au plus."},
    )
    client_api = forms.ChoiceField(
        label="Client API (API)",
        required=False,
        help_text="L'application cliente du raccordement API (son identifiant est le code d'application PISTE).",
        error_messages={"invalid_choice": "Client API : choisissez l'un des clients API actifs de la structure."},
    )
    formats_emis = forms.MultipleChoiceField(
        label="Formats envoyés à Chorus Pro",
        required=False,
        choices=FORMATS_EMIS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Formats envoyés : format inconnu."},
    )
    formats_recus = forms.MultipleChoiceField(
        label="Formats reçus de Chorus Pro",
        required=False,
        choices=FORMATS_RECUS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Formats reçus : format inconnu."},
    )

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_api"].choices = [("", "Choisissez un client API"), *clients]

    def clean(self):
        donnees = super().clean()
        type_raccordement = donnees.get("type_raccordement")
        edi, api = TypeRaccordement.EDI, TypeRaccordement.API
        if type_raccordement == edi and not donnees.get("protocole") and "protocole" not in self.errors:
            self.add_error("protocole", "Protocole : choisissez le protocole de votre plateforme EDI.")
        if type_raccordement == api and not donnees.get("client_api") and "client_api" not in self.errors:
            self.add_error("client_api", "Client API : choisissez le client API du raccordement.")
        return donnees


def message_taille(taille):
    return f"Certificat : le fichier fait {taille / 1024:.0f} Ko ; un certificat fait {TAILLE_MAX // 1024} Ko au plus."


class CertificatForm(DsfrBaseForm):
    certificat = forms.FileField(
        label="Certificat de la plateforme (X.509, PEM ou DER)",
        # the service names an empty file in its own message
        allow_empty_file=True,
        help_text=f"Le certificat public (fichier .pem, .crt, .cer ou .der), {TAILLE_MAX // 1024} Ko au plus ; jamais "
        "la clé privée. Il doit être en cours de validité et permettre la signature numérique ou le chiffrement de "
        "clé.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pem,.crt,.cer,.der"}),
        error_messages={
            "required": "Certificat : choisissez le fichier du certificat.",
            "missing": "Certificat : choisissez le fichier du certificat.",
            "invalid": "Certificat : le fichier envoyé n'a pas pu être lu, choisissez-le à nouveau.",
        },
    )

    def clean_certificat(self):
        fichier = self.cleaned_data["certificat"]
        if fichier.size > TAILLE_MAX:
            # refused before reading it
            raise forms.ValidationError(message_taille(fichier.size))
        return fichier


class FiltreComptesForm(RechercheListe, DsfrBaseForm):
    etat = forms.ChoiceField(label="État", required=False, choices=[("", "Tous"), *EtatCompte.choices])


class FiltreFichesForm(RechercheListe, DsfrBaseForm):
    type_raccordement = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous"), *TypeRaccordement.choices]
    )
    etat = forms.ChoiceField(label="État", required=False, choices=[("", "Tous"), *EtatFiche.choices])
