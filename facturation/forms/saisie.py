"""The web entry of an invoice, « Saisir une facture » (chorus-pro-features.md rows 30, 36–38, 51, 52).

Two levels of checks: what a draft needs (a supplier the user may act for, a known public recipient, well-formed
values) and what a deposit needs on top (number, date, lines, the cadre's and the avoir's rules). The routing rules
of the recipient (code service or engagement required, number unique…) stay in facturation.acheminement, asked at
deposit; the form reports everything it can know without it, each error on its field and naming it.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from chorus import limites
from chorus.chiffres import que_des_chiffres
from facturation.acheminement import CADRES_AVEC_VALIDEUR, service_actif
from facturation.enums import CadreFacturation, ModePaiement, TypeFacture, TypeTva, decimales
from facturation.forms.champs import NombreFrancais, champ_montant
from facturation.referentiels import DEVISES, TAUX_TVA, UNITES, devise_connue
from organisation.enums import Application, Niveau, StatutStructure, TypeIdentifiant
from organisation.habilitations import structures_visibles
from organisation.models import CoordonneeBancaire, PieceJointeStructure, Service, Structure
from organisation.selectors.annuaire import annuaire_rechercher

# The other cadres (works, mémoires) arrive with their issues.
CADRES_SAISIE = ("A1", "A2", "A9", "A12")
LIGNES_VIDES = 2
NUMERO_MAX = limites.nombre("numero_facture_longueur_max")


def _fr(valeur):
    return format(valeur, "f").replace(".", ",")


def nombre_saisi(valeur):
    """A stored Decimal as a person types it: 10.500000 → « 10,5 » (never « 1E+1 »)."""
    if valeur is None:
        return ""
    texte = format(valeur, "f")
    if "." in texte:
        texte = texte.rstrip("0").rstrip(".")
    return texte.replace(".", ",")


def _libelle_taux(taux):
    return f"{taux.replace('.', ',')} %"


class _ObligatoireAuDepot:
    """Shown as required (a deposit needs it); `clean_<champ>` decides, since a draft may go without it."""

    def validate(self, value):
        pass


class _TexteAuDepot(_ObligatoireAuDepot, forms.CharField):
    pass


class _DateAuDepot(_ObligatoireAuDepot, forms.DateField):
    pass


# The fields a recipient may require (code service, engagement): their « (Optionnel) » mention is an element that
# static/js/saisie_facture.js hides once the chosen recipient requires the field.
CHAMP_EXIGIBLE = "facturation/_partials/champ_exigible.html"


def _texte(label, max_length, *, aide="", widget=None, au_depot=False, exigible=False):
    return (_TexteAuDepot if au_depot or exigible else forms.CharField)(
        label=label,
        max_length=max_length,
        required=au_depot,
        help_text=aide,
        widget=widget,
        template_name=CHAMP_EXIGIBLE if exigible else None,
        error_messages={"max_length": f"{label} : {max_length} caractères au plus (%(show_value)d saisis)."},
    )


def _montant(label, *, aide="", requis=False):
    # unit prices carry up to 6 decimals (EN 16931 BT-146); the currency's precision is checked by verifier_precision
    return champ_montant(label, requis=requis, aide=aide, decimales=6)


def verifier_precision(montant, devise, quoi):
    """None, or the French message refusing an amount with more decimals than its currency has (XPF: none)."""
    if montant is None:
        return None
    autorisees = decimales(devise)
    exposant = -montant.normalize().as_tuple().exponent
    if exposant <= autorisees:
        return None
    if autorisees == 0:
        return f"La devise {devise} n'accepte pas de décimales : {quoi} ({_fr(montant)}) doit être un nombre entier."
    return f"La devise {devise} accepte {autorisees} décimales au plus : {quoi} ({_fr(montant)}) en a {exposant}."


def devise_soumise(data, initial=None):
    """The currency of a bound form before it is cleaned: the lines' precision depends on it."""
    devise = ((data or {}).get("devise") or (initial or {}).get("devise") or "EUR").strip().upper()
    return devise if devise_connue(devise) else "EUR"


