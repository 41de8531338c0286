"""An invalid search lists nothing and says why, on every list page with filters: one mechanism
(chorus.recherche.RechercheListe), the search form's `filtrer()` applied to the page's rows and to its exports."""

import pytest
from django import forms

from chorus.recherche import MESSAGE_INVALIDE, RechercheListe
from communication.forms import MesMessagesForm
from facturation.views.emises.forms import RechercheForm as RechercheEmisesForm
from facturation.views.recues.forms import RechercheForm as RechercheRecuesForm
from facturation.views.validation.forms import RechercheForm as RechercheValidationForm
from organisation.forms_support import RechercheAnnuaireForm
from organisation.forms_utilisateurs import FiltreUtilisateursForm
from organisation.models import Structure
from raccordement.forms import FiltreComptesForm, FiltreFichesForm
from raccordement.forms_flux import SuiviFluxForm
from support.forms import FiltresAgentForm, FiltresForm
from travaux.forms.listes import ArchivesForm, ListeFiscaleForm, SyntheseForm
from travaux.forms.listes import RechercheForm as RechercheTravauxForm


class Essai(RechercheListe, forms.Form):
    du = forms.DateField(required=False)


@pytest.mark.django_db
def test_une_recherche_invalide_ne_liste_rien_et_dit_pourquoi():
    tout = Structure.objects.all()
    invalide = Essai({"du": "31/02/2026"})
    assert list(invalide.filtrer(tout)) == [] and invalide.recherche_invalide
    assert invalide.message_invalide == MESSAGE_INVALIDE
    assert "du" in invalide.errors  # the field's own error stays, named
    # no search, or a valid one, filters as the page's selector says
    assert Essai().filtrer(tout) is tout
    assert Essai({"du": "01/02/2026"}).filtrer(tout) is tout


@pytest.mark.parametrize(
    "formulaire",
    [
        RechercheEmisesForm,
        RechercheRecuesForm,
        RechercheValidationForm,
        SyntheseForm,
        RechercheTravauxForm,
        ListeFiscaleForm,
        ArchivesForm,
        SuiviFluxForm,
        FiltreComptesForm,
        FiltreFichesForm,
        MesMessagesForm,
        FiltreUtilisateursForm,
        RechercheAnnuaireForm,
        FiltresForm,
        FiltresAgentForm,
    ],
)
def test_chaque_liste_filtree_a_le_meme_mecanisme(formulaire):
    assert issubclass(formulaire, RechercheListe)


@pytest.mark.django_db
def test_la_liste_des_sollicitations_avec_un_filtre_invalide_est_vide(client):
    from tests.conftest import connecter
    from tests.factories import UtilisateurFactory

    utilisateur = UtilisateurFactory()
    connecter(client, utilisateur)
    reponse = client.get("/support/sollicitations/", {"statut": "INCONNU"})
    assert reponse.status_code == 200
    assert list(reponse.context["page_obj"]) == []
    assert MESSAGE_INVALIDE in reponse.content.decode().replace("&#x27;", "'")
