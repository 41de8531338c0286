"""The header's menus and the home page's spaces show what the user's profiles open, and every entry they show
opens: for each account of the demo (loaded as `make run` loads it), for a fresh account without a structure, and for
narrower profiles than the demo's gestionnaires hold."""

import io

import lxml.html
import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure
from organisation.matelas import COMPTES
from organisation.models import Utilisateur
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

EMISES, RECUES, TRAVAUX = Application.FACTURES_EMISES, Application.FACTURES_RECUES, Application.FACTURES_TRAVAUX
CONSULT, MODIF = Niveau.CONSULTATION, Niveau.MODIFICATION


def _texte(noeud):
    return " ".join(noeud.text_content().split())


def menus(html):
    """{menu title: [entry labels]} of the main navigation (the « Accueil » link aside)."""
    doc = lxml.html.fromstring(html)
    resultat = {}
    for item in doc.xpath('//nav[@id="fr-navigation"]/ul/li[button]'):
        titre = _texte(item.xpath("./button")[0])
        resultat[titre] = [_texte(a) for a in item.xpath(".//a")]
    return resultat


def liens_des_menus(html):
    doc = lxml.html.fromstring(html)
    return {a.get("href") for a in doc.xpath('//nav[@id="fr-navigation"]//a')}


def tuiles(html):
    doc = lxml.html.fromstring(html)
    return {_texte(a): a.get("href") for a in doc.xpath('//div[@id="espaces"]//h3/a')}


def publique_active(**kwargs):
    """A public structure as after the support's validation."""
    structure = StructureFactory(est_publique=True, **kwargs)
    structure.statut = StatutStructure.ACTIVE
    structure.save(update_fields=["statut"])
    return structure


def page_de(client, utilisateur, url="/"):
    connecter(client, utilisateur)
    reponse = client.get(url)
    assert reponse.status_code == 200
    return reponse.content.decode()


FACTURATION_FOURNISSEUR = [
    "Saisir une facture",
    "Déposer une facture",
    "Factures en brouillon",
    "Factures émises",
    "Factures à valider",
]
FACTURATION_ENTITE = [
    "Saisir une facture",
    "Déposer une facture",
    "Factures en brouillon",
    "Factures émises",
    "Factures reçues",
    "Factures à valider",
    "Gérer délégation des factures reçues",
]
TRAVAUX_TOUT = [
    "Synthèse",
    "Rechercher",
    "Déposer",
    "Pièces en brouillon",
    "Pièces à associer à une MOE",
    "Tableau de bord (stock)",
    "Liste fiscale",
    "Archives",
]
RACCORDEMENT_TOUT = ["Suivi des flux", "Comptes techniques et raccordements", "Documentation de l'API"]
ORGANISATION_GESTIONNAIRE = [
    "Mes structures",
    "Utilisateurs",
    "Créer une nouvelle structure",
    "Demander un rattachement à une structure",
    "Approbations",
    "Transférer le gestionnaire principal",
    "Annuaire des destinataires",
]
ORGANISATION_SANS_STRUCTURE = [
    "Créer une nouvelle structure",
    "Demander un rattachement à une structure",
    "Annuaire des destinataires",
]
SUPPORT_CONNECTE = ["Suivi des tickets", "Saisir une sollicitation", "Accessibilité", "Boîte mail de démonstration"]
SUPPORT_TRAITANT = [
    "Suivi des tickets",
    "Saisir une sollicitation",
    "Sollicitations reçues",
    "Accessibilité",
    "Boîte mail de démonstration",
]
AGENT = [
    "Structures publiques à valider",
    "Utilisateurs",
    "File des sollicitations",
    "Catégories des sollicitations",
    "Réponses types",
]


def _gestionnaire(facturation):
    return {
        "Facturation": facturation,
        "Factures de travaux": TRAVAUX_TOUT,
        "Raccordement": RACCORDEMENT_TOUT,
        "Organisation": ORGANISATION_GESTIONNAIRE,
        "SUPPORT": SUPPORT_TRAITANT,
        "COMMUNICATION": ["Mes messages", "Mes exports", "Notes de version"],
    }


TUILES_FOURNISSEUR = {
    "Factures émises",
    "Factures à valider",
    "Factures de travaux",
    "Raccordement",
    "Organisation",
    "Sollicitations",
    "Annuaire des destinataires",
}
TUILES_ENTITE = TUILES_FOURNISSEUR | {"Factures reçues"}
# a public entity publishes its engagements juridiques (the suppliers' Commande pages come later)
COMMANDE_ENTITE = {"Commande": ["Engagements juridiques", "Charger des engagements"]}

