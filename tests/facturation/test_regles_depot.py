"""facturation.regles_depot, rule by rule: each refusal on the field the entry form names, with its message; a value
that passes gives no error."""

import datetime
from decimal import Decimal

import pytest

from facturation import regles_depot
from facturation.calcul import calculer
from facturation.models import Facture
from organisation.models import Service
from tests.facturation.saisie.conftest import monde  # noqa: F401 — the entry's world, as a fixture

pytestmark = pytest.mark.django_db


def champs(erreurs):
    return [(e.champ, e.message) for e in erreurs]


def test_precision_de_la_devise():
    assert regles_depot.precision(Decimal("10.5"), "EUR", "la remise") is None
    assert regles_depot.precision(Decimal("10.5"), "XPF", "la remise") == (
        "La devise XPF n'accepte pas de décimales : la remise (10,5) doit être un nombre entier."
    )
    assert regles_depot.precision(Decimal("1.234"), "EUR", "le prix") == (
        "La devise EUR accepte 2 décimales au plus : le prix (1,234) en a 3."
    )


def test_numero_obligatoire_au_depot_seulement():
    assert champs(regles_depot.numero("  ")) == [("numero", "Numéro de facture : indiquez le numéro de la facture.")]
    assert regles_depot.numero("", pour_depot=False) == []
    assert regles_depot.numero("F-1") == []


def test_date_de_facture():
    jour = datetime.date(2026, 3, 15)
    assert champs(regles_depot.date_facture(None)) == [
        ("date_facture", "Date de facture : indiquez la date de la facture.")
    ]
    assert regles_depot.date_facture(None, pour_depot=False) == []
    assert champs(regles_depot.date_facture(datetime.date(2026, 3, 16), aujourd_hui=jour)) == [
        (
            "date_facture",
            "Date de facture : le 16/03/2026 est postérieur à la date du jour ; une facture ne peut pas être datée "
            "dans le futur.",
        )
    ]
    assert champs(regles_depot.date_facture(datetime.date(1999, 12, 31), aujourd_hui=jour)) == [
        ("date_facture", "Date de facture : la date est antérieure au 01/01/2000.")
    ]
    assert regles_depot.date_facture(jour, aujourd_hui=jour) == []


def test_siret_du_destinataire(monde):  # noqa: F811
    assert regles_depot.siret_destinataire(f" {monde.destinataire.identifiant} ") == (monde.destinataire, [])
    _, erreurs = regles_depot.siret_destinataire("123")
    assert champs(erreurs) == [
        ("destinataire", "SIRET du destinataire : un SIRET comporte 14 chiffres (3 caractères saisis).")
    ]
    # a private structure is not a recipient
    _, erreurs = regles_depot.siret_destinataire(monde.fournisseur.identifiant)
    assert erreurs[0].champ == "destinataire"
    assert "aucune structure publique active n'a le SIRET" in erreurs[0].message
    _, erreurs = regles_depot.siret_destinataire("")
    assert erreurs[0].champ == "destinataire"


def test_avoir():
    erreurs = regles_depot.avoir(type_facture="AVOIR", numero_facture_origine="", mode_paiement="VIREMENT")
    assert champs(erreurs) == [
        (
            "numero_facture_origine",
            "Numéro de la facture d'origine : obligatoire pour un avoir, indiquez la facture qu'il corrige.",
        ),
        ("mode_paiement", "Mode de paiement : un avoir ne comporte pas de mode de paiement."),
    ]
    assert regles_depot.avoir(type_facture="AVOIR", numero_facture_origine="F-1", mode_paiement="") == []
    assert regles_depot.avoir(type_facture="FACTURE", numero_facture_origine="", mode_paiement="VIREMENT") == []


def test_exoneration_et_remise_globale():
    assert champs(regles_depot.exoneration(type_tva="EXONERATION", motif_exoneration="")) == [
        ("motif_exoneration", "Motif d'exonération de TVA : obligatoire quand la facture est exonérée de TVA.")
    ]
    assert regles_depot.exoneration(type_tva="EXONERATION", motif_exoneration="Art. 261") == []
    assert champs(regles_depot.remise_globale(remise=Decimal("10.5"), motif="", devise="XPF")) == [
        ("motif_remise_globale", "Motif de la remise globale : obligatoire avec une remise globale."),
        (
            "remise_globale",
            "La devise XPF n'accepte pas de décimales : la remise globale (10,5) doit être un nombre entier.",
        ),
    ]
    assert regles_depot.remise_globale(remise=Decimal(10), motif="Fidélité", devise="EUR") == []


