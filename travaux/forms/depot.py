"""The form of « Déposer » (Factures de travaux): who deposits, which cadre, the actors, references and totals, the
PDF. It checks what a page can check (the support matrix for the portal, TTC = HT + TVA, the PDF's bytes) and builds
the lines of the piece from the totals; piece_deposer checks the rest."""

import json
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from dsfr.forms import DsfrBaseForm

from chorus import limites
from facturation import acheminement
from facturation.enums import CadreFacturation
from facturation.forms.champs import champ_montant
from facturation.referentiels import TAUX_TVA
from organisation.enums import Application, Niveau, StatutStructure, TypeIdentifiant
from organisation.habilitations import structures_visibles
from organisation.models import Service, Structure
from travaux import regles
from travaux.enums import CanalDepot, RoleTravaux, TypeDepot
from travaux.selectors.visibilite import pieces_visibles

REQUIS_AU_DEPOT = (
    "role",
    "structure",
    "cadre",
    "numero",
    "date_facture",
    "montant_ht",
    "montant_tva",
    "montant_ttc",
    "net_a_payer",
    "pdf",
)
TAILLE_MAX_PDF = limites.octets("flux_fichier_taille_max")  # the portal's upload takes the same cap
LIGNES_TVA = 3
CENTIME = Decimal("0.01")
# the statuses in which a piece may still receive its next piece, whatever the cadre (enchainements.csv)
STATUTS_ASSOCIABLES = frozenset().union(
    *(e.statuts_precedente for e in regles.ENCHAINEMENTS if e.type_depot == TypeDepot.ASSOCIATION)
)


def _messages(label, **autres):
    return {
        "required": f"{label} : ce champ est obligatoire.",
        "invalid": f"{label} : la valeur saisie n'est pas valide.",
        "invalid_choice": f"{label} : choisissez une valeur de la liste.",
        "max_length": f"{label} : %(limit_value)d caractères au plus.",
        "max_digits": f"{label} : le montant est trop grand.",
        "max_decimal_places": f"{label} : deux décimales au plus.",
        **autres,
    }


def _texte(label, longueur, aide="", **attrs):
    return forms.CharField(
        label=label,
        max_length=longueur,
        required=False,
        help_text=aide,
        error_messages=_messages(label),
        widget=forms.TextInput(attrs=attrs),
    )


def _montant(label, aide="Par exemple 18 500,00."):
    # the portal's one French amount field: « 18 500,00 », « 18500,00 » and « 18500.00 » all read
    return champ_montant(label, aide=aide)


def _libelle_taux(taux):
    return f"{taux.replace('.', ',')} %"


def _arrondi(montant):
    return montant.quantize(CENTIME, rounding=ROUND_HALF_UP)


def _fr(montant):
    return f"{montant:.2f}".replace(".", ",") + " €"


def libelle_piece(piece):
    facture = piece.facture
    return f"{facture.cadre} N° {facture.numero} – dossier {piece.dossier.numero} – {facture.get_statut_display()}"


def pieces_associables(user):
    """The pieces the user may answer with the next piece: his, still in a status that allows it, not answered."""
    return (
        pieces_visibles(user, Niveau.MODIFICATION)
        .filter(facture__statut__in=STATUTS_ASSOCIABLES, piece_suivante__isnull=True)
        .select_related("dossier__moe", "dossier__moa", "dossier__service_moe", "dossier__service_moa")
        .order_by("-facture__deposee_le", "-pk")
    )


def exigences_du_destinataire(moa, service):
    """{field: message} of what the recipient's parameters require of every piece sent to it (numéro d'engagement,
    code service): the routing's own check (facturation.acheminement) run on a piece that gives neither."""
    resultat = acheminement.controler(fournisseur=None, numero="", destinataire=moa, service=service)
    return {e.champ: e.message for e in resultat.erreurs if e.champ in ("numero_engagement", "code_service")}


