"""The web entry of an invoice, « Saisir une facture » (chorus-pro-features.md rows 30, 36–38, 51, 52).

Two levels of checks: what a draft needs (a supplier the user may act for, a known public recipient, well-formed
values) and what a deposit needs on top (number, date, lines, the cadre's and the avoir's rules). The routing rules
of the recipient (code service or engagement required, number unique…) stay in facturation.acheminement, asked at
deposit; the form reports everything it can know without it, each error on its field and naming it.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from chorus.chiffres import que_des_chiffres
from facturation import regles_depot
from facturation.acheminement import CADRES_AVEC_VALIDEUR, service_actif
from facturation.enums import CadreFacturation, ModePaiement, TypeFacture, TypeTva
from facturation.forms.champs import NombreFrancais, champ_montant
from facturation.referentiels import DEVISES, TAUX_TVA, UNITES, devise_connue
from facturation.regles_depot import (
    CADRES_SAISIE,
    CHOIX,
    CHOIX_LIGNE,
    MESSAGES_QUANTITE,
    TEXTES,
    TEXTES_LIGNE,
)
from organisation.enums import Application, Niveau, StatutStructure
from organisation.habilitations import structures_visibles
from organisation.models import CoordonneeBancaire, PieceJointeStructure, Service, Structure
from organisation.selectors.annuaire import annuaire_rechercher

LIGNES_VIDES = 2


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
        error_messages={"max_length": regles_depot.message_longueur(label, max_length)},
    )


def _montant(label, *, aide="", requis=False):
    # unit prices carry up to 6 decimals (EN 16931 BT-146); the currency's precision is checked by verifier_precision
    return champ_montant(label, requis=requis, aide=aide, decimales=6)


def verifier_precision(montant, devise, quoi):
    """None, or the message refusing an amount with more decimals than its currency has (facturation.regles_depot)."""
    return regles_depot.precision(montant, devise, quoi)


def devise_soumise(data, initial=None):
    """The currency of a bound form before it is cleaned: the lines' precision depends on it."""
    devise = ((data or {}).get("devise") or (initial or {}).get("devise") or "EUR").strip().upper()
    return devise if devise_connue(devise) else "EUR"


def destinataires_trouver(recherche, limite=10):
    """Active public structures by SIRET or name, for the search of the entry form."""
    return annuaire_rechercher(recherche)[:limite]


