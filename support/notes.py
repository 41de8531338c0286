"""The portal's release notes, newest first. Each landing that changes what users see adds its lines here."""

NOTES_DE_VERSION = [
    {
        "version": "0.2.0",
        "date": "2026-11-23",
        "titre": "Domaine Organisation : structures, utilisateurs, habilitations",
        "lignes": [
            "« Créer une nouvelle structure » : sept types d'identifiant contrôlés (SIRET, structure européenne hors "
            "France, hors UE, RIDET, TAHITI, particulier, en cours d'immatriculation) ; une structure publique est "
            "validée par le support.",
            "Fiche de la structure : informations, paramètres destinataire, espaces, services, coordonnées "
            "bancaires (affactureur), mandat de facturation et pièces jointes.",
            "Les modifications de structure, de service, de compte, de profil, de coordonnées bancaires et de "
            "mandat sont prises en compte après un délai pouvant atteindre 30 minutes ; l'écran l'annonce.",
            "« Demander un rattachement à une structure », « Approbations », « Afficher un utilisateur » avec "
            "filtre par service et export, profils par application et par service.",
            "« Transférer le gestionnaire principal » selon les trois modes.",
            "Annuaire des destinataires publics : recherche, paramètres de routage, services actifs, "
            "téléchargement CSV et XML.",
            "Comptes PIGP : injection et connexion depuis le portail de la gestion publique.",
        ],
    },
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
