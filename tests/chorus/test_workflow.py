import pytest

from chorus.exceptions import ApplicationError
from chorus.workflow import TransitionInterdite
from organisation.enums import StatutStructure
from organisation.services.structures import structure_refuser, structure_valider
from organisation.workflow import STRUCTURE_WORKFLOW
from tests.factories import StructureFactory, UtilisateurFactory


@pytest.fixture
def agent(db):
    return UtilisateurFactory(est_agent_support=True)


def test_une_transition_change_le_statut_et_ecrit_l_historique(agent):
    structure = StructureFactory(est_publique=True)
    assert structure.statut == StatutStructure.EN_ATTENTE_VALIDATION
    structure_valider(structure=structure, par=agent, commentaire="  SIRET vérifié ")
    structure.refresh_from_db()
    assert structure.statut == StatutStructure.ACTIVE
    (ligne,) = structure.historique.all()
    assert (ligne.action, ligne.de_statut, ligne.vers_statut, ligne.par) == (
        "valider",
        StatutStructure.EN_ATTENTE_VALIDATION,
        StatutStructure.ACTIVE,
        agent,
    )
    assert ligne.commentaire == "SIRET vérifié"


def test_une_transition_hors_de_ses_statuts_sources_est_refusee(agent):
    structure = StructureFactory(est_publique=False)  # a private structure is active at once
    with pytest.raises(TransitionInterdite, match="impossible au statut « Active »"):
        structure_valider(structure=structure, par=agent)
    assert structure.historique.count() == 0


def test_seul_un_agent_du_support_peut_valider(db):
    structure = StructureFactory(est_publique=True)
    gestionnaire = structure.rattachements.get().utilisateur
    assert not STRUCTURE_WORKFLOW.peut(structure, "valider", gestionnaire)
    with pytest.raises(TransitionInterdite, match="pas habilité"):
        structure_valider(structure=structure, par=gestionnaire)
    structure.refresh_from_db()
    assert structure.statut == StatutStructure.EN_ATTENTE_VALIDATION


def test_le_motif_est_exige_quand_la_table_le_demande(agent):
    structure = StructureFactory(est_publique=True)
    with pytest.raises(ApplicationError, match="motif est obligatoire"):
        structure_refuser(structure=structure, par=agent, motif="   ")
    structure_refuser(structure=structure, par=agent, motif="Structure en doublon")
    structure.refresh_from_db()
    assert structure.statut == StatutStructure.REFUSEE
    assert structure.historique.get().motif == "Structure en doublon"


def test_les_actions_possibles_viennent_de_la_table(agent):
    structure = StructureFactory(est_publique=True)
    assert [t.action for t in STRUCTURE_WORKFLOW.possibles(structure, agent)] == [
        "valider",
        "refuser",
        "marquer_doublon",
    ]
    structure_valider(structure=structure, par=agent)
    assert [t.action for t in STRUCTURE_WORKFLOW.possibles(structure, agent)] == ["marquer_doublon"]


def test_une_copie_perimee_ne_rejoue_pas_une_transition_deja_faite(agent):
    """Two requests loaded the same structure; the first validates it. The second, still holding the old status in
    memory, is refused: appliquer reads the status again under the row's lock, whoever calls it."""
    structure = StructureFactory(est_publique=True)
    premiere, seconde = (type(structure).objects.get(pk=structure.pk) for _ in range(2))

    STRUCTURE_WORKFLOW.appliquer(premiere, "valider", par=agent)
    with pytest.raises(TransitionInterdite, match="impossible au statut « Active »"):
        STRUCTURE_WORKFLOW.appliquer(seconde, "valider", par=agent)

    assert structure.historique.count() == 1
    assert seconde.statut == StatutStructure.ACTIVE  # the copy now shows the stored status


@pytest.mark.django_db(transaction=True)
def test_deux_validations_au_meme_instant_n_en_font_qu_une(agent):
    """Two processes validate the same structure at the same instant, each from its own copy (PostgreSQL: real row
    locks; SQLite serialises every write transaction anyway). The second waits on the row's lock, then sees « Active »
    and is refused: one history row."""
    import threading

    from django.db import connection

    from organisation.models import Structure

    if connection.vendor != "postgresql":
        pytest.skip("verrous de ligne : PostgreSQL")
    structure = StructureFactory(est_publique=True)
    barriere, resultats = threading.Barrier(2), []

    def valider():
        try:
            copie = Structure.objects.get(pk=structure.pk)
            barriere.wait()
            STRUCTURE_WORKFLOW.appliquer(copie, "valider", par=agent)
            resultats.append("validée")
        except TransitionInterdite:
            resultats.append("refusée")
        finally:
            connection.close()

    fils = [threading.Thread(target=valider) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=30)

    assert sorted(resultats) == ["refusée", "validée"]
    assert structure.historique.count() == 1
