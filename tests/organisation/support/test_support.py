from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisation.enums import Application, Niveau, ObjetLien, StatutRattachement, StatutStructure
from organisation.matelas import siret_fictif
from organisation.models import LienUnique, Rattachement, Structure, StructureHistorique, Utilisateur
from tests.conftest import connecter, lien_du_courriel
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

STRUCTURES = reverse("organisation:support_structures")
UTILISATEURS = reverse("organisation:support_utilisateurs")


@pytest.fixture
def monde(db):
    agent = UtilisateurFactory(est_agent_support=True, prenom="Sam", nom="Support")
    gp = UtilisateurFactory(prenom="Gaëlle", nom="Principale", email="gaelle.principale@mairie.fr")
    attente = StructureFactory(est_publique=True, gestionnaire=gp, raison_sociale="Mairie de Vannes",
                               identifiant=siret_fictif(11))  # fmt: skip
    active = StructureFactory(est_publique=True, raison_sociale="Mairie de Lorient", identifiant=siret_fictif(12))
    Structure.objects.filter(pk=active.pk).update(statut=StatutStructure.ACTIVE)
    privee = StructureFactory(raison_sociale="Entreprise privée", identifiant=siret_fictif(13))
    lecteur = UtilisateurFactory(prenom="Léo", nom="Lecteur")
    rattacher(lecteur, attente, (Application.ORGANISATION, Niveau.CONSULTATION))
    etranger = privee.rattachements.get().utilisateur
    return locals()


def _urls(monde):
    pk = monde["attente"].pk
    return [
        ("get", STRUCTURES),
        ("post", reverse("organisation:support_structure_valider", args=[pk])),
        ("get", reverse("organisation:support_structure_refuser", args=[pk])),
        ("post", reverse("organisation:support_structure_refuser", args=[pk])),
        ("get", reverse("organisation:support_gestionnaire", args=[pk])),
        ("post", reverse("organisation:support_gestionnaire", args=[pk])),
        ("get", UTILISATEURS),
        ("get", reverse("organisation:support_utilisateur", args=[monde["gp"].pk])),
        ("get", reverse("organisation:support_utilisateur_adresse", args=[monde["gp"].pk])),
        ("post", reverse("organisation:support_utilisateur_adresse", args=[monde["gp"].pk])),
    ]


@pytest.mark.parametrize("qui", ["gp", "lecteur", "etranger"])
def test_toute_page_et_action_du_support_repond_404_a_qui_n_est_pas_agent(client, monde, qui):
    connecter(client, monde[qui])
    for methode, url in _urls(monde):
        donnees = {"motif": "x", "nouvelle_adresse": "a@b.fr", "nouvelle_adresse_confirmation": "a@b.fr"}
        reponse = getattr(client, methode)(url, donnees if methode == "post" else None)
        assert reponse.status_code == 404, (methode, url)
    monde["attente"].refresh_from_db()
    assert monde["attente"].statut == StatutStructure.EN_ATTENTE_VALIDATION
    assert not LienUnique.objects.exists()


def test_anonyme_renvoye_a_la_connexion(client, monde):
    for methode, url in _urls(monde):
        reponse = getattr(client, methode)(url)
        assert reponse.status_code == 302 and reponse.url.startswith("/connexion/"), (methode, url)


def test_la_liste_montre_les_seules_structures_publiques_en_attente(client, monde):
    connecter(client, monde["agent"])
    contenu = client.get(STRUCTURES).content.decode()
    assert "Mairie de Vannes" in contenu and "Gaëlle Principale" in contenu
    assert "Mairie de Lorient" not in contenu and "Entreprise privée" not in contenu


def test_valider_une_structure_publique_previent_son_gestionnaire_principal(
    client, monde, django_capture_on_commit_callbacks
):
    connecter(client, monde["agent"])
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("organisation:support_structure_valider", args=[monde["attente"].pk]), follow=True
        )
    assert "La structure Mairie de Vannes" in reponse.content.decode() and "est validée" in reponse.content.decode()
    monde["attente"].refresh_from_db()
    assert monde["attente"].statut == StatutStructure.ACTIVE
    ligne = StructureHistorique.objects.get(structure=monde["attente"])
    assert ligne.action == "valider" and ligne.par == monde["agent"]
    (courriel,) = mail.outbox
    assert courriel.to == [monde["gp"].email] and "Mairie de Vannes est validée" in courriel.subject
    # already treated: no longer in the list, and a second click finds nothing
    reponse = client.post(reverse("organisation:support_structure_valider", args=[monde["attente"].pk]))
    assert reponse.status_code == 404


