"""Ce que les deux syntaxes écrivent pareil : parties, adresses, paiement, format des montants."""

import datetime
from decimal import Decimal

from tests.facturation.proprietes.en16931 import Facture

CADRE_EN16931 = "urn:cen.eu:en16931:2017"  # BT-24
SCHEMA_SIRET = "0009"  # ISO 6523 : SIRET (BT-29, BT-46, BT-34, BT-49)
SCHEMA_SIRENE = "0002"  # ISO 6523 : SIRENE, ici un SIRET (BT-30, BT-47)
IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP"
ECHEANCE_JOURS = 30


def numero_tva(siret: str) -> str:
    """Le numéro de TVA intracommunautaire français du SIREN (clé = (12 + 3 × (SIREN mod 97)) mod 97)."""
    siren = int(siret[:9])
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siret[:9]}"


VENDEUR = {
    "nom": "Fournisseur des propriétés",
    "adresse": "12 rue des Essais",
    "code_postal": "75011",
    "ville": "Paris",
}
ACHETEUR = {
    "nom": "Collectivité des propriétés",
    "adresse": "1 place de la Mairie",
    "code_postal": "69001",
    "ville": "Lyon",
}


def texte_montant(montant: Decimal) -> str:
    """Un montant écrit tel quel, sans exposant (Decimal('1E+2') s'écrirait « 1E+2 »)."""
    return f"{montant:f}"


def texte_taux(taux: Decimal) -> str:
    return f"{taux.quantize(Decimal('0.01')):f}"


def echeance(facture: Facture) -> datetime.date:
    """BT-9 : BR-CO-25 la demande dès que le net à payer est positif."""
    return facture.date + datetime.timedelta(days=ECHEANCE_JOURS)