# Each demo account is the gestionnaire principal of its structure, so it holds every profile there: what tells them
# apart is the structure's nature (a private one receives no invoice) and the support agent's role.
ATTENDUS = {
    "fournisseur": (_gestionnaire(FACTURATION_FOURNISSEUR), TUILES_FOURNISSEUR),
    "entite_publique": (_gestionnaire(FACTURATION_ENTITE) | COMMANDE_ENTITE, TUILES_ENTITE),
    "moe": (_gestionnaire(FACTURATION_FOURNISSEUR), TUILES_FOURNISSEUR),
    "moa": (_gestionnaire(FACTURATION_ENTITE) | COMMANDE_ENTITE, TUILES_ENTITE),
    "cotraitant": (_gestionnaire(FACTURATION_FOURNISSEUR), TUILES_FOURNISSEUR),
    "sous_traitant": (_gestionnaire(FACTURATION_FOURNISSEUR), TUILES_FOURNISSEUR),
    "agent_support": (
        {
            "Raccordement": ["Documentation de l'API"],
            "Organisation": ORGANISATION_SANS_STRUCTURE,
            "Espace support": AGENT,
            "SUPPORT": SUPPORT_CONNECTE,
            "COMMUNICATION": ["Mes messages", "Mes exports", "Notes de version"],
        },
        {"Espace support", "Sollicitations", "Annuaire des destinataires"},
    ),
}


