"""The <select> written in Python (chorus/formulaires.py) is the markup Django's templates write, byte for byte: a
page looks and reads the same to its users, assistive technologies and tests."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from chorus.formulaires import RenduFormulaires
from facturation.views.emises.forms import RechercheForm as RechercheEmises


class Formulaire(forms.Form):
    simple = forms.ChoiceField(
        choices=[("", "Tous"), ("A1", "A1 – Dépôt"), ("x", '<b>« chevrons » & "guillemets"</b>')]
    )
    groupes = forms.ChoiceField(
        choices=[("", "Choisir"), ("Motifs de rejet", [("r1", "Rejet 1"), ("r2", "Rejet 2")]), ("s", "Seul")],
        widget=forms.Select(attrs={"class": "fr-select", "aria-describedby": "aide", "disabled": True}),
    )
    plusieurs = forms.MultipleChoiceField(choices=[(1, "un"), (2, "deux"), (3, "trois")], required=False)
    vide = forms.ChoiceField(choices=[])
    booleen = forms.NullBooleanField()


@pytest.mark.parametrize(
    "donnees",
    [None, {"simple": "x", "groupes": "r2", "plusieurs": ["1", "3"], "booleen": "true"}, {"simple": "inconnu"}],
)
def test_le_select_en_python_est_celui_des_gabarits(donnees):
    for champ in Formulaire(donnees).visible_fields():
        widget, attrs = champ.field.widget, champ.build_widget_attrs({})
        gabarits = widget.render(champ.html_name, champ.value(), attrs, TemplatesSetting())
        assert widget.render(champ.html_name, champ.value(), attrs, RenduFormulaires()) == gabarits, champ.name


def test_un_formulaire_du_portail_rendu_a_l_identique():
    gabarits = str(RechercheEmises({"statut": "REJETEE"}, renderer=TemplatesSetting()))
    python = str(RechercheEmises({"statut": "REJETEE"}, renderer=RenduFormulaires()))
    assert python == gabarits
    assert '<option value="REJETEE" selected>' in python