def destinataires_trouver(recherche, limite=10):
    """Active public structures by SIRET or name, for the search of the entry form."""
    return annuaire_rechercher(recherche)[:limite]


def destinataire_par_siret(siret):
    siret = re.sub(r"\s", "", siret or "")
    return (
        Structure.objects.publiques_actives().filter(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret).first()
    )


def services_actifs(structure):
    """The services of `structure` active today (flag and validity dates), by code."""
    return [service for service in structure.services.order_by("code") if service_actif(service)]


class _ChoixCoordonnee(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        affactureur = " – affactureur" if obj.affactureur else ""
        return f"{obj.structure.designation} : {obj.titulaire} – {obj.iban_masque}{affactureur}"


class _ChoixService(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.structure.designation} : {obj.code} – {obj.libelle}"


AIDE_CODE_SERVICE = "Obligatoire si le destinataire l'exige. Laissez vide sinon."
AIDE_ENGAGEMENT = "Le numéro du bon de commande ou de l'engagement juridique."


@dataclass(frozen=True)
class Exigences:
    """What a recipient requires of an invoice (its routing parameters, checked at deposit by
    facturation.acheminement): shown on the form as soon as the recipient is known."""

    destinataire: Structure
    code_service: bool
    engagement: bool
    engagement_ou_service: bool
    services_avec_engagement: tuple[str, ...]

    def engagement_pour(self, code_service):
        return self.engagement or code_service in self.services_avec_engagement

    def phrases(self):
        nom = self.destinataire.raison_sociale
        phrases = []
        if self.code_service:
            phrases.append(f"{nom} exige un code service : choisissez l'un de ses services.")
        if self.engagement:
            phrases.append(f"{nom} exige un numéro d'engagement.")
        elif self.services_avec_engagement:
            liste = ", ".join(f"« {code} »" for code in self.services_avec_engagement)
            pluriel = "s" if len(self.services_avec_engagement) > 1 else ""
            phrases.append(f"Le numéro d'engagement est obligatoire pour le{pluriel} service{pluriel} {liste}.")
        if self.engagement_ou_service and not self.code_service and not self.engagement:
            phrases.append(f"{nom} exige un code service ou un numéro d'engagement : renseignez l'un des deux.")
        return phrases


def exigences_destinataire(destinataire, services):
    """The Exigences of `destinataire`, whose active services are `services`."""
    return Exigences(
        destinataire=destinataire,
        code_service=destinataire.code_service_obligatoire,
        engagement=destinataire.engagement_obligatoire,
        engagement_ou_service=destinataire.engagement_ou_service,
        services_avec_engagement=tuple(s.code for s in services if s.engagement_obligatoire),
    )


class FactureSaisieForm(DsfrBaseForm):
    """The header of the invoice. `user` scopes the supplier side; `pour_depot` adds what a deposit requires."""

    cadre = forms.ChoiceField(
        label="Cadre de facturation",
        choices=[(code, f"{code} – {CadreFacturation(code).label}") for code in CADRES_SAISIE],
        initial="A1",
        help_text="A9 (sous-traitant) et A12 (cotraitant) : la facture passe d'abord par un valideur.",
        error_messages={
            "required": "Cadre de facturation : choisissez un cadre.",
            "invalid_choice": "Cadre de facturation : choisissez un cadre de la liste (A1, A2, A9 ou A12).",
        },
    )
    siret_valideur = _texte(
        "SIRET du valideur",
        14,
        aide="Cadres A9 et A12 : le SIRET du titulaire du marché (A9) ou du mandataire du groupement (A12).",
        exigible=True,
    )
    code_service_valideur = _texte("Code service du valideur", 100, aide="Facultatif.")

    destinataire = _texte(
        "SIRET du destinataire",
        20,
        aide="14 chiffres. Le destinataire est une structure publique active (voir l'annuaire des destinataires).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        au_depot=True,
    )
    code_service = _texte(
        "Code du service destinataire",
        100,
        aide=AIDE_CODE_SERVICE,
        exigible=True,
    )

    fournisseur = forms.ModelChoiceField(
        label="Structure du fournisseur",
        queryset=Structure.objects.none(),
        empty_label="Choisissez la structure qui émet la facture",
        error_messages={
            "required": "Structure du fournisseur : choisissez la structure qui émet la facture.",
            "invalid_choice": "Structure du fournisseur : vous n'émettez pas de factures pour cette structure.",
        },
    )
    service_fournisseur = _ChoixService(
        label="Service du fournisseur",
        queryset=Service.objects.none(),
        required=False,
        empty_label="Aucun",
        help_text="Facultatif.",
        error_messages={"invalid_choice": "Service du fournisseur : choisissez un service actif de la liste."},
    )
    coordonnee_bancaire = _ChoixCoordonnee(
        label="Coordonnées bancaires",
        queryset=CoordonneeBancaire.objects.none(),
        required=False,
        empty_label="Aucune",
        help_text="Affacturage : choisissez le compte de l'affactureur et mentionnez la subrogation dans le "
        "commentaire.",
        error_messages={"invalid_choice": "Coordonnées bancaires : choisissez un compte actif de la liste."},
    )

    numero = _texte(
        "Numéro de facture",
        NUMERO_MAX,
        aide="20 caractères au plus : lettres sans accent, chiffres et - _ / +. Unique pour le fournisseur.",
        au_depot=True,
    )
    date_facture = _DateAuDepot(
        label="Date de facture",
        required=True,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Format attendu : jj/mm/aaaa",
        error_messages={"invalid": "Date de facture : la date n'est pas valide (format attendu : jj/mm/aaaa)."},
    )
    devise = forms.ChoiceField(
        label="Devise",
        choices=DEVISES,
        initial="EUR",
        help_text="XPF et JPY n'ont pas de décimales.",
        error_messages={
            "required": "Devise : choisissez une devise.",
            "invalid_choice": "Devise : choisissez une devise de la liste.",
        },
    )
    type_facture = forms.ChoiceField(
        label="Type de facture",
        choices=TypeFacture.choices,
        initial=TypeFacture.FACTURE,
        error_messages={
            "required": "Type de facture : choisissez facture ou avoir.",
            "invalid_choice": "Type de facture : choisissez facture ou avoir.",
        },
    )
    numero_facture_origine = _texte(
        "Numéro de la facture d'origine",
        NUMERO_MAX,
        aide="Obligatoire pour un avoir : la facture qu'il corrige.",
        exigible=True,
    )
    type_tva = forms.ChoiceField(
        label="Type de TVA",
        choices=TypeTva.choices,
        initial=TypeTva.TVA_SUR_DEBIT,
        error_messages={
            "required": "Type de TVA : choisissez un type.",
            "invalid_choice": "Type de TVA : choisissez un type de la liste.",
        },
    )
    motif_exoneration = _texte("Motif d'exonération de TVA", 255, aide="Obligatoire en cas d'exonération.")
    mode_paiement = forms.ChoiceField(
        label="Mode de paiement",
        choices=[("", "Non précisé"), *ModePaiement.choices],
        required=False,
        help_text="Pas de mode de paiement pour un avoir.",
        error_messages={"invalid_choice": "Mode de paiement : choisissez un mode de la liste."},
    )
    numero_engagement = _texte("Numéro d'engagement", 50, aide=AIDE_ENGAGEMENT, exigible=True)
    numero_marche = _texte("Numéro de marché", 50)

    remise_globale = _montant(
        "Remise globale TTC",
        aide="Facultatif. Montant TTC, réparti sur les taux de TVA au prorata de leurs bases : chaque base HT et sa "
        "TVA sont réduites d'autant, le total TTC baisse du montant saisi.",
    )
    motif_remise_globale = _texte("Motif de la remise globale", 255, aide="Obligatoire avec une remise globale.")
    commentaire = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visible par le destinataire. Affacturage : la mention de subrogation.",
        error_messages={"max_length": "Commentaire : 2000 caractères au plus (%(show_value)d saisis)."},
    )

    def __init__(self, *args, user, pour_depot=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.pour_depot = pour_depot
        self.valideur = None
        self.service_valideur = None
        self.service_destinataire = None
        fournisseurs = structures_visibles(user, Application.FACTURES_EMISES, Niveau.MODIFICATION).filter(
            statut=StatutStructure.ACTIVE
        )
        self.fields["fournisseur"].queryset = fournisseurs.order_by("raison_sociale")
        self.fields["service_fournisseur"].queryset = (
            Service.objects.filter(structure__in=fournisseurs, actif=True)
            .select_related("structure")
            .order_by("structure__raison_sociale", "code")
        )
        self.fields["coordonnee_bancaire"].queryset = (
            CoordonneeBancaire.objects.filter(structure__in=fournisseurs, actif=True)
            .select_related("structure")
            .order_by("structure__raison_sociale", "titulaire")
        )
        if not self.is_bound and not self.initial.get("fournisseur"):
            seules = list(self.fields["fournisseur"].queryset[:2])
            if len(seules) == 1:
                self.initial["fournisseur"] = seules[0].pk
        # required by the cadre or the type chosen (a deposit checks them): never « (Optionnel) » then
        self.fields["siret_valideur"].required = self._valeur("cadre") in CADRES_AVEC_VALIDEUR
        self.fields["numero_facture_origine"].required = self._valeur("type_facture") == TypeFacture.AVOIR
        self.exigences = None
        self.destinataire_choisi = destinataire_par_siret(self._valeur("destinataire"))
        if self.destinataire_choisi is not None:
            self._proposer_services(self.destinataire_choisi)

    def _valeur(self, nom):
        if self.is_bound:
            return self.data.get(self.add_prefix(nom), "")
        return self.initial.get(nom, "")

    def _proposer_services(self, destinataire):
        """The recipient is known when the page is drawn: its active services as a list instead of a text field,
        and the fields it requires shown as required (never « (Optionnel) »)."""
        services = services_actifs(destinataire)
        self.exigences = exigences = exigences_destinataire(destinataire, services)
        champ = self.fields["code_service"]
        champ.required = exigences.code_service
        nom = destinataire.raison_sociale
        if not services:
            champ.help_text = f"{nom} n'a aucun service actif."
        else:
            vide = "Choisissez un service" if exigences.code_service else "Aucun service"
            champ.widget = forms.Select(choices=[("", vide), *((s.code, f"{s.code} – {s.libelle}") for s in services)])
            champ.help_text = (
                f"Obligatoire pour {nom} : choisissez l'un de ses services actifs."
                if exigences.code_service
                else f"Les services actifs de {nom}. Facultatif pour ce destinataire."
            )
            # the only possible choice when one is required: chosen for the user, who may still see it
            if (
                exigences.code_service
                and len(services) == 1
                and not self.is_bound
                and not self.initial.get("code_service")
            ):
                self.initial["code_service"] = services[0].code
        engagement = self.fields["numero_engagement"]
        engagement.required = exigences.engagement_pour((self._valeur("code_service") or "").strip())
        if exigences.engagement:
            engagement.help_text = f"Obligatoire pour {nom}. {AIDE_ENGAGEMENT}"
        elif exigences.services_avec_engagement:
            liste = ", ".join(f"« {code} »" for code in exigences.services_avec_engagement)
            engagement.help_text = f"Obligatoire pour le service {liste} de {nom}. {AIDE_ENGAGEMENT}"
        for champ_modifie in ("code_service", "numero_engagement"):
            # a bound field copies its field's help text when created (DsfrBaseForm creates them all): anew
            self._bound_fields_cache.pop(champ_modifie, None)
            dsfr_input_class_attr(self[champ_modifie])

    # --- fields

    def clean_destinataire(self):
        siret = re.sub(r"\s", "", self.cleaned_data["destinataire"])
        if not siret:
            raise forms.ValidationError(
                "SIRET du destinataire : indiquez le SIRET du destinataire ou recherchez-le par son nom."
            )
        if not (que_des_chiffres(siret) and len(siret) == 14):
            raise forms.ValidationError(
                f"SIRET du destinataire : un SIRET comporte 14 chiffres ({len(siret)} caractères saisis)."
            )
        structure = destinataire_par_siret(siret)
        if structure is None:
            raise forms.ValidationError(
                f"SIRET du destinataire : aucune structure publique active n'a le SIRET {siret}. Vérifiez-le ou "
                "recherchez le destinataire par son nom."
            )
        return structure

    def clean_numero(self):
        numero = self.cleaned_data["numero"].strip()
        if self.pour_depot and not numero:
            raise forms.ValidationError("Numéro de facture : indiquez le numéro de la facture.")
        return numero

    def clean_date_facture(self):
        date = self.cleaned_data["date_facture"]
        if self.pour_depot and date is None:
            raise forms.ValidationError("Date de facture : indiquez la date de la facture.")
        if date is not None and date > timezone.localdate():
            raise forms.ValidationError(
                f"Date de facture : le {date:%d/%m/%Y} est postérieur à la date du jour ; une facture ne peut pas "
                "être datée dans le futur."
            )
        if date is not None and date < datetime.date(2000, 1, 1):
            raise forms.ValidationError("Date de facture : la date est antérieure au 01/01/2000.")
        return date

    def clean_siret_valideur(self):
        return re.sub(r"\s", "", self.cleaned_data["siret_valideur"])

    # --- rules between fields

    def clean(self):
        donnees = super().clean()
        self._regles_avoir(donnees)
        self._regles_tva(donnees)
        self._regles_remise(donnees)
        self._fournisseur_coherent(donnees)
        self._service_destinataire(donnees)
        self._valideur(donnees)
        return donnees

    def _regles_avoir(self, donnees):
        if donnees.get("type_facture") != TypeFacture.AVOIR:
            return
        if self.pour_depot and not donnees.get("numero_facture_origine"):
            self.add_error(
                "numero_facture_origine",
                "Numéro de la facture d'origine : obligatoire pour un avoir, indiquez la facture qu'il corrige.",
            )
        if donnees.get("mode_paiement"):
            self.add_error("mode_paiement", "Mode de paiement : un avoir ne comporte pas de mode de paiement.")

    def _regles_tva(self, donnees):
        if donnees.get("type_tva") == TypeTva.EXONERATION and self.pour_depot and not donnees.get("motif_exoneration"):
            self.add_error(
                "motif_exoneration", "Motif d'exonération de TVA : obligatoire quand la facture est exonérée de TVA."
            )

    def _regles_remise(self, donnees):
        remise = donnees.get("remise_globale")
        if remise and not donnees.get("motif_remise_globale"):
            self.add_error("motif_remise_globale", "Motif de la remise globale : obligatoire avec une remise globale.")
        message = verifier_precision(remise, donnees.get("devise") or "EUR", "la remise globale")
        if message:
            self.add_error("remise_globale", message)

    def _fournisseur_coherent(self, donnees):
        fournisseur = donnees.get("fournisseur")
        if fournisseur is None:
            return
        service = donnees.get("service_fournisseur")
        if service is not None and service.structure_id != fournisseur.pk:
            self.add_error(
                "service_fournisseur",
                f"Service du fournisseur : le service {service.code} n'appartient pas à {fournisseur.designation}.",
            )
        coordonnee = donnees.get("coordonnee_bancaire")
        if coordonnee is not None and coordonnee.structure_id != fournisseur.pk:
            self.add_error(
                "coordonnee_bancaire",
                f"Coordonnées bancaires : le compte {coordonnee.iban_masque} n'appartient pas à "
                f"{fournisseur.designation}.",
            )
        destinataire = donnees.get("destinataire")
        if destinataire is not None and destinataire.pk == fournisseur.pk:
            self.add_error(
                "destinataire",
                "SIRET du destinataire : le destinataire doit être une autre structure que le fournisseur.",
            )

    def _service_destinataire(self, donnees):
        code = (donnees.get("code_service") or "").strip()
        destinataire = donnees.get("destinataire")
        donnees["code_service"] = code
        if not code or destinataire is None:
            return
        service = destinataire.services.filter(code=code).first()
        if service is None or not service_actif(service):
            etat = "n'existe pas" if service is None else "n'est pas actif"
            self.add_error(
                "code_service",
                f"Code du service destinataire : le service « {code} » {etat} chez {destinataire.raison_sociale} "
                f"({destinataire.identifiant}).",
            )
            return
        self.service_destinataire = service

    def _valideur(self, donnees):
        cadre = donnees.get("cadre")
        siret = donnees.get("siret_valideur") or ""
        code = (donnees.get("code_service_valideur") or "").strip()
        if cadre not in CADRES_AVEC_VALIDEUR:
            return
        if not siret:
            if self.pour_depot:
                qui = "du titulaire du marché" if cadre == "A9" else "du mandataire du groupement"
                self.add_error("siret_valideur", f"SIRET du valideur : le cadre {cadre} exige le SIRET {qui}.")
            return
        valideur = (
            Structure.objects.filter(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret)
            .filter(statut=StatutStructure.ACTIVE)
            .first()
        )
        if valideur is None:
            self.add_error(
                "siret_valideur", f"SIRET du valideur : aucune structure active n'a le SIRET {siret} sur Chorus Pro."
            )
            return
        fournisseur = donnees.get("fournisseur")
        if fournisseur is not None and valideur.pk == fournisseur.pk:
            self.add_error("siret_valideur", "SIRET du valideur : le valideur doit être une autre structure que vous.")
            return
        self.valideur = valideur
        if code:
            service = valideur.services.filter(code=code).first()
            if service is None or not service_actif(service):
                self.add_error(
                    "code_service_valideur",
                    f"Code service du valideur : le service « {code} » n'existe pas ou n'est pas actif chez "
                    f"{valideur.raison_sociale}.",
                )
            else:
                self.service_valideur = service

    def donnees_facture(self):
        """The model's field values of the header, for facturation.services.brouillon."""
        d = self.cleaned_data
        avec_valideur = d["cadre"] in CADRES_AVEC_VALIDEUR
        return {
            "cadre": d["cadre"],
            "type_facture": d["type_facture"],
            "numero": d["numero"],
            "date_facture": d["date_facture"],
            "devise": d["devise"],
            "fournisseur": d["fournisseur"],
            "destinataire": d["destinataire"],
            "service_destinataire": self.service_destinataire,
            "service_fournisseur": d["service_fournisseur"],
            "coordonnee_bancaire": d["coordonnee_bancaire"],
            "type_tva": d["type_tva"],
            "motif_exoneration": d["motif_exoneration"],
            "mode_paiement": d["mode_paiement"],
            "numero_facture_origine": d["numero_facture_origine"] if d["type_facture"] == TypeFacture.AVOIR else "",
            "numero_engagement": d["numero_engagement"].strip(),
            "numero_marche": d["numero_marche"].strip(),
            "remise_globale": d["remise_globale"] or Decimal(0),
            "motif_remise_globale": d["motif_remise_globale"],
            "commentaire": d["commentaire"],
            "valideur_1": self.valideur if avec_valideur else None,
            "service_valideur_1": self.service_valideur if avec_valideur else None,
        }


def initial_depuis_facture(facture):
    """The form's initial values of a saved draft."""
    return {
        "cadre": facture.cadre,
        "siret_valideur": facture.valideur_1.identifiant if facture.valideur_1_id else "",
        "code_service_valideur": facture.service_valideur_1.code if facture.service_valideur_1_id else "",
        "destinataire": facture.destinataire.identifiant,
        "code_service": facture.service_destinataire.code if facture.service_destinataire_id else "",
        "fournisseur": facture.fournisseur_id,
        "service_fournisseur": facture.service_fournisseur_id,
        "coordonnee_bancaire": facture.coordonnee_bancaire_id,
        "numero": facture.numero,
        "date_facture": facture.date_facture,
        "devise": facture.devise,
        "type_facture": facture.type_facture,
        "numero_facture_origine": facture.numero_facture_origine,
        "type_tva": facture.type_tva or TypeTva.TVA_SUR_DEBIT,
        "motif_exoneration": facture.motif_exoneration,
        "mode_paiement": facture.mode_paiement,
        "numero_engagement": facture.numero_engagement,
        "numero_marche": facture.numero_marche,
        "remise_globale": nombre_saisi(facture.remise_globale) if facture.remise_globale else "",
        "motif_remise_globale": facture.motif_remise_globale,
        "commentaire": facture.commentaire,
    }


# --- lines


class LigneForm(DsfrBaseForm):
    reference = _texte("Référence", 100)
    designation = forms.CharField(
        label="Désignation",
        max_length=255,
        error_messages={
            "required": "Désignation : décrivez le bien ou la prestation.",
            "max_length": "Désignation : 255 caractères au plus (%(show_value)d saisis).",
        },
    )
    quantite = NombreFrancais(
        label="Quantité",
        max_digits=19,
        decimal_places=6,
        error_messages={
            "required": "Quantité : indiquez une quantité.",
            "invalid": "Quantité : saisissez un nombre, par exemple 2 ou 1,5.",
            "max_decimal_places": "Quantité : 6 décimales au plus.",
            "max_digits": "Quantité : le nombre est trop grand.",
            "max_whole_digits": "Quantité : le nombre est trop grand.",
        },
    )
    unite = forms.ChoiceField(
        label="Unité",
        choices=UNITES,
        initial="C62",
        error_messages={"invalid_choice": "Unité : choisissez une unité de la liste."},
    )
    prix_unitaire_ht = _montant("Prix unitaire HT", requis=True)
    remise = _montant("Remise HT")
    taux_tva = forms.ChoiceField(
        label="Taux de TVA",
        choices=[(taux, _libelle_taux(taux)) for taux in TAUX_TVA],
        initial="20",
        error_messages={
            "required": "Taux de TVA : choisissez un taux.",
            "invalid_choice": "Taux de TVA : choisissez un taux de la liste.",
        },
    )

    def __init__(self, *args, devise="EUR", **kwargs):
        super().__init__(*args, **kwargs)
        self.devise = devise
        numero = (self.prefix or "").rsplit("-", 1)[-1]
        self.rang = int(numero) + 1 if que_des_chiffres(numero) else 1
        for champ in self.fields.values():
            # every line repeats the same labels: each message says which line it is about
            for cle, message in champ.error_messages.items():
                champ.error_messages[cle] = message.replace(
                    f"{champ.label} :", f"{champ.label} de la ligne {self.rang} :"
                ).replace(f"« {champ.label} »", f"« {champ.label} » de la ligne {self.rang}")

    def clean(self):
        donnees = super().clean()
        for nom, quoi in (("prix_unitaire_ht", "le prix unitaire HT"), ("remise", "la remise")):
            message = verifier_precision(donnees.get(nom), self.devise, f"{quoi} de la ligne {self.rang}")
            if message:
                self.add_error(nom, message)
        quantite, prix, remise = donnees.get("quantite"), donnees.get("prix_unitaire_ht"), donnees.get("remise")
        if quantite is not None and quantite == 0:
            self.add_error("quantite", f"Quantité de la ligne {self.rang} : la quantité ne peut pas être nulle.")
        if None not in (quantite, prix) and remise and remise > abs(quantite * prix):
            self.add_error(
                "remise",
                f"Remise HT de la ligne {self.rang} : la remise ({_fr(remise)}) dépasse le montant de la ligne "
                f"({_fr(quantite * prix)}).",
            )
        return donnees

    def ligne(self, numero):
        d = self.cleaned_data
        return {
            "numero": numero,
            "reference": d["reference"],
            "designation": d["designation"],
            "quantite": d["quantite"],
            "unite": d["unite"],
            "prix_unitaire_ht": d["prix_unitaire_ht"],
            "remise": d["remise"] or Decimal(0),
            "taux_tva": Decimal(d["taux_tva"]),
        }


class _LignesBase(forms.BaseFormSet):
    def __init__(self, *args, pour_depot=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.pour_depot = pour_depot

    def get_form_kwargs(self, index):
        # a saved line emptied by the user is dropped, like an empty new one
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def clean(self):
        if any(self.errors):
            return
        if self.pour_depot and not self.lignes():
            raise forms.ValidationError("Lignes de la facture : saisissez au moins une ligne.")

    def lignes(self):
        """The filled lines, numbered from 1 in their order."""
        remplies = [form for form in self.forms if form.has_changed() and form.cleaned_data]
        return [form.ligne(numero) for numero, form in enumerate(remplies, start=1)]


LignesFormSet = forms.formset_factory(LigneForm, formset=_LignesBase, extra=0, max_num=500, absolute_max=500)
CHAMPS_LIGNE = ("reference", "designation", "quantite", "unite", "prix_unitaire_ht", "remise", "taux_tva")


def lignes_formset(data=None, *, devise, initial=None, pour_depot=False):
    """The lines; an unbound one shows `initial` (saved lines) plus empty ones to fill."""
    if data is not None:
        return LignesFormSet(data, prefix="lignes", form_kwargs={"devise": devise}, pour_depot=pour_depot)
    initial = list(initial or [])
    formset = forms.formset_factory(
        LigneForm, formset=_LignesBase, extra=1 if initial else LIGNES_VIDES, max_num=500, absolute_max=500
    )
    return formset(initial=initial, prefix="lignes", form_kwargs={"devise": devise})


def lignes_saisies(data):
    """The rows as typed, unchecked: « Ajouter une ligne » shows them again with one more empty row."""
    try:
        nombre = min(int(data.get("lignes-TOTAL_FORMS") or 0), 500)
    except ValueError:
        nombre = 0
    lignes = [{nom: data.get(f"lignes-{i}-{nom}", "") for nom in CHAMPS_LIGNE} for i in range(nombre)]
    return [ligne for ligne in lignes if any(ligne[nom] for nom in ("designation", "quantite", "prix_unitaire_ht"))]


def initial_lignes(facture):
    return [
        {
            "reference": ligne.reference,
            "designation": ligne.designation,
            "quantite": nombre_saisi(ligne.quantite),
            "unite": ligne.unite or "C62",
            "prix_unitaire_ht": nombre_saisi(ligne.prix_unitaire_ht),
            "remise": nombre_saisi(ligne.remise) if ligne.remise else "",
            "taux_tva": _taux_choix(ligne.taux_tva),
        }
        for ligne in facture.lignes.all()
    ]


def _taux_choix(taux):
    texte = nombre_saisi(taux).replace(",", ".")
    return texte if texte in TAUX_TVA else "20"


class PiecesJointesWidget(forms.FileInput):
    allow_multiple_selected = True


class PiecesJointesChamp(forms.FileField):
    """Several files at once (Django's documented pattern); each is checked by the attachment service."""

    def clean(self, data, initial=None):
        fichiers = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PiecesJointesChamp, self).clean(fichier, initial) for fichier in fichiers]


