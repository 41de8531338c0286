from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from chorus.models import ModificationDifferee
from chorus.tasks import appliquer_modifications_en_retard
from organisation.enums import Application, Niveau, StatutRattachement
from organisation.habilitations import peut
from organisation.models import Rattachement
from tests.factories import UtilisateurFactory
from tests.organisation.utilisateurs.conftest import client_de, texte

ORGA, EMISES, RECUES = Application.ORGANISATION, Application.FACTURES_EMISES, Application.FACTURES_RECUES
CONSULT, MODIF = Niveau.CONSULTATION, Niveau.MODIFICATION


def url(rattachement, nom="utilisateur"):
    return reverse(f"organisation:{nom}", args=[rattachement.structure_id, rattachement.pk])


@pytest.fixture
def fiche(lecteur, structure):
    return Rattachement.objects.get(utilisateur=lecteur, structure=structure)


@pytest.fixture
def fiche_gp(gp, structure):
    return Rattachement.objects.get(utilisateur=gp, structure=structure)


def grille(rattachement, **changements):
    """The grid as posted: the current profiles, with some cells changed ("" is "aucun")."""
    donnees = {f"{h.application}__{h.service_id or 'structure'}": h.niveau for h in rattachement.habilitations.all()}
    donnees.update(changements)
    return donnees


def test_le_gestionnaire_voit_la_grille_des_profils(gp, fiche, services):
    page = texte(client_de(gp).get(url(fiche)))
    assert "Luc Lecteur" in page and "luc.lecteur@exemple.fr" in page
    assert "Toute la structure" in page and "Service S1" in page and "Service S2" in page
    assert '<select name="ORGANISATION__structure"' in page
    assert '<option value="CONSULTATION" selected>Consultation</option>' in page
    assert "Enregistrer les profils" in page and "Mettre fin au rattachement" in page
    assert "prennent effet après un délai" in page


def test_modifier_les_profils_est_differe(gp, lecteur, fiche, structure, services):
    client = client_de(gp)
    donnees = grille(fiche, ORGANISATION__structure="", **{f"ORGANISATION__{services[0].pk}": MODIF})
    donnees["FACTURES_EMISES__structure"] = CONSULT
    reponse = client.post(url(fiche), donnees, follow=True)
    page = texte(reponse)
    modification = ModificationDifferee.objects.get()
    effective = timezone.localtime(modification.effective_le)
    assert "La modification des profils de Luc Lecteur est enregistrée. Elle prendra effet le" in page
    assert (
        f"Modification en attente : Modification des profils de Luc Lecteur, effective le "
        f"{effective:%d/%m/%Y} à {effective:%H} h {effective:%M}"
    ) in page
    assert "Modification en attente : Modification des profils de Luc Lecteur" in texte(
        client.get(reverse("organisation:utilisateurs", args=[structure.pk]))
    )
    # nothing changes before the delay
    assert peut(lecteur, ORGA, CONSULT, structure) and peut(lecteur, EMISES, MODIF, structure)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        appliquer_modifications_en_retard()
    assert not peut(lecteur, ORGA, CONSULT, structure)
    assert peut(lecteur, ORGA, MODIF, structure, services[0])
    assert not peut(lecteur, ORGA, CONSULT, structure, services[1])
    assert peut(lecteur, EMISES, CONSULT, structure) and not peut(lecteur, EMISES, MODIF, structure)
    assert "Modification en attente" not in texte(client.get(url(fiche)))


def test_un_niveau_inconnu_est_refuse(gp, fiche):
    reponse = client_de(gp).post(url(fiche), grille(fiche, ORGANISATION__structure="ADMIN"))
    assert reponse.status_code == 200
    assert "Choisissez aucun, consultation ou modification." in texte(reponse)
    assert not ModificationDifferee.objects.exists()


def test_les_profils_du_gestionnaire_principal_ne_se_modifient_pas(gp, fiche_gp):
    client = client_de(gp)
    page = texte(client.get(url(fiche_gp)))
    assert "ils ne se modifient pas" in page and "<select" not in page.split("<h2>Profils</h2>")[1]
    assert "Mettre fin au rattachement" not in page
    reponse = client.post(url(fiche_gp), {"ORGANISATION__structure": CONSULT})
    assert "Le gestionnaire principal a tous les profils : ils ne se modifient pas." in texte(reponse)
    assert not ModificationDifferee.objects.exists()


