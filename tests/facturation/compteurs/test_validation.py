"""The validators' counters (CompteurValidation) equal a COUNT(*) … GROUP BY of the invoices after every kind of
write of the validators' circuit, and the « Factures à valider » dashboard, Synthèse and API totals that read them
show what counting the invoices shows (issue #16)."""

import datetime
from collections import Counter

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from facturation.models import CompteurValidation, Facture
from facturation.selectors import validation as selecteurs
from facturation.services.archivage import archiver_factures_closes
from facturation.services.compteurs import recompter
from facturation.services.validation import facture_refuser, facture_valider, transmettre_validations_hors_delai
from organisation.enums import Application, Niveau
from organisation.models import Service
from tests.factories import rattacher
from tests.facturation.compteurs.conftest import validation_attendue, validation_lue, verifier
from tests.facturation.validation.conftest import Circuit, agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def circuit(db):
    return Circuit()


def verifier_validation():
    lus = validation_lue()
    assert lus == validation_attendue()
    return lus


def test_depot_validations_refus_et_hors_delai(circuit):
    """A deposit naming its validators, a validation at each level, a refusal at each level, a tacit validation."""
    assert verifier_validation() == {}
    a12 = circuit.facture(numero="V-1", cadre="A12", valideur_2=circuit.mandataire)
    a9 = circuit.facture(numero="V-2")
    refusee_1 = circuit.facture(numero="V-3")
    refusee_2 = circuit.facture(numero="V-4", cadre="A12", valideur_2=circuit.mandataire)
    tacite = circuit.facture(numero="V-5", cadre="A12", valideur_2=circuit.mandataire)
    circuit.facture(numero="SANS-VALIDEUR", cadre="A1", valideur_1=None, statut="MISE_A_DISPOSITION")
    lus = verifier_validation()
    assert lus == {(circuit.titulaire.pk, 0, circuit.mandataire.pk, 0, False, "A_VALIDER_1"): 3,
                   (circuit.titulaire.pk, 0, 0, 0, False, "A_VALIDER_1"): 2}  # fmt: skip
    facture_valider(facture=a12, par=circuit.valideur)
    cle_2 = (circuit.titulaire.pk, 0, circuit.mandataire.pk, 0, True, "A_VALIDER_2")
    assert verifier_validation()[cle_2] == 1
    facture_valider(facture=a12, par=circuit.valideur_2)
    facture_valider(facture=a9, par=circuit.valideur)
    facture_refuser(facture=refusee_1, par=circuit.valideur, motif="Erreur de montant")
    facture_valider(facture=refusee_2, par=circuit.valideur)
    facture_refuser(facture=Facture.objects.get(pk=refusee_2.pk), par=circuit.valideur_2, motif="Non conforme")
    Facture.objects.filter(pk=tacite.pk).update(statut_depuis=timezone.now() - datetime.timedelta(days=40))
    assert transmettre_validations_hors_delai() == 1
    lus = verifier_validation()
    assert lus[(circuit.titulaire.pk, 0, circuit.mandataire.pk, 0, True, "REFUSEE_2")] == 1
    assert lus[(circuit.titulaire.pk, 0, 0, 0, False, "REFUSEE_1")] == 1
    assert lus[(circuit.titulaire.pk, 0, circuit.mandataire.pk, 0, True, "A_VALIDER_2")] == 1  # the tacit one
    assert sum(lus.values()) == 5


def test_archivage_suppression_et_update_de_masse(circuit):
    for n in range(3):
        circuit.facture(numero=f"M-{n}", cadre="A12", valideur_2=circuit.mandataire, statut="MISE_EN_PAIEMENT")
    circuit.facture(numero="M-A", statut="A_VALIDER_1")
    Facture.objects.filter(statut="MISE_EN_PAIEMENT").update(
        statut_depuis=timezone.now() - datetime.timedelta(days=3660)
    )
    assert archiver_factures_closes() == 3
    assert verifier_validation() == {(circuit.titulaire.pk, 0, 0, 0, False, "A_VALIDER_1"): 1}
    Facture.tous.update(archivee=False, date_validation_1=timezone.now())
    verifier_validation()
    Facture.objects.update(valideur_1=circuit.mandataire, valideur_2=None)
    verifier_validation()
    Facture.objects.filter(numero="M-0").update(valideur_1=None, valideur_2=circuit.titulaire)
    Facture.objects.filter(numero="M-1").update(valideur_1=None)
    verifier_validation()
    une = Facture.objects.get(numero="M-A")
    une.historique.all().delete()
    une.delete()
    verifier_validation()
    assert CompteurValidation.objects.filter(nombre__lt=0).count() == 0


