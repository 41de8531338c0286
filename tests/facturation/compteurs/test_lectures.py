"""The dashboards, the Synthèse, the unfiltered list totals and the API's unfiltered `total` read the counters: they
show what counting the invoices shows, for each user's perimeter, whatever writes came before (issue #16)."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facturation.enums import StatutFacture
from facturation.models import Facture
from facturation.selectors import emises, recues
from organisation.enums import Application, Niveau
from organisation.models import Service
from tests.conftest import connecter
from tests.factories import facture_deposee
from tests.facturation.compteurs.conftest import verifier
from tests.facturation.recues.conftest import Monde, agent
from tests.raccordement.test_api_socle import Integrateur, publique

pytestmark = pytest.mark.django_db

STATUTS = [
    StatutFacture.BROUILLON,
    StatutFacture.MISE_A_DISPOSITION,
    StatutFacture.COMPLETEE,
    StatutFacture.SERVICE_FAIT,
    StatutFacture.SUSPENDUE,
    StatutFacture.A_RECYCLER,
    StatutFacture.REJETEE,
    StatutFacture.MISE_EN_PAIEMENT,
    StatutFacture.A_VALIDER_1,
    StatutFacture.MISE_A_DISPOSITION_MOE,
    StatutFacture.EN_ATTENTE_RECYCLAGE_FOURNISSEUR,
]


def par_statut(qs):
    return {s: n for s, n in qs.order_by().values_list("statut").annotate(n=Count("pk")) if n}


def synthese_comptee(user, masquer):
    """The Synthèse as it was computed before the counters: a GROUP BY over the invoices."""
    qs = recues.a_traiter(user)
    if masquer:
        qs = qs.filter(telechargee=False)
    lignes = qs.order_by().values_list("destinataire_id", "service_destinataire_id", "statut").annotate(n=Count("pk"))
    return {(d, s, statut): n for d, s, statut, n in lignes}


def synthese_lue(user, masquer):
    return {
        (g.structure_id, g.service_id, statut): n
        for g in recues.synthese(user, masquer_telechargees=masquer)
        for statut, n in g.comptes.items()
    }


def tout_comparer(monde):
    verifier()
    for user in monde.utilisateurs:
        comptes = {s: n for s, _l, n in recues.tableau_de_bord(user) if n}
        assert comptes == par_statut(recues.factures_recues(user)), user
        assert recues.nombre(user) == recues.factures_recues(user).count()
        for masquer in (False, True):
            assert synthese_lue(user, masquer) == synthese_comptee(user, masquer)
        assert {s: n for s, _l, n in emises.tableau_de_bord(user)} == par_statut(emises.factures_emises(user))
        assert emises.nombre(user) == emises.factures_emises(user).count()


class MondeCompte(Monde):
    def __init__(self):
        super().__init__()
        self.fournisseur_lecteur = agent(self.fournisseur, (Application.FACTURES_EMISES, Niveau.CONSULTATION))
        self.utilisateurs = [
            self.agent,
            self.lecteur,
            self.agent_achats,
            self.etranger,
            self.agent_fournisseur,
            self.fournisseur_lecteur,
        ]
        services = [None, self.achats, self.travaux]
        self.factures = [
            self.facture(
                fournisseur=self.fournisseur if i % 2 else self.autre_fournisseur,
                statut=STATUTS[i % len(STATUTS)],
                service=services[i % 3],
                est_piece_travaux=i % 5 == 0,
                telechargee=i % 4 == 0,
            )
            for i in range(24)
        ]


@pytest.fixture
def monde(db):
    return MondeCompte()


def test_chaque_utilisateur_lit_les_memes_nombres_qu_en_comptant(monde):
    tout_comparer(monde)
    # the outsider, from another public structure, sees none of the counts
    assert recues.nombre(monde.etranger) == 0
    assert recues.synthese(monde.etranger) == []
    assert {n for _s, _l, n in recues.tableau_de_bord(monde.etranger)} == {0}
    assert emises.tableau_de_bord(monde.etranger) == []
    # the agent of the ACHATS service sees that service's invoices only
    assert {g.service_code for g in recues.synthese(monde.agent_achats)} == {"ACHATS"}


OPERATIONS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=23),
        st.sampled_from(["statut", "telechargee", "service", "archivee", "piece", "supprimer"]),
        st.integers(min_value=0, max_value=len(STATUTS) - 1),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_propriete_des_ecritures_au_hasard(monde, operations):
    """Random writes on the invoices (a save, a bulk update, an archive, a deletion): every user's dashboards,
    Synthèse and totals still equal what counting the invoices gives."""
    services = [None, monde.achats, monde.travaux]
    for rang, operation, valeur in operations:
        facture = Facture.tous.filter(pk=monde.factures[rang].pk).first()
        if facture is None:
            continue
        if operation == "statut":
            facture.statut = STATUTS[valeur]
            facture.save()
        elif operation == "telechargee":
            Facture.tous.filter(pk=facture.pk).update(telechargee=not facture.telechargee)
        elif operation == "service":
            Facture.tous.filter(pk=facture.pk).update(service_destinataire=services[valeur % 3])
        elif operation == "archivee":
            Facture.tous.filter(pk=facture.pk).update(archivee=not facture.archivee)
        elif operation == "piece":
            Facture.tous.filter(pk=facture.pk).update(est_piece_travaux=not facture.est_piece_travaux)
        else:
            facture.delete()
    tout_comparer(monde)


def test_tableaux_de_bord_en_requetes_fixes(client, monde, django_assert_max_num_queries):
    """The counts cost the same queries at 24 invoices and at 72."""
    connecter(client, monde.agent)
    client.get(reverse("facturation:recues_synthese"))
    pages = ["recues_tableau_de_bord", "recues_synthese", "recues_rechercher"]
    avant = {}
    for nom in pages:
        with django_assert_max_num_queries(100) as requetes:
            client.get(reverse(f"facturation:{nom}"))
        avant[nom] = len(requetes)
    for _ in range(2):
        for i in range(24):
            monde.facture(statut=STATUTS[i % len(STATUTS)], service=[None, monde.achats][i % 2])
    for nom in pages:
        with django_assert_max_num_queries(avant[nom]):
            reponse = client.get(reverse(f"facturation:{nom}"))
        assert reponse.status_code == 200


def _total(client, integrateur, service, corps):
    with CaptureQueriesContext(connection) as requetes:
        reponse = integrateur.appeler(
            client, f"factures/v1/rechercher/{service}", corps, **integrateur.entetes(client)
        )
    assert reponse.status_code == 200, reponse.content
    comptages = [q["sql"] for q in requetes if "COUNT(" in q["sql"] and '"facturation_facture"' in q["sql"]]
    return reponse.json()["parametresRetour"]["total"], comptages


def test_le_total_de_l_api_sans_critere_vient_des_compteurs(client, db):
    fournisseur = Integrateur()
    commune = publique(raison_sociale="Commune de Valbourg")
    recipiendaire = Integrateur(commune)
    autre = Integrateur()
    for n in range(7):
        facture_deposee(fournisseur.structure, commune, numero=f"F-{n}", statut=STATUTS[1 + n % 6])
    facture_deposee(fournisseur.structure, commune, numero="BR-1", statut=StatutFacture.BROUILLON)
    facture_deposee(fournisseur.structure, commune, numero="AR-1", statut=StatutFacture.REJETEE, archivee=True)
    # a works piece still with its MOE: neither space lists it yet
    facture_deposee(
        fournisseur.structure,
        commune,
        numero="PT-1",
        statut=StatutFacture.MISE_A_DISPOSITION_MOE,
        est_piece_travaux=True,
    )
    facture_deposee(autre.structure, commune, numero="AUTRE-1")

    total, comptages = _total(client, fournisseur, "fournisseur", {})
    assert (total, comptages) == (7, [])
    total, comptages = _total(client, recipiendaire, "recipiendaire", {"paramRecherche": {"nbResultatsParPage": 2}})
    assert (total, comptages) == (8, [])
    # another structure's account counts none of them
    total, _ = _total(client, Integrateur(publique(raison_sociale="Ailleurs")), "recipiendaire", {})
    assert total == 0
    # a criterion: no counter answers it; a page that is not full gives the total by itself, a full one is counted
    total, comptages = _total(client, fournisseur, "fournisseur", {"statutCourant": ["REJETEE"]})
    assert (total, comptages) == (1, [])
    criteres = {"statutCourant": ["REJETEE"], "rechercheFactureParFournisseur": {"nbResultatsParPage": 1}}
    total, comptages = _total(client, fournisseur, "fournisseur", criteres)
    assert total == 1 and comptages


def test_le_total_des_factures_a_traiter_de_l_api_vient_des_compteurs(client, db):
    """rechercher/atraiter/recipiendaire: its structure and service filters are keys of the counters, so its total
    is read there with or without them, and equals the rows it pages through."""
    fournisseur = Integrateur()
    commune = publique(raison_sociale="Commune de Valbourg")
    achats = Service.objects.create(structure=commune, code="ACHATS", libelle="Achats")
    recipiendaire = Integrateur(commune)
    for n, statut in enumerate(STATUTS):
        facture_deposee(fournisseur.structure, commune, numero=f"F-{n}", statut=statut, service=[None, achats][n % 2])
    # what the commune's own manager sees in its Synthèse: the same perimeter as its technical account
    a_traiter = recues.a_traiter(commune.rattachements.first().utilisateur)
    cle = "parametreRechercheFactureATraiterParRecipiendaire"
    for filtre, attendu in (
        ({}, a_traiter),
        ({"idStructure": commune.pk}, a_traiter.filter(destinataire=commune)),
        ({"idServiceExecutant": achats.pk}, a_traiter.filter(service_destinataire=achats)),
        ({"idServiceExecutant": 0}, a_traiter.none()),
    ):
        total, comptages = _total(
            client, recipiendaire, "atraiter/recipiendaire", {**filtre, cle: {"nbResultatsParPage": 1}}
        )
        assert (total, comptages) == (attendu.count(), []), filtre
    assert a_traiter.count() >= 3
