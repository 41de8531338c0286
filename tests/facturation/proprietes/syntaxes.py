"""Les deux syntaxes écrites, sous le nom qu'en attend facturation.validation.valider, et le réglage Hypothesis
commun : reproductible d'une exécution à l'autre (derandomize), sans base d'exemples sur le disque."""

from hypothesis import HealthCheck, settings

from tests.facturation.proprietes.ecriture_cii import ecrire_cii
from tests.facturation.proprietes.ecriture_ubl import ecrire_ubl

ECRIRE = {"cii": ecrire_cii, "ubl-invoice": ecrire_ubl}
NOM_FICHIER = {"cii": "facture-cii.xml", "ubl-invoice": "facture-ubl.xml"}


def reproductible(max_examples):
    # Les structures du portail sont créées une fois par test et partagées par ses exemples (chacun est annulé
    # dans une transaction) : d'où function_scoped_fixture.
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
