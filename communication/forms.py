"""The criteria of « Mes messages » (GET)."""

from django import forms
from dsfr.forms import DsfrBaseForm

from chorus.recherche import RechercheListe
from communication.enums import CategorieNotification, EtatLecture
from communication.selectors import TRI_DEFAUT

TRIS = [
    ("-date", "Date (la plus récente d'abord)"),
    ("date", "Date (la plus ancienne d'abord)"),
    ("non_lus", "Non lus d'abord"),
    ("categorie", "Catégorie"),
]


class MesMessagesForm(RechercheListe, DsfrBaseForm):
    etat = forms.ChoiceField(
        label="État", required=False, choices=[("", "Tous"), *EtatLecture.choices],
        error_messages={"invalid_choice": "Choisissez « Tous », « Non lus » ou « Lus »."},
    )  # fmt: skip
    categorie = forms.ChoiceField(
        label="Catégorie", required=False, choices=[("", "Toutes"), *CategorieNotification.choices],
        error_messages={"invalid_choice": "Choisissez une catégorie de la liste."},
    )  # fmt: skip
    tri = forms.ChoiceField(
        label="Trier par", required=False, choices=TRIS,
        error_messages={"invalid_choice": "Choisissez un tri de la liste."},
    )  # fmt: skip

    def criteres(self):
        if not self.is_bound or not self.is_valid():
            return {"etat": "", "categorie": "", "tri": TRI_DEFAUT}
        c = dict(self.cleaned_data)
        c["tri"] = c.get("tri") or TRI_DEFAUT
        return c
