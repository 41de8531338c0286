"""Who sees which EJ: the public entity its own (its services' when its profile is limited to one), the supplier
those issued to it, nobody else; the same through the API (engagementsJuridiques/v1, as OCA's Odoo connector calls
it), where another structure's EJ answers exactly like a missing one, in JSON."""

import pytest

from engagements.selectors import engagements_visibles
from engagements.services import engagements_charger
from organisation.enums import Application, Niveau
from tests.engagements.outils import Monde, fichier, rangee
from tests.facturation.validation.conftest import agent
from tests.raccordement.test_api_socle import Integrateur

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde():
    m = Monde()
    engagements_charger(
        par=m.chargeur,
        structure=m.commune,
        nom_fichier="e.csv",
        contenu=fichier(
            rangee("EJ-ACHATS", m.fournisseur.identifiant),
            rangee("EJ-VOIRIE", m.fournisseur.identifiant, service="VOIRIE"),
            rangee("EJ-AUTRE", m.autre_fournisseur.identifiant, service=""),
        ),
    )
    return m


def numeros(user):
    return sorted(engagements_visibles(user).values_list("numero", flat=True))


def test_perimetre(monde):
    assert numeros(agent(monde.commune, (Application.ENGAGEMENTS, Niveau.CONSULTATION))) == [
        "EJ-ACHATS",
        "EJ-AUTRE",
        "EJ-VOIRIE",
    ]
    assert numeros(agent(monde.commune, (Application.ENGAGEMENTS, Niveau.CONSULTATION, monde.voirie))) == ["EJ-VOIRIE"]
    assert numeros(agent(monde.fournisseur, (Application.ENGAGEMENTS, Niveau.CONSULTATION))) == [
        "EJ-ACHATS",
        "EJ-VOIRIE",
    ]
    assert numeros(agent(monde.commune, (Application.FACTURES_RECUES, Niveau.MODIFICATION))) == []
    assert numeros(agent(monde.autre_fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))) == []


def test_rechercher_comme_odoo(client, monde):
    fournisseur = Integrateur(monde.fournisseur)
    corps = fournisseur.appeler(
        client,
        "engagementsJuridiques/v1/rechercher",
        {
            "structureReceptriceEngagementJuridique": str(monde.fournisseur.pk),
            "numeroEngagementJuridique": "EJ-ACHATS",
            "etatCourantEngagementJuridique": "COMMANDE",
        },
    )
    assert corps.status_code == 200 and corps["Content-Type"] == "application/json"
    corps = corps.json()
    assert corps["codeRetour"] == 0 and len(corps["listeEngagementJuridique"]) == 1
    ej = corps["listeEngagementJuridique"][0]
    assert ej["numeroEngagementJuridique"] == "EJ-ACHATS" and ej["etatCourantEngagementJuridique"] == "COMMANDE"
    assert ej["structureEmettriceEngagementJuridique"]["identifiantStructure"] == monde.commune.identifiant
    assert ej["codeServiceEmetteur"] == "ACHATS" and ej["montantTTC"] == 50.4

    # the number of another supplier's EJ: not found, said in JSON (Odoo then names the number to check)
    absent = fournisseur.appeler(
        client,
        "engagementsJuridiques/v1/rechercher",
        {"structureReceptriceEngagementJuridique": str(monde.fournisseur.pk), "numeroEngagementJuridique": "EJ-AUTRE"},
    ).json()
    assert absent["codeRetour"] == 20000 and absent["listeEngagementJuridique"] == []
    par_siret = fournisseur.appeler(
        client,
        "engagementsJuridiques/v1/rechercher",
        {"structureReceptriceEngagementJuridique": monde.fournisseur.identifiant},
    ).json()
    assert [e["numeroEngagementJuridique"] for e in par_siret["listeEngagementJuridique"]] == [
        "EJ-ACHATS",
        "EJ-VOIRIE",
    ]
    mauvais = fournisseur.appeler(
        client, "engagementsJuridiques/v1/rechercher", {"etatCourantEngagementJuridique": "PAYE"}
    )
    assert mauvais.status_code == 400 and mauvais.json()["champ"] == "etatCourantEngagementJuridique"
    # « ³ » is a digit for str.isdigit() but not for int(): schemathesis found the 500
    exposant = fournisseur.appeler(
        client, "engagementsJuridiques/v1/rechercher", {"structureReceptriceEngagementJuridique": "³"}
    )
    assert exposant.status_code == 400 and exposant.json()["champ"] == "structureReceptriceEngagementJuridique"


def test_consulter_et_autre_structure(client, monde):
    ej = engagements_visibles(monde.chargeur).get(numero="EJ-AUTRE")
    commune = Integrateur(monde.commune)
    corps = commune.appeler(client, "engagementsJuridiques/v1/consulter", {"idEngagementJuridique": ej.pk}).json()
    assert corps["numeroEngagementJuridique"] == "EJ-AUTRE" and corps["codeServiceEmetteur"] is None
    assert corps["lignesEngagementJuridique"] == [
        {
            "numeroLigne": 1,
            "designation": "Papier",
            "quantite": 10.0,
            "unite": "ramette",
            "prixUnitaireHT": 4.2,
            "tauxTva": 20.0,
            "montantHT": 42.0,
        }
    ]
    autre = Integrateur(monde.fournisseur).appeler(
        client, "engagementsJuridiques/v1/consulter", {"idEngagementJuridique": ej.pk}
    )
    inexistant = commune.appeler(client, "engagementsJuridiques/v1/consulter", {"idEngagementJuridique": 10**9})
    assert autre.status_code == inexistant.status_code == 404
    assert autre.json() == inexistant.json()
    sans_id = commune.appeler(client, "engagementsJuridiques/v1/consulter", {})
    assert sans_id.status_code == 400 and sans_id.json()["champ"] == "idEngagementJuridique"


def test_dans_le_schema_et_la_documentation(client, utilisateur):
    from tests.conftest import connecter

    schema = client.get("/cpro/openapi.json").json()
    assert "/cpro/engagementsJuridiques/v1/rechercher" in schema["paths"]
    assert "/cpro/engagementsJuridiques/v1/consulter" in schema["paths"]
    page = connecter(client, utilisateur).get("/cpro/documentation/").content.decode()
    assert "engagementsJuridiques/v1/rechercher" in page and "structureReceptriceEngagementJuridique" in page