def test_fournisseur_coherent(monde):  # noqa: F811
    autre_service = Service.objects.create(structure=monde.autre_fournisseur, code="X", libelle="Ailleurs")
    erreurs = regles_depot.fournisseur_coherent(
        fournisseur=monde.fournisseur, service_fournisseur=autre_service, destinataire=monde.fournisseur
    )
    assert [e.champ for e in erreurs] == ["service_fournisseur", "destinataire"]
    assert erreurs[1].message == (
        "SIRET du destinataire : Le fournisseur et le destinataire doivent être deux structures différentes."
    )
    assert (
        regles_depot.fournisseur_coherent(
            fournisseur=monde.fournisseur,
            service_fournisseur=monde.service_fournisseur,
            coordonnee_bancaire=monde.compte,
            destinataire=monde.destinataire,
        )
        == []
    )


def test_service_du_destinataire(monde):  # noqa: F811
    assert regles_depot.service_destinataire(monde.destinataire, " ACHATS ") == (monde.service, [])
    _, erreurs = regles_depot.service_destinataire(monde.destinataire, "ANCIEN")
    assert champs(erreurs) == [
        (
            "code_service",
            "Code du service destinataire : le service « ANCIEN » n'est pas actif chez Mairie de Lyon "
            f"({monde.destinataire.identifiant}).",
        )
    ]
    _, erreurs = regles_depot.service_destinataire(monde.destinataire, "INCONNU")
    assert "« INCONNU » n'existe pas" in erreurs[0].message
    assert regles_depot.service_destinataire(monde.destinataire, "") == (None, [])


def test_valideur(monde):  # noqa: F811
    manque = regles_depot.valideur(cadre="A9", siret="")
    assert champs(manque.erreurs) == [
        (
            "siret_valideur",
            "SIRET du valideur : Le cadre A9 exige un valideur : indiquez le SIRET du titulaire du marché.",
        )
    ]
    assert regles_depot.valideur(cadre="A9", siret="", pour_depot=False).erreurs == []
    assert regles_depot.valideur(cadre="A1", siret="").erreurs == []
    inconnu = regles_depot.valideur(cadre="A12", siret="99999999999999")
    assert champs(inconnu.erreurs) == [
        ("siret_valideur", "SIRET du valideur : aucune structure active n'a le SIRET 99999999999999 sur Chorus Pro.")
    ]
    soi_meme = regles_depot.valideur(cadre="A9", siret=monde.fournisseur.identifiant, fournisseur=monde.fournisseur)
    assert [e.champ for e in soi_meme.erreurs] == ["siret_valideur"]
    service = regles_depot.valideur(cadre="A9", siret=monde.valideur.identifiant, code_service="NUL")
    assert service.structure == monde.valideur
    assert [e.champ for e in service.erreurs] == ["code_service_valideur"]


def test_la_facture_deposee_a9_sans_valideur_et_l_avoir(monde):  # noqa: F811
    facture = Facture(cadre="A9", type_facture="AVOIR", mode_paiement="VIREMENT")
    assert champs(regles_depot.facture_deposee(facture)) == [
        ("valideur_1", "Le cadre A9 exige un valideur : indiquez le SIRET du titulaire du marché."),
        (
            "numero_facture_origine",
            "Numéro de la facture d'origine : obligatoire pour un avoir, indiquez la facture qu'il corrige.",
        ),
        ("mode_paiement", "Mode de paiement : un avoir ne comporte pas de mode de paiement."),
    ]
    assert regles_depot.valideur_manquant("A13", "du mandataire du groupement").message == (
        "Le cadre A13 exige un valideur : indiquez le SIRET du mandataire du groupement."
    )


