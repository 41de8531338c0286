"""axe-core finds no violation on the pages of the users of a structure, approvals and the gestionnaire principal
transfer, in the states a user meets them (results, errors, pending changes, confirmation)."""

import pytest
from django.test import Client

from organisation.enums import Application, Niveau
from organisation.models import Rattachement, Service
from organisation.services.rattachements import (
    habilitation_demander,
    habilitations_modifier,
    profils_par_defaut,
    rattachement_demander,
)
from tests.conftest import connecter
from tests.e2e.test_accessibilite import violations
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RECHERCHE = "/organisation/rattachement/demander/"


@pytest.fixture
def monde(db):
    gp = UtilisateurFactory(prenom="Gaëlle", nom="Principale")
    structure = StructureFactory(gestionnaire=gp, raison_sociale="Boulangerie du Port")
    service = Service.objects.create(structure=structure, code="S1", libelle="Comptabilité")
    lecteur = UtilisateurFactory(prenom="Luc", nom="Lecteur")
    fiche = rattacher(lecteur, structure, *profils_par_defaut())
    demandeur = UtilisateurFactory(prenom="Denise", nom="Demandeuse")
    demande = rattachement_demander(utilisateur=demandeur, structure=structure, services=[service], message="Bonjour")
    habilitation_demander(rattachement=fiche, par=lecteur, application=Application.ORGANISATION,
                          niveau=Niveau.MODIFICATION)  # fmt: skip
    habilitations_modifier(
        rattachement=fiche, par=gp, habilitations=[(Application.ORGANISATION, Niveau.CONSULTATION, service)]
    )
    return {"gp": gp, "structure": structure, "lecteur": lecteur, "fiche": fiche, "demande": demande,
            "demandeur": demandeur}  # fmt: skip


def ouvrir(page, live_server, utilisateur, url):
    client = connecter(Client(), utilisateur)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + url)


def adresses(monde):
    s, f, d = monde["structure"], monde["fiche"], monde["demande"]
    gp_fiche = Rattachement.objects.get(structure=s, est_gestionnaire_principal=True)
    return {
        "recherche": RECHERCHE,
        "recherche_trouvee": f"{RECHERCHE}?type_identifiant=SIRET&identifiant={s.identifiant}",
        "recherche_vaine": f"{RECHERCHE}?type_identifiant=SIRET&identifiant=123",
        "approbations": "/organisation/approbations/",
        "refuser": f"/organisation/approbations/rattachements/{d.pk}/refuser/",
        "utilisateurs": f"/organisation/structures/{s.pk}/utilisateurs/",
        "utilisateur": f"/organisation/structures/{s.pk}/utilisateurs/{f.pk}/",
        "utilisateur_gp": f"/organisation/structures/{s.pk}/utilisateurs/{gp_fiche.pk}/",
        "terminer": f"/organisation/structures/{s.pk}/utilisateurs/{f.pk}/terminer/",
        "transfert": "/organisation/gestionnaire-principal/transferer/",
        "transfert_structures": "/organisation/gestionnaire-principal/transferer/?mode=partiel",
        "transfert_cibles": "/organisation/gestionnaire-principal/transferer/?mode=plusieurs",
        "mon_compte": "/mon-compte/",
    }


@pytest.mark.parametrize(
    "nom",
    [
        "recherche", "recherche_trouvee", "recherche_vaine", "approbations", "refuser", "utilisateurs",
        "utilisateur", "utilisateur_gp", "terminer", "transfert", "transfert_structures", "transfert_cibles",
    ],
)  # fmt: skip
def test_pages_du_gestionnaire(live_server, page, monde, nom):
    ouvrir(page, live_server, monde["gp"], adresses(monde)[nom])
    assert violations(page) == []


@pytest.mark.parametrize("nom", ["utilisateurs", "utilisateur", "approbations", "mon_compte"])
def test_pages_du_lecteur(live_server, page, monde, nom):
    ouvrir(page, live_server, monde["lecteur"], adresses(monde)[nom])
    assert violations(page) == []


def test_demander_un_profil_et_mon_compte_avec_une_demande(live_server, page, monde):
    ouvrir(page, live_server, monde["lecteur"], f"/organisation/structures/{monde['structure'].pk}/profils/demander/")
    assert violations(page) == []
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_selector("#resume-erreurs")
    assert violations(page) == []
    ouvrir(page, live_server, monde["demandeur"], "/mon-compte/")
    assert violations(page) == []


def test_formulaires_en_erreur_et_confirmation(live_server, page, monde):
    ouvrir(page, live_server, monde["gp"], adresses(monde)["refuser"])
    page.get_by_role("button", name="Refuser la demande").click()
    page.wait_for_selector("#resume-erreurs")
    assert violations(page) == []
    page.goto(live_server.url + adresses(monde)["transfert"])
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_selector("#resume-erreurs")
    assert violations(page) == []
    page.goto(live_server.url + adresses(monde)["transfert_cibles"])
    page.get_by_label("Nouveau gestionnaire principal de Boulangerie du Port").select_option(
        label=f"Luc Lecteur ({monde['lecteur'].email})"
    )
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_selector("#recapitulatif-transfert")
    assert violations(page) == []
