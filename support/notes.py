"""The portal's release notes, newest first. Each landing that changes what users see adds its lines here."""

NOTES_DE_VERSION = [
    {
        "version": "0.1.0",
        "date": "2026-11-23",
        "titre": "Ouverture du portail : comptes et double authentification",
        "lignes": [
            "Création de compte utilisateur en deux étapes : formulaire « Créer un compte », courriel d'activation "
            "valable 30 jours, choix du mot de passe.",
            "Connexion en deux étapes : mot de passe puis code de sécurité à 6 chiffres, envoyé par courriel "
            "(valable 10 minutes) tant qu'aucune application n'est déclarée.",
            "« Mes facteurs d'authentification » : déclaration d'une application d'authentification (QR code), "
            "remplacement et suppression avec un code de l'application actuelle.",
            "« Changer mon adresse de connexion » avec lien de confirmation valable 24 heures, et « Mot de passe "
            "oublié ».",
            "Verrouillage temporaire après des mots de passe erronés répétés ; fin de session après 30 minutes "
            "d'inactivité.",
        ],
    },
]
