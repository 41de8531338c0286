"""The report of a refused invoice, one row per blocking error: the one home of what consulterCRDetaille lists
(`listeErreurDP`, chorus-pro-api.md §2.5) and of the CSV that « Déposer une facture » and « Suivi des flux » offer.

A row keeps Chorus Pro's four fields (identifiantFournisseur, identifiantDestinataire, numeroDP, libelleErreurDP): an
API client reads only those, so no field is added next to them in the API. The libellé carries everything in its text
(layer, rule, field, message, value found, value expected, place in the file). The CSV adds the same parts as their
own columns, after the four, so a spreadsheet can sort and filter them.

`erreur` is anything with the attributes of facturation.services.televersement.ErreurDepot (a saved FluxErreur
has them too): the deposit page and the flux pipeline build the same rows from the same errors.
"""

IDENTIFIANT_LONGUEUR_MAX = 50  # FluxFacture.identifiant_fournisseur / identifiant_destinataire

CHAMPS_API = ("identifiantFournisseur", "identifiantDestinataire", "numeroDP", "libelleErreurDP")
CHAMPS_DETAIL = ("couche", "regle", "champ", "valeurTrouvee", "valeurAttendue", "message", "emplacement")
COLONNES_CSV = [(nom, lambda ligne, nom=nom: ligne.get(nom, "")) for nom in CHAMPS_API + CHAMPS_DETAIL]


def identifiant_partie(partie):
    """The SIRET of a party of the invoice read (FactureNeutre.vendeur / acheteur), else its other identifier."""
    if partie is None:
        return ""
    return (partie.siret or partie.identifiant or "")[:IDENTIFIANT_LONGUEUR_MAX]


def libelle_erreur(erreur):
    """libelleErreurDP: « [couche | règle | champ] message Valeur trouvée : … Valeur attendue : … Emplacement : … »."""
    precisions = [p for p in (erreur.couche, erreur.code, erreur.champ) if p]
    texte = f"[{' | '.join(precisions)}] {erreur.message}"
    for libelle, valeur in (
        ("Valeur trouvée", getattr(erreur, "valeur_trouvee", "")),
        ("Valeur attendue", getattr(erreur, "valeur_attendue", "")),
        ("Emplacement", erreur.emplacement),
    ):
        if valeur:
            texte += f" {libelle} : {valeur}."
    return texte


def ligne_rapport(erreur, *, identifiant_fournisseur="", identifiant_destinataire="", numero=""):
    return {
        "identifiantFournisseur": identifiant_fournisseur,
        "identifiantDestinataire": identifiant_destinataire,
        "numeroDP": numero,
        "libelleErreurDP": libelle_erreur(erreur),
        "couche": erreur.couche,
        "regle": erreur.code,
        "champ": erreur.champ,
        "valeurTrouvee": getattr(erreur, "valeur_trouvee", ""),
        "valeurAttendue": getattr(erreur, "valeur_attendue", ""),
        "message": erreur.message,
        "emplacement": erreur.emplacement,
    }


def ligne_api(ligne):
    """The row as consulterCRDetaille gives it: Chorus Pro's four fields, nothing else."""
    return {nom: ligne[nom] for nom in CHAMPS_API}


def lignes_du_refus(refus):
    """The rows consulterCRDetaille would list for this refused file: its blocking errors (the pipeline saves only
    those), named by the invoice's number and parties when the file could be read."""
    neutre = refus.neutre
    parties = {
        "identifiant_fournisseur": identifiant_partie(neutre.vendeur) if neutre else "",
        "identifiant_destinataire": identifiant_partie(neutre.acheteur) if neutre else "",
        "numero": ((neutre.numero if neutre else "") or "")[:50],
    }
    return [ligne_rapport(e, **parties) for e in refus.bloquantes]
