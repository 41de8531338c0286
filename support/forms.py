"""Forms of the tickets: input checks only, each error in French naming its field. What a ticket may be about is
looked up among what the requester may see (support.selectors)."""

from django import forms
from dsfr.forms import DsfrBaseForm

from chorus.captcha_audio import champ_captcha
from chorus.recherche import RechercheListe
from organisation.regles import PJ_NOM_LONGUEUR_MAX
from support.enums import Destination
from support.enums import StatutSollicitation as S
from support.models import Categorie, ReponseType
from support.selectors import sollicitations as selecteurs
from support.services.sollicitations import PJ_PAR_MESSAGE_MAX

AIDE_PJ = (
    f"Facultatif. {PJ_PAR_MESSAGE_MAX} fichiers au plus, de moins de 10 Mo chacun, {PJ_NOM_LONGUEUR_MAX} caractères "
    "au plus par nom de fichier (extension comprise) ; formats acceptés : pdf, jpg, png, doc, docx, xls, xlsx, odt, "
    "ods, txt, csv, xml, zip…"
)


class PlusieursFichiers(forms.FileInput):
    allow_multiple_selected = True


class PiecesJointesChamp(forms.FileField):
    """Several files at once (Django's documented pattern); the service checks each against the attachment rules."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Pièces jointes")
        kwargs.setdefault("help_text", AIDE_PJ)
        super().__init__(
            required=False,
            widget=PlusieursFichiers(attrs={"multiple": True}),
            error_messages={"empty": "Un des fichiers joints est vide."},
            **kwargs,
        )

    def clean(self, data, initial=None):
        fichiers = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PiecesJointesChamp, self).clean(fichier, initial) for fichier in fichiers]


def _texte(label, requis, max_length, aide="", lignes=None):
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=aide,
        widget=forms.Textarea(attrs={"rows": lignes}) if lignes else None,
        error_messages={"required": requis, "max_length": f"{label} : {max_length} caractères au plus."},
    )


class SousCategorieChamp(forms.ChoiceField):
    """One select, its options grouped by category: choosing a sub-category chooses its category too."""

    def __init__(self, *args, destinations=(Destination.SUPPORT, Destination.STRUCTURE), **kwargs):
        super().__init__(*args, **kwargs)
        self.destinations = destinations
        self.sous_categories = {}
        groupes = {}
        for sc in selecteurs.sous_categories(destinations):
            self.sous_categories[str(sc.pk)] = sc
            libelle = sc.categorie.libelle
            if sc.categorie.destination == Destination.STRUCTURE:
                libelle += " (adressée à la structure publique)"
            groupes.setdefault(libelle, []).append((str(sc.pk), sc.libelle))
        self.choices = [("", "Choisissez une catégorie")] + list(groupes.items())

    def clean(self, value):
        value = super().clean(value)
        return self.sous_categories[value]


def champ_sous_categorie(destinations=(Destination.SUPPORT, Destination.STRUCTURE)):
    return SousCategorieChamp(
        label="Catégorie et sous-catégorie",
        destinations=destinations,
        help_text="Elle oriente votre demande vers la bonne équipe.",
        error_messages={
            "required": "Choisissez la catégorie et la sous-catégorie de votre demande.",
            "invalid_choice": "Cette catégorie n'est pas proposée : choisissez-en une dans la liste.",
        },
    )


class _SaisieBase(DsfrBaseForm):
    objet = _texte("Objet", "Saisissez l'objet de la sollicitation.", 200)
    message = _texte("Message", "Saisissez votre message.", 10000, "Décrivez votre demande.", lignes=8)
    pieces_jointes = PiecesJointesChamp()


class SollicitationForm(_SaisieBase):
    """« Saisir une sollicitation », logged in."""

    field_order = ["sous_categorie", "objet", "message", "facture", "structure_concernee", "destinataire"]

    facture = forms.CharField(
        label="Numéro de la facture concernée",
        required=False,
        max_length=20,
        help_text="Facultatif, sauf pour une question à une structure publique sans SIRET indiqué : une facture "
        "que vous pouvez consulter (émise ou reçue). La question est alors adressée au service destinataire de la "
        "facture.",
        error_messages={"max_length": "Numéro de la facture concernée : 20 caractères au plus."},
    )
    structure_concernee = forms.ModelChoiceField(
        label="Structure concernée",
        required=False,
        queryset=None,
        empty_label="Aucune",
        help_text="Facultatif : l'une de vos structures, si la demande la concerne.",
        error_messages={"invalid_choice": "Structure concernée : choisissez l'une de vos structures."},
    )
    destinataire = forms.CharField(
        label="SIRET de la structure publique destinataire",
        required=False,
        max_length=20,
        help_text="Pour une question adressée à une structure publique sans facture indiquée. Format attendu : "
        "14 chiffres.",
        error_messages={"max_length": "SIRET de la structure publique destinataire : 20 caractères au plus."},
    )
    code_service = forms.CharField(
        label="Code du service destinataire",
        required=False,
        max_length=100,
        help_text="Facultatif : le service de la structure publique qui traite votre question.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["sous_categorie"] = champ_sous_categorie()
        self.fields["structure_concernee"].queryset = selecteurs.structures_du_demandeur(user)
        self.order_fields(self.field_order)

    def clean(self):
        cleaned = super().clean()
        sous_categorie = cleaned.get("sous_categorie")
        metier = sous_categorie is not None and sous_categorie.categorie.destination == Destination.STRUCTURE
        numero = cleaned.get("facture", "").strip()
        cleaned["facture"] = None
        if numero:
            factures = selecteurs.factures_du_demandeur(self.user, numero, cote_fournisseur_seulement=metier)
            if not factures:
                portee = "émise par vos structures" if metier else "émise ou reçue par vos structures"
                self.add_error("facture", f"Aucune facture n° {numero} {portee} n'est consultable par vous.")
            elif len(factures) > 1:
                parties = ", ".join(
                    f"{f.fournisseur.raison_sociale} → {f.destinataire.raison_sociale}" for f in factures
                )
                self.add_error(
                    "facture",
                    f"Plusieurs factures n° {numero} vous sont accessibles ({parties}) : laissez ce champ vide et "
                    "précisez la facture dans le message.",
                )
            else:
                cleaned["facture"] = factures[0]
        cleaned["structure_destinataire"] = cleaned["service_destinataire"] = None
        siret = cleaned.get("destinataire", "").strip()
        if metier and siret and cleaned["facture"] is None:
            structure = selecteurs.structure_publique(siret)
            if structure is None:
                self.add_error("destinataire", f"Aucune structure publique active n'a l'identifiant {siret}.")
            else:
                cleaned["structure_destinataire"] = structure
                code = cleaned.get("code_service", "").strip()
                if code:
                    service = structure.services.filter(code__iexact=code, actif=True).first()
                    if service is None:
                        self.add_error(
                            "code_service",
                            f"La structure {structure.raison_sociale} n'a pas de service actif de code {code}.",
                        )
                    cleaned["service_destinataire"] = service
        return cleaned


class SollicitationPubliqueForm(_SaisieBase):
    """« Compléter le formulaire de demande », logged out."""

    field_order = ["nom", "email", "email_confirmation", "sous_categorie", "objet", "message", "pieces_jointes"]

    nom = _texte("Nom et prénom", "Saisissez votre nom et votre prénom.", 200)
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Format attendu : nom@domaine.fr. Un lien de confirmation y sera envoyé : votre demande est "
        "transmise au support quand vous l'avez suivi.",
        error_messages={
            "required": "Saisissez votre adresse électronique.",
            "invalid": "L'adresse électronique n'est pas valide (format attendu : nom@domaine.fr).",
        },
    )
    email_confirmation = forms.EmailField(
        label="Ressaisissez votre adresse électronique",
        max_length=254,
        error_messages={
            "required": "Ressaisissez votre adresse électronique.",
            "invalid": "L'adresse ressaisie n'est pas valide (format attendu : nom@domaine.fr).",
        },
    )
    captcha = champ_captcha()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sous_categorie"] = champ_sous_categorie((Destination.SUPPORT,))
        self.order_fields(self.field_order + ["captcha"])

    def clean(self):
        cleaned = super().clean()
        a, b = cleaned.get("email"), cleaned.get("email_confirmation")
        if a and b and a.strip().lower() != b.strip().lower():
            self.add_error("email_confirmation", "Les deux adresses électroniques saisies ne sont pas identiques.")
        return cleaned


class ReponseForm(DsfrBaseForm):
    message = _texte("Votre réponse", "Saisissez votre message.", 10000, lignes=6)
    pieces_jointes = PiecesJointesChamp()


class ReponseTraitantForm(ReponseForm):
    statut = forms.ChoiceField(
        label="Statut après votre réponse",
        choices=[
            (S.EN_ATTENTE_DEMANDEUR, S.EN_ATTENTE_DEMANDEUR.label + " (vous lui posez une question)"),
            (S.EN_COURS, S.EN_COURS.label + " (vous poursuivez l'analyse)"),
            (S.RESOLUE, S.RESOLUE.label + " (votre réponse règle la demande)"),
        ],
        initial=S.EN_ATTENTE_DEMANDEUR,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le statut de la sollicitation après votre réponse.",
            "invalid_choice": "Choisissez l'un des statuts proposés.",
        },
    )


class NoteForm(DsfrBaseForm):
    note = _texte(
        "Note interne",
        "Saisissez la note.",
        10000,
        "Lue par les personnes qui traitent la sollicitation, jamais par le demandeur ; aucun courriel n'est envoyé.",
        lignes=4,
    )
    pieces_jointes_note = PiecesJointesChamp(label="Pièces jointes de la note")


class AttributionForm(DsfrBaseForm):
    agent = forms.ModelChoiceField(
        label="Agent en charge",
        queryset=None,
        required=False,
        empty_label="Personne",
        error_messages={"invalid_choice": "Agent en charge : choisissez un agent du support de la liste."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = selecteurs.agents()
        self.fields["agent"].label_from_instance = lambda u: u.nom_complet


class FiltresForm(RechercheListe, DsfrBaseForm):
    recherche = forms.CharField(label="Numéro ou objet", required=False, max_length=200)
    statut = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "Tous")] + [c for c in S.choices if c[0] != S.A_CONFIRMER],
    )
    categorie = forms.ModelChoiceField(
        label="Catégorie", required=False, queryset=Categorie.objects.all(), empty_label="Toutes"
    )

    def filtres(self):
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {"statut": d.get("statut", ""), "categorie": d.get("categorie"), "recherche": d.get("recherche", "")}


class FiltresAgentForm(FiltresForm):
    file = forms.ChoiceField(
        label="Destinataire",
        required=False,
        choices=[(cle, libelle) for cle, (libelle, _) in selecteurs.FILES.items()],
    )
    attribution = forms.ChoiceField(label="Agent en charge", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attribution"].choices = [("", "Tous"), ("moi", "Moi"), ("aucun", "Personne")] + [
            (str(a.pk), a.nom_complet) for a in selecteurs.agents()
        ]

    def filtres(self):
        filtres = super().filtres()
        if self.is_valid():
            filtres["file"] = self.cleaned_data.get("file") or "support"
            filtres["attribution"] = self.cleaned_data.get("attribution", "")
        return filtres


class ChoixReponseTypeForm(DsfrBaseForm):
    reponse_type = forms.ModelChoiceField(
        label="Réponse type",
        queryset=ReponseType.objects.filter(active=True),
        empty_label="Choisissez une réponse type",
        error_messages={
            "required": "Choisissez une réponse type.",
            "invalid_choice": "Cette réponse type n'est plus proposée.",
        },
    )


class CategorieForm(DsfrBaseForm):
    libelle = _texte("Libellé", "Saisissez le libellé de la catégorie.", 120)
    destination = forms.ChoiceField(
        label="Traitée par",
        choices=Destination.choices,
        initial=Destination.SUPPORT,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez qui traite les demandes de cette catégorie."},
    )
    ordre = forms.IntegerField(
        label="Ordre d'affichage",
        min_value=0,
        max_value=999,
        initial=0,
        error_messages={
            "required": "Saisissez l'ordre d'affichage (0 pour le début de la liste).",
            "invalid": "L'ordre d'affichage est un nombre entier.",
            "min_value": "L'ordre d'affichage est compris entre 0 et 999.",
            "max_value": "L'ordre d'affichage est compris entre 0 et 999.",
        },
    )
    active = forms.BooleanField(label="Proposée aux demandeurs", required=False, initial=True)


class SousCategorieForm(DsfrBaseForm):
    libelle = _texte("Libellé de la sous-catégorie", "Saisissez le libellé de la sous-catégorie.", 120)
    ordre = CategorieForm.base_fields["ordre"]
    active = forms.BooleanField(label="Proposée aux demandeurs", required=False, initial=True)


class ReponseTypeForm(DsfrBaseForm):
    titre = _texte("Titre", "Saisissez le titre de la réponse type.", 120)
    corps = _texte("Texte de la réponse", "Saisissez le texte de la réponse type.", 10000, lignes=8)
    active = forms.BooleanField(label="Proposée aux agents", required=False, initial=True)
