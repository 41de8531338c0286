"""Forms of the users of a structure: attachment requests, approvals, profiles, gestionnaire principal transfer."""

from django import forms
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from chorus.recherche import RechercheListe
from organisation.enums import Application, Niveau
from organisation.forms import champ_identifiant, champ_type_identifiant
from organisation.selectors.utilisateurs import TRI_PAR_DEFAUT


def _habiller(form, noms):
    """DsfrBaseForm dresses the fields it knows at creation; these are added afterwards."""
    for nom in noms:
        dsfr_input_class_attr(form[nom])


MOTIF_OBLIGATOIRE = "Saisissez le motif du refus : il est communiqué au demandeur."


class RechercheStructureForm(DsfrBaseForm):
    type_identifiant = champ_type_identifiant()
    identifiant = champ_identifiant(
        label="Identifiant de la structure",
        aide="Le numéro exact : par exemple les 14 chiffres du SIRET.",
        requis="Saisissez l'identifiant de la structure recherchée.",
    )


class DemandeRattachementForm(DsfrBaseForm):
    portee = forms.ChoiceField(
        label="Rattachement demandé",
        choices=[("structure", "À toute la structure"), ("services", "À certains services seulement")],
        initial="structure",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez un rattachement à toute la structure ou à certains services.",
            "invalid_choice": "Choisissez un rattachement à toute la structure ou à certains services.",
        },
    )
    services = forms.ModelMultipleChoiceField(
        label="Services",
        help_text="Cochez les services auxquels vous demandez à être rattaché (si vous avez choisi « À certains "
        "services seulement »).",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choisissez des services actifs de cette structure.",
            "invalid_pk_value": "Choisissez des services actifs de cette structure.",
        },
    )
    message = forms.CharField(
        label="Message au gestionnaire (facultatif)",
        help_text="Par exemple votre fonction, ou la raison de votre demande. 1 000 caractères au plus.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Le message ne peut pas dépasser 1 000 caractères."},
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services
        self.fields["services"].label_from_instance = lambda s: f"{s.code} – {s.libelle}"
        if not services.exists():
            del self.fields["portee"], self.fields["services"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("portee") == "services" and not cleaned.get("services"):
            self.add_error("services", "Cochez au moins un service, ou demandez un rattachement à toute la structure.")
        if cleaned.get("portee") == "structure":
            cleaned["services"] = []
        return cleaned


class MotifRefusForm(DsfrBaseForm):
    motif = forms.CharField(
        label="Motif du refus",
        help_text="Il est communiqué au demandeur dans le courriel qui l'informe du refus.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": MOTIF_OBLIGATOIRE,
            "max_length": "Le motif ne peut pas dépasser 1 000 caractères.",
        },
    )


class FiltreUtilisateursForm(RechercheListe, DsfrBaseForm):
    q = forms.CharField(label="Nom ou adresse électronique", required=False, max_length=100)
    services = forms.ModelMultipleChoiceField(
        label="Services",
        help_text="Les utilisateurs qui travaillent pour l'un des services cochés : rattachés à toute la structure, "
        "rattachés à ce service ou ayant un profil sur ce service.",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[
            ("nom", "Nom (A → Z)"),
            ("-nom", "Nom (Z → A)"),
            ("email", "Adresse électronique (A → Z)"),
            ("-email", "Adresse électronique (Z → A)"),
            ("-date", "Date de rattachement (la plus récente d'abord)"),
            ("date", "Date de rattachement (la plus ancienne d'abord)"),
        ],
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services
        self.fields["services"].label_from_instance = lambda s: f"{s.code} – {s.libelle}"
        if not services:
            del self.fields["services"]

    def criteres(self):
        """The filters to apply; a wrong value makes the search invalid: the page lists nothing (chorus.recherche)."""
        donnees = self.cleaned_data if self.is_valid() else {}
        return {
            "services": list(donnees.get("services") or []),
            "recherche": donnees.get("q", ""),
            "tri": donnees.get("tri") or TRI_PAR_DEFAUT,
        }


NIVEAUX = [("", "Aucun"), (Niveau.CONSULTATION, "Consultation"), (Niveau.MODIFICATION, "Modification")]
STRUCTURE = "structure"


class ProfilsForm(DsfrBaseForm):
    """The profiles grid: one niveau per application and portée (the whole structure or one service)."""

    def __init__(self, *args, rattachement, services, **kwargs):
        super().__init__(*args, **kwargs)
        actuels = {(h.application, h.service_id or STRUCTURE): h.niveau for h in rattachement.habilitations.all()}
        structure = rattachement.structure
        self.portees = [(STRUCTURE, "Toute la structure", None)] + [
            (str(s.pk), f"Service {s.code}", s) for s in services
        ]
        self.applications = [
            a
            for a in Application
            if structure.utilise(a) or a == Application.ORGANISATION or any(k[0] == a for k in actuels)
        ]
        self.lignes = []
        for application in self.applications:
            cellules = []
            for cle, libelle, _service in self.portees:
                nom = f"{application}__{cle}"
                self.fields[nom] = forms.ChoiceField(
                    label=f"{application.label} – {libelle}",
                    choices=NIVEAUX,
                    required=False,
                    initial=actuels.get((application.value, int(cle) if cle != STRUCTURE else STRUCTURE), ""),
                    error_messages={"invalid_choice": "Choisissez aucun, consultation ou modification."},
                )
                cellules.append(nom)
            self.lignes.append((application, cellules))
        _habiller(self, self.fields)

    def lignes_rendues(self):
        return [(application, [self[nom] for nom in noms]) for application, noms in self.lignes]

    def habilitations(self):
        services = {cle: service for cle, _libelle, service in self.portees}
        return [
            (application.value, self.cleaned_data[f"{application}__{cle}"], services[cle])
            for application in self.applications
            for cle, _libelle, _service in self.portees
            if self.cleaned_data.get(f"{application}__{cle}")
        ]


def libelle_profil(application, niveau):
    return f"{Application(application).label} – {Niveau(niveau).label}"


class DemandeProfilForm(DsfrBaseForm):
    profil = forms.ChoiceField(
        label="Profil demandé",
        help_text="Pour toute la structure. Un gestionnaire de la structure accepte ou refuse la demande.",
        error_messages={
            "required": "Choisissez le profil que vous demandez.",
            "invalid_choice": "Choisissez un profil de la liste.",
        },
    )

    def __init__(self, *args, profils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profil"].choices = [("", "Choisissez un profil")] + [
            (f"{a}:{n}", libelle_profil(a, n)) for a, n in profils
        ]

    def clean_profil(self):
        return tuple(self.cleaned_data["profil"].split(":"))


# Transfer of the gestionnaire principal role; the three modes keep Chorus Pro's labels (messages.csv gp_transfert_*)

MODE_PARTIEL, MODE_UN, MODE_PLUSIEURS = "partiel", "un", "plusieurs"
MODES = [
    (MODE_PARTIEL, "Transfert d’une partie de vos structures"),
    (MODE_UN, "Transfert de toutes vos structures vers un seul gestionnaire"),
    (MODE_PLUSIEURS, "Transfert de toutes vos structures vers plusieurs gestionnaires"),
]


class ModeTransfertForm(DsfrBaseForm):
    mode = forms.ChoiceField(
        label="Type de transfert",
        choices=MODES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le type de transfert.",
            "invalid_choice": "Choisissez l'un des trois types de transfert.",
        },
    )


