"""The demo data set's connection accounts (issue #6): a technical account for the demo supplier, one for the
demo public entity and one for the seller of the FNFE examples (issue #13: a client deposits those invoices through
the API as that supplier), and one API client, listed in var/matelas.csv so that a connector can be tried at once.

Their passwords are fixed, as the demo users' are, and they are usable at once (`actif_le` in the past): the demo
is not a delayed modification. Running it twice gives the same rows."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from raccordement.models import ClientApi, CompteTechnique
from raccordement.services.comptes import DOMAINE_LOGIN, VALIDITE_MOT_DE_PASSE

ROLE_COMPTE = "compte technique"
ROLE_CLIENT = "client API"
CLIENT_ID_DEMO = "demo-client-api-chorus-pro"
SECRET_DEMO = "Matelas-ClientApi-2026"  # noqa: S105 — the demo data set's, printed in var/matelas.csv


MOTS_DE_PASSE = {
    "fournisseur": "Matelas-Technique-Fournisseur-2026",
    "entite_publique": "Matelas-Technique-EntitePublique-2026",
    "fournisseur_fnfe": "Matelas-Technique-FournisseurFNFE-2026",
}


def charger_raccordement(structures):
    """`structures`: (role code, structure) of the demo users who get a technical account. Returns the CSV rows."""
    maintenant = timezone.now()
    lignes = []
    for role, structure in structures:
        login = f"TECH_{structure.identifiant}_DEMO@{DOMAINE_LOGIN}"
        mot_de_passe = MOTS_DE_PASSE[role]
        CompteTechnique.objects.update_or_create(
            login=login,
            defaults={
                "structure": structure,
                "mot_de_passe": make_password(mot_de_passe),
                "mot_de_passe_expire_le": maintenant + VALIDITE_MOT_DE_PASSE,
                "libelle": "Compte technique de démonstration",
                "actif_le": maintenant - timedelta(minutes=1),
                "desactive_le": None,
            },
        )
        lignes.append(
            {
                "role": ROLE_COMPTE,
                "structure": structure.raison_sociale,
                "identifiant": structure.identifiant,
                "login": login,
                "mot_de_passe": mot_de_passe,
            }
        )
    # one application for every demo structure: the API checks the technical account's structure, not the client's
    ClientApi.objects.update_or_create(
        client_id=CLIENT_ID_DEMO,
        defaults={
            "nom": "Application de démonstration",
            "secret": make_password(SECRET_DEMO),
            "structure": None,
            "actif": True,
        },
    )
    lignes.append(
        {"role": ROLE_CLIENT, "structure": "", "identifiant": "", "login": CLIENT_ID_DEMO, "mot_de_passe": SECRET_DEMO}
    )
    return lignes
