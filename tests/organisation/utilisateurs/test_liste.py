import csv
import io

import pytest
from django.urls import reverse

from exports.models import DemandeExport
from organisation.enums import Application, Niveau, StatutRattachement
from tests.exports.outils import demander_xlsx, exporter_xlsx
from tests.factories import UtilisateurFactory, rattacher
from tests.organisation.utilisateurs.conftest import client_de, rattacher_par_defaut, texte

ENTETES = ["Nom", "Prénom", "Adresse électronique", "Gestionnaire principal", "Profils", "Date de rattachement"]


@pytest.fixture(autouse=True)
def _fichiers_isoles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(structure, nom="utilisateurs"):
    return reverse(f"organisation:{nom}", args=[structure.pk])


@pytest.fixture
def equipe(structure, services, lecteur):
    """Alice on S1 only, Bruno on S2 only (attachments limited to a service), Chloé with a profile on S2."""
    alice = UtilisateurFactory(prenom="Alice", nom="Aubert", email="alice@exemple.fr")
    rattacher_par_defaut(alice, structure, [services[0]]).services.set([services[0]])
    bruno = UtilisateurFactory(prenom="Bruno", nom="Bernard", email="bruno@exemple.fr")
    rattacher_par_defaut(bruno, structure, [services[1]]).services.set([services[1]])
    chloe = UtilisateurFactory(prenom="Chloé", nom="Collin", email="chloe@exemple.fr")
    rattacher(chloe, structure, (Application.FACTURES_RECUES, Niveau.CONSULTATION, services[1]))
    # neither a pending request nor an ended attachment is a user of the structure
    rattacher(UtilisateurFactory(nom="Attente"), structure, statut=StatutRattachement.EN_ATTENTE)
    rattacher(UtilisateurFactory(nom="Parti"), structure, statut=StatutRattachement.TERMINE)
    return locals()


def noms(reponse):
    return [r.utilisateur.nom for r in reponse.context["page_obj"]]


def test_la_liste_montre_les_utilisateurs_rattaches(gp, structure, equipe):
    reponse = client_de(gp).get(url(structure))
    assert noms(reponse) == ["Aubert", "Bernard", "Collin", "Lecteur", "Principale"]
    page = texte(reponse)
    assert "Gestionnaire principal" in page and "Tous les profils" in page
    assert "luc.lecteur@exemple.fr" in page
    assert "Organisation – consultation" in page and "Factures reçues – consultation (service S2)" in page
    assert "5 utilisateurs." in page
    assert "Attente" not in page and "Parti" not in page


def test_filtrer_par_un_ou_plusieurs_services(gp, structure, services, equipe):
    client = client_de(gp)
    s1, s2 = services
    # whole-structure users (gp, lecteur) always; Alice by her attachment; Chloé by her profile
    assert noms(client.get(url(structure), {"services": [s1.pk]})) == ["Aubert", "Lecteur", "Principale"]
    assert noms(client.get(url(structure), {"services": [s2.pk]})) == ["Bernard", "Collin", "Lecteur", "Principale"]
    assert len(noms(client.get(url(structure), {"services": [s1.pk, s2.pk]}))) == 5


def test_rechercher_et_trier(gp, structure, equipe):
    client = client_de(gp)
    assert noms(client.get(url(structure), {"q": "bruno"})) == ["Bernard"]
    assert noms(client.get(url(structure), {"q": "Luc Lecteur"})) == ["Lecteur"]
    assert noms(client.get(url(structure), {"q": "personne"})) == []
    assert "Aucun utilisateur ne correspond à ces critères." in texte(client.get(url(structure), {"q": "personne"}))
    decroissant = ["Principale", "Lecteur", "Collin", "Bernard", "Aubert"]
    assert noms(client.get(url(structure), {"tri": "-nom"})) == decroissant
    assert noms(client.get(url(structure), {"tri": "email"}))[:2] == ["Aubert", "Bernard"]
    assert noms(client.get(url(structure), {"tri": "-date"}))[-1] == "Principale"
    # a forged sort is ignored; a forged criterion makes the search invalid: nothing listed, and the page says why
    assert len(noms(client.get(url(structure), {"tri": "mot_de_passe"}))) == 5
    invalide = client.get(url(structure), {"services": ["x"]})
    assert noms(invalide) == [] and "Recherche invalide" in texte(invalide)


def test_pagination(gp, structure):
    for i in range(24):
        rattacher(UtilisateurFactory(nom=f"Nom{i:02d}"), structure)
    client = client_de(gp)
    premiere = client.get(url(structure))
    assert len(noms(premiere)) == 20 and "fr-pagination" in texte(premiere)
    assert noms(client.get(url(structure), {"page": 2})) == ["Nom20", "Nom21", "Nom22", "Nom23", "Principale"]


