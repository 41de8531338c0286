"""The one deposit path: routing rules (all errors at once, each with its field), amounts, first statuses."""

import datetime
from decimal import Decimal

import pytest

from facturation.calcul import calculer
from facturation.models import DelegationFactures, Facture
from facturation.selectors.consultation import ventilation_tva
from facturation.services.depot import DepotRefuse, facture_deposer
from organisation.enums import StatutStructure
from organisation.models import Service
from tests.factories import StructureFactory, UtilisateurFactory, facture_deposee

pytestmark = pytest.mark.django_db

LIGNES = [
    {"designation": "Conseil", "quantite": "3", "prix_unitaire_ht": "333.335", "remise": "0", "taux_tva": "20"},
    {"designation": "Livres", "quantite": "2", "prix_unitaire_ht": "12.50", "remise": "1.00", "taux_tva": "5.5"},
]


@pytest.fixture
def monde():
    gp = UtilisateurFactory()
    fournisseur = StructureFactory(gestionnaire=gp, raison_sociale="Fournisseur SA")
    destinataire = StructureFactory(est_publique=True, raison_sociale="Commune de Test")
    destinataire.statut = StatutStructure.ACTIVE
    destinataire.save()
    service = Service.objects.create(structure=destinataire, code="FIN", libelle="Finances")
    return gp, fournisseur, destinataire, service


def nouvelle(fournisseur, numero="F-2026-001", **champs):
    return Facture(numero=numero, date_facture=datetime.date(2026, 11, 2), fournisseur=fournisseur, **champs)


def deposer(gp, facture, **options):
    options.setdefault("lignes", LIGNES)
    return facture_deposer(facture=facture, par=gp, mode_depot="SAISIE_PORTAIL", **options)


def test_calcul_par_taux_et_arrondi_de_la_devise():
    totaux = calculer(LIGNES, "EUR")
    assert [(v.taux, v.base_ht, v.montant_tva) for v in totaux.ventilation] == [
        (Decimal("5.5"), Decimal("24.00"), Decimal("1.32")),
        (Decimal("20"), Decimal("1000.01"), Decimal("200.00")),
    ]
    assert (totaux.total_ht, totaux.total_tva, totaux.total_ttc) == (
        Decimal("1024.01"),
        Decimal("201.32"),
        Decimal("1225.33"),
    )
    assert totaux.net_a_payer == Decimal("1225.33")
    # a 10 € TTC global discount: each base loses its share (10 / 1225.33 of it), rounded to the cent; the highest
    # rate takes the remainder so that the TTC falls by exactly 10 €
    remise = calculer(LIGNES, "EUR", remise_globale="10")
    assert [(v.taux, v.remise_ht, v.base_ht, v.montant_tva) for v in remise.ventilation] == [
        (Decimal("5.5"), Decimal("0.20"), Decimal("23.80"), Decimal("1.31")),
        (Decimal("20"), Decimal("8.16"), Decimal("991.85"), Decimal("198.37")),
    ]
    assert (remise.total_lignes_ht, remise.total_remises_ht, remise.total_ht, remise.total_tva) == (
        Decimal("1024.01"),
        Decimal("8.36"),
        Decimal("1015.65"),
        Decimal("199.68"),
    )
    assert remise.total_ttc == remise.net_a_payer == Decimal("1215.33")
    # XPF has no decimals: every amount is rounded to the franc
    xpf = calculer([{"quantite": "3", "prix_unitaire_ht": "1000.6", "taux_tva": "13"}], "XPF")
    assert (xpf.total_ht, xpf.total_tva, xpf.total_ttc) == (Decimal("3002"), Decimal("390"), Decimal("3392"))


def test_un_depot_conforme_est_mis_a_disposition_avec_ses_montants_et_son_historique(monde):
    gp, fournisseur, destinataire, _ = monde
    facture = deposer(gp, nouvelle(fournisseur), identifiant_destinataire=destinataire.identifiant)
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION"
    assert facture.destinataire == destinataire
    assert (facture.total_ht, facture.total_tva, facture.net_a_payer) == (
        Decimal("1024.01"),
        Decimal("201.32"),
        Decimal("1225.33"),
    )
    assert facture.delai_paiement_jours == 30
    assert facture.deposee_le is not None and facture.statut_depuis == facture.deposee_le
    assert [ligne.montant_ht for ligne in facture.lignes.all()] == [Decimal("1000.01"), Decimal("24.00")]
    assert [(h.de_statut, h.vers_statut) for h in facture.historique.all()] == [
        ("BROUILLON", "DEPOSEE"),
        ("DEPOSEE", "MISE_A_DISPOSITION"),
    ]


