"""The global discount (one TTC amount) as EN 16931 allowances per VAT rate, and the amount already paid (BT-113)."""

import random
from decimal import Decimal as D

import pytest

from facturation.calcul import calculer

DEUX_TAUX = [
    {"quantite": "2", "prix_unitaire_ht": "500", "taux_tva": "20"},
    {"quantite": "10", "prix_unitaire_ht": "20", "taux_tva": "5.5"},
]


def test_remise_repartie_au_prorata_des_bases_et_ttc_baisse_du_montant_saisi():
    totaux = calculer(DEUX_TAUX, "EUR", remise_globale="50")
    # 50 / 1411 of each base: 7.09 € HT at 5.5 %, and the 20 % rate takes the remainder
    assert [(v.taux, v.base_lignes_ht, v.remise_ht, v.base_ht, v.montant_tva) for v in totaux.ventilation] == [
        (D("5.5"), D("200"), D("7.09"), D("192.91"), D("10.61")),
        (D("20"), D("1000"), D("35.43"), D("964.57"), D("192.91")),
    ]
    assert totaux.total_lignes_ht == D("1200")
    assert totaux.total_remises_ht == D("42.52")
    assert totaux.total_ht == totaux.total_lignes_ht - totaux.total_remises_ht == D("1157.48")
    assert totaux.total_ttc == totaux.total_ht + totaux.total_tva == D("1361.00")
    assert totaux.remise_ttc_appliquee == D("50")
    assert totaux.net_a_payer == totaux.total_ttc


def test_xpf_remise_a_l_unite():
    lignes = [
        {"quantite": "3", "prix_unitaire_ht": "1000", "taux_tva": "13"},
        {"quantite": "1", "prix_unitaire_ht": "500", "taux_tva": "16"},
    ]
    totaux = calculer(lignes, "XPF", remise_globale="101")
    assert all(v.remise_ht == v.remise_ht.to_integral_value() for v in totaux.ventilation)
    assert totaux.total_ttc == D("3970") - D("101")


def test_un_seul_taux_un_centime_inatteignable_reste_en_dessous_du_montant_saisi():
    # 100 € HT at 20 %: 0.02 € HT lowers the TTC by 0.02 €, 0.03 € HT by 0.04 € (the VAT rounds from 20.00 to 19.99)
    totaux = calculer([{"quantite": "1", "prix_unitaire_ht": "100", "taux_tva": "20"}], "EUR", remise_globale="0.03")
    assert totaux.ventilation[0].remise_ht == D("0.02")
    assert totaux.remise_ttc_appliquee == D("0.02")
    assert totaux.total_ttc == D("119.98")


def test_plusieurs_taux_une_part_deplacee_rend_le_montant_exact():
    lignes = [
        {"quantite": "1", "prix_unitaire_ht": "100", "taux_tva": "20"},
        {"quantite": "1", "prix_unitaire_ht": "33.33", "taux_tva": "5.5"},
    ]
    # pro rata alone (0.01 € at 5.5 %) would leave 0.03 € to the 20 % rate, unreachable: 0.02 € at 5.5 % makes it
    totaux = calculer(lignes, "EUR", remise_globale="0.04")
    assert totaux.remise_ttc_appliquee == D("0.04")


@pytest.mark.parametrize("graine", range(5))
def test_toujours_a_un_centime_au_plus_et_jamais_au_dessus(graine):
    hasard = random.Random(graine)
    for _ in range(200):
        taux = hasard.sample(["20", "10", "5.5", "2.1", "0", "8.5"], hasard.randint(1, 3))
        lignes = [
            {"quantite": hasard.randint(1, 9), "prix_unitaire_ht": D(hasard.randint(1, 100000)) / 100, "taux_tva": t}
            for t in taux
        ]
        ttc = calculer(lignes, "EUR").total_ttc
        remise = D(hasard.randint(1, int(ttc * 100))) / 100
        totaux = calculer(lignes, "EUR", remise)
        assert D(0) <= remise - totaux.remise_ttc_appliquee <= D("0.01")
        assert totaux.total_ttc == totaux.total_ht + totaux.total_tva
        assert totaux.total_ht == totaux.total_lignes_ht - totaux.total_remises_ht


def test_remise_plus_grande_que_la_facture():
    totaux = calculer(DEUX_TAUX, "EUR", remise_globale="1500")
    assert totaux.remise_excessive
    assert totaux.total_remises_ht == 0 and totaux.total_ttc == D("1411")


def test_montant_deja_paye_deduit_du_ttc():
    totaux = calculer(DEUX_TAUX, "EUR", remise_globale="11", montant_paye_avance="400")
    assert totaux.total_ttc == D("1400")
    assert totaux.net_a_payer == D("1000")
