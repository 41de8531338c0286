"""Each API call that bench/api.py times costs a fixed, pinned number of SQL queries (issue #16: every call p95 ≤ 30 ms
at demo size): a query that creeps back into a call's common path (the account, its profiles, a transaction around a
read) or into one service fails here, whatever the number of rows. Every search of this world has a full first page
(its `total` is then counted, or read from the counters), and the commune sees invoices in every role, so
rechercher/demandePaiement reads each role's branch and counts them all."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.models import EngagementJuridique
from organisation.models import Service
from tests.factories import StructureFactory, facture_deposee
from tests.raccordement.test_api_socle import Integrateur, publique
from tests.raccordement.test_api_valideurs_travaux import appels
from travaux.enums import RoleTravaux
from travaux.models import DossierFacturation, PieceTravaux

pytestmark = pytest.mark.django_db

PAR_PAGE = 10  # raccordement.api.pagination.PAR_PAGE_DEFAUT: the pages below are full


@pytest.fixture
def monde(db):
    fournisseur = Integrateur(StructureFactory(raison_sociale="Plâtrerie Martin"))
    commune = Integrateur(publique(raison_sociale="Commune de Valbourg"))
    autre = StructureFactory(raison_sociale="Autre fournisseur")
    service = Service.objects.create(structure=commune.structure, code="TRAVAUX", libelle="Travaux")
    debut = timezone.now() - timedelta(days=30)
    factures = [
        facture_deposee(fournisseur.structure, commune.structure, numero=f"F-{n:03d}", deposee_le=debut + timedelta(n))
        for n in range(PAR_PAGE + 2)
    ]
    # the commune also sends, validates a co-contracting invoice, and is the MOA of a works dossier
    facture_deposee(commune.structure, publique(raison_sociale="Département"), numero="E-001")
    facture_deposee(autre, commune.structure, numero="V-001", cadre="A9", valideur_1=commune.structure)
    dossier = DossierFacturation.objects.create(
        numero="DF-000042", fournisseur=fournisseur.structure, moa=commune.structure, service_moa=service
    )
    piece = facture_deposee(
        fournisseur.structure, commune.structure, numero="PDM-1", cadre="A4", statut="MISE_A_DISPOSITION_MOE"
    )
    PieceTravaux.objects.create(facture=piece, dossier=dossier, role_deposant=RoleTravaux.FOURNISSEUR)
    for n in range(PAR_PAGE + 2):
        EngagementJuridique.objects.create(
            structure=commune.structure,
            fournisseur=fournisseur.structure,
            numero=f"EJ-{n:03d}",
            date_engagement=date(2026, 1, 1),
            montant_ht=Decimal("100.00"),
            montant_tva=Decimal("20.00"),
            montant_ttc=Decimal("120.00"),
        )
    return {
        "fournisseur": fournisseur,
        "commune": commune,
        "facture": factures[0].pk,
        "idCommune": commune.structure.pk,
    }


FACTURES = "factures/v1"
# (service, account, body, queries): the calls of bench/api.py. Queries on the two engines alike: the technical
# account with its token (1), its profiles (1, once per call), then the service's own; a service that only reads
# runs outside a transaction (no BEGIN, which SQLite would count).
APPELS = [
    ("utilisateurs/v1/monCompte/recuperer/rattachements", "fournisseur", {}, 3),
    (f"{FACTURES}/rechercher/fournisseur", "fournisseur", {}, 5),
    (f"{FACTURES}/rechercher/recipiendaire", "commune", {}, 4),
    # the branches' first ids in one query, the page, the total's counts in one query
    (f"{FACTURES}/rechercher/demandePaiement", "commune", {}, 5),
    # the invoice with its parties, its lines, VAT breakdown and attachments
    (f"{FACTURES}/consulter/fournisseur", "fournisseur", {"idFacture": "facture"}, 6),
    (f"{FACTURES}/consulter/recipiendaire", "commune", {"idFacture": "facture"}, 6),
    (f"{FACTURES}/consulter/historique", "fournisseur", {"idFacture": "facture"}, 5),
    ("structures/v1/rechercher", "fournisseur", {"structure": {"raisonSocialeStructure": "Commune"}}, 2),
    ("structures/v1/consulter", "fournisseur", {"idStructureCPP": "idCommune"}, 5),
    ("structures/v1/rechercher/services", "fournisseur", {"idStructure": "idCommune"}, 3),
    ("engagementsJuridiques/v1/rechercher", "commune", {}, 3),
    ("transverses/v1/recuperer/pays", "fournisseur", {}, 1),
]


@pytest.mark.parametrize(("chemin", "compte", "corps", "requetes"), APPELS, ids=[a[0] for a in APPELS])
def test_chaque_appel_mesure_coute_un_nombre_de_requetes_fixe(client, monde, chemin, compte, corps, requetes):
    appeler = appels(monde[compte], client)
    corps = {cle: monde.get(valeur, valeur) if isinstance(valeur, str) else valeur for cle, valeur in corps.items()}
    appeler(chemin, corps)  # the first call creates the technical user: measure the next one
    with CaptureQueriesContext(connection) as capturees:
        reponse = appeler(chemin, corps)
    assert reponse.status_code == 200, reponse.content
    assert reponse.json()["codeRetour"] == 0, reponse.json()  # rows were read, not an empty answer
    sql = "\n".join(q["sql"][:160] for q in capturees.captured_queries)
    assert len(capturees) <= requetes, f"{len(capturees)} requêtes pour {chemin} (au plus {requetes}) :\n{sql}"


def test_demande_de_paiement_compte_chaque_role_d_une_page_pleine(client, monde):
    """The five queries of rechercher/demandePaiement are with its total counted over every role: the commune's
    full first page does not tell it, and the total is every invoice it sees once (sent, received, validated, MOA)."""
    corps = appels(monde["commune"], client)(f"{FACTURES}/rechercher/demandePaiement").json()
    assert len(corps["listeDemandePaiement"]) == PAR_PAGE
    # 12 received + the works piece (MOA and recipient: once) + 1 sent + 1 validated (and received: once)
    assert corps["parametresRetour"]["total"] == PAR_PAGE + 2 + 1 + 1 + 1


def test_demande_de_paiement_d_un_role_qu_aucun_profil_n_ouvre(client, monde):
    """A role whose application no profile of the account opens has no branch: nothing is found, no query is sent
    for it, and the answer is the empty one (it was a server error once the branch was left out)."""
    from organisation.enums import Application
    from organisation.models import Habilitation
    from raccordement.models import CompteTechnique

    appeler = appels(monde["commune"], client)
    demandes = f"{FACTURES}/rechercher/demandePaiement"
    assert appeler(demandes, {"roleUtilisateur": "MOA"}).json()["parametresRetour"]["total"] == 1  # the works piece
    technique = CompteTechnique.objects.get(pk=monde["commune"].compte.pk).utilisateur
    Habilitation.objects.filter(rattachement__utilisateur=technique, application=Application.FACTURES_TRAVAUX).delete()
    reponse = appeler(demandes, {"roleUtilisateur": "MOA"})
    assert reponse.status_code == 200, reponse.content
    corps = reponse.json()
    assert (corps["codeRetour"], corps["listeDemandePaiement"], corps["parametresRetour"]["total"]) == (20000, [], 0)