def test_toutes_les_erreurs_d_acheminement_a_la_fois_et_rien_d_enregistre(monde):
    gp, fournisseur, destinataire, service = monde
    destinataire.code_service_obligatoire = True
    destinataire.engagement_obligatoire = True
    destinataire.save()
    with pytest.raises(DepotRefuse) as refus:
        numero = "F 2026 é" + "x" * 20
        deposer(gp, nouvelle(fournisseur, numero=numero), identifiant_destinataire=destinataire.identifiant)
    erreurs = {(e.champ, e.message) for e in refus.value.erreurs}
    champs = [champ for champ, _ in erreurs]
    assert champs.count("numero") == 2
    assert (
        "code_service",
        f"Le code service est obligatoire pour le destinataire {destinataire.identifiant} (Commune de Test).",
    ) in erreurs
    assert (
        "numero_engagement",
        f"Le numéro d'engagement est obligatoire pour le destinataire {destinataire.identifiant} (Commune de Test).",
    ) in erreurs
    assert not Facture.objects.exists()


@pytest.mark.parametrize(
    "cas, message",
    [
        ("inconnu", "Le destinataire 11122233344455 n'est pas connu de Chorus Pro."),
        ("prive", "n'est pas une structure publique : il ne peut pas recevoir de factures."),
        ("inactif", "n'est pas actif."),
        ("service_inconnu", "Le code service « XYZ » n'existe pas chez le destinataire"),
        ("service_inactif", "Le service « FIN » du destinataire"),
    ],
)
def test_destinataire_et_service(monde, cas, message):
    gp, fournisseur, destinataire, service = monde
    identifiant, code = destinataire.identifiant, ""
    if cas == "inconnu":
        identifiant = "11122233344455"
    elif cas == "prive":
        identifiant = StructureFactory().identifiant
    elif cas == "inactif":
        destinataire.statut = StatutStructure.INACTIVE
        destinataire.save()
    elif cas == "service_inconnu":
        code = "XYZ"
    else:
        service.actif = False
        service.save()
        code = "FIN"
    with pytest.raises(DepotRefuse) as refus:
        deposer(gp, nouvelle(fournisseur), identifiant_destinataire=identifiant, code_service=code)
    assert any(message in e.message for e in refus.value.erreurs), refus.value.erreurs


def test_numero_unique_par_fournisseur_mais_libre_pour_un_autre(monde):
    gp, fournisseur, destinataire, _ = monde
    facture_deposee(fournisseur, destinataire, numero="F-1")
    with pytest.raises(DepotRefuse) as refus:
        deposer(gp, nouvelle(fournisseur, numero="F-1", destinataire=destinataire))
    assert refus.value.erreurs[0].message == (
        "Le numéro de facture « F-1 » a déjà été utilisé par ce fournisseur : il doit être unique."
    )
    autre_gp = UtilisateurFactory()
    autre = StructureFactory(gestionnaire=autre_gp)
    assert deposer(autre_gp, nouvelle(autre, numero="F-1", destinataire=destinataire)).statut == "MISE_A_DISPOSITION"


def test_un_brouillon_deposé_garde_sa_ligne_et_ne_se_depose_qu_une_fois(monde):
    gp, fournisseur, destinataire, service = monde
    brouillon = nouvelle(fournisseur, destinataire=destinataire, service_destinataire=service, statut="BROUILLON")
    brouillon.save()
    brouillon.lignes.create(numero=1, designation="Audit", quantite=1, prix_unitaire_ht=50, taux_tva=20, montant_ht=50)
    facture = deposer(gp, brouillon, lignes=None)
    assert facture.pk == brouillon.pk and facture.total_ttc == Decimal("60.00")
    assert facture.service_destinataire == service
    with pytest.raises(Exception, match="déjà été déposée"):
        deposer(gp, Facture.objects.get(pk=facture.pk))


def test_a9_exige_un_valideur_et_part_a_la_validation(monde):
    gp, fournisseur, destinataire, _ = monde
    with pytest.raises(DepotRefuse, match="Le cadre A9 exige un valideur"):
        deposer(gp, nouvelle(fournisseur, cadre="A9", destinataire=destinataire))
    titulaire = StructureFactory()
    facture = deposer(gp, nouvelle(fournisseur, cadre="A9", valideur_1=titulaire, destinataire=destinataire))
    assert facture.statut == "A_VALIDER_1"


def test_un_avoir_exige_la_facture_d_origine_et_pas_de_mode_de_paiement(monde):
    gp, fournisseur, destinataire, _ = monde
    with pytest.raises(DepotRefuse) as refus:
        deposer(gp, nouvelle(fournisseur, type_facture="AVOIR", mode_paiement="VIREMENT", destinataire=destinataire))
    assert {e.champ for e in refus.value.erreurs} == {"numero_facture_origine", "mode_paiement"}


