"""The initial referential of categories (chorus-pro-features.md rows 100–101) and a few canned answers. Agents edit
both afterwards from the back office; this only gives a new installation something to choose from. Loaded by the
data migration 0002 (with the historical models) and by charger_referentiel (tests that flush the database, the
demo data set)."""

CATEGORIES = [
    (
        "Compte utilisateur et connexion",
        "SUPPORT",
        ["Création ou activation du compte", "Connexion et code de sécurité", "Changement d'adresse de connexion"],
    ),
    (
        "Structure et habilitations",
        "SUPPORT",
        [
            "Validation d'une structure publique",
            "Rattachement à une structure",
            "Transfert du gestionnaire principal",
            "Doublon de structure",
        ],
    ),
    (
        "Factures",
        "SUPPORT",
        ["Dépôt ou saisie d'une facture", "Statut ou rejet d'une facture", "Factures de travaux"],
    ),
    ("Raccordement EDI et API", "SUPPORT", ["Compte technique", "Flux et comptes rendus", "API"]),
    ("Autre demande", "SUPPORT", ["Autre demande"]),
    (
        "Question à une structure publique sur une facture",
        "STRUCTURE",
        ["Suivi du traitement ou du paiement", "Suspension ou rejet", "Autre question sur la facture"],
    ),
]

REPONSES = [
    (
        "Demande d'informations complémentaires",
        "Bonjour,\n\nPour traiter votre demande, pourriez-vous nous préciser : \n\n- \n\nCordialement,\n"
        "Le support Chorus Pro",
    ),
    (
        "Changement d'adresse de connexion engagé",
        "Bonjour,\n\nNous avons engagé le changement de l'adresse de connexion de votre compte. Un lien de "
        "confirmation, valable 24 heures, vient d'être envoyé à la nouvelle adresse : l'adresse changera lorsque "
        "vous l'aurez suivi.\n\nCordialement,\nLe support Chorus Pro",
    ),
    (
        "Structure publique validée",
        "Bonjour,\n\nLa création de votre structure publique est validée : vous pouvez dès à présent recevoir des "
        "factures.\n\nCordialement,\nLe support Chorus Pro",
    ),
]


def charger_referentiel(categorie_modele=None, sous_categorie_modele=None, reponse_modele=None):
    """Create what is missing; an existing label is left as the agents made it. Running it twice changes nothing."""
    if categorie_modele is None:
        from support.models import Categorie, ReponseType, SousCategorie

        categorie_modele, sous_categorie_modele, reponse_modele = Categorie, SousCategorie, ReponseType
    for ordre, (libelle, destination, sous) in enumerate(CATEGORIES, start=1):
        categorie, _ = categorie_modele.objects.get_or_create(
            libelle=libelle, defaults={"destination": destination, "ordre": ordre * 10}
        )
        for rang, libelle_sous in enumerate(sous, start=1):
            sous_categorie_modele.objects.get_or_create(
                categorie=categorie, libelle=libelle_sous, defaults={"ordre": rang}
            )
    for titre, corps in REPONSES:
        reponse_modele.objects.get_or_create(titre=titre, defaults={"corps": corps})
