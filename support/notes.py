"""The portal's release notes, newest first. Each landing that changes what users see adds its lines here."""

NOTES_DE_VERSION = [
    {
        "version": "0.7.0",
        "date": "2026-11-30",
        "titre": "Support : sollicitations, assistant virtuel et « Mes messages »",
        "lignes": [
            "« Suivi des tickets » : saisir une sollicitation (catégorie et sous-catégorie, objet, message, pièces "
            "jointes, facture ou structure concernée), la suivre, y répondre, la clore ou la rouvrir dans les 30 "
            "jours ; un courriel à chaque réponse. Sans compte : « Compléter le formulaire de demande », avec un "
            "CAPTCHA et une adresse confirmée par un lien.",
            "Une question sur une facture va au service destinataire : ses utilisateurs la traitent dans "
            "« Sollicitations reçues ». La page d'une facture émise y mène directement.",
            "Espace support : file des sollicitations filtrée, attribution, notes internes que le demandeur ne voit "
            "jamais, réponses types, catégories modifiables, et les actions du support à portée du ticket.",
            "Assistant virtuel en bas à droite de chaque page : des articles tirés de la documentation de Chorus Pro, "
            "le statut d'une de vos factures à partir de son numéro, et une sollicitation pré-remplie quand il ne "
            "sait pas répondre. Ses articles forment la base documentaire, et chaque écran concerné affiche "
            "« Aide : » avec les articles qui l'expliquent.",
            "« Mes messages » (menu COMMUNICATION) : les notifications du portail (rattachement accepté, facture "
            "rejetée, relance…), lues et non lues, chacune menant à son objet.",
            "Factures émises et reçues : « Télécharger la sélection » regroupe les factures cochées d'une recherche "
            "(PDF ou XML, avec ou sans pièces jointes) dans une archive ZIP.",
            "API : soumettreFacture rend l'empreinte du certificat de dépôt (empreinteCertificatDepot).",
            "Dépôts plus rapides : les règles EN 16931 sont contrôlées neuf fois plus vite, à résultat identique ; "
            "« Valider et envoyer » prend deux fois moins de temps et un flux s'intègre à plus de 100 factures par "
            "seconde.",
            "Connexion : dix mots de passe erronés bloquent le compte concerné, et non plus tous les utilisateurs "
            "qui se connectent depuis la même adresse réseau (une adresse n'est bloquée qu'après de très nombreux "
            "échecs).",
        ],
    },
    {
        "version": "0.6.0",
        "date": "2026-11-29",
        "titre": "Raccordement : comptes techniques, flux, API",
        "lignes": [
            "« Comptes techniques et raccordements » : comptes techniques (mot de passe affiché une seule fois, "
            "renouvelable, valable 12 mois), clients API, fiches de raccordement EDI et API avec contrôle du "
            "certificat, qualification puis production.",
            "« Suivi des flux » : dépôt d'un flux (UBL, CII D16B ou D22B, Factur-X, ou une archive .tar.gz de "
            "factures), suivi de son intégration et compte rendu complet : chaque erreur, entière, sous le numéro de "
            "sa facture.",
            "Dépôt EDI par répertoire, et messages de cycle de vie pour les fournisseurs raccordés (CDAR avec les "
            "codes de la réforme 2026).",
            "API : jeton par /api/oauth/token, identifiants Authorization et cpro-account (un refus dit lequel et "
            "pourquoi) ; les services de Chorus Pro pour déposer (soumettre, dépôt PDF, flux), suivre, compléter, "
            "recycler, traiter le rejet, télécharger, traiter les factures reçues et à valider, les factures de "
            "travaux, les structures et l'annuaire des destinataires ; description OpenAPI et documentation en "
            "ligne.",
        ],
    },
    {
        "version": "0.5.0",
        "date": "2026-11-29",
        "titre": "Factures de travaux : cotraitance, sous-traitance, liste fiscale et archives",
        "lignes": [
            "Groupement conjoint : le cotraitant dépose son projet de décompte (A13, A14) en indiquant le mandataire, "
            "qui le valide dans « Factures à valider » ; la demande de paiement d'un sous-traitant (A10, A11) passe "
            "par le titulaire, puis par le mandataire quand le titulaire est cotraitant. Validée, ou sans réponse "
            "après 15 jours, la pièce part chez la maîtrise d'œuvre ; refusée, elle est « Refusée par niveau 1 / 2 ».",
            "Groupement solidaire : le mandataire dépose, en tant que fournisseur, une seule pièce pour tout le "
            "groupement.",
            "« Traiter le rejet » revient au déposant de la pièce : la maîtrise d'œuvre pour son état d'acompte ou "
            "son projet de décompte général refusé par la MOA, la maîtrise d'ouvrage pour son décompte général "
            "refusé par le fournisseur.",
            "« Liste fiscale » : les pièces transmises au service payeur, par période, avec leurs totaux HT, TVA, "
            "TTC et net à payer, exportables en CSV et Excel.",
            "« Archives » : les dossiers de facturation clos, à rechercher, trier, exporter, avec le téléchargement "
            "de leurs pièces.",
            "« Pièces en brouillon » : les pièces enregistrées sans être envoyées, à reprendre ou supprimer.",
            "La synthèse mène directement à chaque pièce ; la fenêtre « Corriger les montants » peut être rouverte.",
        ],
    },
    {
        "version": "0.4.0",
        "date": "2026-11-29",
        "titre": "Factures de travaux : dépôt, dossier de facturation, refus et relances",
        "lignes": [
            "« Factures de travaux » : déposer une pièce (dépôt initial ou à partir d'une pièce existante dans "
            "Chorus Pro) selon son rôle (fournisseur, sous-traitant, cotraitant, maîtrise d'œuvre, maîtrise "
            "d'ouvrage) ; les cadres A4 à A25 et les modes de dépôt suivent la matrice de Chorus Pro.",
            "Chaque cycle de paiement forme un dossier de facturation numéroté : consultation de toutes ses pièces "
            "avec leur historique, téléchargement des pièces du dossier.",
            "Refus par la MOE, la MOA ou le fournisseur selon les motifs admis pour chaque cadre ; « Erreur de "
            "montant » invite à corriger les montants au lieu de refuser.",
            "Synthèse, recherche (cadres de travaux seulement), exports avec les colonnes des valideurs, tableau de "
            "bord (stock), « Traiter le rejet ».",
            "Au-delà de 7 jours chez la maîtrise d'œuvre, un projet de décompte mensuel déclenche un courriel "
            "quotidien à la maîtrise d'ouvrage et au fournisseur (CCAG Travaux, article 12.2.2).",
        ],
    },
    {
        "version": "0.3.0",
        "date": "2026-11-29",
        "titre": "Facturation : déposer, traiter et suivre les factures",
        "lignes": [
            "« Saisir une facture » : cadres A1, A2, A9 et A12, destinataire recherché par SIRET ou par nom, lignes, "
            "récapitulatif de TVA et totaux calculés, remise globale, pièces jointes ; « Enregistrer » garde un "
            "brouillon, « Valider et envoyer » dépose une facture Factur-X (PDF/A-3 avec son XML EN 16931).",
            "« Déposer une facture » : Factur-X, CII ou UBL contrôlés à l'envoi (format, schéma, règles EN 16931, "
            "règles d'acheminement de Chorus Pro) ; toutes les erreurs sont affichées, en entier, avec leur champ. "
            "Un PDF, signé PAdES ou XAdES ou non, pré-remplit la saisie.",
            "Certificat de dépôt téléchargeable : il date le dépôt, point de départ du délai de paiement.",
            "Factures émises : Synthèse, « Traiter le rejet », fenêtre des rejets à acquitter à la connexion, "
            "recyclage (SIRET, code service, engagement), complément d'une facture suspendue, correction du "
            "valideur, recherche et export, tableau de bord ; courriels à la mise « À recycler », à la suspension, "
            "au rejet et à la mise en paiement.",
            "Factures reçues : Synthèse par structure et service, « Masquer les factures téléchargées », recherche, "
            "consultation complète avec l'historique, « Traiter » (motif obligatoire pour Suspendue et Rejetée), "
            "téléchargement PDF et XML, export CSV et XLSX avec les colonnes « Valideur 1 (date de validation) » "
            "et « Valideur 2 (date de validation) ».",
            "Factures à valider (sous-traitance A9, cotraitance A12, deux niveaux) : validation ou refus motivé ; "
            "au-delà de 15 jours sans action, la facture est transmise (« Validation hors délai »).",
            "« Gérer délégation des factures reçues » : droit de validation ou droit de traitement, pour toute la "
            "structure ou certains services.",
            "Nouveau : le délai de paiement. Délai global (30 jours, 50 pour les établissements publics de santé, "
            "paramètre de la structure), échéance, jours restants ou de retard, intérêts moratoires (taux BCE + 8 "
            "points) et indemnité forfaitaire de 40 € affichés au fournisseur et au destinataire.",
        ],
    },
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
