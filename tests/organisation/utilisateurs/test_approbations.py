from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from chorus.models import ModificationDifferee
from chorus.tasks import appliquer_modifications_en_retard
from organisation.enums import Application, Niveau, StatutRattachement
from organisation.habilitations import peut, toutes_les_habilitations
from organisation.models import DemandeHabilitation, Rattachement
from organisation.services.rattachements import habilitation_demander, rattachement_demander
from tests.factories import UtilisateurFactory
from tests.organisation.utilisateurs.conftest import client_de, texte

APPROBATIONS = reverse("organisation:approbations")
MOTIF_OBLIGATOIRE = "Saisissez le motif du refus : il est communiqué au demandeur."
ORGA, MODIF, CONSULT = Application.ORGANISATION, Niveau.MODIFICATION, Niveau.CONSULTATION


@pytest.fixture
def demande(demandeur, structure):
    return rattachement_demander(utilisateur=demandeur, structure=structure, message="Je gère les achats.")


@pytest.fixture
def demande_profil(lecteur, structure):
    return habilitation_demander(
        rattachement=lecteur.rattachements.get(structure=structure), par=lecteur, application=ORGA, niveau=MODIF
    )


def accepter(client, demande, capture):
    with capture(execute=True):
        return client.post(reverse("organisation:rattachement_accepter", args=[demande.pk]))


def refuser(client, demande, capture, motif):
    with capture(execute=True):
        return client.post(reverse("organisation:rattachement_refuser", args=[demande.pk]), {"motif": motif})


def test_le_gestionnaire_voit_les_demandes_en_attente(gp, demande, demande_profil, services):
    demande.services.set([services[0]])
    page = texte(client_de(gp).get(APPROBATIONS))
    assert "Denise Demandeuse" in page and "denise.demandeuse@exemple.fr" in page
    assert "Mairie de Testville" in page
    assert "Services : S1 – Comptabilité" in page
    assert "Je gère les achats." in page
    assert demande.cree_le.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in page
    assert "Luc Lecteur" in page and "Organisation – modification (toute la structure)" in page


def test_etats_vides(gp, structure):
    page = texte(client_de(gp).get(APPROBATIONS))
    assert "Aucune demande de rattachement n'attend votre approbation." in page
    assert "Aucune demande de profil n'attend votre approbation." in page


def test_sans_organisation_modification_la_page_explique_et_ne_montre_rien(lecteur, demande, demande_profil):
    reponse = client_de(lecteur).get(APPROBATIONS)
    assert reponse.status_code == 200
    page = texte(reponse)
    assert "Vous n'avez rien à approuver" in page
    assert "Denise Demandeuse" not in page and "Organisation – modification (toute" not in page
    sans_structure = texte(client_de(UtilisateurFactory()).get(APPROBATIONS))
    assert "Vous n'avez rien à approuver" in sans_structure


def test_accepter_donne_les_profils_par_defaut(gp, demande, demandeur, structure, django_capture_on_commit_callbacks):
    reponse = accepter(client_de(gp), demande, django_capture_on_commit_callbacks)
    assert reponse.status_code == 302 and reponse.url == APPROBATIONS
    demande.refresh_from_db()
    assert demande.statut == StatutRattachement.ACTIF and demande.traite_par == gp
    profils = set(demande.habilitations.values_list("application", "niveau", "service"))
    attendus = {(a, n, None) for a, n in toutes_les_habilitations() if a != ORGA} | {(ORGA, CONSULT, None)}
    assert profils == attendus
    assert not peut(demandeur, ORGA, MODIF, structure) and peut(demandeur, ORGA, CONSULT, structure)
    assert [m.to for m in mail.outbox] == [[demandeur.email]]
    assert "a été acceptée" in mail.outbox[0].body
    assert "Denise Demandeuse" not in texte(client_de(gp).get(APPROBATIONS))


