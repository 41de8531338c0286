"""The <select>, the <input> and the DSFR's field group written in Python (chorus/formulaires.py) are the markup the
templates write, byte for byte: a page looks and reads the same to its users, assistive technologies and tests."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from dsfr.forms import DsfrBaseForm

from chorus.formulaires import RenduFormulaires
from facturation.views.emises.forms import RechercheForm as RechercheEmises
from facturation.views.recues.forms import RechercheForm as RechercheRecues
from tests.factories import UtilisateurFactory


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


class Groupes(DsfrBaseForm):
    """Every branch of the DSFR's field group: required or not, hint or not, disabled, errors, markup in a label."""

    texte = forms.CharField(label="Numéro", max_length=5, help_text="Au plus <b>5</b> caractères.")
    facultatif = forms.CharField(label='Nom « <i>&</i> "x"', required=False, initial="l'initiale")
    date = forms.DateField(label="Déposée du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    nombre = forms.IntegerField(label="Nombre", required=False, disabled=True, initial=3)
    courriel = forms.EmailField(
        label="Courriel", required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    mot_de_passe = forms.CharField(label="Mot de passe", widget=forms.PasswordInput(render_value=True))
    choix = forms.ChoiceField(label="Statut", choices=[("", "Tous"), ("a", "A")], required=False)
    case = forms.BooleanField(label="J'accepte", required=False)
    cache = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        donnees = super().clean()
        if donnees.get("facultatif") == "mauvais":
            self.add_error("facultatif", "Un <message> d'erreur.")
        return donnees


@pytest.mark.parametrize(
    "donnees",
    [
        None,
        {},
        {"texte": "trop long", "facultatif": "mauvais", "date": "31/02/2026", "courriel": "non", "choix": "z"},
        {"texte": "ok", "facultatif": "<script>", "date": "2026-02-01", "mot_de_passe": "s3cr&t", "case": "on"},
    ],
)
def test_les_groupes_dsfr_et_les_inputs_en_python_sont_ceux_des_gabarits(donnees):
    gabarits, python = Groupes(donnees, renderer=TemplatesSetting()), Groupes(donnees, renderer=RenduFormulaires())
    for nom in gabarits.fields:
        assert python[nom].as_field_group() == gabarits[nom].as_field_group(), nom
        assert str(python[nom]) == str(gabarits[nom]), nom


@pytest.mark.django_db
def test_un_formulaire_de_recherche_avec_erreurs_rendu_a_l_identique():
    user = UtilisateurFactory()
    donnees = {"numero": "x" * 30, "depot_du": "hier", "montant_min": "12,5", "montant_max": "3", "tri": "-depot"}
    gabarits = RechercheRecues(donnees, user=user, renderer=TemplatesSetting())
    python = RechercheRecues(donnees, user=user, renderer=RenduFormulaires())
    assert not python.is_valid()
    for nom in gabarits.fields:
        assert python[nom].as_field_group() == gabarits[nom].as_field_group(), nom
    assert 'aria-describedby="id_numero-desc-error"' in python["numero"].as_field_group()


def test_un_gabarit_remplace_garde_la_main(tmp_path, settings):
    """A project that overrides a widget's template sees its template, not the markup written in Python."""
    dossier = tmp_path / "django" / "forms" / "widgets"
    dossier.mkdir(parents=True)
    (dossier / "input.html").write_text('<input data-remplace name="{{ widget.name }}">')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert str(Groupes(renderer=RenduFormulaires())["texte"]) == '<input data-remplace name="texte">'