def test_nombre_de_requetes_fixe(gp, structure, services, django_assert_max_num_queries):
    client = client_de(gp)
    rattacher_par_defaut(UtilisateurFactory(), structure, services)
    client.get(url(structure))
    with django_assert_max_num_queries(16) as deux:
        assert len(noms(client.get(url(structure), {"services": [services[0].pk]}))) == 2
    for _ in range(13):
        rattacher_par_defaut(UtilisateurFactory(), structure, services)
    with django_assert_max_num_queries(len(deux.captured_queries)):
        assert len(noms(client.get(url(structure), {"services": [services[0].pk]}))) == 15


def test_export_csv_filtre(gp, structure, services, equipe):
    reponse = client_de(gp).get(url(structure, "utilisateurs_csv"), {"services": [services[0].pk], "tri": "nom"})
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert f"utilisateurs-{structure.identifiant}-" in reponse["Content-Disposition"]
    contenu = b"".join(reponse.streaming_content).decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(contenu), delimiter=";"))
    assert lignes[0] == ENTETES
    assert [ligne[:4] for ligne in lignes[1:]] == [
        ["Aubert", "Alice", "alice@exemple.fr", "Non"],
        ["Lecteur", "Luc", "luc.lecteur@exemple.fr", "Non"],
        ["Principale", "Gaëlle", "gaelle.principale@exemple.fr", "Oui"],
    ]
    assert "Organisation – consultation (service S1)" in lignes[1][4]
    assert lignes[3][4] == "Tous les profils"


def test_export_xlsx_filtre(gp, structure, equipe, etranger):
    """The Excel file is built by « Mes exports » (the former link leads to the page that asks for it)."""
    client = client_de(gp)
    page = client.get(url(structure)).content.decode()
    assert 'action="/mes-exports/demander/utilisateurs_structure/"' in page
    assert f'name="structure" value="{structure.pk}"' in page
    assert "Préparer l'export Excel" in client.get(url(structure, "utilisateurs_xlsx")).content.decode()
    lignes = exporter_xlsx(client, "utilisateurs_structure", {"q": "exemple.fr", "tri": "-nom"}, structure)
    assert list(lignes[0]) == ENTETES
    assert [ligne["Nom"] for ligne in lignes] == ["Principale", "Lecteur", "Collin", "Bernard", "Aubert"]
    assert lignes[0]["Gestionnaire principal"] == "Oui" and lignes[0]["Profils"] == "Tous les profils"
    assert DemandeExport.objects.latest("pk").nom_fichier.startswith(f"utilisateurs-{structure.identifiant}-")
    # another structure's user may not ask for this structure's list
    assert demander_xlsx(client_de(etranger), "utilisateurs_structure", structure=structure).status_code == 404


@pytest.mark.parametrize("nom", ["utilisateurs", "utilisateurs_csv", "utilisateurs_xlsx"])
def test_qui_peut_voir_la_liste(nom, gp, lecteur, etranger, structure):
    assert client_de(gp).get(url(structure, nom)).status_code == 200
    assert client_de(lecteur).get(url(structure, nom)).status_code == 200
    assert client_de(etranger).get(url(structure, nom)).status_code == 404
    sans_organisation = UtilisateurFactory()
    rattacher(sans_organisation, structure, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    assert client_de(sans_organisation).get(url(structure, nom)).status_code == 404
    assert client_de(None).get(url(structure, nom)).url.startswith("/connexion/")


def test_un_lecteur_peut_demander_un_profil_depuis_la_liste(lecteur, gp, structure):
    assert "Demander un profil" in texte(client_de(lecteur).get(url(structure)))
    assert "Demander un profil" not in texte(client_de(gp).get(url(structure)))


def test_les_exports_ne_contiennent_pas_de_formules(gp, structure):
    rattacher(UtilisateurFactory(nom='=HYPERLINK("http://pirate.example","clic")', prenom="+1"), structure)
    client = client_de(gp)
    contenu = b"".join(client.get(url(structure, "utilisateurs_csv"), {"q": "pirate"}).streaming_content)
    contenu = contenu.decode("utf-8-sig")
    ligne = list(csv.reader(io.StringIO(contenu), delimiter=";"))[1]
    assert ligne[:2] == ['\'=HYPERLINK("http://pirate.example","clic")', "'+1"]
    (ligne_xlsx,) = exporter_xlsx(client, "utilisateurs_structure", {"q": "pirate"}, structure)
    assert ligne_xlsx["Nom"] == '=HYPERLINK("http://pirate.example","clic")'  # text, not a formula
