class ApplicationError(Exception):
    """A business rule refused an action; the message is French and shown to the user as is."""

    def __init__(self, message, *, champ=None):
        super().__init__(message)
        self.message = message
        self.champ = champ


def erreur_dans_le_formulaire(form, erreur, *, champs=None, sinon=None, libelle=False):
    """Show a service's refusal on the HTML form that asked for it: each error (an ApplicationError, or each of
    the `erreurs` it carries, as DepotRefuse does) on its field when the form has that field, else on the field
    `sinon`, else above the form. Every HTML view maps its services' errors here, so a field a service names that
    the form lacks (an API-only field, a renamed one) never raises in Django's add_error.

    `champs` translates a service's field name into the form's (`{"moe": "moe_siret"}`); `libelle` prefixes a field
    error with the field's label, for pages whose error summary lists the messages without their field."""
    for e in getattr(erreur, "erreurs", None) or [erreur]:
        champ = getattr(e, "champ", None)
        champ = (champs or {}).get(champ, champ)
        if champ not in form.fields:
            champ = sinon
        message = getattr(e, "message", None) or str(e)
        if champ is not None and libelle:
            message = f"{form.fields[champ].label} : {message}"
        form.add_error(champ, message)