def test_une_ligne():
    erreurs = regles_depot.ligne(
        rang=2, quantite=Decimal(0), prix_unitaire_ht=Decimal("10.5"), remise=None, devise="XPF"
    )
    assert champs(erreurs) == [
        (
            "prix_unitaire_ht",
            "La devise XPF n'accepte pas de décimales : le prix unitaire HT de la ligne 2 (10,5) doit être un nombre "
            "entier.",
        ),
        ("quantite", "Quantité de la ligne 2 : la quantité ne peut pas être nulle."),
    ]
    erreurs = regles_depot.ligne(
        rang=1, quantite=Decimal(2), prix_unitaire_ht=Decimal(10), remise=Decimal(25), devise="EUR"
    )
    assert champs(erreurs) == [
        ("remise", "Remise HT de la ligne 1 : la remise (25) dépasse le montant de la ligne (20).")
    ]
    assert (
        regles_depot.ligne(rang=1, quantite=Decimal(2), prix_unitaire_ht=Decimal(10), remise=None, devise="EUR") == []
    )


def test_au_moins_une_ligne():
    assert champs(regles_depot.lignes_presentes([])) == [
        ("lignes", "Lignes de la facture : saisissez au moins une ligne.")
    ]
    assert regles_depot.lignes_presentes([{"designation": "x"}]) == []


LIGNE = {"quantite": Decimal(1), "prix_unitaire_ht": Decimal(100), "remise": Decimal(0), "taux_tva": Decimal(20)}


def test_montants_calcules():
    trop = calculer([LIGNE], "EUR", Decimal(130), Decimal(0))
    assert champs(regles_depot.montants(trop, "EUR")) == [
        (
            "remise_globale",
            "Remise globale TTC : la remise (130,00\u00a0€) dépasse le total TTC des lignes (120,00\u00a0€).",
        )
    ]
    paye = calculer([LIGNE], "EUR", Decimal(0), Decimal(200))
    assert champs(regles_depot.montants(paye, "EUR")) == [
        (
            "montant_paye_avance",
            "Le montant déjà payé (200,00 EUR) doit être compris entre 0 et le total TTC (120,00 EUR).",
        )
    ]
    assert regles_depot.montants(calculer([LIGNE], "EUR"), "EUR") == []


def test_montants_annonces_et_calcules():
    totaux = calculer([LIGNE], "EUR")
    assert (
        regles_depot.ecarts_annonces(
            totaux,
            "EUR",
            totaux_annonces={"total_ht": Decimal("100.001"), "total_ttc": Decimal(120), "net_a_payer": None},
            ventilation_annoncee=[(Decimal("20.0"), Decimal(100), Decimal(20))],
        )
        == []
    )
    ecarts = regles_depot.ecarts_annonces(
        totaux,
        "EUR",
        totaux_annonces={"total_tva": Decimal(21)},
        ventilation_annoncee=[(Decimal(20), Decimal(100), Decimal("20.5")), (Decimal("5.5"), None, None)],
    )
    assert ecarts == [
        regles_depot.Ecart("total_tva", Decimal(21), Decimal("20.00")),
        regles_depot.Ecart("montant_tva", Decimal("20.5"), Decimal("20.00"), rang=0, taux=Decimal(20)),
        regles_depot.Ecart("taux", Decimal("5.5"), None, rang=1, taux=Decimal("5.5")),
    ]


def test_valeurs_de_l_en_tete_et_d_une_ligne():
    erreurs = regles_depot.valeurs(
        {"numero": "N" * 21, "devise": "XXX", "cadre": "A4", "remise_globale": Decimal(-1), "mode_paiement": ""}
    )
    assert champs(erreurs) == [
        ("numero", "Numéro de facture : 20 caractères au plus (21 saisis)."),
        ("cadre", "Cadre de facturation : choisissez un cadre de la liste (A1, A2, A9 ou A12)."),
        ("devise", "Devise : choisissez une devise de la liste."),
        ("remise_globale", "Le champ « Remise globale TTC » ne peut pas être négatif."),
    ]
    erreurs = regles_depot.valeurs_ligne(
        {
            "designation": "",
            "unite": "XYZ",
            "taux_tva": "7",
            "quantite": Decimal("1.1234567"),
            "prix_unitaire_ht": None,
        },
        3,
    )
    assert champs(erreurs) == [
        ("designation", "Désignation de la ligne 3 : décrivez le bien ou la prestation."),
        ("unite", "Unité de la ligne 3 : choisissez une unité de la liste."),
        ("taux_tva", "Taux de TVA de la ligne 3 : choisissez un taux de la liste."),
        ("quantite", "Quantité de la ligne 3 : 6 décimales au plus."),
        ("prix_unitaire_ht", "Le champ « Prix unitaire HT » de la ligne 3 est obligatoire : indiquez un montant."),
    ]
