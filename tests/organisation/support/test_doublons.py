"""A support agent marks a structure registered twice as the duplicate of its structure of origin (row 27)."""

import pytest
from django.core import mail
from django.urls import reverse

from chorus.exceptions import ApplicationError
from organisation.enums import Application, Niveau, StatutRattachement, StatutStructure, TypeIdentifiant
from organisation.matelas import siret_fictif
from organisation.models import Structure, StructureHistorique
from organisation.services.support import structure_marquer_doublon
from tests.conftest import connecter
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

RECHERCHE = reverse("organisation:support_structures_rechercher")
MOTIF = "Structure créée deux fois par la même entreprise"


def _activer(structure):
    Structure.objects.filter(pk=structure.pk).update(statut=StatutStructure.ACTIVE)
    structure.refresh_from_db()
    return structure


@pytest.fixture
def monde(db):
    agent = UtilisateurFactory(est_agent_support=True, prenom="Sam", nom="Support")
    gp = UtilisateurFactory(prenom="Gaëlle", nom="Principale", email="gaelle.principale@exemple.fr")
    doublon = StructureFactory(gestionnaire=gp, raison_sociale="Boulangerie Dupont bis", identifiant=siret_fictif(21))
    gp_origine = UtilisateurFactory()
    origine = StructureFactory(gestionnaire=gp_origine, raison_sociale="Boulangerie Dupont",
                               identifiant=siret_fictif(22))  # fmt: skip
    lecteur = UtilisateurFactory(prenom="Léo", nom="Lecteur")
    rattacher(lecteur, doublon, (Application.ORGANISATION, Niveau.CONSULTATION))
    etranger = StructureFactory(raison_sociale="Autre entreprise", identifiant=siret_fictif(23)).rattachements.get()
    etranger = etranger.utilisateur
    return locals()


def _url(structure):
    return reverse("organisation:support_doublon", args=[structure.pk])


def _saisie(origine, motif=MOTIF, **extra):
    return {"type_identifiant": origine.type_identifiant, "identifiant": origine.identifiant, "motif": motif, **extra}


def _marquer(client, doublon, origine, capture, **saisie):
    with capture(execute=True):
        return client.post(_url(doublon), _saisie(origine, **saisie) | {"confirmer": "1"})


def _rien_n_a_change(doublon, statut=StatutStructure.ACTIVE):
    doublon.refresh_from_db()
    assert doublon.statut == statut and doublon.structure_origine is None
    assert not StructureHistorique.objects.filter(structure=doublon, action="marquer_doublon").exists()
    assert mail.outbox == []


# --- who reaches the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("qui", ["gp", "lecteur", "etranger", "gp_origine"])
def test_la_page_et_l_action_repondent_404_a_qui_n_est_pas_agent(
    client, monde, qui, django_capture_on_commit_callbacks
):
    connecter(client, monde[qui])
    assert client.get(_url(monde["doublon"])).status_code == 404
    assert client.get(RECHERCHE, {"q": "boulangerie"}).status_code == 404
    reponse = _marquer(client, monde["doublon"], monde["origine"], django_capture_on_commit_callbacks)
    assert reponse.status_code == 404
    _rien_n_a_change(monde["doublon"])


def test_anonyme_renvoye_a_la_connexion(client, monde):
    for reponse in (
        client.get(_url(monde["doublon"])),
        client.post(_url(monde["doublon"]), _saisie(monde["origine"]) | {"confirmer": "1"}),
        client.get(RECHERCHE),
    ):
        assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")
    _rien_n_a_change(monde["doublon"])


# --- finding the structure --------------------------------------------------------------------------------


