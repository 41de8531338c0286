"""Reading an EJ file: every line checked, every error kept with its line number and its column, nothing written.

The file (CSV, one row per EJ line, the EJ's own columns repeated on each of its rows):

    numero_engagement;date_engagement;code_service;siret_fournisseur;etat;numero_ligne;designation;quantite;unite;
    prix_unitaire_ht;taux_tva

Separator « ; » (what a French spreadsheet writes) or « , »; UTF-8 (with or without BOM) or Windows-1252; decimal
comma or point; dates JJ/MM/AAAA or AAAA-MM-JJ. Chorus Pro publishes no format for this file (the EJ flux
IN_EJ_51_121 is internal to the State's systems): these columns are the project's, named after the model."""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from stdnum.fr import siret as siret_fr

from chorus.chiffres import que_des_chiffres
from engagements.enums import EtatEngagement
from engagements.models import NUMERO_LONGUEUR_MAX
from organisation.enums import StatutStructure, TypeIdentifiant
from organisation.models import Structure

COLONNES = (
    "numero_engagement",
    "date_engagement",
    "code_service",
    "siret_fournisseur",
    "etat",
    "numero_ligne",
    "designation",
    "quantite",
    "unite",
    "prix_unitaire_ht",
    "taux_tva",
)
OBLIGATOIRES = (
    "numero_engagement",
    "date_engagement",
    "siret_fournisseur",
    "numero_ligne",
    "designation",
    "quantite",
    "prix_unitaire_ht",
    "taux_tva",
)
# the columns that describe the EJ itself: every row of one EJ must give the same values
COLONNES_ENTETE = ("date_engagement", "code_service", "siret_fournisseur", "etat")
# Project limits: a public entity's batch of commitments fits well within them; a bigger file is split.
TAILLE_MAX = 2 * 1024 * 1024
LIGNES_MAX = 5000
DESIGNATION_MAX = 255
UNITE_MAX = 20
CENTIME = Decimal("0.01")


@dataclass(frozen=True)
class ErreurLigne:
    ligne: int  # the line of the file (the header is line 1); 0 for the file as a whole
    champ: str
    message: str

    def __str__(self):
        if not self.ligne:
            return self.message
        return f"Ligne {self.ligne}, colonne « {self.champ} » : {self.message}"


@dataclass
class LigneLue:
    ligne: int
    numero: int
    designation: str
    quantite: Decimal
    unite: str
    prix_unitaire_ht: Decimal
    taux_tva: Decimal

    @property
    def montant_ht(self):
        return (self.quantite * self.prix_unitaire_ht).quantize(CENTIME, rounding=ROUND_HALF_UP)


@dataclass
class EngagementLu:
    ligne: int  # first line of the EJ in the file
    numero: str
    date_engagement: datetime.date
    service: object
    fournisseur: Structure
    etat: str
    entete: dict  # the raw header values, to compare the EJ's next rows with
    lignes: list = field(default_factory=list)

    @property
    def montant_ht(self):
        return sum((ligne.montant_ht for ligne in self.lignes), Decimal("0.00"))

    @property
    def montant_tva(self):
        # VAT per rate, rounded once per rate, as an invoice's VAT breakdown (EN 16931 BG-23)
        bases = {}
        for ligne in self.lignes:
            bases[ligne.taux_tva] = bases.get(ligne.taux_tva, Decimal("0")) + ligne.montant_ht
        return sum(
            ((base * taux / 100).quantize(CENTIME, rounding=ROUND_HALF_UP) for taux, base in bases.items()),
            Decimal("0.00"),
        )


def decoder(contenu):
    """The file's text, or an ErreurLigne saying why it is not a text file."""
    if b"\x00" in contenu:
        return ErreurLigne(0, "fichier", "Le fichier n'est pas un fichier texte CSV (contenu binaire).")
    for encodage in ("utf-8-sig", "cp1252"):
        try:
            return contenu.decode(encodage)
        except UnicodeDecodeError:
            continue
    return ErreurLigne(0, "fichier", "Le fichier n'est ni en UTF-8 ni en Windows-1252.")


def _decimal(texte):
    texte = texte.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        valeur = Decimal(texte)
    except InvalidOperation:
        return None
    return valeur if valeur.is_finite() else None