class ChoixStructuresForm(DsfrBaseForm):
    structures = forms.ModelMultipleChoiceField(
        label="Structures à transférer",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins une structure à transférer.",
            "invalid_choice": "Choisissez des structures dont vous êtes le gestionnaire principal.",
            "invalid_pk_value": "Choisissez des structures dont vous êtes le gestionnaire principal.",
        },
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structures"].queryset = structures
        self.fields["structures"].label_from_instance = lambda s: f"{s.raison_sociale} ({s.identifiant})"


def _choix_utilisateurs(rattachements):
    return [("", "Choisissez un utilisateur")] + [
        (str(r.utilisateur_id), f"{r.utilisateur.nom_complet} ({r.utilisateur.email})") for r in rattachements
    ]


class CiblesParStructureForm(DsfrBaseForm):
    """One new gestionnaire principal per structure, among the users already attached to it."""

    def __init__(self, *args, structures, cibles, **kwargs):
        super().__init__(*args, **kwargs)
        self.structures, self.cibles = structures, cibles
        for structure in structures:
            self.fields[f"cible_{structure.pk}"] = forms.ChoiceField(
                label=f"Nouveau gestionnaire principal de {structure.raison_sociale} ({structure.identifiant})",
                choices=_choix_utilisateurs(cibles[structure.pk]),
                error_messages={
                    "required": f"Choisissez le nouveau gestionnaire principal de {structure.raison_sociale}.",
                    "invalid_choice": f"Cet utilisateur n'est pas rattaché à {structure.raison_sociale} : le "
                    "nouveau gestionnaire principal doit déjà être rattaché à la structure.",
                },
            )
        _habiller(self, self.fields)

    def transferts(self):
        resultat = []
        for structure in self.structures:
            choisi = int(self.cleaned_data[f"cible_{structure.pk}"])
            resultat.append((structure, next(r for r in self.cibles[structure.pk] if r.utilisateur_id == choisi)))
        return resultat


class CibleUniqueForm(DsfrBaseForm):
    """Every structure to one user, who must already be attached to each of them."""

    def __init__(self, *args, structures, cibles, **kwargs):
        super().__init__(*args, **kwargs)
        self.structures, self.cibles = structures, cibles
        communs = None
        for structure in structures:
            presents = {r.utilisateur_id for r in cibles[structure.pk]}
            communs = presents if communs is None else communs & presents
        self.communs = [r for r in cibles[structures[0].pk] if r.utilisateur_id in (communs or set())]
        self.fields["cible"] = forms.ChoiceField(
            label="Nouveau gestionnaire principal de toutes vos structures",
            help_text="Seuls les utilisateurs rattachés à chacune de vos structures peuvent être choisis.",
            choices=_choix_utilisateurs(self.communs),
            error_messages={
                "required": "Choisissez le nouveau gestionnaire principal.",
                "invalid_choice": "Cet utilisateur n'est pas rattaché à toutes vos structures : le nouveau "
                "gestionnaire principal doit déjà être rattaché à chacune d'elles.",
            },
        )
        _habiller(self, self.fields)

    def transferts(self):
        choisi = int(self.cleaned_data["cible"])
        return [
            (structure, next(r for r in self.cibles[structure.pk] if r.utilisateur_id == choisi))
            for structure in self.structures
        ]