def test_la_recherche_trouve_toute_structure_par_identifiant_ou_nom_et_mene_au_doublon(client, monde):
    connecter(client, monde["agent"])
    contenu = client.get(RECHERCHE, {"q": "boulangerie dupont"}).content.decode()
    assert "2 structures trouvées" in contenu
    assert _url(monde["doublon"]) in contenu and "Marquer comme doublon" in contenu
    contenu = client.get(RECHERCHE, {"q": monde["doublon"].identifiant[:9]}).content.decode()
    assert "Boulangerie Dupont bis" in contenu and "Autre entreprise" not in contenu
    assert "Aucune structure ne correspond" in client.get(RECHERCHE, {"q": "introuvable"}).content.decode()
    assert (
        "Saisissez un identifiant (SIRET…) ou une raison sociale." in client.get(RECHERCHE, {"q": ""}).content.decode()
    )


def test_le_menu_du_support_mene_a_la_recherche(client, monde):
    connecter(client, monde["agent"])
    assert RECHERCHE in client.get(reverse("organisation:support_structures")).content.decode()


@pytest.mark.parametrize("nombre", [2, 15])
def test_la_recherche_garde_un_nombre_fixe_de_requetes(client, monde, nombre, django_assert_max_num_queries):
    for i in range(nombre):
        s = StructureFactory(raison_sociale=f"Boulangerie numéro {i}", identifiant=siret_fictif(100 + i))
        if i % 2:
            Structure.objects.filter(pk=s.pk).update(
                statut=StatutStructure.INACTIVE, structure_origine=monde["origine"]
            )
    connecter(client, monde["agent"])
    with django_assert_max_num_queries(12):
        reponse = client.get(RECHERCHE, {"q": "boulangerie"})
    assert reponse.status_code == 200 and "Doublon de Boulangerie Dupont" in reponse.content.decode()


# --- the happy path ---------------------------------------------------------------------------------------


def test_marquer_un_doublon_apres_confirmation(client, monde, django_capture_on_commit_callbacks):
    doublon, origine = monde["doublon"], monde["origine"]
    connecter(client, monde["agent"])
    assert "Vérifier la structure d'origine" in client.get(_url(doublon)).content.decode()

    # first step: the agent sees both structures before anything changes
    reponse = client.post(
        _url(doublon), _saisie(origine, identifiant=f" {origine.identifiant[:9]} {origine.identifiant[9:]}")
    )
    contenu = reponse.content.decode()
    assert "Confirmer le doublon" in contenu and "Boulangerie Dupont</strong>" in contenu and MOTIF in contenu
    doublon.refresh_from_db()
    assert doublon.statut == StatutStructure.ACTIVE

    reponse = _marquer(client, doublon, origine, django_capture_on_commit_callbacks)
    assert reponse.status_code == 302 and reponse.url.startswith(RECHERCHE)
    doublon.refresh_from_db()
    assert doublon.statut == StatutStructure.INACTIVE and doublon.structure_origine == origine
    ligne = doublon.historique.get(action="marquer_doublon")
    assert (ligne.de_statut, ligne.vers_statut, ligne.motif, ligne.par) == (
        StatutStructure.ACTIVE, StatutStructure.INACTIVE, MOTIF, monde["agent"]
    )  # fmt: skip
    # nothing else ends: the users still see where to go
    assert set(doublon.rattachements.values_list("statut", flat=True)) == {StatutRattachement.ACTIF}
    (courriel,) = mail.outbox
    assert courriel.to == ["gaelle.principale@exemple.fr"]
    assert "Boulangerie Dupont bis" in courriel.subject and "Boulangerie Dupont" in courriel.subject
    assert f"Boulangerie Dupont (SIRET {origine.identifiant})" in courriel.body
    assert "demandez un rattachement à la structure d'origine Boulangerie Dupont" in courriel.body
    assert MOTIF in courriel.body
    suite = client.get(reponse.url)
    assert "est marquée comme doublon de Boulangerie Dupont" in suite.content.decode()


