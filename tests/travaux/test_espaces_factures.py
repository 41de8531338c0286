"""A works piece stays in « Factures de travaux » along the supplier → MOE → MOA chain; it reaches « Factures reçues »
(and the supplier's « Factures émises ») only once it is with the payer."""

from facturation.selectors.emises import factures_emises
from facturation.selectors.recues import factures_recues
from organisation.enums import Application, Niveau
from tests.travaux.test_depot import associer, initial


def test_une_piece_rejoint_les_factures_recues_chez_le_payeur(chantier):
    for utilisateur, application in (
        (chantier.u_moa, Application.FACTURES_RECUES),
        (chantier.u_fournisseur, Application.FACTURES_EMISES),
    ):
        utilisateur.rattachements.get().habilitations.create(application=application, niveau=Niveau.MODIFICATION)
    a4 = initial(chantier)
    a15 = associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    assert not factures_recues(chantier.u_moa).exists()
    assert not factures_emises(chantier.u_fournisseur).exists()
    associer(chantier.u_moa, "moa", "A19", a15, "EAV-001")
    assert list(factures_recues(chantier.u_moa).values_list("numero", flat=True)) == ["EAV-001"]
    assert list(factures_emises(chantier.u_fournisseur).values_list("numero", flat=True)) == ["EAV-001"]