def test_refuser_exige_un_motif(client, monde, django_capture_on_commit_callbacks):
    connecter(client, monde["agent"])
    url = reverse("organisation:support_structure_refuser", args=[monde["attente"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"motif": "   "})
    assert "Saisissez le motif du refus : il est communiqué au gestionnaire principal." in reponse.content.decode()
    monde["attente"].refresh_from_db()
    assert monde["attente"].statut == StatutStructure.EN_ATTENTE_VALIDATION
    assert not StructureHistorique.objects.exists() and mail.outbox == []


def test_refuser_avec_motif_envoie_le_motif_au_gestionnaire_principal(
    client, monde, django_capture_on_commit_callbacks
):
    connecter(client, monde["agent"])
    url = reverse("organisation:support_structure_refuser", args=[monde["attente"].pk])
    assert "Refuser la création de la structure Mairie de Vannes" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"motif": "Le SIRET n'est pas celui d'une entité publique."}, follow=True)
    assert "est refusée" in reponse.content.decode()
    monde["attente"].refresh_from_db()
    assert monde["attente"].statut == StatutStructure.REFUSEE
    (courriel,) = mail.outbox
    assert courriel.to == [monde["gp"].email]
    assert "Le SIRET n'est pas celui d'une entité publique." in courriel.body


@pytest.mark.parametrize("nombre", [2, 15])
def test_liste_des_structures_en_nombre_de_requetes_constant(client, db, django_assert_max_num_queries, nombre):
    agent = UtilisateurFactory(est_agent_support=True)
    for i in range(nombre):
        StructureFactory(est_publique=True, identifiant=siret_fictif(300 + i))
    connecter(client, agent)
    with django_assert_max_num_queries(12):  # +1: the header's menus (chorus/menus.py)
        reponse = client.get(STRUCTURES)
    assert len(reponse.context["page_obj"]) == nombre


# --- users --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("recherche", ["gaelle.principale", "MAIRIE.FR", "Principale", "gaëlle principale"])
def test_rechercher_un_utilisateur_par_adresse_ou_par_nom(client, monde, recherche):
    connecter(client, monde["agent"])
    reponse = client.get(UTILISATEURS, {"q": recherche})
    assert [u.pk for u in reponse.context["page_obj"]] == [monde["gp"].pk], recherche


def test_recherche_vide_ou_sans_resultat(client, monde):
    connecter(client, monde["agent"])
    assert (
        "Saisissez une adresse électronique, un nom ou un identifiant PIGP."
        in client.get(UTILISATEURS, {"q": ""}).content.decode()
    )
    assert "Aucun compte ne correspond" in client.get(UTILISATEURS, {"q": "personne-inconnue"}).content.decode()


@pytest.mark.parametrize("nombre", [2, 15])
def test_recherche_d_utilisateurs_en_nombre_de_requetes_constant(client, db, django_assert_max_num_queries, nombre):
    agent = UtilisateurFactory(est_agent_support=True)
    for i in range(nombre):
        UtilisateurFactory(nom=f"Durand{i}")
    connecter(client, agent)
    with django_assert_max_num_queries(11):  # +1: the header's menus (chorus/menus.py)
        reponse = client.get(UTILISATEURS, {"q": "durand"})
    assert len(reponse.context["page_obj"]) == nombre


def test_fiche_d_un_utilisateur(client, monde):
    connecter(client, monde["agent"])
    contenu = client.get(reverse("organisation:support_utilisateur", args=[monde["gp"].pk])).content.decode()
    assert monde["gp"].email in contenu and "Mairie de Vannes" in contenu and "gestionnaire principal" in contenu
    assert "Changer l'adresse de connexion" in contenu and "Transférer le rôle de gestionnaire principal" in contenu


NOUVELLE = "gaelle.nouvelle@mairie.fr"


def _changer(client, monde, capture, nouvelle=NOUVELLE, confirmation=None):
    url = reverse("organisation:support_utilisateur_adresse", args=[monde["gp"].pk])
    with capture(execute=True):
        return client.post(
            url, {"nouvelle_adresse": nouvelle, "nouvelle_adresse_confirmation": confirmation or nouvelle}
        )


def test_le_support_change_l_adresse_de_connexion_par_un_lien_de_24_heures(
    client, monde, django_capture_on_commit_callbacks
):
    gp, ancienne = monde["gp"], monde["gp"].email
    session_du_titulaire = connecter(Client(), gp)
    connecter(client, monde["agent"])
    reponse = _changer(client, monde, django_capture_on_commit_callbacks)
    assert reponse.status_code == 302
    confirmation, avertissement = mail.outbox
    assert confirmation.to == [NOUVELLE] and "valable 24 heures" in confirmation.body
    assert avertissement.to == [ancienne] and NOUVELLE in avertissement.body
    lien = LienUnique.objects.get(objet=ObjetLien.CHANGEMENT_ADRESSE)
    assert lien.expire_le - lien.cree_le == timedelta(hours=24) and lien.nouvelle_adresse == NOUVELLE
    assert Utilisateur.objects.get(pk=gp.pk).email == ancienne  # nothing changes before the link is followed
    assert session_du_titulaire.get(reverse("organisation:mon_compte")).status_code == 200

    chemin = lien_du_courriel(confirmation)
    navigateur = Client()
    assert NOUVELLE in navigateur.get(chemin).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        navigateur.post(chemin)
    assert Utilisateur.objects.get(pk=gp.pk).email == NOUVELLE
    # the holder's sessions have ended
    assert session_du_titulaire.get(reverse("organisation:mon_compte")).status_code == 302


