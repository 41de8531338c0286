"""The search form of a list page: an invalid search lists nothing and says why.

Before, a form with an error (a date « 31/02 », an amount « abc ») showed the error and then the whole list
unfiltered — and its export gave every row — as if the user had typed no criterion. Every list page's filter form
takes this mixin and passes its results through `filtrer()`; the error summary (templates/includes/
formulaire.html, or includes/recherche_invalide.html where a page has none) says why the list is empty.
"""

MESSAGE_INVALIDE = (
    "Recherche invalide : aucun résultat n'est affiché tant que les critères signalés ne sont pas corrigés."
)

CHAMP_TRI = "tri"


class RechercheListe:
    """Mixin, before the form class: `class RechercheForm(RechercheListe, DsfrBaseForm)`."""

    message_invalide = MESSAGE_INVALIDE

    def full_clean(self):
        # a forged sort (a link typed by hand) is not a criterion: the list keeps its default order and its filters
        tri = self.fields.get(CHAMP_TRI)
        if self.is_bound and tri is not None and hasattr(tri, "valid_value"):
            valeur = self.data.get(self.add_prefix(CHAMP_TRI), "")
            if valeur and not tri.valid_value(valeur):
                self.data = self.data.copy()
                self.data[self.add_prefix(CHAMP_TRI)] = ""
        super().full_clean()

    @property
    def recherche_invalide(self):
        return self.is_bound and not self.is_valid()

    def filtrer(self, resultats):
        """The results to list or export: none while the search is invalid."""
        return resultats.none() if self.recherche_invalide else resultats

    @property
    def sans_critere(self):
        """No criterion typed (an unbound form, or only empty fields and a sort): the page lists the whole space,
        whose size its counters know without counting the rows."""
        if not self.is_bound:
            return True
        if not self.is_valid():
            return False
        return all(_vide(valeur) for nom, valeur in self.cleaned_data.items() if nom != CHAMP_TRI)


def _vide(valeur):
    # an unchecked box is no criterion; a 0 typed as an amount is one (hence no `valeur in (…, False)`: 0 == False)
    return valeur is None or valeur is False or (isinstance(valeur, str | list | tuple) and not valeur)