def test_accepter_une_demande_limitee_a_des_services(gp, demande, services, django_capture_on_commit_callbacks):
    demande.services.set(services)
    accepter(client_de(gp), demande, django_capture_on_commit_callbacks)
    profils = list(demande.habilitations.values_list("application", "niveau", "service"))
    assert {s for _a, _n, s in profils} == {services[0].pk, services[1].pk}
    assert (ORGA, MODIF, services[0].pk) not in profils and (ORGA, CONSULT, services[0].pk) in profils
    assert len(profils) == 2 * len(Application)


def test_refuser_demande_un_motif(gp, demande, django_capture_on_commit_callbacks):
    client = client_de(gp)
    page = texte(client.get(reverse("organisation:rattachement_refuser", args=[demande.pk])))
    assert "Denise Demandeuse" in page and "Motif du refus" in page
    for motif in ["", "   "]:
        reponse = refuser(client, demande, django_capture_on_commit_callbacks, motif)
        assert reponse.status_code == 200 and MOTIF_OBLIGATOIRE in texte(reponse)
    demande.refresh_from_db()
    assert demande.statut == StatutRattachement.EN_ATTENTE and mail.outbox == []


def test_refuser_envoie_le_motif_au_demandeur(gp, demande, demandeur, django_capture_on_commit_callbacks):
    reponse = refuser(client_de(gp), demande, django_capture_on_commit_callbacks, "Vous ne travaillez pas ici.")
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert demande.statut == StatutRattachement.REFUSE and demande.motif_refus == "Vous ne travaillez pas ici."
    assert not demande.habilitations.exists()
    (courriel,) = mail.outbox
    assert courriel.to == [demandeur.email] and "Vous ne travaillez pas ici." in courriel.body
    compte = texte(client_de(demandeur).get(reverse("organisation:mon_compte")))
    assert "Demande refusée" in compte and "Motif du refus : Vous ne travaillez pas ici." in compte


def test_une_demande_deja_traitee(gp, demande, django_capture_on_commit_callbacks):
    client = client_de(gp)
    client.get(accepter(client, demande, django_capture_on_commit_callbacks).url)
    reponse = accepter(client, demande, django_capture_on_commit_callbacks)
    assert "Cette demande a déjà été traitée." in texte(client.get(reponse.url))
    reponse = refuser(client, demande, django_capture_on_commit_callbacks, "Trop tard")
    assert "Cette demande a déjà été traitée." in texte(client.get(reponse.url))
    demande.refresh_from_db()
    assert demande.statut == StatutRattachement.ACTIF and demande.motif_refus == ""


@pytest.mark.parametrize("qui", ["lecteur", "etranger"])
def test_ni_un_lecteur_ni_un_etranger_ne_traitent_les_demandes(
    qui, request, demande, demande_profil, django_capture_on_commit_callbacks
):
    client = client_de(request.getfixturevalue(qui))
    assert accepter(client, demande, django_capture_on_commit_callbacks).status_code == 404
    assert refuser(client, demande, django_capture_on_commit_callbacks, "Non").status_code == 404
    assert client.get(reverse("organisation:rattachement_refuser", args=[demande.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        profil_accepte = client.post(reverse("organisation:demande_profil_accepter", args=[demande_profil.pk]))
        profil_refuse = client.post(
            reverse("organisation:demande_profil_refuser", args=[demande_profil.pk]), {"motif": "Non"}
        )
    assert profil_accepte.status_code == 404 and profil_refuse.status_code == 404
    demande.refresh_from_db()
    demande_profil.refresh_from_db()
    assert demande.statut == StatutRattachement.EN_ATTENTE
    assert demande_profil.statut == StatutRattachement.EN_ATTENTE
    assert not ModificationDifferee.objects.exists()


def test_demander_un_profil_puis_l_obtenir_apres_le_delai(gp, lecteur, structure, django_capture_on_commit_callbacks):
    url = reverse("organisation:demander_profil", args=[structure.pk])
    client = client_de(lecteur)
    page = texte(client.get(url + "?profil=ORGANISATION:MODIFICATION"))
    assert '<option value="ORGANISATION:MODIFICATION" selected>Organisation – modification</option>' in page
    assert "Factures émises – modification" not in page  # already has it
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"profil": "ORGANISATION:MODIFICATION"}, follow=True)
    assert "Votre demande du profil « Organisation – modification » est envoyée" in texte(reponse)
    assert "En attente d'approbation" in texte(reponse)
    assert [m.to for m in mail.outbox] == [[gp.email]]
    demande = DemandeHabilitation.objects.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client_de(gp).post(reverse("organisation:demande_profil_accepter", args=[demande.pk]), follow=True)
    assert "Le profil « Organisation – modification » est accordé à Luc Lecteur." in texte(reponse)
    assert [m.to for m in mail.outbox] == [[lecteur.email]] and "acceptée" in mail.outbox[0].body
    assert not peut(lecteur, ORGA, MODIF, structure)  # delayed
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        appliquer_modifications_en_retard()
    assert peut(lecteur, ORGA, MODIF, structure)
    assert peut(lecteur, Application.FACTURES_EMISES, MODIF, structure)  # the other profiles are kept
    assert "Acceptée" in texte(client.get(url))


def test_refuser_une_demande_de_profil(gp, lecteur, demande_profil, structure, django_capture_on_commit_callbacks):
    url = reverse("organisation:demande_profil_refuser", args=[demande_profil.pk])
    client = client_de(gp)
    with django_capture_on_commit_callbacks(execute=True):
        vide = client.post(url, {"motif": ""})
    assert MOTIF_OBLIGATOIRE in texte(vide) and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"motif": "Un seul gestionnaire suffit."})
    demande_profil.refresh_from_db()
    assert demande_profil.statut == StatutRattachement.REFUSE
    assert mail.outbox[0].to == [lecteur.email] and "Un seul gestionnaire suffit." in mail.outbox[0].body
    page = texte(client_de(lecteur).get(reverse("organisation:demander_profil", args=[structure.pk])))
    assert "Refusée" in page and "Un seul gestionnaire suffit." in page


