"""Co- and sub-contracting of works (S3 « Cas particulier : sous-traitance et cotraitance », features rows 36, 78):
the piece of a co-contractor (A13, A14) or a sub-contractor (A10, A11) waits for its validator, the mandataire or the
titulaire (then the mandataire above a co-contracting titulaire), in « Factures à valider »; once validated, even
tacitly after 15 days, it goes on to the MOE like an A4. A refusal is « Refusée par niveau 1 / 2 », which « Traiter le
rejet » accepts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from facturation.models import Facture
from facturation.selectors import validation as selecteurs_validation
from facturation.services.depot import DepotRefuse
from facturation.services.validation import facture_refuser, facture_valider, transmettre_validations_hors_delai
from tests.travaux.conftest import Groupement, utilisateur_travaux
from travaux.models import PieceTravaux
from travaux.rejets import rejets_traiter
from travaux.services.actions import piece_prendre_en_compte


@pytest.fixture
def groupement(db):
    return Groupement()


def relue(piece_travaux):
    return Facture.objects.get(pk=piece_travaux.facture_id)


def historique(piece_travaux):
    return list(relue(piece_travaux).historique.order_by("le", "pk").values_list("vers_statut", flat=True))


def test_le_mandataire_valide_l_a13_du_cotraitant_qui_va_a_la_moe(groupement):
    a13 = groupement.deposer(valideur_1=groupement.mandataire, service_valideur_1=groupement.service_mandataire)
    facture = relue(a13)
    assert facture.statut == "A_VALIDER_1"
    assert (facture.valideur_1, facture.service_valideur_1) == (groupement.mandataire, groupement.service_mandataire)
    # the mandataire finds it in « Factures à valider »; the outsider does not
    [(structure_, factures, _nombre)] = selecteurs_validation.synthese(groupement.v_mandataire)
    assert structure_ == groupement.mandataire and [f.numero for f in factures] == ["PDM-CT-1"]
    assert selecteurs_validation.synthese(groupement.v_etranger) == []
    # the MOE cannot act before the validation
    with pytest.raises(ApplicationError, match="impossible au statut « Mise à disposition du premier valideur »"):
        piece_prendre_en_compte(piece=a13, par=groupement.u_moe)

    facture_valider(facture=facture, par=groupement.v_mandataire, commentaire="Conforme")
    assert relue(a13).statut == "MISE_A_DISPOSITION_MOE"
    assert historique(a13) == ["DEPOSEE", "A_VALIDER_1", "VALIDEE_1", "MISE_A_DISPOSITION_MOE"]
    assert relue(a13).date_validation_1 is not None
    # now the MOE takes it into account, like an A4
    piece_prendre_en_compte(piece=PieceTravaux.objects.get(pk=a13.pk), par=groupement.u_moe)
    assert relue(a13).statut == "PRISE_EN_COMPTE_MOE"


def test_l_a10_d_un_sous_traitant_de_cotraitant_passe_deux_valideurs(groupement):
    a10 = groupement.deposer(
        "A10",
        par=groupement.u_sous_traitant,
        role="sous-traitant",
        fournisseur=groupement.sous_traitant,
        numero="DP-ST-1",
        valideur_1=groupement.cotraitant,
        valideur_2=groupement.mandataire,
    )
    assert relue(a10).statut == "A_VALIDER_1"
    # the second validator does not see it before the first level is over
    assert selecteurs_validation.synthese(groupement.v_mandataire) == []
    with pytest.raises(TransitionInterdite):
        facture_valider(facture=relue(a10), par=groupement.v_mandataire)

    facture_valider(facture=relue(a10), par=groupement.v_cotraitant)
    assert relue(a10).statut == "A_VALIDER_2"
    facture_valider(facture=relue(a10), par=groupement.v_mandataire)
    assert historique(a10) == [
        "DEPOSEE",
        "A_VALIDER_1",
        "VALIDEE_1",
        "A_VALIDER_2",
        "VALIDEE_2",
        "MISE_A_DISPOSITION_MOE",
    ]


def test_quinze_jours_sans_reponse_la_piece_va_a_la_moe(groupement):
    a14 = groupement.deposer("A14", numero="PDF-CT-1", valideur_1=groupement.mandataire)
    depuis = timezone.now() - timedelta(days=15, minutes=1)
    Facture.objects.filter(pk=a14.facture_id).update(statut_depuis=depuis)
    a13 = groupement.deposer(numero="PDM-CT-2", valideur_1=groupement.mandataire)

    assert transmettre_validations_hors_delai() == 1
    assert historique(a14)[-2:] == ["ABSENCE_VALIDATION_1_HORS_DELAI", "MISE_A_DISPOSITION_MOE"]
    assert relue(a13).statut == "A_VALIDER_1"  # fourteen days and less: still with the mandataire
    assert transmettre_validations_hors_delai() == 0  # run twice, forwarded once


def test_le_refus_du_mandataire_puis_traiter_le_rejet(groupement):
    a13 = groupement.deposer(valideur_1=groupement.mandataire)
    facture_refuser(facture=relue(a13), par=groupement.v_mandataire, motif="Situation non conforme au CCAP")
    facture = relue(a13)
    assert facture.statut == "REFUSEE_1" and facture.historique.last().motif == "Situation non conforme au CCAP"

    resultat = rejets_traiter(par=groupement.u_cotraitant, pieces=[a13])
    assert [f.pk for f in resultat.traitees] == [a13.facture_id] and not resultat.non_eligibles


def test_un_valideur_etranger_ne_valide_ni_ne_refuse(groupement):
    a13 = groupement.deposer(valideur_1=groupement.mandataire)
    with pytest.raises(TransitionInterdite):
        facture_valider(facture=relue(a13), par=groupement.v_etranger)
    with pytest.raises(TransitionInterdite):
        facture_refuser(facture=relue(a13), par=groupement.v_etranger, motif="Non")
    with pytest.raises(TransitionInterdite):
        facture_valider(facture=relue(a13), par=groupement.u_cotraitant)  # nor the depositor itself
    assert relue(a13).statut == "A_VALIDER_1"


def _erreurs(refus):
    return {(e.champ, str(e)) for e in refus.value.erreurs}


def test_sans_valideur_l_a13_est_refusee_et_rien_n_est_enregistre(groupement):
    with pytest.raises(DepotRefuse) as refus:
        groupement.deposer()
    assert ("valideur_1", "Le cadre A13 exige un valideur : indiquez le SIRET du mandataire du groupement.") in (
        _erreurs(refus)
    )
    with pytest.raises(DepotRefuse) as refus:
        groupement.deposer("A10", par=groupement.u_sous_traitant, role="sous-traitant",
                           fournisseur=groupement.sous_traitant)  # fmt: skip
    assert ("valideur_1", "Le cadre A10 exige un valideur : indiquez le SIRET du titulaire du marché.") in (
        _erreurs(refus)
    )
    assert not Facture.objects.exists() and not PieceTravaux.objects.exists()


def test_les_valideurs_incoherents(groupement):
    with pytest.raises(DepotRefuse) as refus:
        groupement.deposer(
            valideur_1=groupement.cotraitant,
            valideur_2=groupement.mandataire,
            service_valideur_1=groupement.service_mandataire,
        )
    assert _erreurs(refus) >= {
        ("valideur_1", "Le valideur doit être une autre structure que le déposant."),
        ("valideur_2", "Le cadre A13 n'a qu'un valideur : le mandataire du groupement."),
        ("service_valideur_1", "Le service « MARCHES » n'appartient pas au valideur."),
    }
    with pytest.raises(DepotRefuse) as refus:
        groupement.deposer(
            "A10",
            par=groupement.u_sous_traitant,
            role="sous-traitant",
            fournisseur=groupement.sous_traitant,
            valideur_1=groupement.mandataire,
            valideur_2=groupement.mandataire,
        )
    assert ("valideur_2", "Le second valideur doit être une autre structure que le premier.") in _erreurs(refus)
    assert not Facture.objects.exists()


def test_un_a4_n_a_pas_de_valideur(groupement):
    with pytest.raises(DepotRefuse) as refus:
        groupement.deposer(
            "A4",
            role="fournisseur",
            fournisseur=groupement.mandataire,
            par=utilisateur_travaux(groupement.mandataire),
            valideur_1=groupement.cotraitant,
        )
    assert _erreurs(refus) == {
        (
            "valideur_1",
            "Le cadre A4 n'a pas de valideur : seules les pièces des sous-traitants (A10, A11) et des cotraitants "
            "(A13, A14) passent par un valideur.",
        )
    }