@pytest.fixture(scope="module")
def matelas(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module by the command `make run` uses, and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("charger_matelas", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("role", list(ATTENDUS))
def test_chaque_compte_de_demonstration_voit_ce_que_ses_profils_ouvrent(matelas, db, client, settings, role):
    settings.DEMO = True
    compte = next(c for c in COMPTES if c.role == role)
    html = page_de(client, Utilisateur.objects.get(email=compte.login))
    attendus_menus, attendues_tuiles = ATTENDUS[role]
    assert menus(html) == attendus_menus
    assert set(tuiles(html)) == attendues_tuiles
    assert "Ouverture prochaine" not in html
    assert 'id="sans-structure"' not in html and 'id="premiere-connexion"' not in html
    # nothing promised is closed: every entry and every space opens (a one-structure list redirects to it)
    for url in sorted(liens_des_menus(html) | set(tuiles(html).values())):
        reponse = client.get(url, follow=True)
        assert reponse.status_code == 200, url


def test_un_compte_sans_structure_ne_voit_que_ce_qui_le_concerne(client, db, settings):
    settings.DEMO = True
    nouveau = UtilisateurFactory()
    html = page_de(client, nouveau)
    assert menus(html) == {
        "Raccordement": ["Documentation de l'API"],
        "Organisation": ORGANISATION_SANS_STRUCTURE,
        "SUPPORT": SUPPORT_CONNECTE,
        "COMMUNICATION": ["Mes messages", "Mes exports", "Notes de version"],
    }
    assert set(tuiles(html)) == {"Sollicitations", "Annuaire des destinataires"}
    assert "Félicitations ! Votre compte utilisateur est créé." in html
    # once the first-login panel is closed, the home page still says how to get a structure
    client.post(reverse("fermer_panneau"))
    html = client.get("/").content.decode()
    encart = lxml.html.fromstring(html).xpath('//*[@id="sans-structure"]')[0]
    assert "Votre compte n'est rattaché à aucune structure" in _texte(encart)
    assert {a.get("href") for a in encart.xpath(".//a")} == {
        reverse("organisation:creer_structure"),
        reverse("organisation:demander_rattachement"),
    }
    for url in liens_des_menus(html) | set(tuiles(html).values()):
        assert client.get(url, follow=True).status_code == 200, url


def test_une_demande_de_rattachement_en_attente_est_rappelee(client, db):
    structure = StructureFactory(raison_sociale="Menuiserie Dubois")
    demandeur = UtilisateurFactory()
    rattacher(demandeur, structure, statut=StatutRattachement.EN_ATTENTE)
    html = page_de(client, demandeur)
    assert "Facturation" not in menus(html)
    assert (
        "Votre demande de rattachement à « Menuiserie Dubois » attend l'approbation d'un gestionnaire de cette "
        "structure." in " ".join(html.split())
    )


def test_les_menus_suivent_le_niveau_et_la_portee_des_profils(client, db):
    fournisseur = StructureFactory()
    commune = publique_active()
    service = commune.services.create(code="ACHATS", libelle="Achats")
    lecteur = UtilisateurFactory()
    rattacher(lecteur, fournisseur, (EMISES, CONSULT), (RECUES, MODIF))  # « reçues » on a private structure
    rattacher(lecteur, commune, (RECUES, CONSULT, service))
    html = page_de(client, lecteur)
    assert menus(html)["Facturation"] == ["Factures émises", "Factures reçues"]
    assert "Factures de travaux" not in menus(html)
    assert menus(html)["Raccordement"] == ["Suivi des flux", "Documentation de l'API"]
    assert menus(html)["Organisation"] == ["Mes structures", *ORGANISATION_SANS_STRUCTURE]
    assert set(tuiles(html)) == {
        "Factures émises",
        "Factures reçues",
        "Suivi des flux",
        "Organisation",
        "Sollicitations",
        "Annuaire des destinataires",
    }


def test_un_espace_que_la_structure_n_utilise_pas_n_est_pas_propose(client, db):
    gestionnaire = UtilisateurFactory()
    structure = StructureFactory(gestionnaire=gestionnaire)
    structure.espaces = [Application.FACTURES_EMISES, Application.ORGANISATION]
    structure.save(update_fields=["espaces"])
    html = page_de(client, gestionnaire)
    assert "Factures de travaux" not in menus(html) and "Factures de travaux" not in tuiles(html)
    assert menus(html)["Facturation"] == ["Saisir une facture", "Déposer une facture", "Factures en brouillon",
                                          "Factures émises"]  # fmt: skip


def test_une_structure_publique_en_attente_de_validation_n_ouvre_encore_rien(client, db):
    createur = UtilisateurFactory()
    StructureFactory(gestionnaire=createur, est_publique=True)  # waits for the support
    html = page_de(client, createur)
    assert "Facturation" not in menus(html)
    assert menus(html)["Organisation"] == ["Mes structures", *ORGANISATION_SANS_STRUCTURE]
    assert 'id="sans-structure"' not in html and "Félicitations" not in html


def test_le_menu_organisation_mene_aux_utilisateurs_des_structures_du_gestionnaire(client, db):
    gestionnaire = UtilisateurFactory()
    premiere = StructureFactory(gestionnaire=gestionnaire, raison_sociale="Atelier Alpha")
    html = page_de(client, gestionnaire)
    assert "Utilisateurs" in menus(html)["Organisation"]
    reponse = client.get(reverse("organisation:utilisateurs_structures"))
    assert reponse.status_code == 302 and reponse.url == reverse("organisation:utilisateurs", args=[premiere.pk])

    seconde = StructureFactory(gestionnaire=gestionnaire, raison_sociale="Bureau Bêta")
    autre = StructureFactory(raison_sociale="Structure d'autrui")
    rattacher(gestionnaire, autre, (EMISES, MODIF))  # a user there, not a gestionnaire: not its users
    page = client.get(reverse("organisation:utilisateurs_structures")).content.decode()
    liens = lxml.html.fromstring(page).xpath('//table[@id="structures-utilisateurs"]//a')
    assert [(_texte(a), a.get("href")) for a in liens] == [
        ("Utilisateurs de Atelier Alpha", reverse("organisation:utilisateurs", args=[premiere.pk])),
        ("Utilisateurs de Bureau Bêta", reverse("organisation:utilisateurs", args=[seconde.pk])),
    ]


def test_sans_profil_organisation_pas_d_entree_utilisateurs(client, db):
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, StructureFactory(), (EMISES, MODIF))
    html = page_de(client, utilisateur)
    assert "Utilisateurs" not in menus(html)["Organisation"]
    page = client.get(reverse("organisation:utilisateurs_structures")).content.decode()
    assert "Vous ne pouvez consulter les utilisateurs d'aucune structure" in page


def test_le_menu_de_la_page_courante_est_signale(client, db):
    gestionnaire = UtilisateurFactory()
    StructureFactory(gestionnaire=gestionnaire)
    html = page_de(client, gestionnaire, reverse("organisation:structures"))
    doc = lxml.html.fromstring(html)
    courants = [_texte(b) for b in doc.xpath('//nav[@id="fr-navigation"]//button[@aria-current="true"]')]
    assert courants == ["Organisation"]
    assert [_texte(a) for a in doc.xpath('//nav[@id="fr-navigation"]//a[@aria-current="page"]')] == ["Mes structures"]


@pytest.mark.parametrize("url", ["/", reverse("organisation:mon_compte")])
def test_les_menus_coutent_un_nombre_fixe_de_requetes(client, db, django_assert_max_num_queries, url):
    utilisateur = UtilisateurFactory()
    StructureFactory(gestionnaire=utilisateur)
    connecter(client, utilisateur)
    client.get(url)  # the first request writes the session's activity time
    with django_assert_max_num_queries(9) as une:
        assert client.get(url).status_code == 200
    for n in range(8):
        structure = publique_active() if n % 2 else StructureFactory()
        rattacher(utilisateur, structure, (EMISES, MODIF), (RECUES, CONSULT), (TRAVAUX, CONSULT))
        rattacher(utilisateur, StructureFactory(), statut=StatutRattachement.EN_ATTENTE)
    with django_assert_max_num_queries(len(une.captured_queries)):
        html = client.get(url).content.decode()
    assert "Factures reçues" in menus(html)["Facturation"]
