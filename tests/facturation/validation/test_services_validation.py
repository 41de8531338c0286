"""The validators' circuit: valider, refuser, forwarding to the second level or the recipient, and the 15-day rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from facturation.enums import DroitDelegation
from facturation.models import DelegationFactures, Facture
from facturation.services.traitement import facture_traiter
from facturation.services.validation import facture_refuser, facture_valider, transmettre_validations_hors_delai
from organisation.enums import Application, Niveau
from tests.facturation.validation.conftest import agent

pytestmark = pytest.mark.django_db


def chemin(facture):
    return [(h.de_statut, h.vers_statut, h.par_id) for h in facture.historique.order_by("le", "pk")][1:]


def test_le_titulaire_valide_et_la_facture_va_au_destinataire(circuit):
    facture = circuit.facture()
    facture_valider(facture=facture, par=circuit.valideur, commentaire="Travaux conformes")
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION"
    assert facture.date_validation_1 is not None and facture.date_validation_2 is None
    assert chemin(facture) == [
        ("A_VALIDER_1", "VALIDEE_1", circuit.valideur.pk),
        ("VALIDEE_1", "MISE_A_DISPOSITION", None),
    ]
    assert facture.historique.get(vers_statut="VALIDEE_1").commentaire == "Travaux conformes"


def test_deux_niveaux_de_validation(circuit):
    facture = circuit.facture(cadre="A12", valideur_2=circuit.mandataire)
    facture_valider(facture=facture, par=circuit.valideur)
    assert facture.statut == "A_VALIDER_2"  # updated in place
    # the first validator cannot answer for the second level, nor the second before its turn
    with pytest.raises(TransitionInterdite):
        facture_valider(facture=facture, par=circuit.valideur)
    facture_valider(facture=facture, par=circuit.valideur_2)
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION"
    assert facture.date_validation_1 and facture.date_validation_2
    assert [v for _d, v, _p in chemin(facture)] == [
        "VALIDEE_1", "A_VALIDER_2", "VALIDEE_2", "MISE_A_DISPOSITION",
    ]  # fmt: skip


def test_le_second_valideur_ne_repond_pas_au_premier_niveau(circuit):
    facture = circuit.facture(cadre="A12", valideur_2=circuit.mandataire)
    with pytest.raises(TransitionInterdite, match="pas habilité"):
        facture_valider(facture=facture, par=circuit.valideur_2)


def test_refus_avec_motif(circuit):
    facture = circuit.facture()
    with pytest.raises(ApplicationError, match="Le motif du refus est obligatoire") as erreur:
        facture_refuser(facture=facture, par=circuit.valideur, motif="  ")
    assert erreur.value.champ == "motif"
    facture_refuser(facture=facture, par=circuit.valideur, motif="Travaux non réalisés", commentaire="Voir PV")
    facture.refresh_from_db()
    assert facture.statut == "REFUSEE_1"
    ligne = facture.historique.get(vers_statut="REFUSEE_1")
    assert (ligne.motif, ligne.commentaire, ligne.par) == ("Travaux non réalisés", "Voir PV", circuit.valideur)
    with pytest.raises(TransitionInterdite, match="ne peut pas être validée"):
        facture_valider(facture=facture, par=circuit.valideur)


def test_refus_au_second_niveau(circuit):
    facture = circuit.facture(cadre="A12", valideur_2=circuit.mandataire)
    facture_valider(facture=facture, par=circuit.valideur)
    facture_refuser(facture=facture, par=circuit.valideur_2, motif="Montant erroné")
    assert Facture.objects.get(pk=facture.pk).statut == "REFUSEE_2"


@pytest.mark.parametrize("qui", ["valideur_lecteur", "etranger", "agent_destinataire"])
def test_ceux_qui_ne_peuvent_pas_valider(circuit, qui):
    facture = circuit.facture()
    with pytest.raises(TransitionInterdite):
        facture_valider(facture=facture, par=getattr(circuit, qui))
    with pytest.raises(TransitionInterdite):
        facture_refuser(facture=facture, par=getattr(circuit, qui), motif="Non")
    assert Facture.objects.get(pk=facture.pk).statut == "A_VALIDER_1"


def test_le_profil_de_service_du_valideur(circuit):
    from organisation.models import Service

    gros_oeuvre = Service.objects.create(structure=circuit.titulaire, code="GO", libelle="Gros œuvre")
    second_oeuvre = Service.objects.create(structure=circuit.titulaire, code="SO", libelle="Second œuvre")
    valideur_go = agent(circuit.titulaire, (Application.VALIDATION, Niveau.MODIFICATION, gros_oeuvre))
    facture_so = circuit.facture(service_valideur_1=second_oeuvre)
    with pytest.raises(TransitionInterdite):
        facture_valider(facture=facture_so, par=valideur_go)
    facture_go = circuit.facture(service_valideur_1=gros_oeuvre)
    facture_valider(facture=facture_go, par=valideur_go)
    assert facture_go.statut == "MISE_A_DISPOSITION"


def test_facture_traiter_ne_valide_pas_sans_transmettre(circuit):
    facture = circuit.facture()
    with pytest.raises(TransitionInterdite):
        facture_traiter(facture=facture, par=circuit.valideur, statut_cible="VALIDEE_1")


# --- 15 days without an answer ---


def _vieillir(facture, jours):
    Facture.objects.filter(pk=facture.pk).update(statut_depuis=timezone.now() - timedelta(days=jours))


def test_hors_delai_apres_15_jours(circuit):
    en_retard, a_l_heure = circuit.facture(), circuit.facture()
    _vieillir(en_retard, 16)
    _vieillir(a_l_heure, 14)
    assert transmettre_validations_hors_delai() == 1
    en_retard.refresh_from_db()
    a_l_heure.refresh_from_db()
    assert en_retard.statut == "MISE_A_DISPOSITION"
    assert chemin(en_retard) == [
        ("A_VALIDER_1", "ABSENCE_VALIDATION_1_HORS_DELAI", None),
        ("ABSENCE_VALIDATION_1_HORS_DELAI", "MISE_A_DISPOSITION", None),
    ]
    assert en_retard.date_validation_1 is not None
    assert a_l_heure.statut == "A_VALIDER_1"
    # idempotent: a second run finds nothing
    assert transmettre_validations_hors_delai() == 0
    assert en_retard.historique.count() == 3


def test_hors_delai_exactement_15_jours_plus_tard(circuit):
    facture = circuit.facture()
    depuis = Facture.objects.get(pk=facture.pk).statut_depuis
    assert transmettre_validations_hors_delai(maintenant=depuis + timedelta(days=15) - timedelta(seconds=1)) == 0
    assert transmettre_validations_hors_delai(maintenant=depuis + timedelta(days=15)) == 1


def test_hors_delai_au_premier_niveau_passe_au_second_puis_au_destinataire(circuit):
    facture = circuit.facture(cadre="A12", valideur_2=circuit.mandataire)
    _vieillir(facture, 20)
    transmettre_validations_hors_delai()
    facture.refresh_from_db()
    assert facture.statut == "A_VALIDER_2"
    # the second validator gets its own 15 days, counted from its turn
    assert transmettre_validations_hors_delai() == 0
    transmettre_validations_hors_delai(maintenant=timezone.now() + timedelta(days=16))
    facture.refresh_from_db()
    assert facture.statut == "MISE_A_DISPOSITION"
    assert "ABSENCE_VALIDATION_2_HORS_DELAI" in [v for _d, v, _p in chemin(facture)]


def test_hors_delai_ne_touche_pas_une_facture_deleguee(circuit):
    delegation = DelegationFactures.objects.create(
        delegant=circuit.destinataire, delegue=circuit.titulaire, droit=DroitDelegation.VALIDATION
    )
    facture = circuit.facture(cadre="A1", delegation=delegation)
    _vieillir(facture, 40)
    assert transmettre_validations_hors_delai() == 0


# --- delegation (rows 62, 63) ---


def _deleguee(circuit, droit):
    delegation = DelegationFactures.objects.create(
        delegant=circuit.destinataire, delegue=circuit.titulaire, droit=droit
    )
    return circuit.facture(cadre="A1", delegation=delegation)


def test_delegation_droit_de_validation(circuit):
    facture = _deleguee(circuit, DroitDelegation.VALIDATION)
    facture_valider(facture=facture, par=circuit.valideur)
    assert facture.statut == "MISE_A_DISPOSITION"
    refusee = circuit.facture(cadre="A1", delegation=facture.delegation)
    facture_refuser(facture=refusee, par=circuit.valideur, motif="Pas de commande")
    assert refusee.statut == "REFUSEE_1"
    # the « droit de validation » does not let the delegate process the invoice
    autre = circuit.facture(cadre="A1", delegation=facture.delegation)
    with pytest.raises(TransitionInterdite):
        facture_traiter(facture=autre, par=circuit.valideur, statut_cible="MISE_EN_PAIEMENT")


def test_delegation_droit_de_traitement(circuit):
    facture = _deleguee(circuit, DroitDelegation.TRAITEMENT)
    facture_traiter(facture=facture, par=circuit.valideur, statut_cible="MISE_EN_PAIEMENT")
    facture.refresh_from_db()
    assert facture.statut == "MISE_EN_PAIEMENT"  # processed in place, never forwarded
    suspendue = circuit.facture(cadre="A1", delegation=facture.delegation)
    with pytest.raises(ApplicationError, match="motif"):
        facture_traiter(facture=suspendue, par=circuit.valideur, statut_cible="SUSPENDUE")
    facture_traiter(facture=suspendue, par=circuit.valideur, statut_cible="SUSPENDUE", motif="Pièce manquante")
    assert suspendue.statut == "SUSPENDUE"


def test_le_destinataire_se_substitue_au_delegue(circuit):
    facture = _deleguee(circuit, DroitDelegation.TRAITEMENT)
    facture_valider(facture=facture, par=circuit.agent_destinataire)
    assert facture.statut == "MISE_A_DISPOSITION"
    assert facture.historique.get(vers_statut="VALIDEE_1").par == circuit.agent_destinataire
    autre = circuit.facture(cadre="A1", delegation=facture.delegation)
    facture_refuser(facture=autre, par=circuit.agent_destinataire, motif="Erreur")
    assert autre.statut == "REFUSEE_1"


def test_le_destinataire_ne_valide_pas_une_facture_de_sous_traitance(circuit):
    with pytest.raises(TransitionInterdite):
        facture_valider(facture=circuit.facture(), par=circuit.agent_destinataire)
