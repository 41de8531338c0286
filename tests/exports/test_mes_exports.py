"""« Mes exports »: an Excel export asked from a list is built in the background, its progress shown, its file
downloaded by its owner only (another user, of the same structure or another, gets 404), a mail says it is ready,
and the beat deletes it when it expires."""

import datetime
import os

import pytest
from django.core import mail
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from exports.models import DemandeExport, EtatExport
from exports.services import EN_COURS_MAX, export_demander, export_produire, exports_balayer
from tests.conftest import connecter, lien_du_courriel
from tests.exports.outils import classeur_lignes, demander_xlsx

pytestmark = pytest.mark.django_db


def test_demander_produire_et_telecharger(client_agent, monde):
    reponse = demander_xlsx(client_agent, "factures_recues", {"tri": "numero", "page": "3"})
    assert reponse.status_code == 302 and reponse["Location"] == reverse("exports:mes_exports")
    demande = DemandeExport.objects.get()
    # the page number is no criterion: every page is exported
    assert demande.criteres == {"tri": ["numero"]}
    assert (demande.etat, demande.lignes_ecrites, demande.lignes_total) == (EtatExport.PRET, 2, 2)

    page = client_agent.get(reverse("exports:mes_exports"))
    contenu = page.content.decode()
    assert "Factures reçues" in contenu and "en préparation" in contenu  # the message after the redirect
    assert reverse("exports:telecharger", args=[demande.pk]) in contenu

    fichier = client_agent.get(reverse("exports:telecharger", args=[demande.pk]))
    assert fichier["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="factures-recues-' in fichier["Content-Disposition"]
    assert [ligne["Numéro de facture"] for ligne in classeur_lignes(fichier)] == ["R-1", "R-2"]

    (courriel,) = mail.outbox
    assert courriel.to == [monde.agent.email]
    assert "« Factures reçues » est prêt" in courriel.subject and "2 lignes" in courriel.body
    assert lien_du_courriel(courriel) == reverse("exports:mes_exports")


def test_etat_suit_l_avancement(client_agent, monde):
    # asked outside a request's commit: the task waits, as while a worker is busy
    demande = export_demander(par=monde.agent, genre="factures_recues", parametres=QueryDict())
    url = reverse("exports:etat", args=[demande.pk])
    assert client_agent.get(url).json() == {
        "etat": "EN_ATTENTE",
        "libelle": "En attente",
        "lignes_ecrites": 0,
        "lignes_total": None,
        "pourcentage": 0,
        "termine": False,
    }
    page = client_agent.get(reverse("exports:mes_exports")).content.decode()
    assert '<progress id="progression-' in page and "mes_exports.js" in page
    assert export_produire(demande_id=demande.pk) is True
    assert export_produire(demande_id=demande.pk) is False  # a second delivery writes nothing
    assert client_agent.get(url).json()["pourcentage"] == 100


@pytest.mark.parametrize("qui", ["lecteur", "etranger", "agent_fournisseur"])
def test_un_autre_utilisateur_n_a_rien(client, monde, qui):
    """Another user of the same structure, or of another one: no file, no progress, not in their list."""
    connecter(client, monde.agent)
    demander_xlsx(client, "factures_recues")
    demande = DemandeExport.objects.get()
    connecter(client, getattr(monde, qui))
    assert client.get(reverse("exports:telecharger", args=[demande.pk])).status_code == 404
    assert client.get(reverse("exports:etat", args=[demande.pk])).status_code == 404
    assert "aucun-export" in client.get(reverse("exports:mes_exports")).content.decode()


def test_l_export_ne_montre_que_les_droits_du_demandeur(client, monde):
    connecter(client, monde.agent_achats)  # limited to the ACHATS service: R-2 (TRAVAUX) is not theirs
    demander_xlsx(client, "factures_recues")
    reponse = client.get(reverse("exports:telecharger", args=[DemandeExport.objects.get().pk]))
    assert [ligne["Numéro de facture"] for ligne in classeur_lignes(reponse)] == ["R-1"]


def test_liste_inconnue_et_methode(client_agent):
    assert client_agent.post(reverse("exports:demander", args=["inconnue"])).status_code == 404
    assert client_agent.get(reverse("exports:demander", args=["factures_recues"])).status_code == 405
    assert not DemandeExport.objects.exists()


def test_pas_plus_de_trois_en_preparation(client_agent, monde):
    for _ in range(EN_COURS_MAX):
        # without the commit callbacks, the tasks never run: the requests stay waiting
        client_agent.post(reverse("exports:demander", args=["factures_recues"]))
    reponse = client_agent.post(reverse("exports:demander", args=["factures_recues"]), follow=True)
    assert "déjà 3 exports en préparation" in reponse.content.decode()
    assert DemandeExport.objects.count() == EN_COURS_MAX


def test_le_balayage_supprime_les_exports_expires_et_relance_les_oublies(client_agent, monde):
    demander_xlsx(client_agent, "factures_recues")
    prete = DemandeExport.objects.get()
    chemin = prete.fichier.path
    oubliee = DemandeExport.objects.create(
        demandeur=monde.agent, genre="factures_recues", expire_le=timezone.now() + datetime.timedelta(days=7)
    )
    DemandeExport.objects.filter(pk=oubliee.pk).update(cree_le=timezone.now() - datetime.timedelta(minutes=30))

    assert exports_balayer() == (0, 1)  # eager: the forgotten request is built now
    oubliee.refresh_from_db()
    assert oubliee.etat == EtatExport.PRET

    assert exports_balayer(maintenant=timezone.now() + datetime.timedelta(days=8)) == (2, 0)
    assert not DemandeExport.objects.exists()
    assert not os.path.exists(chemin)
    assert client_agent.get(reverse("exports:telecharger", args=[prete.pk])).status_code == 404


def test_mes_exports_nombre_de_requetes_fixe(client_agent, monde, django_assert_max_num_queries):
    for _ in range(2):
        demander_xlsx(client_agent, "factures_recues")
    with django_assert_max_num_queries(8):
        assert client_agent.get(reverse("exports:mes_exports")).status_code == 200
    for _ in range(5):
        demander_xlsx(client_agent, "factures_emises")
    with django_assert_max_num_queries(8):
        assert client_agent.get(reverse("exports:mes_exports")).status_code == 200
