"""chorus.exceptions.erreur_dans_le_formulaire: a service's refusal shown on the HTML form that asked for it."""

from django import forms

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from facturation.acheminement import ErreurAcheminement
from facturation.services.depot import DepotRefuse


class Formulaire(forms.Form):
    siret = forms.CharField(label="SIRET", required=False)
    code = forms.CharField(label="Code", required=False)


def _formulaire():
    form = Formulaire(data={})
    assert form.is_valid()
    return form


def test_l_erreur_va_sur_son_champ_quand_le_formulaire_l_a():
    form = _formulaire()
    erreur_dans_le_formulaire(form, ApplicationError("Ce SIRET est inconnu.", champ="siret"))
    assert form.errors == {"siret": ["Ce SIRET est inconnu."]}


def test_un_champ_que_le_formulaire_n_a_pas_donne_une_erreur_au_dessus_du_formulaire():
    form = _formulaire()
    erreur_dans_le_formulaire(form, ApplicationError("Le service est fermé.", champ="service_destinataire"))
    erreur_dans_le_formulaire(form, ApplicationError("Action impossible."))
    assert form.errors == {"__all__": ["Le service est fermé.", "Action impossible."]}
    assert form.non_field_errors() == ["Le service est fermé.", "Action impossible."]


def test_renommage_champ_par_defaut_et_libelle():
    form = _formulaire()
    erreur_dans_le_formulaire(form, ApplicationError("Inconnu.", champ="moe"), champs={"moe": "siret"}, libelle=True)
    erreur_dans_le_formulaire(form, ApplicationError("Code expiré."), sinon="code")
    assert form.errors == {"siret": ["SIRET : Inconnu."], "code": ["Code expiré."]}


def test_chaque_raison_d_un_depot_refuse_va_sur_son_champ():
    form = _formulaire()
    refus = DepotRefuse(
        [ErreurAcheminement("siret", "Le destinataire est introuvable."), ApplicationError("Numéro déjà utilisé.")]
    )
    erreur_dans_le_formulaire(form, refus)
    assert form.errors == {"siret": ["Le destinataire est introuvable."], "__all__": ["Numéro déjà utilisé."]}
