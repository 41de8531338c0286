"""Stratégies Hypothesis : des factures EN 16931 valides, de 1 à 6 lignes, avec remises et frais de ligne et de
document, plusieurs catégories et taux de TVA, en devises à 0, 2 et 3 décimales.

Catégories de TVA : S (20 ; 10 ; 5,5 ; 2,1 %), Z, E (avec motif d'exonération), AE (autoliquidation). EN 16931
les admet ensemble sur une facture (seule O, hors champ, exclut les autres : BR-O-11 à BR-O-14) ; Z, E et AE n'ont
qu'une ventilation chacune, au taux 0 (BR-Z-05, BR-E-05, BR-AE-05).
"""

import datetime
from dataclasses import replace
from decimal import Decimal

from hypothesis import strategies as st

from tests.facturation.proprietes.en16931 import CategorieTva, Facture, Ligne, RemiseOuFrais, arrondir, pas

DEVISES = ("EUR", "JPY", "GBP", "KWD", "TND")  # EUR d'abord : l'exemple réduit d'un échec y tend
CATEGORIES = (
    CategorieTva("S", Decimal("20")),
    CategorieTva("S", Decimal("10")),
    CategorieTva("S", Decimal("5.5")),
    CategorieTva("S", Decimal("2.1")),
    CategorieTva("Z", Decimal("0")),
    CategorieTva("E", Decimal("0"), "Exonération de TVA, article 261 du CGI", "VATEX-EU-132"),
    CategorieTva("AE", Decimal("0"), "Autoliquidation", "VATEX-EU-AE"),
)
# (code UNTDID 5189, motif) pour une remise ; (code UNTDID 7161, motif) pour des frais.
MOTIFS_REMISE = (("95", "Remise commerciale"), ("100", "Remise exceptionnelle"), ("41", "Bonus"))
MOTIFS_FRAIS = (("FC", "Frais de transport"), ("ABL", "Emballage"), ("SAE", "Frais de livraison"))


# Composites plutôt que .map(lambda) : l'exemple réduit d'un échec s'affiche en valeurs, pas en code source.
@st.composite
def montants(draw, devise, minimum, maximum):
    """Un montant de la devise entre `minimum` et `maximum` (en unités), au pas que l'artefact accepte."""
    unite = pas(devise)
    return draw(st.integers(int(minimum / unite), int(maximum / unite))) * unite


@st.composite
def _remise_ou_frais(draw, est_frais, montant, motifs, categorie=None):
    code, motif = draw(st.sampled_from(motifs))
    return RemiseOuFrais(est_frais=est_frais, montant=montant, code_motif=code, motif=motif, categorie=categorie)


@st.composite
def lignes(draw, devise, numero):
    categorie = draw(st.sampled_from(CATEGORIES))
    quantite = Decimal(draw(st.integers(1, 100_000))) / 100  # 0,01 à 1 000, au centième
    # Le prix net (BT-146) n'est pas un montant au sens de BR-DEC : deux décimales de plus que la devise.
    unite_prix = pas(devise) / 100
    prix = draw(st.integers(1, int(Decimal(5000) / unite_prix))) * unite_prix
    brut = arrondir(quantite * prix, devise)
    remise = frais = None
    if brut >= 2 * pas(devise) and draw(st.booleans()):
        montant = draw(montants(devise, pas(devise), brut / 2))
        remise = draw(_remise_ou_frais(False, montant, MOTIFS_REMISE))
    if draw(st.booleans()):
        frais = draw(_remise_ou_frais(True, draw(montants(devise, pas(devise), 500)), MOTIFS_FRAIS))
    return Ligne(
        numero=str(numero),
        designation=draw(st.sampled_from(("Prestation de conseil", "Fournitures de bureau", "Maintenance"))),
        quantite=quantite,
        prix_net=prix,
        categorie=categorie,
        remise=remise,
        frais=frais,
    )


@st.composite
def factures(draw, *, siret_vendeur, siret_acheteur, numero="F-PROP-1"):
    devise = draw(st.sampled_from(DEVISES))
    liste = [draw(lignes(devise, rang)) for rang in range(1, draw(st.integers(1, 6)) + 1)]
    facture = Facture(
        numero=numero,
        date=datetime.date(2026, 1, 15),
        devise=devise,
        siret_vendeur=siret_vendeur,
        siret_acheteur=siret_acheteur,
        lignes=tuple(liste),
    )
    # Frais de document : sur n'importe quelle catégorie, y compris une qu'aucune ligne ne porte.
    elements = []
    for _ in range(draw(st.integers(0, 3))):
        categorie = draw(st.sampled_from(CATEGORIES))
        montant = draw(montants(devise, pas(devise), 800))
        elements.append(draw(_remise_ou_frais(True, montant, MOTIFS_FRAIS, categorie)))
    # Remises de document : sur une catégorie déjà présente, sans dépasser la moitié de sa base (BT-116 reste > 0).
    for _ in range(draw(st.integers(0, 3))):
        bases = {v.categorie: v.base for v in replace(facture, remises_et_frais=tuple(elements)).ventilations()}
        categorie = draw(st.sampled_from(sorted(bases, key=lambda c: (c.code, c.taux))))
        if bases[categorie] < 2 * pas(devise):
            continue
        montant = draw(montants(devise, pas(devise), bases[categorie] / 2))
        elements.append(draw(_remise_ou_frais(False, montant, MOTIFS_REMISE, categorie)))
    facture = replace(facture, remises_et_frais=tuple(draw(st.permutations(elements))))
    ttc = facture.totaux().ttc
    paye = None
    if draw(st.booleans()):
        paye = draw(montants(devise, 0, ttc / 2))  # BT-113, jusqu'à la moitié du TTC
    # BT-114 : arrondi du net à payer à un multiple plus gros que le pas de la devise (0,05 ; 1 ; 10).
    arrondi_a = draw(st.sampled_from((None, pas(devise) * 5, pas(devise) * 100)))
    return replace(facture, paye=paye, arrondi_a=arrondi_a)


def caracteristiques(facture):
    """Ce qu'une facture générée exerce, pour les statistiques (pytest --hypothesis-show-statistics)."""
    totaux = facture.totaux()
    traits = {f"devise {facture.devise}", f"{len(facture.lignes)} ligne(s)"}
    traits |= {f"TVA {v.categorie.code} {v.categorie.taux}" for v in facture.ventilations()}
    if any(ligne.remise for ligne in facture.lignes):
        traits.add("remise de ligne (BG-27)")
    if any(ligne.frais for ligne in facture.lignes):
        traits.add("frais de ligne (BG-28)")
    if facture.remises:
        traits.add("remise de document (BG-20)")
    if facture.frais:
        traits.add("frais de document (BG-21)")
    if totaux.paye:
        traits.add("déjà payé (BT-113)")
    if totaux.arrondi:
        traits.add("arrondi non nul (BT-114)")
    return traits
