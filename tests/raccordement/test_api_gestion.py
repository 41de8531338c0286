"""The management services (raccordement/api/gestion.py): a technical account that a gestionnaire made gestionnaire
manages its structure through the portal's services — changes pending until the delay, then visible on the portal's
pages and selectors —, bad input names the field and saves nothing, another structure's account finds nothing, and
an account without « Organisation – modification » is refused."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.models import Courriel, ModificationDifferee
from chorus.tasks import appliquer_modifications_en_retard
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure
from organisation.habilitations import peut, toutes_les_habilitations
from organisation.matelas import siret_fictif
from organisation.models import Rattachement, Service, Structure, Utilisateur
from organisation.selectors import structures as selecteurs_structures
from organisation.selectors import utilisateurs as selecteurs_utilisateurs
from organisation.services.rattachements import habilitations_modifier, rattachement_demander
from organisation.services.structures import service_creer
from raccordement.services.utilisateur_technique import utilisateur_technique
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory
from tests.raccordement.test_api_socle import Integrateur

pytestmark = pytest.mark.django_db

FICHE = "structures/v1/saisir/generalites"
SERVICE = "structures/v1/saisir/generalites/service"
UTILISATEURS = "structures/v1/rechercher/utilisateurs/structure"
UTILISATEURS_SERVICE = "structures/v1/rechercher/utilisateurs/service"
NOUVEL_UTILISATEUR = "utilisateurs/v1/gestionnaire/saisir/generalites/nouvelutilisateur"
MODIFIER = "utilisateurs/v1/gestionnaire/modifier"
VALIDER = "utilisateurs/v1/structures/valider/rattachements"
INTROUVABLE = 20003


def appliquer_apres_le_delai():
    """The portal's own sweeper, once the delay has passed."""
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        appliquer_modifications_en_retard()


class Compte:
    """A structure, its human gestionnaire principal and a technical account with its API client."""

    def __init__(self, client, *, gestionnaire, raison_sociale):
        self.gp = UtilisateurFactory(prenom="Gaëlle", nom="Principale")
        self.structure = StructureFactory(gestionnaire=self.gp, raison_sociale=raison_sociale)
        self.integrateur = Integrateur(self.structure)
        self.technique = utilisateur_technique(self.integrateur.compte)
        self.client = client
        self.entetes = self.integrateur.entetes(client)
        if gestionnaire:
            # the gestionnaire principal grants the technical account every profile on the portal's user page
            rattachement = Rattachement.objects.get(utilisateur=self.technique, structure=self.structure)
            habilitations_modifier(
                rattachement=rattachement,
                par=self.gp,
                habilitations=[(a, n, None) for a, n in toutes_les_habilitations()],
            )
            appliquer_apres_le_delai()
            assert peut(self.technique, Application.ORGANISATION, Niveau.MODIFICATION, self.structure)

    def appeler(self, chemin, corps):
        return self.integrateur.appeler(self.client, chemin, corps, **self.entetes)

    def portail(self):
        navigateur = Client()
        connecter(navigateur, self.gp)
        return navigateur


@pytest.fixture
def gere(client):
    return Compte(client, gestionnaire=True, raison_sociale="Menuiserie Gérée")


@pytest.fixture
def autre(client):
    return Compte(client, gestionnaire=True, raison_sociale="Autre Structure")


# --- structures ----------------------------------------------------------------------------------------------------


