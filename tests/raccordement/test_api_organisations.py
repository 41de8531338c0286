"""`organisations/v1/…`, the Référentiel des organisations (chorus-pro-api.md §2.4), called with the demo data set's
technical accounts (demo.comptes.charger_comptes) as a connected software calls it: GET, POST and PATCH on
UUIDs, the envelope on every answer. A public structure is everyone's; a private one, a structure's attachments and
its changes are its own accounts' only (404 for the others)."""

import base64
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chorus import differe
from chorus.models import ModificationDifferee
from demo.comptes import charger_comptes
from organisation.enums import Application, Niveau, StatutStructure, TypeIdentifiant
from organisation.models import Rattachement, Service, Structure, Utilisateur
from organisation.services.coordonnees import piece_jointe_ajouter
from organisation.services.rattachements import habilitations_modifier
from organisation.services.structures import service_creer, structure_creer, structure_modifier
from raccordement.api import enveloppe
from raccordement.matelas import CLIENT_ID_DEMO, ROLE_COMPTE, SECRET_DEMO
from raccordement.models import CompteTechnique

pytestmark = pytest.mark.django_db

RACINE = "/cpro/organisations/v1"
FOURNISSEUR = "Fournitures Démo SAS"
COMMUNE = "Commune de Démoville"


def _appliquer(modification):
    """The delayed change, applied when its time comes (the task's work)."""
    with time_machine.travel(modification.effective_le + timedelta(seconds=1)):
        assert differe.modification_appliquer(modification_id=modification.pk) is True
    modification.refresh_from_db()
    assert modification.statut == ModificationDifferee.Statut.APPLIQUEE, modification.trace


class Demo:
    """The demo data set and a client for each of its technical accounts."""

    def __init__(self, client):
        self.client = client
        self.lignes = charger_comptes()
        self.fournisseur = Structure.objects.get(raison_sociale=FOURNISSEUR)
        self.commune = Structure.objects.get(raison_sociale=COMMUNE)
        reponse = client.post(
            "/api/oauth/token",
            {"grant_type": "client_credentials", "client_id": CLIENT_ID_DEMO, "client_secret": SECRET_DEMO},
        )
        self.jeton = reponse.json()["access_token"]

    def entetes(self, structure):
        ligne = next(x for x in self.lignes if x["role"] == ROLE_COMPTE and x["structure"] == structure.raison_sociale)
        compte = base64.b64encode(f"{ligne['login']}:{ligne['mot_de_passe']}".encode()).decode()
        return {"HTTP_AUTHORIZATION": f"Bearer {self.jeton}", "HTTP_CPRO_ACCOUNT": compte}

    def get(self, chemin, par, **params):
        return self.client.get(f"{RACINE}/{chemin}", params, **self.entetes(par))

    def post(self, chemin, corps, par):
        return self.client.post(f"{RACINE}/{chemin}", corps, content_type="application/json", **self.entetes(par))

    def patch(self, chemin, corps, par):
        return self.client.patch(f"{RACINE}/{chemin}", corps, content_type="application/json", **self.entetes(par))

    def gestionnaire(self, structure):
        return Rattachement.objects.get(structure=structure, est_gestionnaire_principal=True).utilisateur


@pytest.fixture
def demo(client):
    cache.clear()  # the rate per technical account
    return Demo(client)


def _service_prive(demo):
    """A service of the (private) demo supplier, created as its gestionnaire creates one on the portal."""
    modification = service_creer(
        structure=demo.fournisseur, par=demo.gestionnaire(demo.fournisseur), code="ventes", libelle="Ventes"
    )
    _appliquer(modification)
    return Service.objects.get(structure=demo.fournisseur, code="VENTES")


# --- healthcheck, errors of the group ------------------------------------------------------------------------------


