import csv
import io

import pytest
from django.urls import reverse
from lxml import etree

from organisation.enums import Application, Niveau, StatutStructure
from organisation.matelas import siret_fictif
from organisation.models import Service, Structure
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

ANNUAIRE = reverse("organisation:annuaire")
CSV = reverse("organisation:annuaire_csv")
XML = reverse("organisation:annuaire_xml")


def publique(raison_sociale=None, identifiant=None, **parametres):
    structure = StructureFactory(est_publique=True, raison_sociale=raison_sociale, identifiant=identifiant)
    Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.ACTIVE, **parametres)
    structure.refresh_from_db()
    return structure


@pytest.fixture
def monde(db):
    mairie = publique("Mairie de Rennes", siret_fictif(1), code_service_obligatoire=True, ville="Rennes")
    Service.objects.create(structure=mairie, code="FACT", libelle="Service facturier", engagement_obligatoire=True)
    Service.objects.create(structure=mairie, code="TECH", libelle="Services techniques")
    Service.objects.create(structure=mairie, code="ANCIEN", libelle="Service fermé", actif=False)
    hopital = publique("Centre hospitalier de Brest", siret_fictif(2))
    privee = StructureFactory(raison_sociale="Mairie Conseil SARL", identifiant=siret_fictif(3))
    en_attente = StructureFactory(est_publique=True, raison_sociale="Mairie de Quimper", identifiant=siret_fictif(4))
    inactive = publique("Mairie dissoute", siret_fictif(5))
    Structure.objects.filter(pk=inactive.pk).update(statut=StatutStructure.INACTIVE)
    return locals()


@pytest.fixture
def client_connecte(client, utilisateur):
    return connecter(client, utilisateur)


def test_anonyme_renvoye_a_la_connexion(client, monde):
    for url in (ANNUAIRE, reverse("organisation:annuaire_structure", args=[monde["mairie"].pk]), CSV, XML):
        reponse = client.get(url)
        assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")


def test_tout_utilisateur_connecte_voit_les_seules_structures_publiques_actives(client_connecte, monde):
    contenu = client_connecte.get(ANNUAIRE).content.decode()
    assert "Mairie de Rennes" in contenu and "Centre hospitalier de Brest" in contenu
    assert "2 structures publiques" in contenu
    for absente in ("Mairie Conseil SARL", "Mairie de Quimper", "Mairie dissoute"):
        assert absente not in contenu