def test_un_lecteur_voit_les_profils_sans_pouvoir_les_modifier(lecteur, fiche, fiche_gp):
    client = client_de(lecteur)
    page = texte(client.get(url(fiche_gp)))
    assert "Gaëlle Principale" in page and "<select" not in page.split("<h2>Profils</h2>")[1]
    autre = texte(client.get(url(fiche)))
    assert "Consultation" in autre and "Enregistrer les profils" not in autre
    reponse = client.post(url(fiche), grille(fiche, ORGANISATION__structure=MODIF), follow=True)
    assert "il faut le profil « Organisation – modification »" in texte(reponse)
    assert not ModificationDifferee.objects.exists()


def test_un_etranger_ou_un_anonyme_n_y_ont_pas_acces(etranger, fiche):
    client = client_de(etranger)
    for nom in ["utilisateur", "utilisateur_terminer"]:
        assert client.get(url(fiche, nom)).status_code == 404
        assert client.post(url(fiche, nom), grille(fiche, ORGANISATION__structure=MODIF)).status_code == 404
        assert client_de(None).get(url(fiche, nom)).url.startswith("/connexion/")
    fiche.refresh_from_db()
    assert fiche.statut == StatutRattachement.ACTIF and not ModificationDifferee.objects.exists()


def test_un_rattachement_d_une_autre_structure_par_l_adresse_de_la_sienne(gp, structure, etranger):
    sien = etranger.rattachements.get()
    assert client_de(gp).get(reverse("organisation:utilisateur", args=[structure.pk, sien.pk])).status_code == 404


def test_mettre_fin_au_rattachement(gp, lecteur, fiche, structure, django_capture_on_commit_callbacks):
    client = client_de(gp)
    page = texte(client.get(url(fiche, "utilisateur_terminer")))
    assert "Luc Lecteur (luc.lecteur@exemple.fr) ne sera plus rattaché à la structure Mairie de Testville" in page
    assert fiche.statut == StatutRattachement.ACTIF  # the confirmation page changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url(fiche, "utilisateur_terminer"), follow=True)
    assert "Le rattachement de Luc Lecteur à la structure Mairie de Testville a pris fin." in texte(reponse)
    fiche.refresh_from_db()
    assert fiche.statut == StatutRattachement.TERMINE and not fiche.habilitations.exists()
    assert not peut(lecteur, ORGA, CONSULT, structure)
    assert [m.to for m in mail.outbox] == [[lecteur.email]]
    assert client.get(url(fiche)).status_code == 404


def test_le_gestionnaire_principal_ne_peut_pas_etre_detache(gp, fiche_gp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client_de(gp).post(url(fiche_gp, "utilisateur_terminer"), follow=True)
    assert "Le gestionnaire principal ne peut pas être détaché" in texte(reponse)
    fiche_gp.refresh_from_db()
    assert fiche_gp.statut == StatutRattachement.ACTIF and mail.outbox == []


def test_un_lecteur_ne_detache_personne_mais_peut_partir(
    lecteur, structure, fiche, django_capture_on_commit_callbacks
):
    collegue = UtilisateurFactory()
    sien = Rattachement.objects.create(utilisateur=collegue, structure=structure, statut=StatutRattachement.ACTIF)
    client = client_de(lecteur)
    with django_capture_on_commit_callbacks(execute=True):
        refus = client.post(url(sien, "utilisateur_terminer"), follow=True)
    assert "il faut le profil « Organisation – modification »" in texte(refus)
    sien.refresh_from_db()
    assert sien.statut == StatutRattachement.ACTIF
    assert "Mettre fin au rattachement" in texte(client.get(url(fiche)))
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url(fiche, "utilisateur_terminer"), follow=True)
    assert "Votre rattachement à la structure Mairie de Testville a pris fin." in texte(reponse)
    assert reponse.redirect_chain[-1][0] == reverse("organisation:mon_compte")
    fiche.refresh_from_db()
    assert fiche.statut == StatutRattachement.TERMINE