def test_healthcheck(demo, client):
    reponse = demo.get("healthcheck", demo.fournisseur)
    assert reponse.status_code == 200
    assert reponse.json() == {"codeRetour": 0, "libelle": enveloppe.LIBELLE_OK, "statut": "OK"}
    sans_compte = client.get(f"{RACINE}/healthcheck")
    assert sans_compte.status_code == 401
    assert sans_compte.json()["codeRetour"] == enveloppe.AUTHENTIFICATION


def test_une_methode_non_admise_et_un_uuid_illisible_gardent_l_enveloppe(demo):
    reponse = demo.post(f"structures/{demo.commune.uuid}", {}, demo.fournisseur)
    assert reponse.status_code == 405
    assert reponse.json()["codeRetour"] == enveloppe.DONNEES_INVALIDES
    assert "GET" in reponse.json()["libelle"]
    assert reponse["Allow"] == "GET, OPTIONS"
    reponse = demo.get("structures/pas-un-uuid", demo.fournisseur)
    assert reponse.status_code == 400
    assert reponse.json()["champ"] == "uuid"
    assert "UUID" in reponse.json()["libelle"]


# --- structures ----------------------------------------------------------------------------------------------------


def test_consulter_une_structure_publique(demo):
    reponse = demo.get(f"structures/{demo.commune.uuid}", demo.fournisseur)
    assert reponse.status_code == 200, reponse.content
    corps = reponse.json()
    assert corps["codeRetour"] == 0
    assert corps["uuid"] == str(demo.commune.uuid)
    assert corps["identifiant"] == demo.commune.identifiant
    assert corps["typeIdentifiant"] == "SIRET"
    assert corps["libelleOrganisation"] == COMMUNE
    assert corps["typeOrganisation"] == "public"
    assert corps["status"] == "active"
    assert corps["codeServiceDoitEtreRenseigne"] is True  # the demo commune's rule
    assert corps["parametresEdi"] == {"reception_edi": False, "connexion_edi": False}


def test_une_structure_privee_n_est_vue_que_de_ses_comptes(demo):
    assert demo.get(f"structures/{demo.fournisseur.uuid}", demo.fournisseur).json()["typeOrganisation"] == "private"
    reponse = demo.get(f"structures/{demo.fournisseur.uuid}", demo.commune)
    assert reponse.status_code == 404
    assert reponse.json()["codeRetour"] == enveloppe.INTROUVABLE
    for chemin in ("services", "pieces_jointes"):
        assert demo.get(f"structures/{demo.fournisseur.uuid}/{chemin}", demo.commune).status_code == 404


def test_les_services_d_une_structure_par_pages(demo, django_assert_max_num_queries):
    reponse = demo.get(f"structures/{demo.commune.uuid}/services", demo.fournisseur, nbResultatsParPage=1)
    assert reponse.status_code == 200, reponse.content
    corps = reponse.json()
    assert [s["codeService"] for s in corps["listeServices"]] == ["SERVICE-ACHATS"]
    assert corps["parametresRetour"] == {"nbResultatsParPage": 1, "pageCourante": 1, "pages": 2, "total": 2}
    service = corps["listeServices"][0]
    assert service["statut"] == "ACTIF"
    assert service["structure"]["uuid"] == str(demo.commune.uuid)
    assert service["uuid"] == str(Service.objects.get(structure=demo.commune, code="SERVICE-ACHATS").uuid)
    page_2 = demo.get(f"structures/{demo.commune.uuid}/services", demo.fournisseur, nbResultatsParPage=1,
                      pageResultatDemandee=2)  # fmt: skip
    assert [s["codeService"] for s in page_2.json()["listeServices"]] == ["SERVICE-TRAVAUX"]
    mauvais = demo.get(f"structures/{demo.commune.uuid}/services", demo.fournisseur, triColonne="Couleur")
    assert mauvais.status_code == 400
    assert mauvais.json()["champ"] == "triColonne"
    # as many queries for 2 services as for 12
    demo.get(f"structures/{demo.commune.uuid}/services", demo.fournisseur)  # the technical user exists
    with django_assert_max_num_queries(12) as requetes_2:
        demo.get(f"structures/{demo.commune.uuid}/services", demo.fournisseur)
    Service.objects.bulk_create(Service(structure=demo.commune, code=f"S{i:02d}", libelle="Autre") for i in range(10))
    with django_assert_max_num_queries(len(requetes_2)):
        corps = demo.get(f"structures/{demo.commune.uuid}/services", demo.fournisseur, nbResultatsParPage=50).json()
    assert len(corps["listeServices"]) == 12