def _date(texte):
    for motif in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(texte, motif).date()  # noqa: DTZ007 — a calendar date, no instant
        except ValueError:
            continue
    return None


class Lecteur:
    """Reads the rows of one public structure's file into EngagementLu objects, collecting every error."""

    def __init__(self, structure):
        self.structure = structure
        self.erreurs = []
        self.engagements = {}
        self.services = {s.code: s for s in structure.services.all()}
        self.fournisseurs = {}
        self.deja_charges = set(structure.engagements_emis.values_list("numero", flat=True))

    def erreur(self, ligne, champ, message):
        self.erreurs.append(ErreurLigne(ligne, champ, message))

    def lire(self, texte):
        if not texte.strip():
            self.erreur(0, "fichier", "Le fichier est vide.")
            return
        premiere = texte.splitlines()[0]
        separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
        lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
        entete = [c.strip().lower() for c in next(lecteur)]
        manquantes = [c for c in OBLIGATOIRES if c not in entete]
        if manquantes:
            self.erreur(
                1,
                "en-tête",
                f"colonne{'s' if len(manquantes) > 1 else ''} manquante{'s' if len(manquantes) > 1 else ''} : "
                f"{', '.join(manquantes)}. En-tête attendu : {';'.join(COLONNES)}.",
            )
            return
        inconnues = [c for c in entete if c and c not in COLONNES]
        if inconnues:
            self.erreur(
                1, "en-tête", f"colonne inconnue : {', '.join(inconnues)}. Colonnes admises : {';'.join(COLONNES)}."
            )
            return
        lignes = 0
        while True:
            try:
                valeurs = next(lecteur)
            except StopIteration:
                break
            except csv.Error as exc:
                self.erreur(lecteur.line_num, "ligne", f"ligne illisible ({exc}).")
                return
            # the physical line of the file where the row ends (a quoted value may span lines)
            rang = lecteur.line_num
            if not any(v.strip() for v in valeurs):
                continue
            lignes += 1
            if lignes > LIGNES_MAX:
                self.erreur(rang, "fichier", f"le fichier dépasse {LIGNES_MAX} lignes : découpez-le.")
                return
            if len(valeurs) > len(entete):
                self.erreur(
                    rang, "ligne", f"{len(valeurs)} valeurs pour {len(entete)} colonnes (séparateur « {separateur} »)."
                )
                continue
            ligne = {c: v.strip() for c, v in zip(entete, valeurs, strict=False)}
            self.lire_ligne(rang, ligne)
        if not self.engagements and not self.erreurs:
            self.erreur(0, "fichier", "Le fichier ne contient aucune ligne d'engagement.")

    def lire_ligne(self, rang, ligne):
        avant = len(self.erreurs)
        for colonne in OBLIGATOIRES:
            if not ligne.get(colonne):
                self.erreur(rang, colonne, "valeur obligatoire absente.")
        numero = ligne.get("numero_engagement", "")
        if len(numero) > NUMERO_LONGUEUR_MAX:
            self.erreur(rang, "numero_engagement", f"{len(numero)} caractères ; {NUMERO_LONGUEUR_MAX} au plus.")
        elif numero and numero in self.deja_charges:
            self.erreur(
                rang,
                "numero_engagement",
                f"l'engagement {numero} est déjà chargé pour {self.structure.raison_sociale}.",
            )
        date_ej = _date(ligne.get("date_engagement", ""))
        if ligne.get("date_engagement") and date_ej is None:
            self.erreur(
                rang, "date_engagement", f"« {ligne['date_engagement']} » n'est pas une date JJ/MM/AAAA ou AAAA-MM-JJ."
            )
        service = None
        if code := ligne.get("code_service"):
            service = self.services.get(code)
            if service is None:
                self.erreur(
                    rang, "code_service", f"le service « {code} » n'existe pas dans {self.structure.raison_sociale}."
                )
            elif not service.actif:
                self.erreur(rang, "code_service", f"le service « {code} » est inactif.")
        fournisseur = self.fournisseur(rang, ligne.get("siret_fournisseur", ""))
        etat = ligne.get("etat") or EtatEngagement.COMMANDE
        if etat not in EtatEngagement.values:
            self.erreur(rang, "etat", f"« {etat} » inconnu ; valeurs admises : {', '.join(EtatEngagement.values)}.")
        numero_ligne = None
        if texte := ligne.get("numero_ligne"):
            if que_des_chiffres(texte) and 0 < int(texte) < 2**31:
                numero_ligne = int(texte)
            else:
                self.erreur(rang, "numero_ligne", f"« {texte} » n'est pas un entier positif.")
        designation = ligne.get("designation", "")
        if len(designation) > DESIGNATION_MAX:
            self.erreur(rang, "designation", f"{len(designation)} caractères ; {DESIGNATION_MAX} au plus.")
        unite = ligne.get("unite", "")
        if len(unite) > UNITE_MAX:
            self.erreur(rang, "unite", f"{len(unite)} caractères ; {UNITE_MAX} au plus.")
        quantite = self.nombre(rang, ligne, "quantite", minimum=Decimal("0"), strict=True, decimales=4)
        prix = self.nombre(rang, ligne, "prix_unitaire_ht", minimum=Decimal("0"), decimales=4)
        taux = self.nombre(rang, ligne, "taux_tva", minimum=Decimal("0"), maximum=Decimal("100"), decimales=2)
        if len(self.erreurs) > avant:
            return
        lue = LigneLue(rang, numero_ligne, designation, quantite, unite, prix, taux)
        entete = {c: ligne.get(c, "") for c in COLONNES_ENTETE}
        engagement = self.engagements.get(numero)
        if engagement is None:
            self.engagements[numero] = EngagementLu(rang, numero, date_ej, service, fournisseur, etat, entete, [lue])
            return
        for colonne in COLONNES_ENTETE:
            if entete[colonne] != engagement.entete[colonne]:
                self.erreur(
                    rang,
                    colonne,
                    f"« {entete[colonne]} » diffère de la ligne {engagement.ligne} du même engagement {numero} "
                    f"(« {engagement.entete[colonne]} »).",
                )
                return
        if any(existante.numero == numero_ligne for existante in engagement.lignes):
            self.erreur(rang, "numero_ligne", f"la ligne {numero_ligne} de l'engagement {numero} est en double.")
            return
        engagement.lignes.append(lue)

    def fournisseur(self, rang, siret):
        if not siret:
            return None
        siret = siret.replace(" ", "")
        if siret not in self.fournisseurs:
            trouve = None
            if siret_fr.is_valid(siret):
                trouve = Structure.objects.filter(
                    type_identifiant=TypeIdentifiant.SIRET, identifiant=siret, statut=StatutStructure.ACTIVE
                ).first()
            self.fournisseurs[siret] = trouve
        if not siret_fr.is_valid(siret):
            self.erreur(
                rang, "siret_fournisseur", f"« {siret} » n'est pas un SIRET valide (14 chiffres, clé de contrôle)."
            )
        elif self.fournisseurs[siret] is None:
            self.erreur(rang, "siret_fournisseur", f"aucune structure active n'a le SIRET {siret} dans Chorus Pro.")
        elif self.fournisseurs[siret] == self.structure:
            self.erreur(rang, "siret_fournisseur", "une structure ne s'engage pas envers elle-même.")
        return self.fournisseurs[siret]

    def nombre(self, rang, ligne, colonne, *, minimum, maximum=None, strict=False, decimales=2):
        texte = ligne.get(colonne, "")
        if not texte:
            return None
        valeur = _decimal(texte)
        if valeur is None:
            self.erreur(rang, colonne, f"« {texte} » n'est pas un nombre.")
            return None
        if valeur < minimum or (strict and valeur == minimum):
            self.erreur(rang, colonne, f"{texte} : {'strictement ' if strict else ''}supérieur à {minimum} attendu.")
            return None
        if maximum is not None and valeur > maximum:
            self.erreur(rang, colonne, f"{texte} : {maximum} au plus.")
            return None
        if -valeur.as_tuple().exponent > decimales:
            self.erreur(rang, colonne, f"{texte} : {decimales} décimales au plus.")
            return None
        if valeur >= Decimal(10) ** 14:
            self.erreur(rang, colonne, f"{texte} : nombre trop grand.")
            return None
        return valeur
