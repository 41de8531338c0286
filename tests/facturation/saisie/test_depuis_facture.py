"""The CII written from a web-entered invoice passes the XSD and the EN 16931 rules in each variant of the form
(no PDF rendered here: the same CII is what generer_facturx embeds)."""

from decimal import Decimal

import pytest

from facturation.formats.depuis_facture import facture_neutre
from facturation.formats.ecriture_cii import ecrire_cii
from facturation.services.brouillon import facture_enregistrer_brouillon
from facturation.validation.couches import valider


def brouillon(monde, lignes, **champs):
    donnees = {
        "fournisseur": monde.fournisseur,
        "destinataire": monde.destinataire,
        "numero": "FA-CII-1",
        "date_facture": __import__("datetime").date(2026, 3, 15),
        **champs,
    }
    return facture_enregistrer_brouillon(par=monde.utilisateur, donnees=donnees, lignes=lignes)


def ligne(prix, taux, quantite=1, remise=0, designation="Prestation"):
    return {
        "designation": designation,
        "quantite": Decimal(quantite),
        "prix_unitaire_ht": Decimal(prix),
        "remise": Decimal(remise),
        "taux_tva": Decimal(taux),
        "unite": "HUR",
    }


CAS = {
    "deux_taux_et_remise_de_ligne": ({}, [ligne("500", "20", 2, remise="10"), ligne("20", "5.5", 3)]),
    "avoir": ({"type_facture": "AVOIR", "numero_facture_origine": "FA-0001"}, [ligne("100", "20")]),
    "xpf": ({"devise": "XPF"}, [ligne("333", "13", 3)]),
    "taux_zero": ({}, [ligne("100", "0")]),
    "affacturage_et_commentaire": ({"commentaire": "Subrogation au profit de Factor SA."}, [ligne("10", "20")]),
}


@pytest.mark.parametrize("cas", CAS)
def test_cii_valide(monde, cas):
    champs, lignes = CAS[cas]
    if cas == "affacturage_et_commentaire":
        champs = {**champs, "coordonnee_bancaire": monde.affactureur}
    facture = brouillon(monde, lignes, **champs)
    rapport = valider(ecrire_cii(facture_neutre(facture)), "cii")
    assert [str(e) for e in rapport.erreurs] == []