def test_un_lien_du_support_de_25_heures_est_refuse(client, monde, django_capture_on_commit_callbacks):
    connecter(client, monde["agent"])
    _changer(client, monde, django_capture_on_commit_callbacks)
    chemin = lien_du_courriel(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        reponse = Client().post(chemin)
    assert reponse.status_code == 410 and "Ce lien a expiré le" in reponse.content.decode()
    assert Utilisateur.objects.get(pk=monde["gp"].pk).email == monde["gp"].email


@pytest.mark.parametrize(
    ("nouvelle", "confirmation", "message"),
    [
        ("", "", "Saisissez la nouvelle adresse électronique de connexion."),
        ("pas-une-adresse", "pas-une-adresse", "La nouvelle adresse n&#x27;est pas valide"),
        (NOUVELLE, "autre@mairie.fr", "Les deux adresses saisies ne sont pas identiques."),
        ("GAELLE.PRINCIPALE@mairie.fr", "gaelle.principale@mairie.fr", "identique à l&#x27;adresse de connexion"),
    ],
)
def test_changement_d_adresse_refuse(
    client, monde, django_capture_on_commit_callbacks, nouvelle, confirmation, message
):
    connecter(client, monde["agent"])
    reponse = _changer(client, monde, django_capture_on_commit_callbacks, nouvelle, confirmation)
    assert reponse.status_code == 200 and message in reponse.content.decode()
    assert not LienUnique.objects.exists() and mail.outbox == []


def test_changement_vers_l_adresse_d_un_autre_compte_refuse(client, monde, django_capture_on_commit_callbacks):
    connecter(client, monde["agent"])
    reponse = _changer(client, monde, django_capture_on_commit_callbacks, monde["lecteur"].email.upper())
    assert "Cette adresse est déjà l&#x27;adresse de connexion d&#x27;un autre compte." in reponse.content.decode()
    assert not LienUnique.objects.exists() and mail.outbox == []


# --- gestionnaire principal -----------------------------------------------------------------------------------------


def _transferer(client, structure, destinataire, motif="Départ du gestionnaire principal", capture=None):
    url = reverse("organisation:support_gestionnaire", args=[structure.pk])
    with capture(execute=True):
        return client.post(url, {"destinataire": destinataire.pk if destinataire else "", "motif": motif})


def test_transferer_le_role_de_gestionnaire_principal(client, monde, django_capture_on_commit_callbacks):
    structure = monde["active"]
    ancien = structure.rattachements.get(est_gestionnaire_principal=True)
    successeur = UtilisateurFactory(prenom="Noé", nom="Nouveau")
    cible = rattacher(successeur, structure, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
    connecter(client, monde["agent"])
    contenu = client.get(reverse("organisation:support_gestionnaire", args=[structure.pk])).content.decode()
    assert "Noé Nouveau" in contenu and ancien.utilisateur.nom_complet in contenu
    reponse = _transferer(client, structure, cible, capture=django_capture_on_commit_callbacks)
    assert reponse.status_code == 302
    cible.refresh_from_db()
    ancien.refresh_from_db()
    assert cible.est_gestionnaire_principal and not ancien.est_gestionnaire_principal
    assert cible.habilitations.filter(application=Application.ORGANISATION, niveau=Niveau.MODIFICATION).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([successeur.email, ancien.utilisateur.email])


def test_le_nouveau_gestionnaire_doit_etre_rattache_a_la_structure(client, monde, django_capture_on_commit_callbacks):
    structure = monde["active"]
    ailleurs = monde["privee"].rattachements.get()  # attached to another structure
    en_attente = rattacher(UtilisateurFactory(), structure, statut=StatutRattachement.EN_ATTENTE)
    rattacher(UtilisateurFactory(), structure, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
    connecter(client, monde["agent"])
    for rattachement in (ailleurs, en_attente):
        reponse = _transferer(client, structure, rattachement, capture=django_capture_on_commit_callbacks)
        assert "le nouveau gestionnaire principal doit déjà y être rattaché" in reponse.content.decode()
    assert Rattachement.objects.get(structure=structure, est_gestionnaire_principal=True).pk != en_attente.pk
    assert not Rattachement.objects.filter(pk=en_attente.pk, est_gestionnaire_principal=True).exists()
    assert mail.outbox == []


def test_le_transfert_exige_un_motif_et_un_destinataire(client, monde, django_capture_on_commit_callbacks):
    structure = monde["active"]
    cible = rattacher(UtilisateurFactory(), structure, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
    connecter(client, monde["agent"])
    reponse = _transferer(client, structure, cible, motif=" ", capture=django_capture_on_commit_callbacks)
    assert "Saisissez le motif du transfert (par exemple : départ du gestionnaire)." in reponse.content.decode()
    reponse = _transferer(client, structure, None, capture=django_capture_on_commit_callbacks)
    assert "Choisissez le nouveau gestionnaire principal." in reponse.content.decode()
    cible.refresh_from_db()
    assert not cible.est_gestionnaire_principal and mail.outbox == []