def test_demander_deux_fois_le_meme_profil(lecteur, demande_profil, structure, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client_de(lecteur).post(
            reverse("organisation:demander_profil", args=[structure.pk]), {"profil": "ORGANISATION:MODIFICATION"}
        )
    assert "Cette demande est déjà en attente d'approbation." in texte(reponse)
    assert DemandeHabilitation.objects.count() == 1


def test_demander_un_profil_sans_choisir_ou_un_profil_inconnu(lecteur, structure):
    url = reverse("organisation:demander_profil", args=[structure.pk])
    client = client_de(lecteur)
    assert "Choisissez le profil que vous demandez." in texte(client.post(url, {"profil": ""}))
    assert "Choisissez un profil de la liste." in texte(client.post(url, {"profil": "FACTURES_EMISES:MODIFICATION"}))
    assert not DemandeHabilitation.objects.exists()


def test_demander_un_profil_hors_de_ses_structures(etranger, structure, demandeur, demande):
    url = reverse("organisation:demander_profil", args=[structure.pk])
    assert client_de(etranger).get(url).status_code == 404
    assert client_de(demandeur).get(url).status_code == 404  # a pending request is not an attachment
    assert client_de(None).get(url).url.startswith("/connexion/")
    assert not Rattachement.objects.filter(utilisateur=etranger, structure=structure).exists()


def test_nombre_de_requetes_fixe(gp, structure, services, django_assert_max_num_queries):
    def demandes(n):
        for _ in range(n):
            utilisateur = UtilisateurFactory()
            rattachement_demander(utilisateur=utilisateur, structure=structure, services=services)
            collegue = UtilisateurFactory()
            rattachement = Rattachement.objects.create(
                utilisateur=collegue, structure=structure, statut=StatutRattachement.ACTIF
            )
            habilitation_demander(rattachement=rattachement, par=collegue, application=ORGA, niveau=MODIF)

    client = client_de(gp)
    demandes(2)
    client.get(APPROBATIONS)
    with django_assert_max_num_queries(12) as deux:
        assert client.get(APPROBATIONS).status_code == 200
    demandes(13)
    with django_assert_max_num_queries(len(deux.captured_queries)):
        page = texte(client.get(APPROBATIONS))
    # Accepter and Refuser on each line
    assert page.count("> la demande de ") == 30 and page.count("> le profil demandé par ") == 30
