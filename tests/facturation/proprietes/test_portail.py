"""Les factures générées déposées sur le portail (facture_televerser) : celles que les artefacts acceptent sont
déposées avec les totaux du fichier ; celles dont un total est décalé au-delà de la tolérance sont refusées par une
erreur qui nomme la règle, le BT, la valeur trouvée et la valeur attendue.

Chaque exemple est déposé dans une transaction annulée : les structures du test servent à tous ses exemples."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import given, note
from hypothesis import strategies as st

from facturation.services.televersement import TeleversementRefuse, facture_televerser
from tests.facturation.proprietes.en16931 import (
    centimes,
    decalages,
    decaler,
    decaler_tva,
    ecarts_tva_limites,
    regle_tva,
    ventilation_temoin,
)
from tests.facturation.proprietes.strategies import factures
from tests.facturation.proprietes.syntaxes import ECRIRE, NOM_FICHIER, reproductible

pytestmark = pytest.mark.django_db
SYNTAXES = pytest.mark.parametrize("syntaxe", list(ECRIRE))
TOTAUX_DEPOSES = (
    ("BT-109", "total_ht", "ht"),
    ("BT-110", "total_tva", "tva"),
    ("BT-112", "total_ttc", "ttc"),
    ("BT-115", "net_a_payer", "net_a_payer"),
)


def generees(parties):
    fournisseur, destinataire, _ = parties
    return factures(siret_vendeur=fournisseur.identifiant, siret_acheteur=destinataire.identifiant)


def deposer(parties, facture, syntaxe):
    fournisseur, _, deposant = parties
    fichier = SimpleUploadedFile(NOM_FICHIER[syntaxe], ECRIRE[syntaxe](facture), content_type="application/xml")
    return facture_televerser(par=deposant, fournisseur=fournisseur, fichier=fichier)


def resume(erreurs):
    return "\n".join(f"[{e.couche}] {e.code} ({e.champ}) {e.message[:160]}" for e in erreurs)


def deposee_ou_rapport(parties, facture, syntaxe):
    """La facture déposée, ou l'échec du test avec le rapport de refus entier (annulé dans tous les cas)."""
    with transaction.atomic():
        try:
            deposee = deposer(parties, facture, syntaxe)
        except TeleversementRefuse as exc:
            pytest.fail(f"facture valide refusée ({facture.devise}) :\n{resume(exc.erreurs)}")
        deposee.refresh_from_db()
        transaction.set_rollback(True)
    return deposee


def refus(parties, facture, syntaxe):
    with transaction.atomic():
        try:
            deposer(parties, facture, syntaxe)
        except TeleversementRefuse as exc:
            return exc.bloquantes
        finally:
            transaction.set_rollback(True)
    pytest.fail("facture déposée alors qu'un total est décalé au-delà de la tolérance")


def nombres(texte):
    """Les montants d'un texte affiché (« 1 234,56 EUR », « 95,00 EUR = lignes 95,00 + frais 14,00 »)."""
    texte = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}(?!\d))", "", texte or "").replace(",", ".")
    texte = texte.replace("\u2212", "-")  # the French minus sign of the displayed amounts
    return {Decimal(n) for n in re.findall(r"-?\d+(?:\.\d+)?", texte)}


def assert_refus_explique(erreurs, regle, bt, trouvee, attendue):
    """Une erreur nomme la règle et le BT, avec la valeur du fichier et celle que la règle attend."""
    resume_ = resume(erreurs)
    nommant = [e for e in erreurs if regle in e.code or regle in e.message]
    assert nommant, f"aucune erreur ne nomme {regle} :\n{resume_}"
    assert any(bt in e.champ for e in nommant), f"aucune erreur {regle} ne nomme {bt} :\n{resume_}"
    expliquees = [
        e for e in nommant if trouvee in nombres(e.valeur_trouvee) and attendue in nombres(e.valeur_attendue)
    ]
    assert expliquees, (
        f"aucune erreur {regle} ne donne la valeur trouvée {trouvee} et la valeur attendue {attendue} : "
        + str([(e.code, e.valeur_trouvee, e.valeur_attendue) for e in nommant])
    )


@SYNTAXES
@reproductible(20)
@given(data=st.data())
def test_facture_valide_deposee_avec_les_totaux_du_fichier(syntaxe, parties, data):
    facture = data.draw(generees(parties), label="facture")
    deposee = deposee_ou_rapport(parties, facture, syntaxe)

    totaux = facture.totaux()
    assert {bt: getattr(deposee, champ) for bt, champ, _ in TOTAUX_DEPOSES} == {
        bt: getattr(totaux, total) for bt, _, total in TOTAUX_DEPOSES
    }


@SYNTAXES
@reproductible(15)
@given(data=st.data())
def test_total_decale_refuse_avec_la_regle_le_bt_et_les_valeurs(syntaxe, parties, data):
    facture = data.draw(generees(parties), label="facture")
    champ = {bt: total for bt, _, total in TOTAUX_DEPOSES}
    for bt, regle, ecart in decalages(facture):
        note(f"{bt} décalé de {ecart}")
        attendu = getattr(facture.totaux(), champ[bt])
        erreurs = refus(parties, decaler(facture, bt, ecart), syntaxe)
        assert_refus_explique(erreurs, regle, bt, attendu + ecart, attendu)


@SYNTAXES
@reproductible(15)
@given(data=st.data())
def test_tva_d_une_ventilation_au_bord_de_la_tolerance(syntaxe, parties, data):
    facture = data.draw(generees(parties), label="facture")
    ventilation = ventilation_temoin(facture)
    accepte, refuse = ecarts_tva_limites(facture, ventilation)

    # Ce que l'artefact accepte (BT-117 à moins d'une unité de base × taux), le portail le dépose.
    deposee_ou_rapport(parties, decaler_tva(facture, ventilation, accepte), syntaxe)
    exact = centimes(ventilation.base * ventilation.categorie.taux / 100)
    erreurs = refus(parties, decaler_tva(facture, ventilation, refuse), syntaxe)
    assert_refus_explique(erreurs, regle_tva(ventilation), "BT-117", ventilation.montant + refuse, exact)
