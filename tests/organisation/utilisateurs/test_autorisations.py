"""Every page and action of the area, for each kind of visitor: the gestionnaire principal, a user attached with
every profile except "Organisation – modification", the gestionnaire of another structure, an anonymous visitor."""

import pytest
from django.urls import reverse

from chorus.models import ModificationDifferee
from organisation.enums import Application, Niveau, StatutRattachement
from organisation.models import DemandeHabilitation, Rattachement
from organisation.services.rattachements import habilitation_demander, rattachement_demander
from tests.factories import UtilisateurFactory
from tests.organisation.utilisateurs.conftest import client_de, rattacher_par_defaut

# (url name, method, arguments, data, expected status for gp / lecteur / etranger)
ROUTES = [
    ("demander_rattachement", "get", None, None, (200, 200, 200)),
    ("approbations", "get", None, None, (200, 200, 200)),
    ("rattachement_accepter", "post", "demande", {}, (302, 404, 404)),
    ("rattachement_refuser", "get", "demande", None, (200, 404, 404)),
    ("rattachement_refuser", "post", "demande", {"motif": "Inconnu"}, (302, 404, 404)),
    ("demande_profil_accepter", "post", "demande_profil", {}, (302, 404, 404)),
    ("demande_profil_refuser", "get", "demande_profil", None, (200, 404, 404)),
    ("demande_profil_refuser", "post", "demande_profil", {"motif": "Non"}, (302, 404, 404)),
    ("utilisateurs", "get", "structure", None, (200, 200, 404)),
    ("utilisateurs_csv", "get", "structure", None, (200, 200, 404)),
    ("utilisateurs_xlsx", "get", "structure", None, (200, 200, 404)),
    ("utilisateur", "get", "collegue", None, (200, 200, 404)),
    ("utilisateur", "post", "collegue", {"ORGANISATION__structure": "MODIFICATION"}, (302, 302, 404)),
    ("utilisateur_terminer", "get", "collegue", None, (200, 302, 404)),
    ("utilisateur_terminer", "post", "collegue", {}, (302, 302, 404)),
    ("demander_profil", "get", "structure", None, (200, 200, 404)),
    # the gp has every profile, the lecteur's request is already pending: both get the form back with the reason
    ("demander_profil", "post", "structure", {"profil": "ORGANISATION:MODIFICATION"}, (200, 200, 404)),
    ("transfert_gestionnaire", "get", None, None, (200, 404, 200)),
    ("transfert_gestionnaire", "post", None, {"cible": "0"}, (200, 404, 200)),
]
QUI = ["gp", "lecteur", "etranger"]


@pytest.fixture
def monde(gp, structure, lecteur, demandeur, etranger):
    collegue = UtilisateurFactory()
    return {
        "structure": structure,
        "demande": rattachement_demander(utilisateur=demandeur, structure=structure),
        "demande_profil": habilitation_demander(
            rattachement=lecteur.rattachements.get(),
            par=lecteur,
            application=Application.ORGANISATION,
            niveau=Niveau.MODIFICATION,
        ),
        "collegue": rattacher_par_defaut(collegue, structure),
    }


def adresse(nom, objet, monde):
    if objet is None:
        return reverse(f"organisation:{nom}") + ("?mode=un" if nom == "transfert_gestionnaire" else "")
    cible = monde[objet]
    if objet == "collegue":
        return reverse(f"organisation:{nom}", args=[cible.structure_id, cible.pk])
    return reverse(f"organisation:{nom}", args=[cible.pk])


def etat(monde):
    return (
        Rattachement.objects.get(pk=monde["demande"].pk).statut,
        DemandeHabilitation.objects.get(pk=monde["demande_profil"].pk).statut,
        Rattachement.objects.get(pk=monde["collegue"].pk).statut,
        ModificationDifferee.objects.count(),
    )


@pytest.mark.parametrize("nom, methode, objet, donnees, attendus", ROUTES, ids=[f"{r[0]}-{r[1]}" for r in ROUTES])
@pytest.mark.parametrize("qui", QUI)
def test_matrice(qui, nom, methode, objet, donnees, attendus, request, monde, django_capture_on_commit_callbacks):
    client = client_de(request.getfixturevalue(qui))
    avant = etat(monde)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = getattr(client, methode)(adresse(nom, objet, monde), donnees)
    assert reponse.status_code == attendus[QUI.index(qui)]
    if qui != "gp":
        assert etat(monde) == avant  # nothing done for anyone but the gestionnaire


@pytest.mark.parametrize("nom, methode, objet, donnees, attendus", ROUTES, ids=[f"{r[0]}-{r[1]}" for r in ROUTES])
def test_anonyme_redirige_vers_la_connexion(nom, methode, objet, donnees, attendus, monde):
    reponse = getattr(client_de(None), methode)(adresse(nom, objet, monde), donnees)
    assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")


def test_le_lecteur_ne_voit_pas_les_approbations_de_sa_structure(lecteur, monde):
    contexte = client_de(lecteur).get(reverse("organisation:approbations")).context
    assert not contexte["gestionnaire"]
    assert list(contexte["rattachements"]) == [] and list(contexte["demandes"]) == []


def test_les_effets_pour_le_gestionnaire(gp, monde, django_capture_on_commit_callbacks):
    client = client_de(gp)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(adresse("rattachement_accepter", "demande", monde))
        client.post(adresse("demande_profil_refuser", "demande_profil", monde), {"motif": "Non"})
        client.post(adresse("utilisateur", "collegue", monde), {"ORGANISATION__structure": "MODIFICATION"})
        client.post(adresse("utilisateur_terminer", "collegue", monde))
    assert etat(monde) == (
        StatutRattachement.ACTIF,
        StatutRattachement.REFUSE,
        StatutRattachement.TERMINE,
        1,
    )