def test_une_structure_publique_en_attente_peut_etre_un_doublon(monde, django_capture_on_commit_callbacks):
    origine = _activer(StructureFactory(est_publique=True, raison_sociale="Mairie", identifiant=siret_fictif(31)))
    doublon = StructureFactory(est_publique=True, raison_sociale="Mairie bis", identifiant=siret_fictif(32))
    with django_capture_on_commit_callbacks(execute=True):
        structure_marquer_doublon(agent=monde["agent"], doublon=doublon, origine=origine, motif=MOTIF)
    doublon.refresh_from_db()
    assert doublon.statut == StatutStructure.INACTIVE and doublon.structure_origine == origine
    assert doublon.historique.get(action="marquer_doublon").de_statut == StatutStructure.EN_ATTENTE_VALIDATION


# --- refusals ---------------------------------------------------------------------------------------------


def _refus(client, monde, capture, doublon, origine, message, statut=StatutStructure.ACTIVE, **saisie):
    connecter(client, monde["agent"])
    reponse = _marquer(client, doublon, origine, capture, **saisie)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    _rien_n_a_change(doublon, statut)


def test_refus_meme_structure(client, monde, django_capture_on_commit_callbacks):
    d = monde["doublon"]
    _refus(client, monde, django_capture_on_commit_callbacks, d, d,
           "Une structure ne peut pas être le doublon d&#x27;elle-même")  # fmt: skip


def test_refus_origine_elle_meme_doublon(client, monde, django_capture_on_commit_callbacks):
    premiere = StructureFactory(raison_sociale="Boulangerie première", identifiant=siret_fictif(24))
    structure_marquer_doublon(agent=monde["agent"], doublon=monde["origine"], origine=premiere, motif=MOTIF)
    mail.outbox.clear()
    _refus(
        client, monde, django_capture_on_commit_callbacks, monde["doublon"], monde["origine"],
        f"est elle-même un doublon de Boulangerie première (SIRET {premiere.identifiant}) : désignez cette dernière "
        "comme structure d&#x27;origine.",
    )  # fmt: skip


def test_refus_origine_non_active(client, monde, django_capture_on_commit_callbacks):
    doublon = _activer(StructureFactory(est_publique=True, raison_sociale="Mairie bis", identifiant=siret_fictif(33)))
    origine = StructureFactory(est_publique=True, raison_sociale="Mairie", identifiant=siret_fictif(34))
    _refus(client, monde, django_capture_on_commit_callbacks, doublon, origine,
           "La structure d&#x27;origine doit être active ; Mairie")  # fmt: skip


def test_refus_nature_differente(client, monde, django_capture_on_commit_callbacks):
    publique = _activer(StructureFactory(est_publique=True, raison_sociale="Mairie", identifiant=siret_fictif(35)))
    message = "Une structure publique ne peut pas être le doublon d&#x27;une structure privée"
    _refus(client, monde, django_capture_on_commit_callbacks, monde["doublon"], publique, message)
    _refus(client, monde, django_capture_on_commit_callbacks, publique, monde["origine"], message)


def test_refus_identifiant_inconnu(client, monde, django_capture_on_commit_callbacks):
    connecter(client, monde["agent"])
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(_url(monde["doublon"]), {"type_identifiant": TypeIdentifiant.SIRET,
                                                        "identifiant": siret_fictif(99), "motif": MOTIF,
                                                        "confirmer": "1"})  # fmt: skip
    assert "Aucune structure n&#x27;est enregistrée avec l&#x27;identifiant" in reponse.content.decode()
    _rien_n_a_change(monde["doublon"])


@pytest.mark.parametrize(
    "saisie, message",
    [
        ({"motif": ""}, "Saisissez le motif : il est communiqué au gestionnaire principal du doublon."),
        ({"motif": "x" * 256}, "Le motif ne peut pas dépasser 255 caractères."),
        ({"identifiant": ""}, "Saisissez l&#x27;identifiant de la structure d&#x27;origine."),
        ({"type_identifiant": "AUTRE"}, "Choisissez un type d&#x27;identifiant de la liste."),
    ],
)
def test_refus_saisie_incomplete(client, monde, django_capture_on_commit_callbacks, saisie, message):
    _refus(client, monde, django_capture_on_commit_callbacks, monde["doublon"], monde["origine"], message, **saisie)