destinataire_par_siret = regles_depot.destinataire_par_siret


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
            "invalid_choice": CHOIX["cadre"][1],
        },
    )
    siret_valideur = _texte(
        *TEXTES["siret_valideur"],
        aide="Cadres A9 et A12 : le SIRET du titulaire du marché (A9) ou du mandataire du groupement (A12).",
        exigible=True,
    )
    code_service_valideur = _texte(*TEXTES["code_service_valideur"], aide="Facultatif.")

    destinataire = _texte(
        *TEXTES["destinataire"],
        aide="14 chiffres. Le destinataire est une structure publique active (voir l'annuaire des destinataires).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        au_depot=True,
    )
    code_service = _texte(
        *TEXTES["code_service"],
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
        *TEXTES["numero"],
        aide="20 caractères au plus : lettres sans accent, chiffres et - _ / +. Unique pour le fournisseur.",
        au_depot=True,
    )
    date_facture = _DateAuDepot(
        label="Date de facture",
        required=True,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Format attendu : jj/mm/aaaa",
        error_messages={"invalid": regles_depot.MESSAGE_DATE_INVALIDE},
    )
    devise = forms.ChoiceField(
        label="Devise",
        choices=DEVISES,
        initial="EUR",
        help_text="XPF et JPY n'ont pas de décimales.",
        error_messages={
            "required": "Devise : choisissez une devise.",
            "invalid_choice": CHOIX["devise"][1],
        },
    )
    type_facture = forms.ChoiceField(
        label="Type de facture",
        choices=TypeFacture.choices,
        initial=TypeFacture.FACTURE,
        error_messages={
            "required": "Type de facture : choisissez facture ou avoir.",
            "invalid_choice": CHOIX["type_facture"][1],
        },
    )
    numero_facture_origine = _texte(
        *TEXTES["numero_facture_origine"],
        aide="Obligatoire pour un avoir : la facture qu'il corrige.",
        exigible=True,
    )
    type_tva = forms.ChoiceField(
        label="Type de TVA",
        choices=TypeTva.choices,
        initial=TypeTva.TVA_SUR_DEBIT,
        error_messages={
            "required": "Type de TVA : choisissez un type.",
            "invalid_choice": CHOIX["type_tva"][1],
        },
    )
    motif_exoneration = _texte(*TEXTES["motif_exoneration"], aide="Obligatoire en cas d'exonération.")
    mode_paiement = forms.ChoiceField(
        label="Mode de paiement",
        choices=[("", "Non précisé"), *ModePaiement.choices],
        required=False,
        help_text="Pas de mode de paiement pour un avoir.",
        error_messages={"invalid_choice": CHOIX["mode_paiement"][1]},
    )
    numero_engagement = _texte(*TEXTES["numero_engagement"], aide=AIDE_ENGAGEMENT, exigible=True)
    numero_marche = _texte(*TEXTES["numero_marche"])

    remise_globale = _montant(
        "Remise globale TTC",
        aide="Facultatif. Montant TTC, réparti sur les taux de TVA au prorata de leurs bases : chaque base HT et sa "
        "TVA sont réduites d'autant, le total TTC baisse du montant saisi.",
    )
    motif_remise_globale = _texte(*TEXTES["motif_remise_globale"], aide="Obligatoire avec une remise globale.")
    commentaire = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=TEXTES["commentaire"][1],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visible par le destinataire. Affacturage : la mention de subrogation.",
        error_messages={"max_length": regles_depot.message_longueur(*TEXTES["commentaire"])},
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
        structure, erreurs = regles_depot.siret_destinataire(self.cleaned_data["destinataire"])
        if erreurs:
            raise forms.ValidationError([e.message for e in erreurs])
        return structure

    def clean_numero(self):
        numero = self.cleaned_data["numero"].strip()
        erreurs = regles_depot.numero(numero, pour_depot=self.pour_depot)
        if erreurs:
            raise forms.ValidationError([e.message for e in erreurs])
        return numero

    def clean_date_facture(self):
        date = self.cleaned_data["date_facture"]
        erreurs = regles_depot.date_facture(date, pour_depot=self.pour_depot)
        if erreurs:
            raise forms.ValidationError([e.message for e in erreurs])
        return date

    def clean_siret_valideur(self):
        return re.sub(r"\s", "", self.cleaned_data["siret_valideur"])

    # --- rules between fields

    def clean(self):
        """The rules between fields: facturation.regles_depot's, each error on its field."""
        donnees = super().clean()
        donnees["code_service"] = (donnees.get("code_service") or "").strip()
        resultat = regles_depot.en_tete(donnees, pour_depot=self.pour_depot)
        self.service_destinataire = resultat.service_destinataire
        self.valideur, self.service_valideur = resultat.valideur, resultat.service_valideur
        for erreur in resultat.erreurs:
            self.add_error(erreur.champ, erreur.message)
        return donnees

    def donnees_facture(self):
        """The model's field values of the header, for facturation.services.brouillon."""
        return regles_depot.valeurs_du_brouillon(
            self.cleaned_data,
            service_destinataire=self.service_destinataire,
            valideur=self.valideur,
            service_valideur=self.service_valideur,
        )


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
    reference = _texte(*TEXTES_LIGNE["reference"])
    designation = forms.CharField(
        label="Désignation",
        max_length=TEXTES_LIGNE["designation"][1],
        error_messages={
            "required": regles_depot.MESSAGE_DESIGNATION,
            "max_length": regles_depot.message_longueur(*TEXTES_LIGNE["designation"]),
        },
    )
    quantite = NombreFrancais(
        label="Quantité",
        max_digits=19,
        decimal_places=6,
        error_messages=dict(MESSAGES_QUANTITE),
    )
    unite = forms.ChoiceField(
        label="Unité",
        choices=UNITES,
        initial="C62",
        error_messages={"invalid_choice": CHOIX_LIGNE["unite"][1]},
    )
    prix_unitaire_ht = _montant("Prix unitaire HT", requis=True)
    remise = _montant("Remise HT")
    taux_tva = forms.ChoiceField(
        label="Taux de TVA",
        choices=[(taux, _libelle_taux(taux)) for taux in TAUX_TVA],
        initial="20",
        error_messages={
            "required": "Taux de TVA : choisissez un taux.",
            "invalid_choice": CHOIX_LIGNE["taux_tva"][1],
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
                champ.error_messages[cle] = regles_depot.de_la_ligne(message, champ.label, self.rang)

    def clean(self):
        donnees = super().clean()
        for erreur in regles_depot.ligne(
            rang=self.rang,
            quantite=donnees.get("quantite"),
            prix_unitaire_ht=donnees.get("prix_unitaire_ht"),
            remise=donnees.get("remise"),
            devise=self.devise,
        ):
            self.add_error(erreur.champ, erreur.message)
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
        if self.pour_depot:
            erreurs = regles_depot.lignes_presentes(self.lignes())
            if erreurs:
                raise forms.ValidationError([e.message for e in erreurs])

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