CHAMPS_VALIDEURS = ("valideur_siret", "service_valideur", "valideur_2_siret", "service_valideur_2")


class DepotTravauxForm(DsfrBaseForm):
    """`pour_depot`: « Valider et envoyer » (everything required); otherwise « Enregistrer » keeps what is typed."""

    role = forms.ChoiceField(
        label="Je dépose en tant que",
        choices=[("", "Choisissez votre rôle"), *RoleTravaux.choices],
        required=False,
        help_text="Groupement conjoint : chaque cotraitant dépose sa pièce, que le mandataire valide. Groupement "
        "solidaire : le mandataire dépose, en tant que fournisseur, une seule pièce pour tout le groupement.",
        error_messages=_messages("Je dépose en tant que"),
    )
    structure = forms.ModelChoiceField(
        label="Structure",
        queryset=Structure.objects.none(),
        required=False,
        empty_label="Choisissez la structure pour laquelle vous déposez",
        help_text="Les structures où vous avez le profil « Factures de travaux – modification ».",
        error_messages=_messages(
            "Structure", invalid_choice="Structure : vous ne déposez pas de factures de travaux pour cette structure."
        ),
    )
    type_depot = forms.ChoiceField(
        label="Type de dépôt",
        choices=TypeDepot.choices,
        initial=TypeDepot.INITIAL,
        widget=forms.RadioSelect,
        error_messages=_messages("Type de dépôt"),
    )
    cadre = forms.ChoiceField(
        label="Cadre de facturation",
        choices=[("", "Choisissez un cadre")]
        + [(code, f"{code} – {CadreFacturation(code).label}") for code in regles.CADRES_TRAVAUX],
        required=False,
        help_text="Les cadres proposés dépendent de votre rôle.",
        error_messages=_messages("Cadre de facturation"),
    )
    piece_precedente = forms.ModelChoiceField(
        label="Pièce existante dans Chorus Pro",
        queryset=None,
        required=False,
        empty_label="Choisissez la pièce à laquelle associer ce dépôt",
        help_text="Les pièces de vos dossiers de facturation qui attendent leur pièce suivante.",
        error_messages=_messages(
            "Pièce existante dans Chorus Pro",
            invalid_choice="Pièce existante dans Chorus Pro : cette pièce ne fait pas partie de vos pièces pouvant "
            "recevoir une pièce suivante.",
        ),
    )
    fournisseur_siret = _texte(
        "SIRET du fournisseur",
        14,
        "Dépôt initial par la maîtrise d'œuvre ou d'ouvrage : le titulaire du marché.",
        inputmode="numeric",
    )
    moa_siret = _texte(
        "SIRET de la maîtrise d'ouvrage",
        14,
        "14 chiffres : la structure publique qui paie les travaux.",
        inputmode="numeric",
    )
    service_moa = _texte("Code du service de la maîtrise d'ouvrage", 100, "Obligatoire si la structure l'exige.")
    moe_siret = _texte(
        "SIRET de la maîtrise d'œuvre",
        14,
        "14 chiffres. Obligatoire quand la pièce va à la maîtrise d'œuvre.",
        inputmode="numeric",
    )
    service_moe = _texte("Code du service de la maîtrise d'œuvre", 100, "Facultatif.")
    valideur_siret = _texte(
        "SIRET du valideur",
        14,
        "Sous-traitant : le titulaire du marché. Cotraitant : le mandataire du groupement.",
        inputmode="numeric",
    )
    service_valideur = _texte("Code du service du valideur", 100, "Facultatif.")
    valideur_2_siret = _texte(
        "SIRET du second valideur",
        14,
        "Sous-traitant d'un cotraitant : le mandataire du groupement, qui valide après le titulaire. Facultatif.",
        inputmode="numeric",
    )
    service_valideur_2 = _texte("Code du service du second valideur", 100, "Facultatif.")
    numero = _texte("Numéro de la pièce", 20)
    date_facture = forms.DateField(
        label="Date de la pièce",
        required=False,
        help_text="Format attendu : JJ/MM/AAAA.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages=_messages("Date de la pièce", invalid="Date de la pièce : saisissez une date JJ/MM/AAAA."),
    )
    numero_marche = _texte("Numéro de marché", 50)
    numero_engagement = _texte(
        "Numéro d'engagement",
        acheminement.ENGAGEMENT_LONGUEUR_MAX,
        "Le bon de commande ou l'engagement juridique de la maîtrise d'ouvrage. Obligatoire si la maîtrise d'ouvrage "
        "ou son service l'exige.",
    )
    montant_ht = _montant("Montant HT")
    montant_tva = _montant("Montant de TVA")
    montant_ttc = _montant("Montant TTC", "Montant HT + montant de TVA.")
    net_a_payer = _montant("Net à payer", "Le montant TTC moins ce qui a déjà été payé (avances).")
    pdf = forms.FileField(
        label="Pièce au format PDF",
        required=False,
        help_text="Obligatoire. Un fichier PDF de moins de 10 Mo.",
        error_messages=_messages("Pièce au format PDF", empty="Pièce au format PDF : le fichier est vide."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, user, pour_depot=False, pdf_enregistre=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.pour_depot, self.pdf_enregistre = pour_depot, pdf_enregistre
        self.fields["structure"].queryset = structures_visibles(
            user, Application.FACTURES_TRAVAUX, Niveau.MODIFICATION
        ).order_by("raison_sociale")
        self.fields["piece_precedente"].queryset = pieces_associables(user)
        self.fields["piece_precedente"].label_from_instance = libelle_piece
        self.fields["cadre"].widget.attrs["data-cadres-par-role"] = json.dumps(
            {role.value: list(cadres) for role, cadres in regles.CADRES_PAR_ROLE.items()}
        )
        for n in range(1, LIGNES_TVA + 1):
            self.fields[f"taux_{n}"] = forms.ChoiceField(
                label=f"Taux de TVA {n}",
                choices=[("", "—"), *((t, _libelle_taux(t)) for t in TAUX_TVA)],
                required=False,
                error_messages=_messages(f"Taux de TVA {n}"),
            )
            self.fields[f"base_{n}"] = _montant(f"Base HT au taux {n}")

    def marquer_requis(self):
        """Shown as required (no « facultatif »): what every deposit needs. Checked in clean, since a draft may lack
        them."""
        for champ in REQUIS_AU_DEPOT:
            self.fields[champ].required = True

    def annoncer_exigences(self, piece):
        """What the recipient requires (the previous piece's dossier's MOA, or the MOA typed or deposited for) is
        shown as required, with the reason, before « Valider et envoyer » is refused for it: the engagement, and on
        an initial deposit the MOA's code service (an associated piece keeps its dossier's)."""
        if piece is not None:
            moa, service = piece.dossier.moa, piece.dossier.service_moa
        else:
            acteurs, donnees = getattr(self, "acteurs", {}), getattr(self, "cleaned_data", {})
            moa, service = acteurs.get("moa"), acteurs.get("service_moa")
            if moa is None and donnees.get("role") == RoleTravaux.MOA:
                moa = donnees.get("structure")
        if moa is None:
            return
        exigences = exigences_du_destinataire(moa, service)
        champs = {"numero_engagement": "numero_engagement"}
        if piece is None:
            champs["code_service"] = "service_moa"
        for exigence, champ in champs.items():
            if exigence in exigences:
                self.fields[champ].required = True
                # the bound field copied the help text when the form was cleaned
                self.fields[champ].help_text = self[champ].help_text = exigences[exigence]

    def lignes_tva(self):
        """The VAT detail as bound fields, row by row, for the template."""
        return [(self[f"taux_{n}"], self[f"base_{n}"]) for n in range(1, LIGNES_TVA + 1)]

    # --- checks ---------------------------------------------------------------------------------------------------

    def _requis(self, donnees, champ, message):
        if donnees.get(champ) in (None, "") and champ not in self.errors:
            self.add_error(champ, message)

    def _structure_par_siret(self, donnees, champ):
        siret = (donnees.get(champ) or "").strip().replace(" ", "")
        if not siret:
            return None
        structure = Structure.objects.filter(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret).first()
        if structure is None or structure.statut != StatutStructure.ACTIVE:
            self.add_error(champ, f"{self.fields[champ].label} : aucune structure active ne porte le SIRET {siret}.")
            return None
        return structure

    def _service(self, donnees, champ, structure):
        code = (donnees.get(champ) or "").strip()
        if not code or structure is None:
            return None
        service = Service.objects.filter(structure=structure, code=code).first()
        if service is None:
            self.add_error(
                champ,
                f"{self.fields[champ].label} : {structure.raison_sociale} n'a pas de service « {code} ».",
            )
        return service

    def clean_pdf(self):
        fichier = self.cleaned_data.get("pdf")
        if not fichier:
            return None
        if fichier.size >= TAILLE_MAX_PDF:
            raise forms.ValidationError("Pièce au format PDF : le fichier doit faire moins de 10 Mo.")
        fichier.seek(0)
        debut = fichier.read(5)
        fichier.seek(0)
        if not fichier.name.lower().endswith(".pdf") or debut != b"%PDF-":
            raise forms.ValidationError("Pièce au format PDF : le fichier n'est pas un PDF.")
        return fichier

    def clean(self):
        donnees = super().clean()
        role, type_depot, cadre = donnees.get("role"), donnees.get("type_depot"), donnees.get("cadre")
        association = type_depot == TypeDepot.ASSOCIATION
        self.acteurs = {}
        if association:
            for champ in (
                "fournisseur_siret",
                "moa_siret",
                "service_moa",
                "moe_siret",
                "service_moe",
                *CHAMPS_VALIDEURS,
            ):
                donnees[champ] = ""  # they come from the dossier; an associated piece has no validator
        else:
            moa = self._structure_par_siret(donnees, "moa_siret")
            moe = self._structure_par_siret(donnees, "moe_siret")
            fournisseur = self._structure_par_siret(donnees, "fournisseur_siret")
            self.acteurs = {
                "moa": moa,
                "service_moa": self._service(donnees, "service_moa", moa),
                "moe": moe,
                "service_moe": self._service(donnees, "service_moe", moe),
                "fournisseur": fournisseur,
            }
            if role in (RoleTravaux.SOUS_TRAITANT, RoleTravaux.COTRAITANT):
                valideur = self._structure_par_siret(donnees, "valideur_siret")
                second = self._structure_par_siret(donnees, "valideur_2_siret")
                self.acteurs.update(
                    valideur_1=valideur,
                    service_valideur_1=self._service(donnees, "service_valideur", valideur),
                    valideur_2=second,
                    service_valideur_2=self._service(donnees, "service_valideur_2", second),
                )
            else:
                for champ in CHAMPS_VALIDEURS:
                    donnees[champ] = ""  # only a sub-contractor's or co-contractor's piece has a validator
        if role and cadre and type_depot:
            for message in regles.controler_depot(cadre, role, CanalDepot.PORTAIL, type_depot):
                self.add_error("cadre", f"Cadre de facturation : {message}")
        self.lignes = self._lignes(donnees)
        if self.pour_depot:
            self._requis_au_depot(donnees, role, association)
        return donnees

    def _requis_au_depot(self, donnees, role, association):
        self._requis(donnees, "role", "Je dépose en tant que : choisissez votre rôle.")
        self._requis(donnees, "structure", "Structure : choisissez la structure pour laquelle vous déposez.")
        self._requis(donnees, "cadre", "Cadre de facturation : choisissez un cadre.")
        if association:
            self._requis(
                donnees,
                "piece_precedente",
                "Pièce existante dans Chorus Pro : choisissez la pièce à laquelle associer ce dépôt.",
            )
        else:
            if role in (RoleTravaux.MOE, RoleTravaux.MOA):
                self._requis(donnees, "fournisseur_siret", "SIRET du fournisseur : indiquez le titulaire du marché.")
            if role != RoleTravaux.MOA:
                self._requis(
                    donnees, "moa_siret", "SIRET de la maîtrise d'ouvrage : indiquez la structure publique qui paie."
                )
        self._requis(donnees, "numero", "Numéro de la pièce : ce champ est obligatoire.")
        self._requis(donnees, "date_facture", "Date de la pièce : ce champ est obligatoire.")
        for champ in ("montant_ht", "montant_tva", "montant_ttc", "net_a_payer"):
            self._requis(donnees, champ, f"{self.fields[champ].label} : ce champ est obligatoire.")
        if not donnees.get("pdf") and not self.pdf_enregistre and "pdf" not in self.errors:
            self.add_error("pdf", "Pièce au format PDF : joignez le PDF de la pièce.")

    def _lignes(self, donnees):
        """One line per VAT rate, from the detail or, without it, from the rate HT and TVA give."""
        ht, tva, ttc, net = (donnees.get(c) for c in ("montant_ht", "montant_tva", "montant_ttc", "net_a_payer"))
        if None not in (ht, tva, ttc) and ttc != ht + tva:
            self.add_error(
                "montant_ttc",
                f"Montant TTC : {_fr(ttc)} n'est pas égal au montant HT plus la TVA ({_fr(ht + tva)}).",
            )
        if None not in (ttc, net) and not Decimal(0) <= net <= ttc:
            self.add_error(
                "net_a_payer", f"Net à payer : il doit être compris entre 0 et le montant TTC ({_fr(ttc)})."
            )
        detail = []
        for n in range(1, LIGNES_TVA + 1):
            taux, base = donnees.get(f"taux_{n}"), donnees.get(f"base_{n}")
            if taux and base is None:
                self.add_error(f"base_{n}", f"Base HT au taux {n} : indiquez la base de ce taux.")
            elif base is not None and not taux:
                self.add_error(f"taux_{n}", f"Taux de TVA {n} : choisissez le taux de cette base.")
            elif taux:
                detail.append((taux, base))
        if ht is None or tva is None:
            return []
        if detail:
            if len({taux for taux, _ in detail}) != len(detail):
                self.add_error("taux_1", "Taux de TVA 1 : chaque taux ne figure qu'une fois dans le détail de la TVA.")
            total_bases = sum((base for _, base in detail), Decimal(0))
            if total_bases != ht:
                self.add_error(
                    "base_1",
                    f"Base HT au taux 1 : la somme des bases ({_fr(total_bases)}) doit égaler le montant HT "
                    f"({_fr(ht)}).",
                )
            tva_detail = sum((_arrondi(base * Decimal(taux) / 100) for taux, base in detail), Decimal(0))
            if tva_detail != tva:
                self.add_error(
                    "montant_tva",
                    f"Montant de TVA : {_fr(tva)} ne correspond pas au détail de la TVA ({_fr(tva_detail)}).",
                )
        else:
            taux = next((t for t in TAUX_TVA if _arrondi(ht * Decimal(t) / 100) == tva), None)
            if taux is None:
                self.add_error(
                    "montant_tva",
                    "Montant de TVA : il ne correspond à aucun taux de TVA appliqué au montant HT ; indiquez le "
                    "détail de la TVA.",
                )
                return []
            detail = [(taux, ht)]
        return [
            {
                "designation": f"Montant HT soumis à la TVA à {_libelle_taux(taux)}",
                "quantite": "1",
                "prix_unitaire_ht": str(base),
                "taux_tva": taux,
            }
            for taux, base in detail
        ]