def test_recherche_par_siret_entier_ou_partiel_et_avec_espaces(client_connecte, monde):
    siret = monde["mairie"].identifiant
    for recherche in (siret, siret[:9], f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"):
        contenu = client_connecte.get(ANNUAIRE, {"q": recherche}).content.decode()
        assert "Mairie de Rennes" in contenu and "Centre hospitalier" not in contenu, recherche


def test_recherche_par_partie_du_nom_sans_tenir_compte_de_la_casse(client_connecte, monde):
    contenu = client_connecte.get(ANNUAIRE, {"q": "MAIRIE"}).content.decode()
    assert "Mairie de Rennes" in contenu
    assert "1 structure publique pour « MAIRIE »" in contenu
    for absente in ("Mairie Conseil SARL", "Mairie de Quimper", "Mairie dissoute", "Centre hospitalier"):
        assert absente not in contenu
    contenu = client_connecte.get(ANNUAIRE, {"q": "hospitalier de"}).content.decode()
    assert "Centre hospitalier de Brest" in contenu and "Mairie de Rennes" not in contenu


def test_une_structure_privee_n_est_pas_trouvee_meme_par_son_siret(client_connecte, monde):
    contenu = client_connecte.get(ANNUAIRE, {"q": monde["privee"].identifiant}).content.decode()
    assert "Mairie Conseil SARL" not in contenu
    assert "Aucune structure publique ne correspond" in contenu


def test_tri_par_nom_et_par_identifiant(client_connecte, monde):
    def ordre(tri):
        page = client_connecte.get(ANNUAIRE, {"tri": tri}).context["page_obj"]
        return [s.raison_sociale for s in page]

    assert ordre("nom") == ["Centre hospitalier de Brest", "Mairie de Rennes"]
    assert ordre("-nom") == ["Mairie de Rennes", "Centre hospitalier de Brest"]
    assert ordre("identifiant") == ["Mairie de Rennes", "Centre hospitalier de Brest"]
    assert ordre("-identifiant") == ["Centre hospitalier de Brest", "Mairie de Rennes"]
    assert ordre("n'importe quoi") == ordre("nom")


def test_pagination(client_connecte, db):
    for i in range(25):
        publique(f"Commune {i:02d}", siret_fictif(100 + i))
    page1 = client_connecte.get(ANNUAIRE).context["page_obj"]
    page2 = client_connecte.get(ANNUAIRE, {"page": 2}).context["page_obj"]
    assert len(page1) == 20 and len(page2) == 5
    assert {s.pk for s in page1}.isdisjoint({s.pk for s in page2})


def test_fiche_d_une_structure_publique(client_connecte, monde):
    reponse = client_connecte.get(reverse("organisation:annuaire_structure", args=[monde["mairie"].pk]))
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert monde["mairie"].identifiant in contenu and "Rennes" in contenu
    parametres = dict(reponse.context["parametres"])
    assert parametres == {
        "Code service doit être renseigné": True,
        "Numéro d'engagement doit être renseigné": False,
        "Gestion numéro d'engagement ou code service": False,
        "Statut mise en paiement non remonté": False,
        "MOA uniquement": False,
    }
    assert "FACT" in contenu and "Service facturier" in contenu and "TECH" in contenu
    assert "ANCIEN" not in contenu  # inactive service


@pytest.mark.parametrize("cle", ["privee", "en_attente", "inactive"])
def test_fiche_absente_pour_une_structure_privee_en_attente_ou_inactive(client, monde, cle):
    # even for its own gestionnaire principal: the directory lists public recipients only
    gp = monde[cle].rattachements.get().utilisateur
    connecter(client, gp)
    assert client.get(reverse("organisation:annuaire_structure", args=[monde[cle].pk])).status_code == 404


def test_un_utilisateur_rattache_en_consultation_voit_l_annuaire_comme_tout_le_monde(client, monde):
    lecteur = UtilisateurFactory()
    rattacher(lecteur, monde["privee"], (Application.ORGANISATION, Niveau.CONSULTATION))
    connecter(client, lecteur)
    assert "Mairie Conseil SARL" not in client.get(ANNUAIRE).content.decode()
    assert client.get(reverse("organisation:annuaire_structure", args=[monde["mairie"].pk])).status_code == 200


def _telecharger(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 200 and reponse.streaming
    return reponse, b"".join(reponse.streaming_content)


def test_csv_une_ligne_par_structure_publique_avec_services_et_parametres(client_connecte, monde):
    reponse, contenu = _telecharger(client_connecte, CSV)
    assert reponse["Content-Type"].startswith("text/csv")
    assert "attachment" in reponse["Content-Disposition"] and ".csv" in reponse["Content-Disposition"]
    lignes = list(csv.DictReader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    assert [ligne["Raison sociale"] for ligne in lignes] == ["Mairie de Rennes", "Centre hospitalier de Brest"]
    mairie = lignes[0]
    assert mairie["Identifiant"] == monde["mairie"].identifiant and mairie["Type d'identifiant"] == "SIRET"
    assert mairie["Code service doit être renseigné"] == "Oui"
    assert mairie["Numéro d'engagement doit être renseigné"] == "Non"
    assert mairie["Services actifs"] == (
        "FACT : Service facturier (numéro d'engagement obligatoire) | TECH : Services techniques"
    )
    assert b"Mairie Conseil" not in contenu and b"Quimper" not in contenu and b"dissoute" not in contenu


def test_csv_neutralise_les_formules(client_connecte, db):
    publique('=HYPERLINK("http://x")', siret_fictif(9))
    _, contenu = _telecharger(client_connecte, CSV)
    ligne = next(csv.DictReader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    assert ligne["Raison sociale"] == '\'=HYPERLINK("http://x")'


def test_xml_echappe_et_complet(client_connecte, monde):
    nom = 'Syndicat "Eau & Assainissement" <Ouest> \x01'
    publique(nom, siret_fictif(6))
    reponse, contenu = _telecharger(client_connecte, XML)
    assert reponse["Content-Type"].startswith("application/xml")
    assert b"Eau &amp; Assainissement" in contenu and b"&lt;Ouest&gt;" in contenu
    racine = etree.fromstring(contenu)  # well-formed despite the special characters
    assert racine.tag == "annuaireDestinataires"
    destinataires = {d.findtext("identifiantStructure"): d for d in racine.findall("destinataire")}
    assert set(destinataires) == {monde["mairie"].identifiant, monde["hopital"].identifiant, siret_fictif(6)}
    assert destinataires[siret_fictif(6)].findtext("raisonSociale") == 'Syndicat "Eau & Assainissement" <Ouest> '
    mairie = destinataires[monde["mairie"].identifiant]
    assert mairie.findtext("typeIdentifiantStructure") == "SIRET"
    assert mairie.findtext("parametres/codeServiceDoitEtreRenseigne") == "true"
    assert mairie.findtext("parametres/numeroEJDoitEtreRenseigne") == "false"
    services = [
        (s.findtext("codeService"), s.findtext("numeroEngagement")) for s in mairie.findall("services/service")
    ]
    assert services == [("FACT", "true"), ("TECH", "false")]
    assert mairie.findtext("adressePostale/ville") == "Rennes"
    assert b"Mairie Conseil" not in contenu and b"Quimper" not in contenu and b"dissoute" not in contenu


def _creer_publiques(n):
    for i in range(n):
        structure = publique(f"Commune {i:02d}", siret_fictif(200 + i))
        Service.objects.create(structure=structure, code="A", libelle="Service A")
        Service.objects.create(structure=structure, code="B", libelle="Service B")


@pytest.mark.parametrize("nombre", [2, 15])
def test_liste_en_nombre_de_requetes_constant(client_connecte, django_assert_max_num_queries, nombre):
    _creer_publiques(nombre)
    with django_assert_max_num_queries(11):  # +1: the header's menus (chorus/menus.py)
        reponse = client_connecte.get(ANNUAIRE)
    assert len(reponse.context["page_obj"]) == nombre


@pytest.mark.parametrize("url", [CSV, XML])
@pytest.mark.parametrize("nombre", [2, 15])
def test_telechargements_en_nombre_de_requetes_constant(client_connecte, django_assert_max_num_queries, nombre, url):
    _creer_publiques(nombre)
    with django_assert_max_num_queries(10):
        _, contenu = _telecharger(client_connecte, url)
    assert contenu.count(b"Commune ") == nombre