def test_refus_doublon_deja_inactif(client, monde, django_capture_on_commit_callbacks):
    autre = StructureFactory(raison_sociale="Boulangerie ter", identifiant=siret_fictif(25))
    structure_marquer_doublon(agent=monde["agent"], doublon=monde["doublon"], origine=autre, motif=MOTIF)
    mail.outbox.clear()
    connecter(client, monde["agent"])
    reponse = _marquer(client, monde["doublon"], monde["origine"], django_capture_on_commit_callbacks)
    assert "Action « Marquer comme doublon » impossible au statut « Inactive »." in reponse.content.decode()
    monde["doublon"].refresh_from_db()
    assert monde["doublon"].structure_origine == autre and mail.outbox == []


def test_refus_structure_d_origine_d_autres_doublons(monde):
    structure_marquer_doublon(agent=monde["agent"], doublon=monde["doublon"], origine=monde["origine"], motif=MOTIF)
    autre = StructureFactory(raison_sociale="Boulangerie ter", identifiant=siret_fictif(26))
    with pytest.raises(ApplicationError, match="est la structure d'origine d'autres doublons"):
        structure_marquer_doublon(agent=monde["agent"], doublon=monde["origine"], origine=autre, motif=MOTIF)
    assert Structure.objects.get(pk=monde["origine"].pk).statut == StatutStructure.ACTIVE


def test_le_service_refuse_qui_n_est_pas_agent(monde):
    with pytest.raises(ApplicationError, match="Seul un agent du support"):
        structure_marquer_doublon(agent=monde["gp"], doublon=monde["doublon"], origine=monde["origine"], motif=MOTIF)
    _rien_n_a_change(monde["doublon"])


# --- display ----------------------------------------------------------------------------------------------


@pytest.fixture
def marque(monde):
    structure_marquer_doublon(agent=monde["agent"], doublon=monde["doublon"], origine=monde["origine"], motif=MOTIF)
    monde["doublon"].refresh_from_db()
    return monde


def test_la_structure_d_origine_liste_ses_doublons(client, marque):
    connecter(client, marque["gp_origine"])
    contenu = client.get(reverse("organisation:structure", args=[marque["origine"].pk])).content.decode()
    assert f"Structures dupliquées : Boulangerie Dupont bis ({marque['doublon'].identifiant})" in contenu


def test_la_page_du_doublon_nomme_sa_structure_d_origine_a_ses_utilisateurs(client, marque):
    for utilisateur in (marque["gp"], marque["lecteur"]):
        connecter(client, utilisateur)
        reponse = client.get(reverse("organisation:structure", args=[marque["doublon"].pk]))
        contenu = reponse.content.decode().replace("&#x27;", "'")
        assert f"Cette structure est un doublon de Boulangerie Dupont ({marque['origine'].identifiant})" in contenu
        assert "demandez un rattachement à la structure d'origine Boulangerie Dupont" in contenu
        assert "Modifier la fiche" not in contenu  # read-only: the structure is inactive
    connecter(client, marque["etranger"])
    assert client.get(reverse("organisation:structure", args=[marque["doublon"].pk])).status_code == 404


def test_l_annuaire_montre_les_doublons_de_la_structure_d_origine(client, monde):
    origine = _activer(StructureFactory(est_publique=True, raison_sociale="Mairie", identifiant=siret_fictif(36)))
    doublon = _activer(StructureFactory(est_publique=True, raison_sociale="Mairie bis", identifiant=siret_fictif(37)))
    structure_marquer_doublon(agent=monde["agent"], doublon=doublon, origine=origine, motif=MOTIF)
    connecter(client, monde["etranger"])
    contenu = client.get(reverse("organisation:annuaire_structure", args=[origine.pk])).content.decode()
    assert f"Mairie bis (SIRET {doublon.identifiant})" in contenu and "Structures dupliquées" in contenu
    assert client.get(reverse("organisation:annuaire_structure", args=[doublon.pk])).status_code == 404
