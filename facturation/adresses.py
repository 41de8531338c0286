"""The parties' postal addresses kept on an invoice (BG-5 seller, BG-8 buyer).

An invoice is a legal document: it keeps the addresses it was issued with. They are copied from the structures at the
deposit (figer), unless the deposited file carried its own (an uploaded Factur-X, CII or UBL: the invoice is what the
file says). Before the deposit (a draft being previewed), the structures' current addresses stand in.
"""

from dataclasses import dataclass

CHAMPS = ("adresse", "complement_1", "complement_2", "code_postal", "ville", "pays")
ROLES = ("fournisseur", "destinataire")
PAYS_DEFAUT = "FR"


@dataclass(frozen=True)
class AdressePostale:
    adresse: str = ""  # BT-35 / BT-50
    complement_1: str = ""  # BT-36 / BT-51
    complement_2: str = ""  # BT-162 / BT-163
    code_postal: str = ""  # BT-38 / BT-53
    ville: str = ""  # BT-37 / BT-52
    pays: str = PAYS_DEFAUT  # BT-40 / BT-55

    @property
    def lignes(self):
        """The address as printed on an envelope (the country apart)."""
        ville = f"{self.code_postal} {self.ville}".strip()
        return [ligne for ligne in (self.adresse, self.complement_1, self.complement_2, ville) if ligne]


def _gardee(facture, role):
    return any(getattr(facture, f"{role}_{champ}") for champ in CHAMPS if champ != "pays")


def _de_la_structure(structure):
    return AdressePostale(
        **{champ: (getattr(structure, champ) or "").strip() for champ in CHAMPS[:-1]},
        pays=(structure.pays or PAYS_DEFAUT).strip().upper(),
    )


def adresse(facture, role):
    """The address of `role` (« fournisseur » or « destinataire ») on `facture`: the one kept at the deposit, else
    the structure's current one."""
    if _gardee(facture, role):
        valeurs = {champ: getattr(facture, f"{role}_{champ}") for champ in CHAMPS}
        return AdressePostale(**{**valeurs, "pays": valeurs["pays"] or PAYS_DEFAUT})
    return _de_la_structure(getattr(facture, role))


def figer(facture, *, remplacer=False):
    """Copy the structures' addresses onto `facture` (not saved): every party with `remplacer`, otherwise only a party
    whose address the invoice does not hold yet (one read from the deposited file is kept)."""
    for role in ROLES:
        if getattr(facture, f"{role}_id") is None or (_gardee(facture, role) and not remplacer):
            continue
        valeurs = _de_la_structure(getattr(facture, role))
        for champ in CHAMPS:
            setattr(facture, f"{role}_{champ}", getattr(valeurs, champ))


def depuis_partie(facture, role, partie):
    """Set the address of `role` from a party read in a file (facturation.formats.modele.Partie), not saved."""
    limites = {champ: facture._meta.get_field(f"{role}_{champ}").max_length for champ in CHAMPS}
    for champ in CHAMPS:
        valeur = (getattr(partie, champ, None) or "").strip()
        setattr(facture, f"{role}_{champ}", valeur[: limites[champ]])
