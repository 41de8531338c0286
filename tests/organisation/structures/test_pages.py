"""« Mes structures » and the structure page: what each user sees, with a fixed number of SQL queries."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from organisation.enums import StatutStructure
from organisation.models import CoordonneeBancaire, MandatFacturation, Service
from organisation.services.coordonnees import piece_jointe_ajouter
from organisation.services.structures import service_creer
from tests.factories import StructureFactory, UtilisateurFactory
from tests.organisation.structures.outils import IBAN, client_de, texte

# session, user, device, savepoints and the session touch included; the same with 2 or 15 rows
MAX_REQUETES_PAGE = 19  # +1: the header's menus (chorus/menus.py)
MAX_REQUETES_LISTE = 11  # +1: the header's menus (chorus/menus.py)


def url(structure):
    return reverse("organisation:structure", args=[structure.pk])


def test_mes_structures_liste_les_rattachements_actifs(gp, structure, lecteur, etranger):
    autre = StructureFactory(gestionnaire=gp, raison_sociale="Atelier public", est_publique=True)
    reponse = client_de(gp).get(reverse("organisation:structures"))
    contenu = texte(reponse)
    assert "Boulangerie Martin" in contenu and "Atelier public" in contenu
    assert "Autre structure" not in contenu
    assert structure.identifiant in contenu
    assert "En attente de validation" in contenu and "Active" in contenu
    assert "Publique" in contenu and "Privée" in contenu
    assert contenu.count("Gestionnaire principal") == 2
    assert reverse("organisation:structure", args=[autre.pk]) in contenu
    assert "Créer une nouvelle structure" in contenu

    contenu = texte(client_de(lecteur).get(reverse("organisation:structures")))
    assert "Boulangerie Martin" in contenu and "Utilisateur" in contenu and "Gestionnaire principal" not in contenu


def test_mes_structures_filtre_et_tri(gp, structure):
    StructureFactory(gestionnaire=gp, raison_sociale="Atelier")
    c = client_de(gp)
    contenu = texte(c.get(reverse("organisation:structures"), {"q": "boulang"}))
    assert "Boulangerie Martin" in contenu and "Atelier" not in contenu
    contenu = texte(c.get(reverse("organisation:structures"), {"tri": "raison_sociale"}))
    assert contenu.index("Atelier") < contenu.index("Boulangerie Martin")
    assert "ne correspond" in texte(c.get(reverse("organisation:structures"), {"q": "zzz"}))


def test_mes_structures_sans_structure(db):
    contenu = texte(client_de(UtilisateurFactory()).get(reverse("organisation:structures")))
    assert "Votre compte n'est rattaché à aucune structure." in contenu


@pytest.mark.parametrize("nombre", [2, 15])
def test_mes_structures_nombre_de_requetes_fixe(gp, nombre, django_assert_max_num_queries):
    for _ in range(nombre):
        StructureFactory(gestionnaire=gp)
    c = client_de(gp)
    with django_assert_max_num_queries(MAX_REQUETES_LISTE):
        reponse = c.get(reverse("organisation:structures"))
    assert texte(reponse).count("Gestionnaire principal") == nombre


def test_page_de_la_structure_pour_le_gestionnaire_principal(gp, structure, service, coordonnee):
    Service.objects.create(structure=structure, code="ANCIEN", libelle="Ancien service", actif=False)
    MandatFacturation.objects.create(
        structure=structure, mandataire_identifiant="99000005100013", mandataire_raison_sociale="Cabinet Conseil",
        date_debut=date(2026, 1, 1),
    )  # fmt: skip
    contenu = texte(client_de(gp).get(url(structure)))
    for titre in ["Fiche de la structure", "Paramètres", "Services", "Coordonnées bancaires",
                  "Mandat de facturation", "Pièces jointes"]:  # fmt: skip
        assert f">{titre}</h2>" in contenu
    # Chorus Pro's own labels for the recipient parameters
    for libelle in ["Code service doit être renseigné", "Numéro d'engagement doit être renseigné",
                    "Gestion numéro d'engagement ou code service", "Statut mise en paiement non remonté",
                    "MOA uniquement"]:  # fmt: skip
        assert libelle in contenu
    assert "Factures émises" in contenu  # espaces: every application when none was chosen
    assert "COMPTA" in contenu and "Service comptable" in contenu
    assert "Inactif" in contenu
    assert "FR76 3000 6000 0112 3456 7890 189" in contenu  # in full for a user who may modify
    assert "Cabinet Conseil" in contenu
    assert "Gestionnaire principal" in contenu
    for bouton in ["Modifier la fiche", "Modifier les paramètres", "Ajouter un service",
                   "Ajouter des coordonnées bancaires", "Ajouter un mandat de facturation", "Ajouter une pièce jointe",
                   "Désactiver"]:  # fmt: skip
        assert bouton in contenu
    assert "délai pouvant atteindre 30 minutes" in contenu


def test_page_de_la_structure_en_consultation(structure, lecteur, coordonnee, service):
    contenu = texte(client_de(lecteur).get(url(structure)))
    assert "Boulangerie Martin" in contenu and "COMPTA" in contenu
    assert "FR76 •••• 0189" in contenu
    assert IBAN not in contenu and "FR76 3000 6000" not in contenu
    assert "la modifier demande le profil « Organisation – modification »" in contenu
    for bouton in ["Modifier la fiche", "Modifier les paramètres", "Ajouter un service", "Désactiver",
                   "Ajouter une pièce jointe"]:  # fmt: skip
        assert bouton not in contenu


def test_modifications_en_attente_affichees_avec_leur_heure(gp, structure):
    modification = service_creer(structure=structure, par=gp, code="achats", libelle="Achats")
    contenu = texte(client_de(gp).get(url(structure)))
    effective = timezone.localtime(modification.effective_le)
    assert (
        f"Modification en attente : Création du service ACHATS, effective le {effective:%d/%m/%Y} à "
        f"{effective:%H} h {effective:%M}"
    ) in contenu


def test_structure_publique_en_attente_visible_de_son_createur_seulement(gp):
    publique = StructureFactory(gestionnaire=gp, est_publique=True)
    assert publique.statut == StatutStructure.EN_ATTENTE_VALIDATION
    assert client_de(gp).get(url(publique)).status_code == 200
    assert client_de(UtilisateurFactory()).get(url(publique)).status_code == 404
    reponse = client_de(gp).get(reverse("organisation:structure_service_ajouter", args=[publique.pk]))
    assert reponse.status_code == 302  # read-only until validated


@pytest.mark.parametrize("nombre", [2, 15])
def test_page_de_la_structure_nombre_de_requetes_fixe(gp, structure, nombre, django_assert_max_num_queries):
    for i in range(nombre):
        Service.objects.create(structure=structure, code=f"S{i:02d}", libelle=f"Service {i}")
        CoordonneeBancaire.objects.create(structure=structure, titulaire=f"Titulaire {i}", iban=IBAN)
        MandatFacturation.objects.create(
            structure=structure, mandataire_identifiant="99000005100013", mandataire_raison_sociale=f"M{i}",
            date_debut=date(2026, 1, 1),
        )  # fmt: skip
        piece_jointe_ajouter(structure=structure, par=gp, fichier=SimpleUploadedFile(f"kbis{i}.pdf", b"%PDF-1.4"))
        service_creer(structure=structure, par=gp, code=f"N{i:02d}", libelle="Nouveau")
    c = client_de(gp)
    with django_assert_max_num_queries(MAX_REQUETES_PAGE):
        reponse = c.get(url(structure))
    contenu = texte(reponse)
    assert len(re.findall(r"Titulaire \d+<", contenu)) == nombre
    assert contenu.count("Modification en attente : Création du service") == nombre


def test_services_pagines(gp, structure):
    Service.objects.bulk_create(
        Service(structure=structure, code=f"S{i:02d}", libelle=f"Service {i}") for i in range(25)
    )
    c = client_de(gp)
    premiere = texte(c.get(url(structure)))
    assert "S00" in premiere and "S19" in premiere and "S20" not in premiere
    assert "25 services" in premiere
    seconde = texte(c.get(url(structure), {"page": 2}))
    assert "S24" in seconde and "S19" not in seconde