class PiecesJointesForm(DsfrBaseForm):
    pieces_jointes = PiecesJointesChamp(
        label="Pièces jointes",
        required=False,
        widget=PiecesJointesWidget(attrs={"multiple": True}),
        help_text="Facultatif. 50 caractères au plus par nom de fichier, moins de 10 Mo par fichier, 120 Mo pour la "
        "facture et ses pièces jointes.",
        error_messages={"empty": "Pièces jointes : le fichier est vide."},
    )
    pieces_structure = forms.ModelMultipleChoiceField(
        label="Pièces jointes de la structure",
        queryset=PieceJointeStructure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les documents enregistrés dans la fiche de la structure du fournisseur (RIB, Kbis…), joints tels "
        "quels à la facture.",
        error_messages={"invalid_choice": "Pièces jointes de la structure : ce document n'est pas proposé."},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # only the documents of the structures the user may invoice for; the service checks the chosen supplier's
        structures = structures_visibles(user, Application.FACTURES_EMISES, Niveau.MODIFICATION) if user else []
        champ = self.fields["pieces_structure"]
        champ.queryset = PieceJointeStructure.objects.filter(structure__in=structures).select_related("structure")
        champ.label_from_instance = lambda piece: f"{piece.nom} ({piece.structure.raison_sociale})"