def test_les_pieces_jointes_de_sa_structure(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    piece = piece_jointe_ajouter(
        structure=demo.fournisseur,
        par=demo.gestionnaire(demo.fournisseur),
        fichier=SimpleUploadedFile("kbis.pdf", b"%PDF-1.4 Kbis", content_type="application/pdf"),
    )
    liste = demo.get(f"structures/{demo.fournisseur.uuid}/pieces_jointes", demo.fournisseur)
    assert liste.status_code == 200, liste.content
    (ligne,) = liste.json()["listePiecesJointes"]
    assert ligne["uuid"] == str(piece.uuid)
    assert (ligne["pieceJointeNom"], ligne["pieceJointeExtension"]) == ("kbis.pdf", "pdf")
    assert ligne["pieceJointeTypeMime"] == "application/pdf"
    une = demo.get(f"structures/{demo.fournisseur.uuid}/pieces_jointes/{piece.uuid}", demo.fournisseur)
    assert une.status_code == 200
    assert base64.b64decode(une.json()["pieceJointeFichier"]) == b"%PDF-1.4 Kbis"
    # the commune's account learns nothing of it; nor of a public structure's attachments
    assert demo.get(f"structures/{demo.fournisseur.uuid}/pieces_jointes/{piece.uuid}", demo.commune).status_code == 404
    assert demo.get(f"structures/{demo.commune.uuid}/pieces_jointes", demo.fournisseur).status_code == 404
    # an attachment of another structure, asked through one's own structure
    assert demo.get(f"structures/{demo.commune.uuid}/pieces_jointes/{piece.uuid}", demo.commune).status_code == 404
    aucune = demo.get(f"structures/{demo.commune.uuid}/pieces_jointes", demo.commune).json()
    assert aucune["codeRetour"] == enveloppe.AUCUN_RESULTAT


# --- parametres-edi ------------------------------------------------------------------------------------------------


def test_patch_parametres_edi_passe_par_le_delai(demo):
    chemin = f"structures/{demo.fournisseur.uuid}/parametres-edi"
    reponse = demo.patch(chemin, {"reception_edi": True, "connexion_edi": True}, demo.fournisseur)
    assert reponse.status_code == 200, reponse.content
    corps = reponse.json()
    # still the current values: the change is pending until its time
    assert corps["parametresEdi"] == {"reception_edi": False, "connexion_edi": False}
    assert corps["modificationEnAttente"]["parametresEdi"] == {"reception_edi": True, "connexion_edi": True}
    modification = ModificationDifferee.objects.get(operation="structure.modifier", object_id=str(demo.fournisseur.pk))
    assert modification.effective_le.isoformat() == corps["modificationEnAttente"]["effectiveLe"]
    _appliquer(modification)
    lue = demo.get(f"structures/{demo.fournisseur.uuid}", demo.fournisseur).json()
    assert lue["parametresEdi"] == {"reception_edi": True, "connexion_edi": True}
    assert (lue["recevoirCyclesViesEdi"], lue["emetteurFluxEdi"]) == (True, True)
    trouvee = demo.post("structures/recherche", {"recevoirCyclesViesEdi": True}, demo.fournisseur).json()
    assert [s["uuid"] for s in trouvee["listeStructures"]] == [str(demo.fournisseur.uuid)]


def test_patch_parametres_edi_refuse_une_valeur_qui_n_est_pas_un_booleen(demo):
    chemin = f"structures/{demo.fournisseur.uuid}/parametres-edi"
    reponse = demo.patch(chemin, {"reception_edi": "oui"}, demo.fournisseur)
    assert reponse.status_code == 400
    assert reponse.json()["champ"] == "reception_edi"
    assert "reception_edi" in reponse.json()["libelle"]
    vide = demo.patch(chemin, {}, demo.fournisseur)
    assert vide.status_code == 400
    assert not ModificationDifferee.objects.filter(operation="structure.modifier").exists()
    assert demo.client.get(f"{RACINE}/{chemin}", **demo.entetes(demo.fournisseur)).status_code == 405


def test_patch_parametres_edi_d_une_autre_structure_404(demo):
    # even a public structure, which the account may read
    reponse = demo.patch(f"structures/{demo.commune.uuid}/parametres-edi", {"reception_edi": True}, demo.fournisseur)
    assert reponse.status_code == 404
    assert reponse.json()["codeRetour"] == enveloppe.INTROUVABLE
    assert not ModificationDifferee.objects.filter(operation="structure.modifier").exists()


# --- structures/recherche ------------------------------------------------------------------------------------------


def test_rechercher_par_identifiant_et_par_libelle(demo):
    par_identifiant = demo.post("structures/recherche", {"identifiant": demo.commune.identifiant}, demo.fournisseur)
    assert par_identifiant.status_code == 200, par_identifiant.content
    (trouvee,) = par_identifiant.json()["listeStructures"]
    assert trouvee["uuid"] == str(demo.commune.uuid)
    par_libelle = demo.post(
        "structures/recherche",
        {"libelleOrganisation": "commune de dém", "typeOrganisation": "public", "status": "active"},
        demo.fournisseur,
    ).json()
    assert [s["libelleOrganisation"] for s in par_libelle["listeStructures"]] == [COMMUNE]
    assert par_libelle["parametresRetour"]["total"] == 1
    tva = demo.post(
        "structures/recherche", {"numeroTvaIntracommunautaire": demo.fournisseur.numero_tva}, demo.fournisseur
    ).json()
    assert [s["uuid"] for s in tva["listeStructures"]] == [str(demo.fournisseur.uuid)]


def test_rechercher_ne_trouve_pas_la_structure_privee_d_un_autre(demo):
    corps = {"identifiant": demo.fournisseur.identifiant}
    assert len(demo.post("structures/recherche", corps, demo.fournisseur).json()["listeStructures"]) == 1
    reponse = demo.post("structures/recherche", corps, demo.commune).json()
    assert reponse["codeRetour"] == enveloppe.AUCUN_RESULTAT
    assert reponse["listeStructures"] == []


def test_rechercher_par_statut(demo):
    def uuids(corps):
        return {s["uuid"] for s in demo.post("structures/recherche", corps, demo.commune).json()["listeStructures"]}

    assert str(demo.commune.uuid) in uuids({"status": "active", "typeOrganisation": "public"})
    assert uuids({"status": "inactive"}) == set()
    nouvelle = structure_creer(
        par=demo.gestionnaire(demo.commune), type_identifiant=TypeIdentifiant.SIRET, identifiant="21750001600019",
        raison_sociale="Ville nouvelle", est_publique=True,
    )  # fmt: skip
    assert nouvelle.statut == StatutStructure.EN_ATTENTE_VALIDATION
    # a public structure awaiting the support's validation is not yet in the directory
    assert uuids({"status": "activation in progress"}) == set()
    assert uuids({"identifiant": "21750001600019"}) == set()


@pytest.mark.parametrize(
    ("corps", "champ"),
    [
        ({"typeOrganisation": "publique"}, "typeOrganisation"),
        ({"status": "ACTIF"}, "status"),
        ({"typeIdentifiant": "NIR"}, "typeIdentifiant"),
        ({"uuid": "123"}, "uuid"),
        ({"estMOAUniquement": "oui"}, "estMOAUniquement"),
        ({"parametres": {"nbResultatsParPage": 0}}, "parametres.nbResultatsParPage"),
        ({"derniereMaj": "hier"}, "derniereMaj"),
        ({"derniereMaj": "2026-13-01"}, "derniereMaj"),
    ],
)
def test_rechercher_des_criteres_invalides_nomment_le_champ(demo, corps, champ):
    reponse = demo.post("structures/recherche", corps, demo.fournisseur)
    assert reponse.status_code == 400
    assert reponse.json()["champ"] == champ
    assert reponse.json()["codeRetour"] == enveloppe.DONNEES_INVALIDES


def test_rechercher_des_criteres_que_le_portail_n_enregistre_pas(demo):
    def total(corps):
        return demo.post("structures/recherche", corps, demo.fournisseur).json()["parametresRetour"]["total"]

    tout = total({})
    assert tout >= 2
    assert total({"estCentreGestionAgricole": False}) == tout
    assert total({"estCentreGestionAgricole": True}) == 0
    assert total({"numeroPacage": "123"}) == 0
    assert total({"nonDiffusibleInsee": False}) == tout
    assert total({"avecMOA": True}) + total({"avecMOA": False}) == tout


def test_rechercher_des_requetes_en_nombre_fixe(demo, django_assert_max_num_queries):
    demo.post("structures/recherche", {}, demo.fournisseur)
    with django_assert_max_num_queries(12) as requetes:
        demo.post(
            "structures/recherche", {"typeOrganisation": "public", "derniereMaj": "2020-01-01"}, demo.fournisseur
        )
    gp = demo.gestionnaire(demo.fournisseur)
    for i in range(8):
        s = Structure.objects.create(
            identifiant=f"9{i:013d}", raison_sociale=f"Mairie {i}", est_publique=True, statut=StatutStructure.ACTIVE
        )
        assert s.uuid
    with django_assert_max_num_queries(len(requetes)):
        corps = demo.post(
            "structures/recherche",
            {"typeOrganisation": "public", "derniereMaj": "2020-01-01", "parametres": {"nbResultatsParPage": 50}},
            demo.fournisseur,
        ).json()
    assert len(corps["listeStructures"]) >= 10
    assert gp  # the demo's gestionnaire is untouched


def test_derniere_maj_suit_les_modifications_et_se_recherche(demo):
    """derniereMaj moves when the structure is saved through the services, the delayed change included (applied at
    its time), and `derniereMaj` in the search keeps the structures modified since a date or an instant."""
    avant = demo.get(f"structures/{demo.fournisseur.uuid}", demo.fournisseur).json()["derniereMaj"]
    demo.patch(f"structures/{demo.fournisseur.uuid}/parametres-edi", {"reception_edi": True}, demo.fournisseur)
    modification = ModificationDifferee.objects.get(operation="structure.modifier", object_id=str(demo.fournisseur.pk))
    _appliquer(modification)
    demo.fournisseur.refresh_from_db()
    assert demo.fournisseur.modifie_le > modification.effective_le
    lue = demo.get(f"structures/{demo.fournisseur.uuid}", demo.fournisseur).json()
    assert lue["derniereMaj"] == demo.fournisseur.modifie_le.isoformat() != avant

    def uuids(corps, par=demo.fournisseur):
        reponse = demo.post("structures/recherche", corps, par)
        assert reponse.status_code == 200, reponse.content
        return {s["uuid"] for s in reponse.json()["listeStructures"]}

    depuis = modification.effective_le.isoformat()
    assert uuids({"derniereMaj": depuis}) == {str(demo.fournisseur.uuid)}
    # a date: from that day's midnight (the demo's structures were all saved today)
    aujourd_hui = timezone.localdate(datetime.fromisoformat(avant)).isoformat()
    assert {str(demo.fournisseur.uuid), str(demo.commune.uuid)} <= uuids({"derniereMaj": aujourd_hui})
    # another structure's account does not find the private supplier, modified or not
    assert uuids({"derniereMaj": depuis}, par=demo.commune) == set()
    # the fiche's change made on the portal, applied at its time, moves the public commune's
    with time_machine.travel(modification.effective_le + timedelta(days=1)):
        fiche = structure_modifier(structure=demo.commune, par=demo.gestionnaire(demo.commune), telephone="0102030405")
    _appliquer(fiche)
    demo.commune.refresh_from_db()
    assert demo.commune.telephone == "0102030405"
    assert demo.commune.modifie_le > fiche.effective_le
    assert uuids({"derniereMaj": fiche.effective_le.isoformat()}, par=demo.commune) == {str(demo.commune.uuid)}


# --- services ------------------------------------------------------------------------------------------------------


def test_consulter_un_service(demo):
    service = Service.objects.get(structure=demo.commune, code="SERVICE-TRAVAUX")
    reponse = demo.get(f"services/{service.uuid}", demo.fournisseur)
    assert reponse.status_code == 200, reponse.content
    corps = reponse.json()
    assert (corps["codeService"], corps["libelleService"]) == ("SERVICE-TRAVAUX", "Direction des travaux")
    assert corps["numeroEjDoitEtreRenseigne"] is True
    assert corps["structure"]["identifiant"] == demo.commune.identifiant


def test_le_service_d_une_structure_privee_n_est_vu_que_de_ses_comptes(demo):
    service = _service_prive(demo)
    assert demo.get(f"services/{service.uuid}", demo.fournisseur).status_code == 200
    reponse = demo.get(f"services/{service.uuid}", demo.commune)
    assert reponse.status_code == 404
    assert reponse.json()["codeRetour"] == enveloppe.INTROUVABLE
    trouves = demo.post("services/recherche", {"codeService": "VENTES"}, demo.commune).json()
    assert trouves["listeServices"] == []


def test_rechercher_des_services(demo, django_assert_max_num_queries):
    corps = demo.post("services/recherche", {"identifiantStructure": demo.commune.identifiant}, demo.fournisseur)
    assert corps.status_code == 200, corps.content
    assert [s["codeService"] for s in corps.json()["listeServices"]] == ["SERVICE-ACHATS", "SERVICE-TRAVAUX"]
    par_code = demo.post("services/recherche", {"codeService": "service-achats"}, demo.fournisseur).json()
    assert [s["libelleService"] for s in par_code["listeServices"]] == ["Service des achats"]
    par_libelle = demo.post("services/recherche", {"libelleService": "direction des"}, demo.fournisseur).json()
    assert "SERVICE-TRAVAUX" in [s["codeService"] for s in par_libelle["listeServices"]]
    supprimes = demo.post("services/recherche", {"statut": "SUPPRIME"}, demo.fournisseur).json()
    assert supprimes["codeRetour"] == enveloppe.AUCUN_RESULTAT
    mauvais = demo.post("services/recherche", {"statut": "FERME"}, demo.fournisseur)
    assert mauvais.status_code == 400
    assert mauvais.json()["champ"] == "statut"
    # as many queries for 2 services as for 12
    filtre = {"uuidStructure": str(demo.commune.uuid), "parametres": {"nbResultatsParPage": 50}}
    with django_assert_max_num_queries(12) as requetes:
        demo.post("services/recherche", filtre, demo.fournisseur)
    Service.objects.bulk_create(Service(structure=demo.commune, code=f"S{i:02d}", libelle="Autre") for i in range(10))
    with django_assert_max_num_queries(len(requetes)):
        assert len(demo.post("services/recherche", filtre, demo.fournisseur).json()["listeServices"]) == 12


# --- creerService --------------------------------------------------------------------------------------------------


def _donner_organisation(demo, structure):
    """The gestionnaire gives the structure's technical account « Organisation – modification », on the portal."""
    compte = CompteTechnique.objects.get(structure=structure)
    technique = Utilisateur.objects.get(pk=compte.utilisateur_id)
    rattachement = Rattachement.objects.get(utilisateur=technique, structure=structure)
    profils = [(h.application, h.niveau, None) for h in rattachement.habilitations.all()]
    modification = habilitations_modifier(
        rattachement=rattachement,
        par=demo.gestionnaire(structure),
        habilitations=[*profils, (Application.ORGANISATION, Niveau.MODIFICATION, None)],
    )
    _appliquer(modification)


CREATION = {"codeService": "compta", "libelleService": "Comptabilité", "dateDebutValidite": "2027-01-01"}


def test_creer_un_service(demo):
    demo.get("healthcheck", demo.commune)  # the technical account's user exists from its first call
    _donner_organisation(demo, demo.commune)
    reponse = demo.post("services", {**CREATION, "uuidStructure": str(demo.commune.uuid)}, demo.commune)
    assert reponse.status_code == 200, reponse.content
    corps = reponse.json()
    assert corps["codeService"] == "COMPTA"
    assert corps["uuidStructure"] == str(demo.commune.uuid)
    deux_fois = demo.post("services", {**CREATION, "uuidStructure": str(demo.commune.uuid)}, demo.commune)
    assert deux_fois.status_code == 400
    assert deux_fois.json()["champ"] == "codeService"
    assert "déjà en attente" in deux_fois.json()["libelle"]
    # pending until its time, as on the portal
    assert demo.get(f"services/{corps['uuid']}", demo.commune).status_code == 404
    _appliquer(ModificationDifferee.objects.get(operation="service.creer"))
    cree = demo.get(f"services/{corps['uuid']}", demo.fournisseur).json()
    assert (cree["codeService"], cree["libelleService"], cree["dateDebutValidite"]) == (
        "COMPTA",
        "Comptabilité",
        "2027-01-01",
    )


def test_creer_un_service_sans_le_profil_organisation_est_refuse(demo):
    reponse = demo.post("services", {**CREATION, "uuidStructure": str(demo.commune.uuid)}, demo.commune)
    assert reponse.status_code == 422
    assert reponse.json()["codeRetour"] == enveloppe.TRAITEMENT_REFUSE
    assert not ModificationDifferee.objects.filter(operation="service.creer").exists()


@pytest.mark.parametrize(
    ("corps", "champ"),
    [
        ({"libelleService": ""}, "libelleService"),
        ({"codeService": None}, "codeService"),
        ({"dateDebutValidite": "01/01/2027"}, "dateDebutValidite"),
        ({"estActif": "oui"}, "estActif"),
        ({"codeService": "X" * 101}, "codeService"),
        ({"uuidStructure": "abc"}, "uuidStructure"),
        ({"dateDebutValidite": "2027-02-01", "dateFinValidite": "2027-01-01"}, "dateFinValidite"),
        ({"libelleService": "   "}, "libelleService"),
    ],
)
def test_creer_un_service_mal_decrit_nomme_le_champ(demo, corps, champ):
    demo.get("healthcheck", demo.commune)
    _donner_organisation(demo, demo.commune)
    reponse = demo.post("services", {**CREATION, "uuidStructure": str(demo.commune.uuid), **corps}, demo.commune)
    assert reponse.status_code == 400, reponse.content
    assert reponse.json()["champ"] == champ
    assert not ModificationDifferee.objects.filter(operation="service.creer").exists()


def test_creer_un_service_dans_une_autre_structure_404(demo):
    reponse = demo.post("services", {**CREATION, "uuidStructure": str(demo.commune.uuid)}, demo.fournisseur)
    assert reponse.status_code == 404
    assert not ModificationDifferee.objects.filter(operation="service.creer").exists()
