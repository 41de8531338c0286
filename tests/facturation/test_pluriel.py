"""French plural rule in the payment-delay block: 0 and 1 are singular (« en 0 jour de délai »)."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from facturation.delai_paiement import EtatDelai, HorlogePaiement


@pytest.mark.parametrize(
    ("nombre", "attendu"),
    [(0, "0 jour"), (1, "1 jour"), (2, "2 jours"), (-1, "-1 jour"), (10, "10 jours")],
)
def test_filtre_pluriel(nombre, attendu):
    rendu = Template("{% load factures %}{{ n }} jour{{ n|pluriel }}").render(Context({"n": nombre}))
    assert rendu == attendu


def test_filtre_pluriel_deux_formes():
    gabarit = Template("{% load factures %}{{ n }} nouve{{ n|pluriel:'au,aux' }}")
    assert [gabarit.render(Context({"n": n})) for n in (0, 1, 2)] == ["0 nouveau", "1 nouveau", "2 nouveaux"]


def _bloc(**champs):
    horloge = HorlogePaiement(depart=date(2024, 3, 1), echeance=date(2024, 3, 31), **champs)
    return " ".join(render_to_string("facturation/_partials/delai_paiement.html", {"horloge": horloge}).split())


@pytest.mark.parametrize(
    ("jours", "attendu"),
    [(0, "en 0 jour de délai"), (1, "en 1 jour de délai"), (2, "en 2 jours de délai")],
)
def test_payee_en_n_jours(jours, attendu):
    texte = _bloc(etat=EtatDelai.PAYEE, delai=30, payee_le=date(2024, 3, 1), jours_paiement=jours)
    assert attendu in texte


@pytest.mark.parametrize(
    ("jours", "attendu"),
    [(0, "0 jour restant"), (1, "1 jour restant"), (2, "2 jours restants")],
)
def test_jours_restants(jours, attendu):
    assert attendu in _bloc(etat=EtatDelai.EN_COURS, delai=30, jours_restants=jours)


@pytest.mark.parametrize(("jours", "attendu"), [(1, "En retard de 1 jour"), (2, "En retard de 2 jours")])
def test_jours_de_retard(jours, attendu):
    assert attendu in _bloc(etat=EtatDelai.ECHUE, delai=30, jours_retard=jours, indemnite=Decimal(40))
