"""The one policy for works: the dossier's three actors see its pieces, nobody else; the MOA's service narrows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisation.enums import Application, Niveau
from tests.factories import UtilisateurFactory, rattacher
from tests.travaux.test_depot import initial
from travaux.enums import RoleTravaux
from travaux.selectors.visibilite import dossiers_visibles, pieces_visibles, roles_dans_le_dossier


def test_les_trois_acteurs_voient_le_dossier_et_personne_d_autre(chantier):
    piece = initial(chantier)
    dossier = piece.dossier
    for utilisateur, role in (
        (chantier.u_fournisseur, RoleTravaux.FOURNISSEUR),
        (chantier.u_moe, RoleTravaux.MOE),
        (chantier.u_moa, RoleTravaux.MOA),
    ):
        assert list(dossiers_visibles(utilisateur)) == [dossier]
        assert list(pieces_visibles(utilisateur)) == [piece]
        assert roles_dans_le_dossier(utilisateur, dossier) == {role}
        assert list(pieces_visibles(utilisateur, roles=[r for r in RoleTravaux if r != role])) == []
    assert not pieces_visibles(chantier.u_etranger).exists()
    assert roles_dans_le_dossier(chantier.u_etranger, dossier) == set()


def test_un_agent_de_la_moa_limite_a_un_autre_service_ne_voit_rien(chantier):
    initial(chantier)
    autre_service = chantier.moa.services.create(code="ECOLES", libelle="Écoles")
    agent = UtilisateurFactory()
    rattacher(agent, chantier.moa, (Application.FACTURES_TRAVAUX, Niveau.CONSULTATION, autre_service))
    assert not pieces_visibles(agent).exists()
    # a profile on another application gives nothing either
    comptable = UtilisateurFactory()
    rattacher(comptable, chantier.moa, (Application.FACTURES_RECUES, Niveau.MODIFICATION))
    assert not pieces_visibles(comptable).exists()


def test_une_seule_requete_quel_que_soit_le_nombre_de_dossiers(chantier):
    for rang in range(5):
        initial(chantier, numero=f"PDM-{rang:03d}")
    with CaptureQueriesContext(connection) as requetes:
        assert len(list(pieces_visibles(chantier.u_moa))) == 5
    assert len(requetes) == 1
