from django.urls import reverse

from organisation.enums import StatutRattachement
from organisation.services.rattachements import rattachement_demander
from tests.factories import StructureFactory, UtilisateurFactory
from tests.organisation.utilisateurs.conftest import client_de, texte

URL = reverse("organisation:mon_compte")


def test_mon_compte_liste_rattachements_et_demandes_avec_leur_statut(demandeur, structure, services, gp):
    refusee = StructureFactory(gestionnaire=gp, raison_sociale="Office refusant")
    rattachement_demander(utilisateur=demandeur, structure=structure, services=[services[0]])
    refus = rattachement_demander(utilisateur=demandeur, structure=refusee)
    refus.statut, refus.motif_refus = StatutRattachement.REFUSE, "Inconnu au bataillon."
    refus.save()
    page = texte(client_de(demandeur).get(URL))
    assert "Mairie de Testville" in page and "Demande en attente d'approbation" in page
    assert "Services : S1 – Comptabilité" in page
    assert "Office refusant" in page and "Demande refusée" in page and "Motif du refus : Inconnu au bataillon." in page
    # nothing to manage yet: no management buttons in the page's content (the main menu lists every entry)
    contenu = page.split('id="content"', 1)[1]
    assert "Approbations" not in contenu and "Transférer le gestionnaire principal" not in contenu
    assert reverse("organisation:utilisateurs", args=[structure.pk]) not in page


def contenu(reponse):
    """The page's own content, without the main menu (which lists every entry for everyone)."""
    return texte(reponse).split('id="content"', 1)[1]


def test_mon_compte_du_gestionnaire_principal(gp, structure):
    page = contenu(client_de(gp).get(URL))
    assert f"Mairie de Testville (SIRET {structure.identifiant}) — gestionnaire principal" in page
    assert "Rattaché" in page and "Toute la structure" in page
    assert reverse("organisation:utilisateurs", args=[structure.pk]) in page
    assert reverse("organisation:approbations") in page
    assert reverse("organisation:transfert_gestionnaire") in page
    assert reverse("organisation:demander_profil", args=[structure.pk]) not in page


def test_mon_compte_d_un_utilisateur_rattache(lecteur, structure):
    page = contenu(client_de(lecteur).get(URL))
    assert reverse("organisation:utilisateurs", args=[structure.pk]) in page
    assert reverse("organisation:demander_profil", args=[structure.pk]) in page
    assert reverse("organisation:approbations") not in page
    assert reverse("organisation:transfert_gestionnaire") not in page


def test_nombre_de_requetes_fixe(gp, structure, django_assert_max_num_queries):
    client = client_de(gp)
    client.get(URL)
    with django_assert_max_num_queries(9) as avant:
        client.get(URL)
    for _ in range(5):
        StructureFactory(gestionnaire=gp)
        rattachement_demander(utilisateur=gp, structure=StructureFactory(gestionnaire=UtilisateurFactory()))
    with django_assert_max_num_queries(len(avant.captured_queries)):
        client.get(URL)