def test_recompter_reconstruit_aussi_les_compteurs_de_validation(circuit):
    circuit.facture(cadre="A12", valideur_2=circuit.mandataire)
    circuit.facture()
    attendus = verifier_validation()
    CompteurValidation.objects.update(nombre=42)
    CompteurValidation.objects.create(valideur_1=999, statut="A_VALIDER_1", nombre=3)
    recompter()
    assert verifier_validation() == attendus
    verifier()


def par_statut_compte(user):
    """The dashboard as it was computed before the counters: a GROUP BY over the invoices."""
    qs = Facture.objects.filter(selecteurs._q_valideur_resolu(user)).order_by()
    return dict(qs.values_list("statut").annotate(n=Count("pk")))


def test_le_tableau_de_bord_la_synthese_et_les_totaux_comptent_une_fois_chaque_facture(circuit):
    """An invoice seen through both its validators (the user validates for both structures) is counted once; the
    second validator sees an invoice once the first level is over."""
    maintenant = timezone.now()
    les_deux = agent(circuit.titulaire, (Application.VALIDATION, Niveau.MODIFICATION))
    rattacher(les_deux, circuit.mandataire, (Application.VALIDATION, Niveau.CONSULTATION))
    for n in range(4):
        circuit.facture(
            numero=f"D-{n}",
            cadre="A12",
            valideur_2=circuit.mandataire,
            statut="A_VALIDER_2" if n % 2 else "A_VALIDER_1",
            date_validation_1=maintenant if n % 2 else None,
            deposee_le=maintenant - datetime.timedelta(days=n),
        )
    circuit.facture(
        numero="D-MP", statut="MISE_EN_PAIEMENT", valideur_2=circuit.mandataire, date_validation_1=maintenant
    )
    circuit.facture(numero="AUTRE", valideur_1=circuit.mandataire)
    # a profile limited to one service of the titulaire sees the invoices that name that service only
    chantier = Service.objects.create(structure=circuit.titulaire, code="CHANTIER", libelle="Chantier")
    circuit.facture(numero="SVC-1", service_valideur_1=chantier)
    circuit.facture(numero="SVC-2", service_valideur_1=chantier, statut="REFUSEE_1")
    du_service = agent(circuit.titulaire, (Application.VALIDATION, Niveau.CONSULTATION, chantier))
    assert selecteurs.nombre(du_service) == 2
    utilisateurs = (circuit.valideur, circuit.valideur_2, les_deux, du_service, circuit.etranger)
    for user in (*utilisateurs, circuit.agent_destinataire):
        attendu = par_statut_compte(user)
        lu = {s: n for s, _libelle, n in selecteurs.tableau_de_bord(user) if n}
        assert lu == attendu
        assert selecteurs.nombre(user) == sum(attendu.values())
        en_attente = list(selecteurs.a_valider(user))
        comptes = Counter(selecteurs.structure_en_attente(f).pk for f in en_attente)
        synthese = selecteurs.synthese(user)
        assert {structure.pk: n for structure, _factures, n in synthese} == dict(comptes)
        assert sorted(f.pk for _s, factures, _n in synthese for f in factures) == sorted(f.pk for f in en_attente)
        assert selecteurs.AValider(user).nombre() == len(en_attente)
    # the user who validates for both sees each invoice once: D-0…3, D-MP, AUTRE and SVC-1, SVC-2
    assert selecteurs.nombre(les_deux) == 8
    assert Facture.objects.filter(Q(valideur_1=circuit.titulaire) & Q(valideur_2=circuit.mandataire)).count() == 5
