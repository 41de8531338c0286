"""The CII written from a web-entered invoice passes the XSD and the EN 16931 rules in each variant of the form
(no PDF rendered here: the same CII is what generer_facturx embeds)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from facturation.calcul import calculer
from facturation.formats.depuis_facture import facture_neutre
from facturation.formats.ecriture_cii import ecrire_cii
from facturation.formats.lecture import lire
from facturation.formats.modele import Paiement
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


EXONERE = {"type_tva": "EXONERATION", "motif_exoneration": "Exonération de TVA, article 261-4-4° du CGI"}
REMISE = {"remise_globale": Decimal("11"), "motif_remise_globale": "Fidélité"}
CAS_COMPLETS = {
    "exoneree": (EXONERE, [ligne("100", "0"), ligne("50", "0", 2)]),
    "exoneree_et_taxee": (EXONERE, [ligne("100", "0"), ligne("50", "20", 2)]),
    "remise_globale_deux_taux": (REMISE, [ligne("500", "20", 2), ligne("20", "5.5", 10)]),
    "remise_globale_exoneree": ({**EXONERE, **REMISE}, [ligne("500", "20", 2), ligne("20", "0", 10)]),
    "remise_globale_xpf": ({**REMISE, "devise": "XPF", "remise_globale": Decimal("101")}, [ligne("333", "13", 3)]),
    "deja_paye": ({}, [ligne("500", "20", 2)]),
    "virement_et_references": ({"mode_paiement": "VIREMENT"}, [ligne("500", "20", 2), ligne("20", "5.5", 10)]),
    "cheque": ({"mode_paiement": "CHEQUE"}, [ligne("10", "20")]),
    "virement_sans_compte": ({"mode_paiement": "VIREMENT"}, [ligne("10", "20")]),
}


@pytest.mark.parametrize("cas", CAS_COMPLETS)
def test_cii_valide_et_relu_avec_les_montants_de_la_facture(monde, cas):
    champs, lignes = CAS_COMPLETS[cas]
    if cas == "virement_et_references":
        champs = {**champs, "coordonnee_bancaire": monde.compte}
        lignes = [{**lignes[0], "reference": "FEN-01"}, lignes[1]]
    facture = brouillon(monde, lignes, **champs)
    if cas == "deja_paye":
        facture.montant_paye_avance = Decimal("300")
        facture.save()
    xml = ecrire_cii(facture_neutre(facture))

    assert [str(e) for e in valider(xml, "cii").erreurs] == []
    _syntaxe, relue, _ = lire(xml)
    calcul = calculer(facture.lignes.all(), facture.devise, facture.remise_globale, facture.montant_paye_avance)
    assert (relue.totaux.total_ht, relue.totaux.total_tva, relue.totaux.total_ttc, relue.totaux.net_a_payer) == (
        calcul.total_ht,
        calcul.total_tva,
        calcul.total_ttc,
        calcul.net_a_payer,
    )
    assert {(v.taux, v.base, v.montant) for v in relue.ventilation_tva} == {
        (v.taux, v.base_ht, v.montant_tva) for v in calcul.ventilation
    }
    assert sorted((r.taux_tva, r.montant) for r in relue.remises) == [
        (v.taux, v.remise_ht) for v in calcul.ventilation if v.remise_ht
    ]
    assert relue.conditions_paiement.startswith("Paiement à 30 jours à compter de la réception de la facture, soit")
    if facture.remise_globale:
        assert calcul.remise_ttc_appliquee == facture.remise_globale
        assert {r.motif for r in relue.remises} == {"Fidélité"}
    if facture.type_tva == "EXONERATION":
        exoneree = [v for v in relue.ventilation_tva if v.categorie == "E"]
        assert [v.motif_exoneration for v in exoneree] == ["Exonération de TVA, article 261-4-4° du CGI"]
        assert {ligne.categorie_tva for ligne in relue.lignes if ligne.taux_tva == 0} == {"E"}
    if cas == "deja_paye":
        assert (relue.totaux.paye_avance, relue.totaux.net_a_payer) == (Decimal("300.00"), Decimal("900.00"))
    if cas == "virement_et_references":
        assert relue.paiement == Paiement(
            code="58", iban="FR7630006000011234567890189", titulaire="Menuiserie Dubois", bic="AGRIFRPP"
        )
        assert [(ligne.reference_vendeur, ligne.designation) for ligne in relue.lignes] == [
            ("FEN-01", "Prestation"),
            (None, "Prestation"),
        ]
        assert relue.conditions_paiement.endswith("Mode de paiement : virement.")
    if cas == "cheque":
        assert relue.paiement == Paiement(code="20")
    if cas == "virement_sans_compte":
        # a transfer code (30, 58) requires the account (BR-61): without one, no payment means is written
        assert relue.paiement is None


def test_delai_du_destinataire_dans_les_conditions_de_paiement(monde):
    monde.destinataire.delai_global_paiement = 50
    monde.destinataire.save()
    facture = brouillon(monde, [ligne("10", "20")])
    jour = timezone.localdate()
    neutre = facture_neutre(facture)
    assert neutre.conditions_paiement.splitlines()[:2] == [
        "Paiement à 50 jours à compter de la réception de la facture, soit au plus tard le "
        f"{jour + datetime.timedelta(days=50):%d/%m/%Y} pour une réception le {jour:%d/%m/%Y}.",
        "Pas d'escompte pour paiement anticipé.",
    ]
    assert neutre.echeance == jour + datetime.timedelta(days=50)


def test_destinataire_public_interets_moratoires_de_la_commande_publique(monde):
    mentions = facture_neutre(brouillon(monde, [ligne("10", "20")])).conditions_paiement.splitlines()
    assert "intérêts moratoires" in mentions[2] and "majoré de 8 points, soit 10,15 %" in mentions[2]
    assert "indemnité forfaitaire pour frais de recouvrement de 40 €" in mentions[2]
    assert "Code de la commande publique, articles L2192-13, R2192-31 et D2192-35" in mentions[2]


def test_destinataire_prive_penalites_du_code_de_commerce(monde):
    monde.destinataire.est_publique = False
    monde.destinataire.save()
    mentions = facture_neutre(brouillon(monde, [ligne("10", "20")])).conditions_paiement.splitlines()
    assert "pénalités" in mentions[2] and "majoré de 10 points, soit 12,15 %" in mentions[2]
    assert "40 €" in mentions[2] and "Code de commerce, articles L441-10 et D441-5" in mentions[2]


def test_avoir_et_facture_acquittee_sans_penalites(monde):
    avoir = brouillon(monde, [ligne("10", "20")], type_facture="AVOIR", numero_facture_origine="FA-0001")
    neutre = facture_neutre(avoir)
    assert (neutre.echeance, "retard" in (neutre.conditions_paiement or "")) == (None, False)
    acquittee = facture_neutre(brouillon(monde, [ligne("10", "20")], cadre="A2"))
    assert acquittee.conditions_paiement == "Facture acquittée : aucun paiement n'est attendu."
    assert acquittee.echeance is None


@pytest.mark.parametrize(
    "mode, code",
    [("CHEQUE", "20"), ("PRELEVEMENT", "49"), ("ESPECE", "10"), ("AUTRE", "ZZZ"), ("REPORT", "97")],
)
def test_chaque_mode_de_paiement_donne_un_cii_valide(monde, mode, code):
    facture = brouillon(monde, [ligne("10", "20")], mode_paiement=mode)
    xml = ecrire_cii(facture_neutre(facture))
    assert [str(e) for e in valider(xml, "cii").erreurs] == []
    assert lire(xml)[1].paiement == Paiement(code=code)