def test_une_facture_a1_suit_la_delegation_du_destinataire(monde):
    gp, fournisseur, destinataire, service = monde
    delegue = StructureFactory()
    delegation = DelegationFactures.objects.create(delegant=destinataire, delegue=delegue, droit="VALIDATION")
    delegation.services.add(service)
    sans_service = deposer(gp, nouvelle(fournisseur, numero="F-A", destinataire=destinataire))
    assert sans_service.statut == "MISE_A_DISPOSITION"
    avec = deposer(gp, nouvelle(fournisseur, numero="F-B", destinataire=destinataire), code_service="FIN")
    assert (avec.statut, avec.valideur_1, avec.delegation) == ("A_VALIDER_1", delegue, delegation)


def test_deux_taux_et_remise_globale_totaux_enregistres(monde):
    gp, fournisseur, destinataire, _ = monde
    facture = nouvelle(fournisseur, remise_globale=Decimal("10"), motif_remise_globale="Fidélité")
    deposer(gp, facture, identifiant_destinataire=destinataire.identifiant)
    facture.refresh_from_db()
    # 10 € TTC spread over the two bases (0.20 € HT at 5.5 %, 8.16 € HT at 20 %), each VAT recomputed
    assert (facture.total_ht, facture.total_tva, facture.total_ttc, facture.net_a_payer) == (
        Decimal("1015.65"),
        Decimal("199.68"),
        Decimal("1215.33"),
        Decimal("1215.33"),
    )
    assert facture.total_ttc == facture.total_ht + facture.total_tva
    assert (facture.remise_globale, facture.motif_remise_globale) == (Decimal("10"), "Fidélité")
    # the lines keep their own amounts: the discount is at document level
    assert [ligne.montant_ht for ligne in facture.lignes.all()] == [Decimal("1000.01"), Decimal("24.00")]


def test_montant_deja_paye_reduit_le_net_a_payer(monde):
    gp, fournisseur, destinataire, _ = monde
    facture = nouvelle(fournisseur, montant_paye_avance=Decimal("225.33"))
    deposer(gp, facture, identifiant_destinataire=destinataire.identifiant)
    facture.refresh_from_db()
    assert (facture.total_ttc, facture.montant_paye_avance, facture.net_a_payer) == (
        Decimal("1225.33"),
        Decimal("225.33"),
        Decimal("1000.00"),
    )


@pytest.mark.parametrize(
    "champs, champ, message",
    [
        (
            {"remise_globale": Decimal("1300")},
            "remise_globale",
            "Remise globale TTC : la remise (1\u00a0300,00\u00a0€) dépasse le total TTC des lignes "
            "(1\u00a0225,33\u00a0€).",
        ),
        (
            {"montant_paye_avance": Decimal("2000")},
            "montant_paye_avance",
            "Le montant déjà payé (2000,00 EUR) doit être compris entre 0 et le total TTC (1225,33 EUR).",
        ),
    ],
)
def test_remise_ou_paiement_plus_grands_que_la_facture_refuses(monde, champs, champ, message):
    gp, fournisseur, destinataire, _ = monde
    with pytest.raises(DepotRefuse) as refus:
        deposer(gp, nouvelle(fournisseur, **champs), identifiant_destinataire=destinataire.identifiant)
    assert [(e.champ, e.message) for e in refus.value.erreurs] == [(champ, message)]
    assert not Facture.objects.exists()


def test_la_ventilation_de_tva_deposee_est_enregistree_et_relue(monde):
    # the web form's breakdown is stored at the deposit; the consult pages read the stored rows, and an invoice
    # deposited before they were stored falls back on the calculation from its lines
    gp, fournisseur, destinataire, _ = monde
    facture = nouvelle(fournisseur, remise_globale=Decimal("10"), motif_remise_globale="Fidélité")
    deposer(gp, facture, identifiant_destinataire=destinataire.identifiant)
    calcul = calculer(LIGNES, "EUR", remise_globale="10")

    lignes = list(facture.ventilations.all())
    assert [(v.categorie, v.taux, v.base_ht, v.montant_tva, v.remises_ht) for v in lignes] == [
        ("S", v.taux, v.base_ht, v.montant_tva, v.remise_ht) for v in calcul.ventilation
    ]
    assert (facture.total_lignes_ht, facture.total_remises_ht) == (calcul.total_lignes_ht, calcul.total_remises_ht)
    assert ventilation_tva(facture) == lignes

    facture.ventilations.all().delete()
    assert [(v.taux, v.base_ht) for v in ventilation_tva(facture)] == [(v.taux, v.base_ht) for v in calcul.ventilation]