def test_modifier_la_fiche_prend_effet_apres_le_delai_et_se_voit_sur_le_portail(gere):
    avant = timezone.now()
    reponse = gere.appeler(
        FICHE,
        {
            "idStructureCPP": gere.structure.pk,
            "informationsGenerales": {
                "raisonSocialeStructure": "Menuiserie Renommée",
                "emailStructure": "m@exemple.fr",
            },
            "adressePostaleDuSiege": {"ville": "Lyon", "codePostal": "69001"},
        },
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert (corps["codeRetour"], corps["idStructureCPP"], corps["statutStructure"]) == (0, gere.structure.pk, "ACTIF")
    attente = corps["modificationEnAttente"]
    assert attente["statut"] == "EN_ATTENTE"
    assert attente["champsModifies"] == [
        "adressePostaleDuSiege.codePostal",
        "adressePostaleDuSiege.ville",
        "informationsGenerales.emailStructure",
        "informationsGenerales.raisonSocialeStructure",
    ]
    effet = timezone.datetime.fromisoformat(attente["dateHeureEffet"])
    assert timedelta(minutes=29) < effet - avant < timedelta(minutes=31)
    portail = gere.portail()
    page = portail.get(reverse("organisation:structure", args=[gere.structure.pk])).content.decode()
    assert "Modification en attente : Modification de la fiche de la structure" in page
    assert Structure.objects.get(pk=gere.structure.pk).raison_sociale == "Menuiserie Gérée"  # not yet

    appliquer_apres_le_delai()
    page = portail.get(reverse("organisation:structure", args=[gere.structure.pk])).content.decode()
    assert "Menuiserie Renommée" in page and "Lyon" in page
    consultee = gere.appeler("structures/v1/consulter", {"idStructureCPP": gere.structure.pk}).json()
    assert consultee["informationGenerales"]["raisonSocialeStructure"] == "Menuiserie Renommée"
    assert consultee["informationGenerales"]["emailStructure"] == "m@exemple.fr"
    assert consultee["adressePostaleDuSiege"]["ville"] == "Lyon"


def test_creer_une_structure(gere):
    siret = siret_fictif(4242)
    reponse = gere.appeler(
        FICHE,
        {
            "informationsGenerales": {
                "typeIdentifiantStructure": "SIRET",
                "identifiantStructure": siret,
                "raisonSocialeStructure": "Filiale Créée",
                "structurePriveePublique": "PRIVEE",
            },
            "adressePostaleDuSiege": {"adresse": "1 rue du Port", "codePostal": "13002", "ville": "Marseille"},
        },
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    creee = Structure.objects.get(identifiant=siret)
    assert (corps["idStructureCPP"], corps["statutStructure"], corps["modificationEnAttente"]) == (
        creee.pk,
        "ACTIF",
        None,
    )
    assert (creee.raison_sociale, creee.ville, creee.statut) == ("Filiale Créée", "Marseille", StatutStructure.ACTIVE)
    # a technical account cannot sign in to the portal: the person who is gestionnaire principal of the account's
    # structure becomes that of the new one, so that it can be administered
    role = selecteurs_structures.role(gere.gp, creee)
    assert role.est_gestionnaire_principal and role.est_gestionnaire
    assert selecteurs_structures.role(gere.technique, creee) is None


def test_fiche_invalide_nomme_le_champ_et_n_enregistre_rien(gere):
    reponse = gere.appeler(
        FICHE,
        {
            "idStructureCPP": gere.structure.pk,
            "informationsGenerales": {"raisonSocialeStructure": "Bonne", "emailStructure": "pas-une-adresse"},
            "adressePostaleDuSiege": {"telephone": "abc"},
        },
    )
    corps = reponse.json()
    assert reponse.status_code == 400
    assert corps["champ"] == "adressePostaleDuSiege.telephone"  # the first in the portal form's order; all are said
    assert "informationsGenerales.emailStructure : L'adresse électronique n'est pas valide" in corps["libelle"]
    assert "adressePostaleDuSiege.telephone : Le numéro de téléphone n'est pas valide" in corps["libelle"]
    reponse = gere.appeler(
        FICHE, {"idStructureCPP": gere.structure.pk, "informationsGenerales": {"identifiantStructure": "1"}}
    )
    assert (reponse.status_code, reponse.json()["champ"]) == (400, "informationsGenerales.identifiantStructure")
    reponse = gere.appeler(
        FICHE,
        {
            "informationsGenerales": {
                "typeIdentifiantStructure": "SIRET",
                "identifiantStructure": "12345678901234",
                "raisonSocialeStructure": "Mauvais SIRET",
            },
            "adressePostaleDuSiege": {"adresse": "1 rue", "codePostal": "75001", "ville": "Paris"},
        },
    )
    assert (reponse.status_code, reponse.json()["champ"]) == (400, "informationsGenerales.identifiantStructure")
    reponse = gere.appeler(FICHE, {"idStructureCPP": gere.structure.pk, "informationsGenerales": "texte"})
    assert (reponse.status_code, reponse.json()["champ"]) == (400, "informationsGenerales")
    assert not ModificationDifferee.objects.filter(operation="structure.modifier").exists()
    assert not Structure.objects.filter(raison_sociale="Mauvais SIRET").exists()


def test_creer_puis_modifier_un_service(gere):
    reponse = gere.appeler(
        SERVICE,
        {
            "idStructure": gere.structure.pk,
            "informationsGenerales": {"codeService": "achats", "nomService": "Service des achats"},
            "parametres": {"numeroEngagement": True, "dateDebutValidite": "2026-01-01"},
        },
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert (corps["idService"], corps["codeService"]) == (None, "ACHATS")
    assert corps["modificationEnAttente"]["libelle"] == "Création du service ACHATS"
    assert not Service.objects.filter(structure=gere.structure).exists()
    appliquer_apres_le_delai()
    services = gere.appeler("structures/v1/rechercher/services", {"idStructure": gere.structure.pk}).json()
    (ligne,) = services["listeServices"]
    assert (ligne["codeService"], ligne["libelleService"], ligne["dateDbtService"]) == (
        "ACHATS",
        "Service des achats",
        "2026-01-01",
    )
    assert Service.objects.get(pk=ligne["idService"]).engagement_obligatoire

    reponse = gere.appeler(
        SERVICE,
        {
            "idStructure": gere.structure.pk,
            "idService": ligne["idService"],
            "informationsGenerales": {"nomService": "Achats et marchés"},
            "parametres": {"estActif": False},
        },
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert corps["modificationEnAttente"]["champsModifies"] == [
        "informationsGenerales.nomService",
        "parametres.estActif",
    ]
    appliquer_apres_le_delai()
    service = Service.objects.get(pk=ligne["idService"])
    assert (service.libelle, service.actif, service.engagement_obligatoire) == ("Achats et marchés", False, True)
    page = gere.portail().get(reverse("organisation:structure", args=[gere.structure.pk])).content.decode()
    assert "Achats et marchés" in page


def test_service_invalide_nomme_le_champ_et_n_enregistre_rien(gere):
    base = {"idStructure": gere.structure.pk, "informationsGenerales": {"codeService": "S1", "nomService": "Un"}}
    for corps, champ in [
        ({**base, "parametres": {"dateDebutValidite": "2026-06-01", "dateFinValidite": "2026-01-01"}},
         "parametres.dateFinValidite"),
        ({**base, "parametres": {"estActif": "oui"}}, "parametres.estActif"),
        ({**base, "parametres": {"dateDebutValidite": "demain"}}, "parametres.dateDebutValidite"),
        ({"idStructure": gere.structure.pk, "informationsGenerales": {"nomService": "Sans code"}},
         "informationsGenerales.codeService"),
        ({**base, "informationsGenerales": {"codeService": "FACTURES_PUBLIQUES", "nomService": "Réservé"}},
         "informationsGenerales.codeService"),
    ]:  # fmt: skip
        reponse = gere.appeler(SERVICE, corps)
        assert (reponse.status_code, reponse.json()["champ"]) == (400, champ), reponse.json()
    assert not ModificationDifferee.objects.filter(operation="service.creer").exists()
    service_creer(structure=gere.structure, par=gere.gp, code="S1", libelle="Un")
    reponse = gere.appeler(SERVICE, base)  # the same code, already pending
    assert (reponse.status_code, reponse.json()["champ"]) == (400, "informationsGenerales.codeService")
    assert ModificationDifferee.objects.filter(operation="service.creer").count() == 1


# --- users ---------------------------------------------------------------------------------------------------------


def test_rechercher_les_utilisateurs_d_une_structure_et_d_un_service(gere, django_assert_max_num_queries):
    service_creer(structure=gere.structure, par=gere.gp, code="S1", libelle="Un")
    appliquer_apres_le_delai()
    s1 = Service.objects.get(structure=gere.structure, code="S1")
    for rang in range(3):
        gere.appeler(
            NOUVEL_UTILISATEUR,
            {
                "idStructure": gere.structure.pk,
                "informationsGenerales": {"email": f"agent{rang}@exemple.fr", "nom": f"Agent{rang}", "prenom": "Léa"},
            },
        )
    vus = []
    for page in (1, 2, 3):
        corps = {
            "idStructure": gere.structure.pk,
            "parametresRecherche": {"nbResultatsParPage": 2, "pageResultatDemandee": page},
        }
        with django_assert_max_num_queries(14):  # whatever the rows: profiles and services prefetched
            reponse = gere.appeler(UTILISATEURS, corps).json()
        vus.extend(reponse["listeUtilisateurs"])
    # the GP, the technical account, the integrator who made it, three agents: sorted by name
    assert reponse["parametresRetour"]["total"] == 6
    assert [u["nom"] for u in vus] == sorted(u["nom"] for u in vus)
    par_email = {u["email"]: u for u in vus}
    gp = par_email[gere.gp.email]
    assert (gp["estGestionnairePrincipal"], gp["statutUtilisateur"], gp["idUtilisateur"]) == (
        True,
        "ACTIF",
        gere.gp.pk,
    )
    agent = par_email["agent0@exemple.fr"]
    assert (agent["estGestionnairePrincipal"], agent["statutUtilisateur"]) == (False, "INACTIF")
    assert {"espace": "ORGANISATION", "niveau": "CONSULTATION", "codeService": None} in agent["listeProfils"]
    trouve = gere.appeler(UTILISATEURS, {"idStructure": gere.structure.pk, "rechercheUtilisateur": "agent1"}).json()
    assert [u["email"] for u in trouve["listeUtilisateurs"]] == ["agent1@exemple.fr"]

    # by service: everyone attached to the whole structure works for S1, but not someone whose profiles are elsewhere
    rattachement = Rattachement.objects.get(utilisateur__email="agent2@exemple.fr")
    s2 = Service.objects.create(structure=gere.structure, code="S2", libelle="Deux")
    habilitations_modifier(
        rattachement=rattachement, par=gere.gp, habilitations=[(Application.FACTURES_EMISES, Niveau.MODIFICATION, s2)]
    )
    appliquer_apres_le_delai()
    du_service = gere.appeler(
        UTILISATEURS_SERVICE, {"idStructure": gere.structure.pk, "idService": s1.pk, "rechercheUtilisateur": "agent"}
    ).json()
    assert [u["email"] for u in du_service["listeUtilisateurs"]] == ["agent0@exemple.fr", "agent1@exemple.fr"]


def test_creer_un_utilisateur_le_rattache_et_lui_envoie_l_activation(gere):
    reponse = gere.appeler(
        NOUVEL_UTILISATEUR,
        {
            "idStructure": gere.structure.pk,
            "informationsGenerales": {
                "email": "Nouvelle.Recrue@Exemple.fr",
                "nom": "Recrue",
                "prenom": "Noé",
                "telephone": "01 02 03 04 05",
            },
        },
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    recrue = Utilisateur.objects.get(pk=corps["idUtilisateur"])
    assert (recrue.email, recrue.is_active, recrue.has_usable_password()) == (
        "nouvelle.recrue@exemple.fr",
        False,
        False,
    )
    assert corps["statutUtilisateur"] == "INACTIF"
    assert {"espace": "ORGANISATION", "niveau": "CONSULTATION", "codeService": None} in corps["listeProfils"]
    assert {"espace": "ORGANISATION", "niveau": "MODIFICATION", "codeService": None} not in corps["listeProfils"]
    assert Courriel.objects.filter(destinataire=recrue.email, gabarit="organisation/email/activation").exists()
    # on the portal's users list of the structure, with the profiles of an approved attachment
    page = gere.portail().get(reverse("organisation:utilisateurs", args=[gere.structure.pk])).content.decode()
    assert "nouvelle.recrue@exemple.fr" in page


def test_creer_un_utilisateur_invalide_ou_deja_connu(gere):
    avant = Utilisateur.objects.count()
    for informations, champ in [
        ({"email": "pas-une-adresse", "nom": "X", "prenom": "Y"}, "informationsGenerales.email"),
        ({"email": "a@exemple.fr", "nom": "", "prenom": "Y"}, "informationsGenerales.nom"),
        ({"email": "a@exemple.fr", "nom": "X", "prenom": "Y", "telephone": "abc"}, "informationsGenerales.telephone"),
        ({"email": gere.gp.email.upper(), "nom": "X", "prenom": "Y"}, "informationsGenerales.email"),
        ({"email": ["a@exemple.fr"], "nom": "X", "prenom": "Y"}, "informationsGenerales.email"),
    ]:
        reponse = gere.appeler(
            NOUVEL_UTILISATEUR, {"idStructure": gere.structure.pk, "informationsGenerales": informations}
        )
        assert (reponse.status_code, reponse.json()["champ"]) == (400, champ), reponse.json()
        if informations["email"] == gere.gp.email.upper():
            assert "Un compte utilisateur existe déjà avec cette adresse" in reponse.json()["libelle"]
    assert Utilisateur.objects.count() == avant


def test_modifier_les_profils_puis_terminer_le_rattachement(gere):
    creee = gere.appeler(
        NOUVEL_UTILISATEUR,
        {
            "idStructure": gere.structure.pk,
            "informationsGenerales": {"email": "p@exemple.fr", "nom": "P", "prenom": "Q"},
        },
    ).json()
    reponse = gere.appeler(
        MODIFIER,
        {
            "idStructure": gere.structure.pk,
            "idUtilisateur": creee["idUtilisateur"],
            "listeProfils": [
                {"espace": "ORGANISATION", "niveau": "MODIFICATION"},
                {"espace": "FACTURES_EMISES", "niveau": "CONSULTATION"},
            ],
        },
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert corps["modificationEnAttente"]["champsModifies"] == ["listeProfils"]
    assert corps["modificationEnAttente"]["libelle"] == "Modification des profils de Q P"
    rattachement = Rattachement.objects.get(pk=creee["idRattachementStructure"])
    assert not peut(rattachement.utilisateur, Application.ORGANISATION, Niveau.MODIFICATION, gere.structure)
    appliquer_apres_le_delai()
    ligne = selecteurs_utilisateurs.rattachement_de_structure(gere.structure, rattachement.pk).get()
    assert set(selecteurs_utilisateurs.profils_resume(ligne).split(", ")) == {
        "Factures émises – consultation",
        "Organisation – modification",
    }

    reponse = gere.appeler(
        MODIFIER,
        {"idStructure": gere.structure.pk, "idUtilisateur": creee["idUtilisateur"], "statutRattachement": "TERMINE"},
    )
    assert reponse.json()["statutRattachementStructure"] == "TERMINE"
    assert reponse.json()["modificationEnAttente"] is None
    assert not selecteurs_utilisateurs.utilisateurs_de_structure(gere.structure).filter(pk=rattachement.pk).exists()


def test_modifier_un_utilisateur_invalide(gere):
    base = {"idStructure": gere.structure.pk, "idUtilisateur": gere.technique.pk}
    for corps, champ in [
        ({**base, "listeProfils": [{"espace": "INCONNU", "niveau": "MODIFICATION"}]}, "listeProfils[0].espace"),
        ({**base, "listeProfils": [{"espace": "ORGANISATION", "niveau": "TOUT"}]}, "listeProfils[0].niveau"),
        ({**base, "listeProfils": [{"espace": "ORGANISATION", "niveau": "MODIFICATION", "codeService": "ZZ"}]},
         "listeProfils[0].codeService"),
        ({**base, "listeProfils": [{"espace": "ORGANISATION", "niveau": "MODIFICATION"}] * 2}, "listeProfils"),
        ({**base, "nom": "Autre"}, "nom"),
        (base, "listeProfils"),
        ({**base, "statutRattachement": "ACTIF"}, "statutRattachement"),
    ]:  # fmt: skip
        reponse = gere.appeler(MODIFIER, corps)
        assert (reponse.status_code, reponse.json()["champ"]) == (400, champ), reponse.json()
    assert not ModificationDifferee.objects.filter(
        operation="habilitations.remplacer", statut=ModificationDifferee.Statut.EN_ATTENTE
    ).exists()
    # the gestionnaire principal keeps every profile: a rule of the portal (422), not a field
    reponse = gere.appeler(MODIFIER, {**base, "idUtilisateur": gere.gp.pk, "listeProfils": []})
    assert reponse.status_code == 422
    assert reponse.json()["libelle"] == "Le gestionnaire principal a tous les profils : ils ne se modifient pas."


def test_approuver_et_refuser_des_demandes_de_rattachement(gere):
    demandeurs = [UtilisateurFactory(nom=f"Demandeur{n}") for n in range(2)]
    demandes = [rattachement_demander(utilisateur=u, structure=gere.structure) for u in demandeurs]
    attente = gere.appeler(UTILISATEURS, {"idStructure": gere.structure.pk, "statutRattachement": "EN_ATTENTE"}).json()
    assert [u["idRattachementStructure"] for u in attente["listeUtilisateurs"]] == [d.pk for d in demandes]
    assert attente["listeUtilisateurs"][0]["statutRattachementStructure"] == "EN_ATTENTE"

    # all or nothing: a refusal without its motif saves the approval before it neither
    reponse = gere.appeler(
        VALIDER,
        {
            "idStructure": gere.structure.pk,
            "listeRattachements": [
                {"idRattachementStructure": demandes[0].pk, "decision": "VALIDER"},
                {"idRattachementStructure": demandes[1].pk, "decision": "REFUSER"},
            ],
        },
    )
    assert (reponse.status_code, reponse.json()["champ"]) == (400, "listeRattachements[1].motifRefus")
    assert (
        Rattachement.objects.filter(pk__in=[d.pk for d in demandes], statut=StatutRattachement.EN_ATTENTE).count() == 2
    )

    reponse = gere.appeler(
        VALIDER,
        {
            "idStructure": gere.structure.pk,
            "listeRattachements": [
                {"idRattachementStructure": demandes[0].pk, "decision": "VALIDER"},
                {"idRattachementStructure": demandes[1].pk, "decision": "REFUSER", "motifRefus": "Inconnu du service"},
            ],
        },
    )
    corps = reponse.json()
    assert reponse.status_code == 200, corps
    assert [r["statutRattachementStructure"] for r in corps["listeRattachements"]] == ["ACTIF", "REFUSE"]
    # what the portal shows: the approved user on the structure's users, nothing left to approve
    assert selecteurs_utilisateurs.utilisateurs_de_structure(gere.structure).filter(utilisateur=demandeurs[0]).exists()
    assert not selecteurs_utilisateurs.rattachements_a_approuver(gere.gp).exists()
    assert Rattachement.objects.get(pk=demandes[1].pk).motif_refus == "Inconnu du service"
    # a request already handled is a rule of the process
    reponse = gere.appeler(
        VALIDER,
        {
            "idStructure": gere.structure.pk,
            "listeRattachements": [{"idRattachementStructure": demandes[0].pk, "decision": "VALIDER"}],
        },
    )
    assert reponse.status_code == 422
    assert reponse.json()["libelle"] == "listeRattachements[0] : Cette demande a déjà été traitée."


# --- who may -------------------------------------------------------------------------------------------------------


def _appels_sur(compte, cible):
    """One call of each service aimed at `cible`'s structure, its user, its service and its request."""
    service = Service.objects.create(structure=cible.structure, code="CIBLE", libelle="Cible")
    demande = rattachement_demander(utilisateur=UtilisateurFactory(), structure=cible.structure)
    s = cible.structure.pk
    return [
        (FICHE, {"idStructureCPP": s, "informationsGenerales": {"raisonSocialeStructure": "Prise"}}),
        (SERVICE, {"idStructure": s, "informationsGenerales": {"codeService": "X", "nomService": "X"}}),
        (SERVICE, {"idStructure": s, "idService": service.pk, "informationsGenerales": {"nomService": "X"}}),
        (UTILISATEURS, {"idStructure": s}),
        (UTILISATEURS, {"idStructure": s, "statutRattachement": "EN_ATTENTE"}),
        (UTILISATEURS_SERVICE, {"idStructure": s, "idService": service.pk}),
        (NOUVEL_UTILISATEUR, {"idStructure": s, "informationsGenerales": {"email": "x@exemple.fr", "nom": "X",
                                                                            "prenom": "Y"}}),
        (MODIFIER, {"idStructure": s, "idUtilisateur": cible.gp.pk, "statutRattachement": "TERMINE"}),
        (VALIDER, {"idStructure": s, "listeRattachements": [{"idRattachementStructure": demande.pk,
                                                              "decision": "VALIDER"}]}),
    ]  # fmt: skip


def test_le_compte_d_une_autre_structure_ne_trouve_rien(gere, autre):
    for chemin, corps in _appels_sur(autre, gere):
        reponse = autre.appeler(chemin, corps)
        assert (reponse.status_code, reponse.json()["codeRetour"]) == (404, INTROUVABLE), (chemin, reponse.json())
    # nor its own structure's ids on the other's objects: a service, a user, a request of `gere`
    service = Service.objects.get(structure=gere.structure)
    demande = Rattachement.objects.get(structure=gere.structure, statut=StatutRattachement.EN_ATTENTE)
    s = autre.structure.pk
    for chemin, corps in [
        (SERVICE, {"idStructure": s, "idService": service.pk, "informationsGenerales": {"nomService": "X"}}),
        (UTILISATEURS_SERVICE, {"idStructure": s, "idService": service.pk}),
        (MODIFIER, {"idStructure": s, "idUtilisateur": gere.gp.pk, "statutRattachement": "TERMINE"}),
        (VALIDER, {"idStructure": s, "listeRattachements": [{"idRattachementStructure": demande.pk,
                                                              "decision": "VALIDER"}]}),
    ]:  # fmt: skip
        assert autre.appeler(chemin, corps).status_code == 404, chemin
    assert Structure.objects.get(pk=gere.structure.pk).raison_sociale == "Menuiserie Gérée"
    assert not ModificationDifferee.objects.filter(statut=ModificationDifferee.Statut.EN_ATTENTE).exists()
    assert Rattachement.objects.get(pk=demande.pk).statut == StatutRattachement.EN_ATTENTE


def test_un_compte_technique_non_gestionnaire_est_refuse(client):
    simple = Compte(client, gestionnaire=False, raison_sociale="Sans gestion")
    for chemin, corps in _appels_sur(simple, simple):
        reponse = simple.appeler(chemin, corps)
        corps_reponse = reponse.json()
        assert (reponse.status_code, corps_reponse["codeRetour"]) == (403, 20004), (chemin, corps_reponse)
        assert "il lui faut le profil « Organisation –" in corps_reponse["libelle"]
    creation = {
        "informationsGenerales": {
            "typeIdentifiantStructure": "SIRET",
            "identifiantStructure": siret_fictif(777),
            "raisonSocialeStructure": "Non",
        }
    }
    assert simple.appeler(FICHE, creation).status_code == 403
    assert not Structure.objects.filter(raison_sociale="Non").exists()
    assert not ModificationDifferee.objects.filter(statut=ModificationDifferee.Statut.EN_ATTENTE).exists()
    assert not Utilisateur.objects.filter(email="x@exemple.fr").exists()
