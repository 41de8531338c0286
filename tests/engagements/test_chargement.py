"""Loading an EJ file: a good file gives its EJs with their lines and totals; every kind of bad line is reported with
its line number and column, in French; one bad line anywhere and nothing at all is saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from engagements.models import EngagementJuridique, LigneEngagement
from engagements.services import ChargementRefuse, engagements_charger
from organisation.enums import Application, Niveau
from organisation.matelas import siret_fictif
from tests.engagements.outils import Monde, fichier, rangee
from tests.facturation.validation.conftest import agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde():
    return Monde()


def charger(monde, contenu, nom="engagements.csv", par=None):
    return engagements_charger(par=par or monde.chargeur, structure=monde.commune, nom_fichier=nom, contenu=contenu)


def refus(monde, contenu, **kwargs):
    with pytest.raises(ChargementRefuse) as exc:
        charger(monde, contenu, **kwargs)
    assert not EngagementJuridique.objects.exists() and not LigneEngagement.objects.exists()
    return [(e.ligne, e.champ) for e in exc.value.erreurs], [str(e) for e in exc.value.erreurs]


def test_un_bon_fichier(monde):
    siret = monde.fournisseur.identifiant
    crees = charger(
        monde,
        fichier(
            rangee("EJ-1", siret, ligne=1, quantite="40", prix="4,20", taux="20"),
            rangee("EJ-1", siret, ligne=2, designation="Manuels", quantite="12,5", unite="", prix="18.50", taux="5,5"),
            rangee("EJ-2", monde.autre_fournisseur.identifiant, service="", date="2026-02-01"),
        ),
    )
    assert [ej.numero for ej in crees] == ["EJ-1", "EJ-2"]
    ej = EngagementJuridique.objects.get(numero="EJ-1")
    assert ej.service == monde.achats and ej.fournisseur == monde.fournisseur and ej.etat == "COMMANDE"
    # 40 × 4,20 = 168,00 at 20 % and 12,5 × 18,50 = 231,25 at 5,5 % (12,71875 → 12,72)
    assert (ej.montant_ht, ej.montant_tva, ej.montant_ttc) == (Decimal("399.25"), Decimal("46.32"), Decimal("445.57"))
    assert [(lg.numero, lg.quantite) for lg in ej.lignes.all()] == [(1, Decimal("40")), (2, Decimal("12.5"))]
    autre = EngagementJuridique.objects.get(numero="EJ-2")
    assert autre.service is None and str(autre.date_engagement) == "2026-02-01"


def test_windows_1252_et_virgule(monde):
    contenu = fichier(rangee("EJ-1", monde.fournisseur.identifiant, designation="Crayons à papier")).decode()
    contenu = contenu.replace(";", ",").replace("4,20", "4.20")
    charger(monde, contenu.encode("cp1252"))
    assert EngagementJuridique.objects.get().lignes.get().designation == "Crayons à papier"


def test_chaque_sorte_de_ligne_fausse_et_rien_n_est_charge(monde):
    siret = monde.fournisseur.identifiant
    places, messages = refus(
        monde,
        fichier(
            rangee("EJ-OK", siret),  # a good EJ in a bad file is not loaded either
            rangee("", siret),
            rangee("EJ-3", siret, date="31/02/2026"),
            rangee("EJ-4", siret, service="INCONNU"),
            rangee("EJ-5", "12345678901234"),
            rangee("EJ-6", siret_fictif(9999)),
            rangee("EJ-7", siret, etat="LIVRE"),
            rangee("EJ-8", siret, ligne=0),
            rangee("EJ-9", siret, quantite="0"),
            rangee("EJ-10", siret, prix="douze"),
            rangee("EJ-11", siret, taux="120"),
            rangee("X" * 51, siret),
            rangee("EJ-OK", siret, ligne=1),
            rangee("EJ-OK", siret, ligne=2, date="16/01/2026"),
            rangee("EJ-12", siret, quantite="1,23456"),
            rangee("EJ-13", monde.commune.identifiant),
        ),
    )
    assert places == [
        (3, "numero_engagement"),
        (4, "date_engagement"),
        (5, "code_service"),
        (6, "siret_fournisseur"),
        (7, "siret_fournisseur"),
        (8, "etat"),
        (9, "numero_ligne"),
        (10, "quantite"),
        (11, "prix_unitaire_ht"),
        (12, "taux_tva"),
        (13, "numero_engagement"),
        (14, "numero_ligne"),
        (15, "date_engagement"),
        (16, "quantite"),
        (17, "siret_fournisseur"),
    ]
    assert messages[0] == "Ligne 3, colonne « numero_engagement » : valeur obligatoire absente."
    assert "« 31/02/2026 » n'est pas une date" in messages[1]
    assert "le service « INCONNU » n'existe pas dans Commune de Valbourg" in messages[2]
    assert "n'est pas un SIRET valide" in messages[3]
    assert f"aucune structure active n'a le SIRET {siret_fictif(9999)}" in messages[4]
    assert "« LIVRE » inconnu ; valeurs admises : COMMANDE" in messages[5]
    assert "51 caractères ; 50 au plus" in messages[10]
    assert "la ligne 1 de l'engagement EJ-OK est en double" in messages[11]
    assert "diffère de la ligne 2 du même engagement EJ-OK" in messages[12]


def test_deja_charge(monde):
    charger(monde, fichier(rangee("EJ-1", monde.fournisseur.identifiant)))
    with pytest.raises(ChargementRefuse) as exc:
        charger(
            monde,
            fichier(rangee("EJ-2", monde.fournisseur.identifiant), rangee("EJ-1", monde.fournisseur.identifiant)),
        )
    assert [str(e) for e in exc.value.erreurs] == [
        "Ligne 3, colonne « numero_engagement » : l'engagement EJ-1 est déjà chargé pour Commune de Valbourg."
    ]
    assert list(EngagementJuridique.objects.values_list("numero", flat=True)) == ["EJ-1"]


@pytest.mark.parametrize(
    ("contenu", "nom", "attendu"),
    [
        (b"", "vide.csv", "Le fichier est vide."),
        (b"%PDF-1.7\x00\x01", "facture.csv", "contenu binaire"),
        (b"numero;date\n", "e.csv", "colonnes manquantes"),
        (fichier(), "e.csv", "aucune ligne d'engagement"),
        (b"x", "engagements.xlsx", "un fichier .csv est attendu"),
        (b"a" * (2 * 1024 * 1024 + 1), "gros.csv", "dépasse 2 Mo"),
    ],
)
def test_fichiers_refuses(monde, contenu, nom, attendu):
    _, messages = refus(monde, contenu, nom=nom)
    assert len(messages) == 1 and attendu in messages[0]


def test_sans_le_profil_ou_pour_un_fournisseur(monde):
    consultant = agent(monde.commune, (Application.ENGAGEMENTS, Niveau.CONSULTATION))
    with pytest.raises(PermissionDenied):
        charger(monde, fichier(rangee("EJ-1", monde.fournisseur.identifiant)), par=consultant)
    with pytest.raises(PermissionDenied):
        engagements_charger(
            par=monde.fournisseur.rattachements.get().utilisateur,
            structure=monde.fournisseur,
            nom_fichier="e.csv",
            contenu=fichier(rangee("EJ-1", monde.autre_fournisseur.identifiant)),
        )
    assert not EngagementJuridique.objects.exists()


def test_le_numero_de_ligne_est_celui_du_fichier(monde):
    siret = monde.fournisseur.identifiant
    _, messages = refus(
        monde,
        fichier(
            rangee("EJ-1", siret, designation='"Papier\nrecyclé"'),
            "",
            rangee("EJ-2", siret, taux="x"),
        ),
    )
    # a quoted value spans lines 2-3, line 4 is blank: the bad row is line 5 of the file
    assert messages == ["Ligne 5, colonne « taux_tva » : « x » n'est pas un nombre."]
