"""Services, users and « espaces » of the structures as a client reads them (CS17's transverses services,
listerRattachementsStructureUtilisateur, rechercherEspaces): services and attachments made through the portal's own
services, another structure's private services and users answering as missing ones (404 or nothing)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from stdnum import luhn

from chorus.differe import modification_appliquer
from chorus.models import ModificationDifferee
from organisation.enums import Application, Niveau, StatutStructure
from organisation.models import Rattachement, Structure
from organisation.services.rattachements import habilitations_modifier, rattachement_accepter, rattachement_demander
from organisation.services.structures import service_creer
from raccordement.models import CompteTechnique
from tests.factories import UtilisateurFactory
from tests.raccordement.test_api_socle import Integrateur, publique

pytestmark = pytest.mark.django_db


def _siret(prefixe, graine):
    siren = f"{prefixe}{graine:06d}"
    siren += luhn.calc_check_digit(siren)
    return siren + "0001" + luhn.calc_check_digit(siren + "0001")


def _appliquer(modification):
    ModificationDifferee.objects.filter(pk=modification.pk).update(effective_le=timezone.now())
    assert modification_appliquer(modification_id=modification.pk)


def _gestionnaire_principal(structure):
    return Rattachement.objects.get(structure=structure, est_gestionnaire_principal=True).utilisateur


def _services(structure, *codes, inactifs=()):
    par = _gestionnaire_principal(structure)
    for code in codes:
        _appliquer(service_creer(structure=structure, par=par, code=code, libelle=f"Service {code}"))
    for code in inactifs:
        _appliquer(service_creer(structure=structure, par=par, code=code, libelle=f"Service {code}", actif=False))
    return {s.code: s for s in structure.services.all()}


def _utilisateur_des_services(structure, *services, nom="Durand"):
    """A person who asked to join `structure` for `services` and whom the gestionnaire accepted."""
    personne = UtilisateurFactory(nom=nom)
    demande = rattachement_demander(utilisateur=personne, structure=structure, services=services, message="Compta")
    rattachement_accepter(rattachement=demande, par=_gestionnaire_principal(structure))
    return personne


def _donner_organisation(client, integrateur):
    """The gestionnaire gives the technical account « Organisation – consultation » (profiles page)."""
    integrateur.appeler(client, "structures/v1/rechercher/espaces")  # its technical user exists from its first call
    utilisateur = CompteTechnique.objects.get(pk=integrateur.compte.pk).utilisateur
    rattachement = Rattachement.objects.get(utilisateur=utilisateur, structure=integrateur.structure)
    actuels = [(h.application, h.niveau, h.service) for h in rattachement.habilitations.all()]
    _appliquer(
        habilitations_modifier(
            rattachement=rattachement,
            par=_gestionnaire_principal(integrateur.structure),
            habilitations=[*actuels, (Application.ORGANISATION, Niveau.CONSULTATION, None)],
        )
    )
    return utilisateur


@pytest.fixture
def monde(db):
    class Monde:
        fournisseur = Integrateur()
        autre = Integrateur()
        etat = publique(raison_sociale="Ministère des Archives", identifiant=_siret("11", 4242))
        commune = publique(raison_sociale="Commune de Valbourg")

    Structure.objects.filter(pk__in=[Monde.fournisseur.structure.pk, Monde.autre.structure.pk]).update(
        statut=StatutStructure.ACTIVE
    )
    Monde.fournisseur.structure.refresh_from_db()
    Monde.autre.structure.refresh_from_db()
    Monde.services_etat = _services(Monde.etat, "SE-FIN", "SE-RH", inactifs=("SE-OLD",))
    Monde.services_commune = _services(Monde.commune, "MAIRIE")
    Monde.services_fournisseur = _services(Monde.fournisseur.structure, "ATELIER", "COMPTA")
    Monde.services_autre = _services(Monde.autre.structure, "SECRET")
    return Monde


def _codes(corps):
    return [s["codeService"] for s in corps["listeServices"]]


# --- rechercher/serviceexecutant -----------------------------------------------------------------------------------


def test_rechercher_service_executant(client, monde):
    entetes = monde.fournisseur.entetes(client)
    reponse = monde.fournisseur.appeler(
        client,
        "transverses/v1/rechercher/serviceexecutant",
        {"identifiantStructure": monde.etat.identifiant},
        **entetes,
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert _codes(corps) == ["SE-FIN", "SE-OLD", "SE-RH"]
    fin = monde.services_etat["SE-FIN"]
    assert corps["listeServices"][0] == {
        "idService": fin.pk,
        "codeService": "SE-FIN",
        "libelleService": "Service SE-FIN",
        "estActif": True,
        "statutService": "ACTIF",
        "dateDbtService": None,
        "dateFinService": None,
        "idStructure": monde.etat.pk,
        "identifiantStructure": monde.etat.identifiant,
        "designationStructure": "Ministère des Archives",
    }
    assert corps["parametresRetour"]["total"] == 3

    actifs = monde.fournisseur.appeler(
        client,
        "transverses/v1/rechercher/serviceexecutant",
        {"idStructure": monde.etat.pk, "estActif": True, "libelleServiceExecutant": "service se-"},
        **entetes,
    ).json()
    assert _codes(actifs) == ["SE-FIN", "SE-RH"]
    par_code = monde.fournisseur.appeler(
        client, "transverses/v1/rechercher/serviceexecutant", {"codeServiceExecutant": "mairie"}, **entetes
    ).json()
    assert [(s["codeService"], s["idStructure"]) for s in par_code["listeServices"]] == [("MAIRIE", monde.commune.pk)]
    # its own structure's services too, not another private structure's
    tous = monde.fournisseur.appeler(
        client,
        "transverses/v1/rechercher/serviceexecutant",
        {"parametresRecherche": {"nbResultatsParPage": 50}},
        **entetes,
    ).json()
    assert {"ATELIER", "COMPTA", "MAIRIE", "SE-FIN"} <= set(_codes(tous))
    assert "SECRET" not in _codes(tous)


def test_les_services_d_une_autre_structure_privee_ne_sont_pas_trouves(client, monde):
    reponse = monde.autre.appeler(
        client, "transverses/v1/rechercher/serviceexecutant", {"idStructure": monde.fournisseur.structure.pk}
    )
    corps = reponse.json()
    assert reponse.status_code == 200
    assert (corps["codeRetour"], corps["listeServices"]) == (20000, [])


@pytest.mark.parametrize(
    ("corps", "champ"),
    [
        ({"idStructure": "abc"}, "idStructure"),
        ({"estActif": "oui"}, "estActif"),
        ({"codeServiceExecutant": {"a": 1}}, "codeServiceExecutant"),
        ({"parametresRecherche": {"triSens": "Haut"}}, "parametresRecherche.triSens"),
    ],
)
def test_rechercher_service_executant_refuse_une_demande_mal_formee(client, monde, corps, champ):
    reponse = monde.fournisseur.appeler(client, "transverses/v1/rechercher/serviceexecutant", corps)
    erreur = reponse.json()
    assert reponse.status_code == 400
    assert erreur["champ"] == champ and erreur["libelle"].startswith(f"{champ} : ")


# --- recuperer/services/executantetat, recuperer/services/structure ------------------------------------------------


def test_recuperer_les_services_executants_de_l_etat(client, monde):
    reponse = monde.fournisseur.appeler(client, "transverses/v1/recuperer/services/executantetat")
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    # the State's active services only: not the commune's (SIREN 9…), nor an inactive one
    assert [(s["codeService"], s["idStructure"]) for s in corps["listeServices"]] == [
        ("SE-FIN", monde.etat.pk),
        ("SE-RH", monde.etat.pk),
    ]


def test_recuperer_les_services_d_une_structure(client, monde):
    reponse = monde.fournisseur.appeler(
        client, "transverses/v1/recuperer/services/structure", {"idStructure": monde.etat.pk}
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert [(s["codeService"], s["estActif"], s["statutService"]) for s in corps["listeServices"]] == [
        ("SE-FIN", True, "ACTIF"),
        ("SE-OLD", False, "INACTIF"),
        ("SE-RH", True, "ACTIF"),
    ]
    assert set(corps["listeServices"][0]) == {
        "idService",
        "codeService",
        "libelleService",
        "estActif",
        "statutService",
        "dateDbtService",
        "dateFinService",
    }


def test_recuperer_les_services_d_une_autre_structure_privee_est_introuvable(client, monde):
    reponse = monde.autre.appeler(
        client, "transverses/v1/recuperer/services/structure", {"idStructure": monde.fournisseur.structure.pk}
    )
    assert reponse.status_code == 404
    assert "listeServices" not in reponse.json()


@pytest.mark.parametrize(("corps", "champ"), [({}, "idStructure"), ({"idStructure": True}, "idStructure")])
def test_recuperer_les_services_refuse_une_demande_mal_formee(client, monde, corps, champ):
    reponse = monde.fournisseur.appeler(client, "transverses/v1/recuperer/services/structure", corps)
    assert reponse.status_code == 400
    assert reponse.json()["champ"] == champ


# --- recuperer/utilisateurs/service ---------------------------------------------------------------------------------


def test_recuperer_les_utilisateurs_d_un_service(client, monde):
    atelier, compta = monde.services_fournisseur["ATELIER"], monde.services_fournisseur["COMPTA"]
    durand = _utilisateur_des_services(monde.fournisseur.structure, atelier, nom="Durand")
    _utilisateur_des_services(monde.fournisseur.structure, compta, nom="Martin")
    corps = {"idStructure": monde.fournisseur.structure.pk, "idService": atelier.pk}

    sans_profil = monde.fournisseur.appeler(client, "transverses/v1/recuperer/utilisateurs/service", corps)
    assert sans_profil.status_code == 404  # the users list needs « Organisation – consultation »

    _donner_organisation(client, monde.fournisseur)
    reponse = monde.fournisseur.appeler(client, "transverses/v1/recuperer/utilisateurs/service", corps)
    resultat = reponse.json()
    assert reponse.status_code == 200, resultat
    noms = [u["nomUtilisateur"] for u in resultat["listeUtilisateursDuService"]]
    assert "Durand" in noms and "Martin" not in noms  # Martin works for COMPTA only
    ligne = next(u for u in resultat["listeUtilisateursDuService"] if u["nomUtilisateur"] == "Durand")
    rattachement = Rattachement.objects.get(utilisateur=durand, structure=monde.fournisseur.structure)
    assert ligne == {
        "idUtilisateur": durand.pk,
        "idRattachement": rattachement.pk,
        "nomUtilisateur": "Durand",
        "prenomUtilisateur": durand.prenom,
        "emailUtilisateur": durand.email,
        "telephoneUtilisateur": durand.telephone,
        "statutRattachement": "ACTIF",
        "estGestionnairePrincipal": False,
        "dateRattachement": timezone.localdate(rattachement.traite_le).isoformat(),
    }


def test_les_utilisateurs_d_une_autre_structure_sont_introuvables(client, monde):
    _donner_organisation(client, monde.autre)
    atelier = monde.services_fournisseur["ATELIER"]
    _utilisateur_des_services(monde.fournisseur.structure, atelier)
    reponse = monde.autre.appeler(
        client,
        "transverses/v1/recuperer/utilisateurs/service",
        {"idStructure": monde.fournisseur.structure.pk, "idService": atelier.pk},
    )
    assert reponse.status_code == 404
    # nor a service of another structure under its own
    croise = monde.autre.appeler(
        client,
        "transverses/v1/recuperer/utilisateurs/service",
        {"idStructure": monde.autre.structure.pk, "idService": atelier.pk},
    )
    assert croise.status_code == 404


@pytest.mark.parametrize(
    ("corps", "champ"),
    [({"idService": 1}, "idStructure"), ({"idStructure": 1, "idService": "x"}, "idService")],
)
def test_recuperer_les_utilisateurs_refuse_une_demande_mal_formee(client, monde, corps, champ):
    _donner_organisation(client, monde.fournisseur)
    corps = {k: (monde.fournisseur.structure.pk if k == "idStructure" else v) for k, v in corps.items()}
    reponse = monde.fournisseur.appeler(client, "transverses/v1/recuperer/utilisateurs/service", corps)
    assert reponse.status_code == 400
    assert reponse.json()["champ"] == champ


def test_les_listes_coutent_autant_de_requetes_quel_que_soit_leur_nombre(client, monde, django_assert_max_num_queries):
    _donner_organisation(client, monde.fournisseur)
    entetes = monde.fournisseur.entetes(client)
    atelier = monde.services_fournisseur["ATELIER"]
    appels = [
        # pages of one row: a full page is counted (a page that is not full gives its total without a COUNT), so
        # the first measure already holds the count the larger list needs
        ("transverses/v1/rechercher/serviceexecutant", {"parametresRecherche": {"nbResultatsParPage": 1}}),
        ("transverses/v1/recuperer/services/executantetat", {}),
        ("transverses/v1/recuperer/services/structure", {"idStructure": monde.etat.pk}),
        (
            "transverses/v1/recuperer/utilisateurs/service",
            {"idStructure": monde.fournisseur.structure.pk, "idService": atelier.pk},
        ),
        ("structures/v1/lister/rattachementsutilisateur", {"idStructure": monde.fournisseur.structure.pk}),
        ("structures/v1/rechercher/espaces", {}),
    ]

    def compter(chemin, corps):
        with CaptureQueriesContext(connection) as requetes:
            assert monde.fournisseur.appeler(client, chemin, corps, **entetes).status_code == 200
        return len(requetes)

    avant = [compter(chemin, corps) for chemin, corps in appels]
    _services(monde.etat, "SE-A", "SE-B", "SE-C")
    _services(monde.fournisseur.structure, "LOG", "JUR")
    for rang in range(3):
        _utilisateur_des_services(monde.fournisseur.structure, atelier, nom=f"Agent{rang}")
    for (chemin, corps), combien in zip(appels, avant, strict=True):
        with django_assert_max_num_queries(combien, info=chemin):
            monde.fournisseur.appeler(client, chemin, corps, **entetes)


# --- structures/v1/lister/rattachementsutilisateur ------------------------------------------------------------------


def test_lister_les_rattachements_du_compte(client, monde):
    reponse = monde.fournisseur.appeler(
        client, "structures/v1/lister/rattachementsutilisateur", {"idStructure": monde.fournisseur.structure.pk}
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    utilisateur = CompteTechnique.objects.get(pk=monde.fournisseur.compte.pk).utilisateur
    rattachement = Rattachement.objects.get(utilisateur=utilisateur)
    assert (corps["idStructure"], corps["identifiantStructure"], corps["designationStructure"]) == (
        monde.fournisseur.structure.pk,
        monde.fournisseur.structure.identifiant,
        monde.fournisseur.structure.designation,
    )
    # attached to the whole structure: every service, and no service of its own yet
    assert corps["premierService"] is True
    assert [(s["codeService"], s["nomService"]) for s in corps["listeServices"]] == [
        ("ATELIER", "Service ATELIER"),
        ("COMPTA", "Service COMPTA"),
    ]
    assert corps["listeServices"][0] == {
        "idService": monde.services_fournisseur["ATELIER"].pk,
        "codeService": "ATELIER",
        "nomService": "Service ATELIER",
        "statutRattachement": "ACTIF",
        "dateDebut": timezone.localdate(rattachement.cree_le).isoformat(),
        "dateFin": None,
        "idRattachement": rattachement.pk,
        "commentaire": "",
    }


def test_lister_les_rattachements_d_un_utilisateur_par_son_adresse(client, monde):
    atelier = monde.services_fournisseur["ATELIER"]
    durand = _utilisateur_des_services(monde.fournisseur.structure, atelier)
    corps = {
        "identifiantStructure": monde.fournisseur.structure.identifiant,
        "typeIdentifiantStructure": "SIRET",
        "adresseEmailConnexionUtilisateur": durand.email.upper(),
    }
    assert monde.fournisseur.appeler(client, "structures/v1/lister/rattachementsutilisateur", corps).status_code == 404
    _donner_organisation(client, monde.fournisseur)
    reponse = monde.fournisseur.appeler(client, "structures/v1/lister/rattachementsutilisateur", corps)
    resultat = reponse.json()
    assert reponse.status_code == 200, resultat
    rattachement = Rattachement.objects.get(utilisateur=durand)
    assert resultat["premierService"] is False
    assert [
        (s["codeService"], s["statutRattachement"], s["idRattachement"], s["commentaire"])
        for s in resultat["listeServices"]
    ] == [("ATELIER", "ACTIF", rattachement.pk, "Compta")]
    assert resultat["listeServices"][0]["dateDebut"] == timezone.localdate(rattachement.traite_le).isoformat()


def test_lister_les_rattachements_d_une_autre_structure_est_introuvable(client, monde):
    _donner_organisation(client, monde.autre)
    durand = _utilisateur_des_services(monde.fournisseur.structure, monde.services_fournisseur["ATELIER"])
    for corps in (
        {"idStructure": monde.fournisseur.structure.pk},
        {"idStructure": monde.fournisseur.structure.pk, "idUtilisateur": durand.pk},
        {"idStructure": monde.autre.structure.pk, "idUtilisateur": durand.pk},  # not attached there
    ):
        reponse = monde.autre.appeler(client, "structures/v1/lister/rattachementsutilisateur", corps)
        assert reponse.status_code == 404, corps
        assert "listeServices" not in reponse.json()


@pytest.mark.parametrize(
    ("corps", "champ"),
    [
        ({}, "idStructure"),
        ({"idStructure": "x"}, "idStructure"),
        ({"identifiantStructure": "123", "typeIdentifiantStructure": "NIR"}, "typeIdentifiantStructure"),
        ({"idStructure": 0, "idUtilisateur": "moi"}, "idUtilisateur"),
        (
            {"idStructure": 0, "parametresListerRattachementsStructureUtilisateur": {"nbResultatsParPage": 0}},
            "parametresListerRattachementsStructureUtilisateur.nbResultatsParPage",
        ),
    ],
)
def test_lister_les_rattachements_refuse_une_demande_mal_formee(client, monde, corps, champ):
    corps = {k: (monde.fournisseur.structure.pk if k == "idStructure" and v == 0 else v) for k, v in corps.items()}
    reponse = monde.fournisseur.appeler(client, "structures/v1/lister/rattachementsutilisateur", corps)
    erreur = reponse.json()
    assert reponse.status_code == 400, erreur
    assert erreur["champ"] == champ and erreur["libelle"].startswith(f"{champ} : ")


# --- structures/v1/rechercher/espaces -------------------------------------------------------------------------------


def test_rechercher_les_espaces_du_compte(client, monde):
    reponse = monde.fournisseur.appeler(client, "structures/v1/rechercher/espaces")
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    espaces = {e["codeEspace"]: e for e in corps["listeEspaces"]}
    assert espaces["FACTURES_EMISES"] == {
        "codeEspace": "FACTURES_EMISES",
        "libelleEspace": "Factures émises",
        "niveau": "MODIFICATION",
    }
    # a technical account never manages the structure; a private structure receives no invoice
    assert "ORGANISATION" not in espaces and "SOLLICITATIONS" not in espaces
    assert "FACTURES_RECUES" not in espaces
    _donner_organisation(client, monde.fournisseur)
    apres = monde.fournisseur.appeler(client, "structures/v1/rechercher/espaces").json()
    assert {"codeEspace": "ORGANISATION", "libelleEspace": "Organisation", "niveau": "CONSULTATION"} in apres[
        "listeEspaces"
    ]


def test_les_espaces_d_une_autre_structure_ne_comptent_pas(client, monde):
    """The espaces are the caller's: a profile given on another structure opens nothing to this account."""
    _donner_organisation(client, monde.autre)
    espaces = [
        e["codeEspace"]
        for e in monde.fournisseur.appeler(client, "structures/v1/rechercher/espaces").json()["listeEspaces"]
    ]
    assert "ORGANISATION" not in espaces
