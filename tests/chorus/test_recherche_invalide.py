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


class EssaiTri(RechercheListe, forms.Form):
    du = forms.DateField(required=False)
    tri = forms.ChoiceField(required=False, choices=[("", "Par défaut"), ("nom", "Nom")])


def test_un_tri_forge_n_est_pas_un_critere():
    # a hand-made link's unknown sort keeps the default order and the filters typed with it
    form = EssaiTri({"du": "2026-02-01", "tri": "password"})
    assert form.is_valid() and form.cleaned_data["tri"] == "" and form.cleaned_data["du"].day == 1
    assert not form.recherche_invalide


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
