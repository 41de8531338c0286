"""The header in Chromium at a phone's width and at a desktop's: the brand (logo and service title) keeps its room,
nothing scrolls sideways, the burger opens the menu with the navigation and the tools (the last login among them),
and axe finds nothing. A user without a structure is told on the home page how to create or join one."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_accessibilite import violations
from tests.e2e.test_structures import se_connecter
from tests.factories import StructureFactory, UtilisateurFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TELEPHONE = {"width": 390, "height": 844}
BUREAU = {"width": 1280, "height": 800}


def _mesures(page):
    return page.evaluate(
        """() => {
            const boite = (s) => document.querySelector(s).getBoundingClientRect();
            const titre = document.querySelector('.fr-header__service-title');
            const interligne = parseFloat(getComputedStyle(titre).lineHeight);
            return {
                defilement: document.documentElement.scrollWidth,
                largeur: window.innerWidth,
                marque: boite('.fr-header__brand').width,
                logo: boite('.fr-header__logo').width,
                lignes_titre: Math.round(titre.getBoundingClientRect().height / interligne),
            };
        }"""
    )


def _utilisateur_deja_venu():
    utilisateur = UtilisateurFactory(prenom="Bérénice", nom="Delacroix-Montgolfier")
    utilisateur.connexion_precedente = timezone.now() - datetime.timedelta(days=2)
    utilisateur.save(update_fields=["connexion_precedente"])
    StructureFactory(gestionnaire=utilisateur)
    return utilisateur


def test_entete_sur_un_telephone(live_server, page, client):
    page.set_viewport_size(TELEPHONE)
    se_connecter(page, client, live_server, _utilisateur_deja_venu())
    page.goto(live_server.url + "/")

    mesures = _mesures(page)
    assert mesures["defilement"] <= mesures["largeur"], mesures
    # the brand takes the header's whole row, as the DSFR draws it on a phone
    assert mesures["marque"] >= 0.85 * mesures["largeur"], mesures
    assert mesures["logo"] >= 70, mesures
    assert mesures["lignes_titre"] == 1, mesures
    # the tools (and the last login) wait in the menu: nothing beside the brand
    outils = page.locator(".fr-header__tools-links")
    expect(outils).to_be_hidden()
    expect(outils.get_by_text("Dernière connexion le")).to_be_hidden()
    assert violations(page) == []

    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#menu-mobile")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="Mon compte")).to_be_visible()
    expect(menu.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(menu.get_by_text("Dernière connexion le")).to_be_visible()
    expect(menu.get_by_role("button", name="Facturation")).to_be_visible()
    expect(menu.get_by_role("button", name="Organisation")).to_be_visible()
    mesures = _mesures(page)
    assert mesures["defilement"] <= mesures["largeur"], mesures
    assert violations(page) == []

    menu.get_by_role("button", name="Facturation").click()
    expect(menu.get_by_role("link", name="Factures émises")).to_be_visible()
    menu.get_by_role("button", name="Fermer").click()
    expect(menu).to_be_hidden()


def test_entete_sur_un_ecran_de_bureau(live_server, page, client):
    page.set_viewport_size(BUREAU)
    se_connecter(page, client, live_server, _utilisateur_deja_venu())
    page.goto(live_server.url + "/")

    mesures = _mesures(page)
    assert mesures["defilement"] <= mesures["largeur"], mesures
    assert mesures["marque"] >= 0.25 * mesures["largeur"], mesures
    assert mesures["logo"] >= 70, mesures  # « RÉPUBLIQUE FRANÇAISE » whole, not cut to « RÉPU FRAN »
    assert mesures["lignes_titre"] == 1, mesures
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    outils = page.locator(".fr-header__tools-links")
    expect(outils.get_by_role("link", name="Mon compte")).to_be_visible()
    expect(outils.get_by_text("Dernière connexion le")).to_be_visible()
    # the tools sit beside the brand, not below it
    marque = page.locator(".fr-header__brand").bounding_box()
    lien = outils.get_by_role("link", name="Mon compte").bounding_box()
    assert lien["x"] >= marque["x"] + marque["width"], (marque, lien)
    expect(
        page.get_by_role("navigation", name="Menu principal").get_by_role("button", name="Facturation")
    ).to_be_visible()
    assert violations(page) == []


@pytest.mark.parametrize("taille", [TELEPHONE, BUREAU], ids=["telephone", "bureau"])
def test_sans_structure_l_accueil_dit_comment_en_creer_ou_en_rejoindre_une(live_server, page, client, taille):
    page.set_viewport_size(taille)
    se_connecter(page, client, live_server, UtilisateurFactory())
    page.goto(live_server.url + "/")
    # the spaces a structure opens are not offered
    expect(page.get_by_role("button", name="Facturation")).to_have_count(0)
    expect(page.get_by_role("button", name="Factures de travaux")).to_have_count(0)
    expect(page.locator("#espaces").get_by_role("link")).to_have_text(["Sollicitations", "Annuaire des destinataires"])

    panneau = page.locator("#premiere-connexion")
    expect(panneau).to_contain_text("Félicitations ! Votre compte utilisateur est créé.")
    panneau.get_by_role("button", name="Fermer").click()
    encart = page.locator("#sans-structure")
    expect(encart).to_contain_text("Votre compte n'est rattaché à aucune structure")
    mesures = _mesures(page)
    assert mesures["defilement"] <= mesures["largeur"], mesures
    assert violations(page) == []
    encart.get_by_role("link", name="Demander un rattachement à une structure").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("rattachement")
    page.go_back()
    page.locator("#sans-structure").get_by_role("link", name="Créer une nouvelle structure").click()
    expect(page.get_by_role("heading", name="Créer une nouvelle structure", level=1)).to_be_visible()


def test_le_gestionnaire_trouve_ses_utilisateurs_dans_le_menu_organisation(live_server, page, client):
    page.set_viewport_size(BUREAU)
    gestionnaire = UtilisateurFactory()
    StructureFactory(gestionnaire=gestionnaire, raison_sociale="Atelier Alpha")
    StructureFactory(gestionnaire=gestionnaire, raison_sociale="Bureau Bêta")
    se_connecter(page, client, live_server, gestionnaire)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Organisation").click()
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Utilisateurs").click()
    expect(page.get_by_role("heading", name="Utilisateurs", level=1)).to_be_visible()
    assert violations(page) == []
    page.get_by_role("link", name="Utilisateurs de Bureau Bêta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utilisateurs de la structure Bureau Bêta")
    expect(page.locator("#utilisateurs")).to_contain_text(gestionnaire.email)
