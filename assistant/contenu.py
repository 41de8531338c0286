"""The knowledge base's articles, written from the reference documents (release notes V3.0.1, V3.2.3 and V3.9.11,
the training deck « La facturation électronique avec Chorus Pro », the Communauté Chorus Pro newsletters).

Loaded by the data migration `0002_articles` (and any later migration that calls `charger`): edit an article here
and add a migration that calls `charger` again, so every database gets the same text. `mots_cles` holds the words
users type for the subject, including those the text does not use.
"""

NOTES_V3_9 = "Documentation de livraison Chorus Pro V3.9.11 (19/02/2025)"
NOTES_V3_0 = "Documentation de livraison Chorus Pro V3.0.1 (21/02/2022)"
NOTES_V3_2 = "Documentation de livraison Chorus Pro V3.2.3 (22/09/2022)"
FORMATION = "Support de formation « La facturation électronique avec Chorus Pro »"
COMMUNAUTE = "Lettres d'information de la Communauté Chorus Pro"

ARTICLES = [
    # ------------------------------------------------------------------ Compte et connexion
    {
        "slug": "creer-un-compte-utilisateur",
        "titre": "Créer un compte utilisateur",
        "theme": "COMPTE",
        "resume": "Le formulaire « Créer un compte », le courriel d'activation valable 30 jours, puis la structure.",
        "corps": """La création d'un compte utilisateur est obligatoire pour accéder à Chorus Pro. Pour s'inscrire, il
faut disposer d'une adresse électronique valide.

- Cliquez sur « Créer un compte » : le formulaire de création de compte s'affiche.
- Complétez les informations personnelles : adresse électronique de connexion (à saisir deux fois), prénom, nom et
  téléphone.
- Cochez la case « J'accepte les conditions », saisissez et validez le CAPTCHA, puis cliquez sur « Créer mon compte ».
- Un courriel d'activation est envoyé sur l'adresse de connexion déclarée. Vous disposez de 30 jours pour cliquer sur
  le lien qu'il contient ; après avoir choisi un mot de passe, vous pouvez vous connecter.

Depuis la version 3.8.1, la création se fait en deux étapes : vous créez d'abord votre compte utilisateur, puis, une
fois connecté, vous créez une nouvelle structure ou demandez un rattachement à une structure existante. Le compte
utilisateur vous identifie en tant que personne ; la structure est l'organisme au nom duquel vous agissez.

Un compte doit être rattaché à une structure pour accéder au dépôt de factures, de mémoires de frais de justice et de
demandes de remboursement.""",
        "mots_cles": "inscription inscrire créer compte nouveau compte s'inscrire ouvrir un compte enregistrer "
        "formulaire création captcha premier accès",
        "source": f"{FORMATION} ; {COMMUNAUTE} (création de compte en deux étapes, version 3.8.1)",
        "lien_url": "organisation:inscription",
        "lien_libelle": "Créer un compte",
    },
    {
        "slug": "activer-son-compte",
        "titre": "Activer son compte : le courriel d'activation",
        "theme": "COMPTE",
        "resume": (
            "Le lien d'activation est valable 30 jours ; au-delà, un nouveau courriel d'activation est nécessaire."
        ),
        "corps": """Après la création du compte, un courriel est envoyé sur l'adresse de connexion déclarée. Cliquez
sur le lien d'activation qu'il contient, choisissez votre mot de passe et complétez les informations de sécurité, puis
cliquez sur « Valider ».

Le lien est valable 30 jours. Si ce délai est dépassé, un nouveau courriel d'activation est nécessaire.

L'adresse de connexion doit être une boîte à laquelle vous avez accès : elle sert aussi à l'envoi des codes de sécurité
et du courriel de réinitialisation du mot de passe.""",
        "mots_cles": "activation activer lien activation expiré courriel mail pas reçu compte inactif "
        "renvoyer lien valider compte",
        "source": FORMATION,
        "lien_url": "organisation:activation_renvoyer",
        "lien_libelle": "Recevoir un nouveau courriel d'activation",
    },
    {
        "slug": "double-authentification",
        "titre": "Se connecter avec la double authentification",
        "theme": "COMPTE",
        "resume": "Depuis le 19 septembre 2024, la connexion demande le mot de passe puis un code de sécurité.",
        "corps": """Le dispositif de double authentification est entré en vigueur le 19 septembre 2024. La connexion au
portail comporte deux étapes :

- saisir l'adresse de connexion de son compte et le mot de passe associé ;
- confirmer son identité en saisissant un code de sécurité à 6 chiffres.

Lors de la première connexion, ce code est envoyé par courriel sur l'adresse de connexion du compte ; il est valable 10
minutes.

Pour les connexions suivantes, il est fortement conseillé d'utiliser une application d'authentification installée sur
votre téléphone mobile, qui donne le code immédiatement : FreeOTP Authenticator, Google Authenticator ou Microsoft
Authenticator. L'utilisation de deux médias distincts est plus sûre : les modules de double authentification des
navigateurs ne sont pas conseillés.

Les utilisateurs qui se connectent via le portail PIGP (identifiant se terminant par « -xt ») ne sont pas
concernés.""",
        "mots_cles": "2fa double authentification second facteur code sécurité connexion se connecter "
        "authentification totp otp code à 6 chiffres deuxième facteur",
        "source": f"{NOTES_V3_9}, § 1.1 ; {COMMUNAUTE}",
        "lien_url": "organisation:facteurs",
        "lien_libelle": "Mes facteurs d'authentification",
    },
    {
        "slug": "declarer-une-application-d-authentification",
        "titre": "Déclarer une application d'authentification",
        "theme": "COMPTE",
        "resume": (
            "« Mes facteurs d'authentification » → « Ajouter une application » : scanner le QR code, saisir le code."
        ),
        "corps": """Installez d'abord une application d'authentification gratuite sur votre téléphone mobile (FreeOTP
Authenticator, Google Authenticator ou Microsoft Authenticator), depuis le magasin d'applications officiel.

- Connectez-vous à Chorus Pro, puis ouvrez « Mes facteurs d'authentification ».
- Choisissez « Ajouter une application ».
- Avec l'application de votre téléphone, scannez le QR code affiché.
- Saisissez le code à 6 chiffres donné par l'application ; vous pouvez aussi nommer le téléphone (par exemple «
  Téléphone dédié à Chorus Pro »).
- Cliquez sur « Ajouter l'application ».

Le code change à intervalle régulier : utilisez le code en cours avant qu'il n'expire, sinon le portail affiche une
erreur et il faut saisir le code suivant.

Un compte utilisateur ne peut être lié qu'à une seule application d'authentification.""",
        "mots_cles": "application authentification ajouter application qr code google authenticator microsoft "
        "authenticator freeotp téléphone mobile smartphone totp déclarer appairer",
        "source": f"{COMMUNAUTE} (mise en œuvre de la double authentification)",
        "lien_url": "organisation:ajouter_application",
        "lien_libelle": "Ajouter une application",
    },
    {
        "slug": "code-de-securite-non-recu",
        "titre": "Je ne reçois pas le code de sécurité",
        "theme": "COMPTE",
        "resume": (
            "Le code envoyé par courriel expire après 10 minutes : recommencez la connexion pour en recevoir un autre."
        ),
        "corps": """Le code transmis par courriel a une durée de validité limitée (10 minutes). Selon les fournisseurs
d'accès, le courriel peut arriver après la fin de sa validité. Il faut alors recommencer la connexion jusqu'à la page
de saisie du code, qui génère un nouveau courriel.

Pour ne plus dépendre du courriel, déclarez une application d'authentification sur votre téléphone : elle donne le code
immédiatement.

Le code est envoyé sur l'adresse de connexion du compte. Si cette adresse n'est plus valide (changement d'opérateur,
changement de nom de domaine dans l'entreprise…), le courriel ne peut pas être reçu : il est nécessaire de contacter le
support Chorus Pro.""",
        "mots_cles": "code pas reçu code non reçu code expiré code invalide mail code courriel code sécurité "
        "renvoyer code attente connexion bloquée",
        "source": f"{NOTES_V3_9}, § 1.1",
        "lien_url": "organisation:connexion",
        "lien_libelle": "Se connecter",
    },
    {
        "slug": "modifier-son-adresse-de-connexion",
        "titre": "Modifier son adresse de connexion",
        "theme": "COMPTE",
        "resume": (
            "« Changer mon adresse de connexion », puis confirmer la demande depuis le courriel reçu sur la nouvelle "
            "adresse."
        ),
        "corps": """L'adresse de connexion doit rester valide : elle reçoit le code de sécurité et le courriel de
réinitialisation du mot de passe. Si vous ne pouvez plus recevoir de courriel à cette adresse, modifiez-la.

- Connectez-vous, cliquez sur votre nom en haut à droite de l'écran, puis sur « Changer mon adresse de connexion ».
- Saisissez la nouvelle adresse et cliquez sur « Soumettre ».
- Un courriel contenant un lien de confirmation est envoyé sur la nouvelle adresse. Une fois la demande confirmée, un
  nouveau courriel vous informe que le changement est effectif.
- Déconnectez-vous puis reconnectez-vous pour que le compte soit pleinement fonctionnel.""",
        "mots_cles": "changer adresse mail modifier email adresse connexion identifiant nouvelle adresse "
        "changement adresse électronique login",
        "source": COMMUNAUTE,
        "lien_url": "organisation:changer_adresse",
        "lien_libelle": "Changer mon adresse de connexion",
    },
    {
        "slug": "mot-de-passe-oublie",
        "titre": "Mot de passe oublié",
        "theme": "COMPTE",
        "resume": (
            "« Mot de passe oublié » envoie un lien sur l'adresse de connexion ; si elle n'est plus valide, le "
            "support la change."
        ),
        "corps": """Sur la page de connexion, utilisez « Mot de passe oublié » : un courriel de réinitialisation est
envoyé sur l'adresse de connexion du compte.

Si vous avez oublié votre mot de passe et que votre adresse de connexion n'est plus valide, faites une demande au
support Chorus Pro depuis le menu « SUPPORT » afin qu'il modifie votre adresse de connexion. Vous recevrez alors un
courriel sur la nouvelle adresse : confirmez le changement en cliquant sur le lien, valable 24 heures. Un dernier
courriel confirme que le changement est effectif ; vous pouvez ensuite utiliser la procédure « Mot de passe oublié
».""",
        "mots_cles": "mot de passe oublié perdu réinitialiser réinitialisation password mdp changer mot de passe "
        "plus accès compte",
        "source": COMMUNAUTE,
        "lien_url": "organisation:mot_de_passe_oublie",
        "lien_libelle": "Mot de passe oublié",
    },
    {
        "slug": "comptes-pigp",
        "titre": "Comptes PIGP (identifiant se terminant par « -xt »)",
        "theme": "COMPTE",
        "resume": (
            "Les agents publics connectés par le portail de la gestion publique : comptes attribués par la DGFiP."
        ),
        "corps": """Les comptes PIGP concernent les utilisateurs qui se connectent à Chorus Pro via le portail internet
de la gestion publique (DGFiP) : leur identifiant se termine par « -xt ». Ils ne sont pas concernés par la double
authentification de Chorus Pro.

Les comptes PIGP sont attribués par les services de la DGFiP. Chaque compte a un identifiant et une adresse de contact,
et il est habilité sur un ou plusieurs SIRET d'entités publiques.

Si ces SIRET correspondent à des structures publiques déclarées dans Chorus Pro, le compte y est automatiquement
rattaché. Sinon, le compte est créé sans rattachement : l'utilisateur peut alors créer une nouvelle structure publique
ou demander un rattachement à une structure existante.""",
        "mots_cles": "pigp dgfip xt -xt agent public portail gestion publique entité publique compte agent",
        "source": f"{NOTES_V3_9}, § 1.2",
        "lien_url": "",
        "lien_libelle": "",
    },
    # ------------------------------------------------------------------ Structures et utilisateurs
    {
        "slug": "creer-une-structure",
        "titre": "Créer une nouvelle structure",
        "theme": "ORGANISATION",
        "resume": (
            "Une structure représente un émetteur ou un récepteur de factures ; son créateur en devient le "
            "gestionnaire principal."
        ),
        "corps": """Pour utiliser les fonctionnalités du portail, telles qu'émettre et recevoir des factures, votre
compte doit être rattaché à une structure. Une structure représente un émetteur ou un récepteur de factures.

Depuis le menu Organisation, choisissez « Créer une nouvelle structure » et renseignez le type d'identifiant (SIRET par
exemple) puis les données demandées.

L'utilisateur qui crée une structure en devient le gestionnaire principal : il obtient tous les profils, dont «
Organisation – modification », qui lui permet de modifier la structure et de gérer les rattachements et les droits des
autres utilisateurs.

La création d'une structure publique peut nécessiter une approbation du support ; un courriel informe le demandeur de
l'approbation ou du refus.""",
        "mots_cles": "créer structure nouvelle structure entreprise siret société ajouter structure "
        "enregistrer entreprise gestionnaire principal",
        "source": f"{NOTES_V3_9}, § 1.2 ; {NOTES_V3_0} ; {COMMUNAUTE}",
        "lien_url": "organisation:creer_structure",
        "lien_libelle": "Créer une nouvelle structure",
    },
    {
        "slug": "se-rattacher-a-une-structure",
        "titre": "Se rattacher à une structure existante",
        "theme": "ORGANISATION",
        "resume": "La demande de rattachement doit être validée par un gestionnaire de la structure.",
        "corps": """Si votre structure existe déjà dans Chorus Pro, demandez à y être rattaché : « Demander un
rattachement à une structure ». Cette demande doit être validée par un gestionnaire de la structure pour que vos accès
soient ouverts.

Un courriel informe le demandeur de l'approbation ou du refus du gestionnaire.

Les utilisateurs qui se rattachent à une structure disposent de tous les profils, à l'exception du profil de
modification de l'organisation, qui peut leur être attribué ultérieurement.""",
        "mots_cles": "rattachement rattacher rejoindre structure existante demande rattachement accès structure "
        "validation gestionnaire attente",
        "source": f"{NOTES_V3_9}, § 1.2 ; {NOTES_V3_0} ; {COMMUNAUTE}",
        "lien_url": "organisation:demander_rattachement",
        "lien_libelle": "Demander un rattachement à une structure",
    },
    {
        "slug": "profils-et-droits-des-utilisateurs",
        "titre": "Les profils et les droits des utilisateurs",
        "theme": "ORGANISATION",
        "resume": "Chaque profil donne un niveau d'accès à une application : consultation ou modification.",
        "corps": """Un utilisateur du portail dispose de profils qui définissent son niveau d'accès à une application
ou à un domaine. Exemples : « Factures émises – consultation », « Factures émises – modification », « Organisation –
consultation », « Organisation – modification ».

Le compte qui a créé une structure en devient le gestionnaire principal et dispose de tous les profils. Les autres
utilisateurs rattachés disposent de tous les profils, à l'exception du profil de modification de l'organisation, qui
peut leur être attribué ultérieurement par un gestionnaire.

Pour les structures qui ont des services, la fonction « Afficher un utilisateur » permet de sélectionner un ou
plusieurs services et d'afficher la liste des utilisateurs par service.""",
        "mots_cles": "profil profils droits habilitation habilitations accès consultation modification permission "
        "gestionnaire utilisateur droit modifier",
        "source": f"{NOTES_V3_0} ; {NOTES_V3_9}, § 1.3",
        "lien_url": "organisation:structures",
        "lien_libelle": "Mes structures",
    },
    {
        "slug": "transferer-le-gestionnaire-principal",
        "titre": "Transférer le rôle de gestionnaire principal",
        "theme": "ORGANISATION",
        "resume": "Avant de quitter votre poste, transférez votre rôle à un utilisateur déjà rattaché à la structure.",
        "corps": """La présence d'un gestionnaire principal est indispensable à l'utilisation de Chorus Pro par les
utilisateurs de sa structure. Si vous êtes amené à ne plus utiliser l'outil (changement de poste, départ à la
retraite…), transférez votre rôle avant de partir.

Depuis le domaine « Organisation », application « Structures », choisissez « Transférer le gestionnaire principal »,
puis le type de transfert :

- « Transfert d'une partie de vos structures » ;
- « Transfert de toutes vos structures vers un seul gestionnaire » ;
- « Transfert de toutes vos structures vers plusieurs gestionnaires ».

Sélectionnez ensuite le ou les utilisateurs : ils doivent être déjà rattachés aux structures concernées. Ils reçoivent
le rôle dès que vous soumettez votre demande.

Si le gestionnaire principal a quitté votre organisation sans transférer son rôle, demandez le transfert au support («
Demander un transfert de Gestionnaire principal (GP parti) »).""",
        "mots_cles": "transférer gestionnaire principal gp changer gestionnaire départ retraite quitter poste "
        "gestionnaire parti nouveau gestionnaire transfert",
        "source": COMMUNAUTE,
        "lien_url": "organisation:transfert_gestionnaire",
        "lien_libelle": "Transférer le gestionnaire principal",
    },
    {
        "slug": "modifications-differees-30-minutes",
        "titre": "Pourquoi ma modification n'est-elle pas immédiate ?",
        "theme": "ORGANISATION",
        "resume": "Certaines modifications demandent un délai pouvant atteindre 30 minutes.",
        "corps": """Certaines actions de modification ne sont pas immédiates et nécessitent un délai pouvant atteindre
30 minutes :

- modification d'une structure ou d'un service ;
- modification d'un compte utilisateur ;
- modification d'un profil ;
- modification d'une coordonnée bancaire ;
- modification d'un mandat de facturation.

La création d'un compte technique (domaine « Raccordement ») est prise en compte avec un délai de 30 minutes également.

Le portail affiche la modification en attente et l'heure à laquelle elle sera effective.""",
        "mots_cles": "délai 30 minutes attente modifié changé pas pris en compte pas immédiate différée "
        "coordonnées bancaires rib iban mandat service modification en attente",
        "source": NOTES_V3_0,
        "lien_url": "organisation:structures",
        "lien_libelle": "Mes structures",
    },
    # ------------------------------------------------------------------ Factures
    {
        "slug": "suivre-une-facture",
        "titre": "Suivre une facture et son statut",
        "theme": "FACTURES",
        "resume": (
            "L'espace « Factures émises » : Synthèse, Rechercher, et l'historique des statuts de chaque facture."
        ),
        "corps": """Dans l'espace « Factures émises », l'onglet « Synthèse » présente les factures à traiter (à
recycler, suspendues, rejetées) ; l'onglet « Rechercher » retrouve toutes vos factures par numéro, destinataire, statut
ou période.

Cliquez sur le numéro d'une facture pour voir son détail : son statut courant, la date de ce statut et l'historique des
statuts avec le motif et le commentaire du destinataire.

Vous pouvez aussi poser la question à l'assistant virtuel en indiquant le numéro de la facture : il donne son statut,
sa date de dépôt et le dernier commentaire du destinataire.

Pour une facture déposée par flux, les comptes-rendus d'intégration se consultent dans l'onglet « Suivi des flux ».""",
        "mots_cles": "suivre facture statut où en est ma facture état facture suivi historique paiement "
        "quand serai-je payé consulter facture retrouver facture",
        "source": f"{NOTES_V3_9}, § 1.4.1 ; {FORMATION}",
        "lien_url": "facturation:emises_rechercher",
        "lien_libelle": "Rechercher une facture émise",
    },
    {
        "slug": "obligation-de-facturation-electronique",
        "titre": "Chorus Pro est-il obligatoire pour facturer le secteur public ?",
        "theme": "FACTURES",
        "resume": "Depuis le 1er janvier 2020, toute facture adressée à une entité publique doit être dématérialisée.",
        "corps": """L'ordonnance du 26 juin 2014 relative au développement de la facturation électronique prévoit que
les factures adressées par les fournisseurs aux structures du secteur public sont dématérialisées. Ces dispositions
sont intégrées au Code de la commande publique depuis 2019.

Depuis le 1er janvier 2020, la dématérialisation est obligatoire pour tout envoi d'une facture vers une entité
publique. Au titre de l'article R. 2192-3 du Code de la commande publique, une entité publique est fondée à rejeter une
facture transmise en dehors du portail, à condition d'avoir informé l'émetteur de l'obligation.

Le portail de services Chorus Pro est mis gratuitement à la disposition des fournisseurs. L'État, les collectivités
territoriales et leurs établissements publics sont tenus d'accepter les factures électroniques depuis le 1er janvier
2017.""",
        "mots_cles": "obligation obligatoire loi réglementation dématérialisation facture papier gratuit "
        "code commande publique entité publique",
        "source": FORMATION,
        "lien_url": "",
        "lien_libelle": "",
    },
    {
        "slug": "deposer-ou-saisir-une-facture",
        "titre": "Déposer ou saisir une facture",
        "theme": "FACTURES",
        "resume": (
            "Déposer un fichier (PDF, Factur-X, XML) ou saisir la facture en ligne, puis l'envoyer au destinataire."
        ),
        "corps": """Deux chemins sur le portail, depuis le menu Facturation :

- « Déposer une facture » : vous importez un fichier. Pour un PDF ou un XML, le format de dépôt est détecté
  automatiquement ; les données lues sont contrôlées avant l'envoi.
- « Saisir une facture » : vous remplissez le formulaire en ligne, l'enregistrez en brouillon si besoin, puis cliquez
  sur « Valider et envoyer ».

Les champs obligatoires : le numéro de la facture, sa date, la devise, les montants totaux (montant HT, montant de TVA,
net à payer), ainsi que le destinataire identifié par son SIRET. Selon les règles du destinataire, le code service ou
le numéro d'engagement peut être obligatoire.

Une fois déposée, la facture est mise à disposition du destinataire ; son statut se suit dans l'espace « Factures
émises ».""",
        "mots_cles": "déposer facture envoyer facture saisir facture transmettre émettre facture dépôt pdf "
        "factur-x xml importer fichier nouvelle facture",
        "source": f"{FORMATION} (pas à pas du dépôt)",
        "lien_url": "facturation:depot_fichier",
        "lien_libelle": "Déposer une facture",
    },
    {
        "slug": "donnees-d-acheminement",
        "titre": "Identifier le destinataire : SIRET, code service et numéro d'engagement",
        "theme": "FACTURES",
        "resume": "Le SIRET du destinataire, son code service et le numéro d'engagement acheminent la facture.",
        "corps": """Trois informations acheminent une facture vers le bon destinataire : le SIRET de la structure
destinataire, le code service et le numéro d'engagement juridique.

Un destinataire peut imposer aux fournisseurs de renseigner le code service ou le numéro d'engagement. Lors de la
saisie, seuls les services actifs de la structure destinataire sont proposés.

Une erreur sur ces données conduit le destinataire à placer la facture au statut « À recycler » : le fournisseur
corrige alors l'information erronée et renvoie sa facture en conservant le même numéro.

L'annuaire des destinataires permet de retrouver le SIRET et les services d'une entité publique.""",
        "mots_cles": "siret destinataire code service numéro engagement engagement juridique ej acheminement "
        "service destinataire annuaire bon de commande",
        "source": f"{COMMUNAUTE} ; {NOTES_V3_9}, § 1.4.1 et § 3",
        "lien_url": "organisation:annuaire",
        "lien_libelle": "Annuaire des destinataires",
    },
    {
        "slug": "statuts-des-factures",
        "titre": "Comprendre les statuts d'une facture",
        "theme": "FACTURES",
        "resume": "Déposée, Mise à disposition du destinataire, À recycler, Suspendue, Rejetée, Mise en paiement…",
        "corps": """Les statuts d'une facture correspondent aux différents états de son traitement.

- « Déposée » puis « Mise à disposition du destinataire » : la facture est arrivée chez le destinataire.
- « Service fait », « Mandatée », « Mise en paiement » : le destinataire traite la facture jusqu'au paiement.
- « À recycler » : erreur sur les données d'acheminement (SIRET, code service ou numéro d'engagement) ; le fournisseur
  corrige et renvoie la facture avec le même numéro.
- « Suspendue » : une ou plusieurs pièces justificatives manquent ; le fournisseur complète les pièces jointes et
  renvoie la facture.
- « Rejetée » : dernier recours du destinataire (données de facturation erronées, erreur dans les montants…) ; le
  fournisseur doit émettre une nouvelle facture.
- « Mise à disposition du premier valideur » ou « du second valideur » : en cotraitance ou sous-traitance, la facture
  attend une validation.""",
        "mots_cles": "statut statuts état signification veut dire mise à disposition mandatée mise en paiement "
        "service fait déposée rejetée suspendue à recycler",
        "source": f"{COMMUNAUTE} (éviter les rejets) ; {FORMATION}",
        "lien_url": "facturation:emises_synthese",
        "lien_libelle": "Factures émises",
    },
    {
        "slug": "facture-a-recycler",
        "titre": "Ma facture est « À recycler » : que faire ?",
        "theme": "FACTURES",
        "resume": (
            "Corrigez le SIRET, le code service ou le numéro d'engagement et renvoyez la facture avec le même numéro."
        ),
        "corps": """Le destinataire a placé votre facture au statut « À recycler » parce qu'il a constaté une erreur
sur les données d'acheminement : SIRET, code service ou numéro d'engagement.

Ouvrez la facture depuis l'onglet « Synthèse » de l'espace « Factures émises », modifiez l'une de ces trois
informations, puis renvoyez la facture : elle conserve le même numéro.

Le recyclage évite l'émission d'une nouvelle facture, contrairement au rejet.""",
        "mots_cles": "recycler à recycler recyclage corriger facture modifier facture erreur siret "
        "erreur code service erreur engagement renvoyer facture",
        "source": COMMUNAUTE,
        "lien_url": "facturation:emises_synthese",
        "lien_libelle": "Factures émises – Synthèse",
    },
    {
        "slug": "facture-suspendue",
        "titre": "Ma facture est « Suspendue » : compléter les pièces jointes",
        "theme": "FACTURES",
        "resume": "Une pièce justificative manque : ajoutez-la et renvoyez la facture au destinataire.",
        "corps": """Le destinataire applique le statut « Suspendue » lorsqu'une ou plusieurs pièces justificatives sont
manquantes. Le motif et le commentaire du destinataire figurent dans l'historique de la facture.

Ouvrez la facture depuis l'onglet « Synthèse » de l'espace « Factures émises », complétez les pièces jointes puis
renvoyez la facture : le destinataire la traite à nouveau.""",
        "mots_cles": "suspendue suspension pièce jointe manquante justificatif manquant compléter ajouter pièce "
        "bon de livraison document manquant",
        "source": COMMUNAUTE,
        "lien_url": "facturation:emises_synthese",
        "lien_libelle": "Factures émises – Synthèse",
    },
    {
        "slug": "facture-rejetee-traiter-le-rejet",
        "titre": "Facture rejetée : le bouton « Traiter le rejet »",
        "theme": "FACTURES",
        "resume": "Une facture rejetée ne peut pas être corrigée : émettez-en une nouvelle, puis masquez le rejet.",
        "corps": """Le rejet est le dernier recours du destinataire (données de facturation erronées, erreur dans les
montants…). Il entraîne obligatoirement l'émission d'une nouvelle facture par le fournisseur.

L'onglet « Synthèse » de l'espace « Factures émises » présente la liste des factures à traiter. Le bouton « Traiter le
rejet » permet de masquer une facture de cette liste une fois le rejet pris en compte. Il s'applique aux factures au
statut « Rejetée », « Refusée par niveau 1 » et « Refusée par niveau 2 ».

Si la sélection contient une facture d'un autre statut, le portail l'indique : « Des factures n'ont pu être traitées en
raison de leur statut. »""",
        "mots_cles": "rejet rejetée rejeter refusée traiter le rejet masquer rejet nouvelle facture motif rejet "
        "facture refusée pourquoi rejetée",
        "source": f"{NOTES_V3_9}, § 1.4.1 et § 1.4.2 ; {COMMUNAUTE}",
        "lien_url": "facturation:emises_synthese",
        "lien_libelle": "Factures émises – Synthèse",
    },
    {
        "slug": "entites-publiques-eviter-les-rejets",
        "titre": "Entités publiques : éviter les rejets abusifs",
        "theme": "FACTURES",
        "resume": "Préférez « À recycler » ou « Suspendue » au rejet, qui oblige le fournisseur à refaire sa facture.",
        "corps": """Le rejet entraîne obligatoirement l'émission d'une nouvelle facture par le fournisseur, un
processus long et coûteux. Avant de rejeter :

- erreur sur les données d'acheminement (SIRET, code service ou numéro d'engagement) : employez le statut « À recycler
  » ; le fournisseur corrige l'information et renvoie sa facture en conservant le même numéro ;
- pièces justificatives manquantes : appliquez le statut « Suspendue » ; le fournisseur complète les pièces jointes et
  renvoie la facture.

En dernier recours (données de facturation erronées, erreur dans les montants…), utilisez le statut « Rejetée ».""",
        "mots_cles": "entité publique destinataire traiter facture reçue rejeter recycler suspendre factures reçues "
        "traitement acheteur public collectivité",
        "source": COMMUNAUTE,
        "lien_url": "facturation:recues_synthese",
        "lien_libelle": "Factures reçues",
    },
    {
        "slug": "delegation-de-validation",
        "titre": "La délégation de validation des factures reçues",
        "theme": "FACTURES",
        "resume": (
            "Une entité publique peut désigner un valideur délégué, avec un droit de validation ou de traitement."
        ),
        "corps": """La fonctionnalité « Gérer délégation des factures reçues », dans le domaine « Facturation », permet
à une entité publique de désigner une autre entité, publique ou privée, comme valideur délégué de ses factures reçues.
La délégation s'applique à la structure ou à un ou plusieurs de ses services.

Toute facture de cadre A1 émise vers une structure ou un service ayant délégué est soumise au valideur délégué, qui
peut avoir :

- le droit de validation : il valide ou refuse la facture, qui est ensuite transmise au destinataire ;
- le droit de traitement : il peut mettre en paiement, refuser, suspendre, rejeter ou recycler la facture, qui n'est
  alors pas transmise au destinataire.

Le destinataire peut se substituer au valideur délégué à tout moment pour valider ou refuser.""",
        "mots_cles": "délégation déléguer valideur délégué délégataire validation traitement gérer délégation "
        "factures reçues",
        "source": NOTES_V3_2,
        "lien_url": "facturation:delegation_liste",
        "lien_libelle": "Gérer délégation des factures reçues",
    },
    {
        "slug": "cotraitance-et-sous-traitance",
        "titre": "Cotraitance et sous-traitance : la validation des factures",
        "theme": "FACTURES",
        "resume": (
            "La facture d'un cotraitant ou d'un sous-traitant passe par un ou deux valideurs avant le destinataire."
        ),
        "corps": """Si le titulaire d'un marché public est un groupement, le cotraitant non-mandataire peut déposer sa
facture sur le portail ; elle doit toujours être validée par le mandataire du marché. Avant de commencer, chaque
participant se concerte avec les autres pour décider du rôle de chacun.

- Groupement conjoint : chaque acteur dépose sa pièce, le mandataire la valide, et chacun est payé indépendamment.
- Groupement solidaire : chaque acteur transmet sa pièce au mandataire hors du portail ; le mandataire dépose un seul
  projet de décompte mensuel et reçoit seul le paiement.

Statuts propres à la validation : « Mise à disposition du premier valideur » (ou du second), « Validée par le premier
valideur », refus pour erreur dans les données d'acheminement ou pour autre motif, et « Validation 1 hors délai »
lorsque le valideur n'a pas agi dans le délai : la facture est alors transmise au destinataire.""",
        "mots_cles": "cotraitance cotraitant sous-traitance sous-traitant mandataire groupement conjoint solidaire "
        "valideur validation hors délai valider facture",
        "source": FORMATION,
        "lien_url": "facturation:validation_synthese",
        "lien_libelle": "Factures à valider",
    },
    # ------------------------------------------------------------------ Travaux
    {
        "slug": "factures-de-travaux-cadres-de-facturation",
        "titre": "Factures de travaux : les acteurs et leurs cadres de facturation",
        "theme": "TRAVAUX",
        "resume": (
            "Fournisseur, maîtrise d'œuvre (MOE) et maîtrise d'ouvrage (MOA) déposent chacun leurs pièces (A4 à A25)."
        ),
        "corps": """Le portail transmet les pièces des marchés soumis au CCAG de travaux publics. Les pièces de chaque
cycle de paiement forment un dossier de facturation.

- Fournisseur : projet de décompte mensuel (A4), état d'acompte (A5), projet de décompte final (A7), décompte général
  signé (A8).
- Sous-traitant : demande de paiement (A10). Cotraitant : projet de décompte mensuel (A13), projet de décompte final
  (A14).
- Maîtrise d'œuvre (MOE) : état d'acompte (A15), projet de décompte général (A17).
- Maîtrise d'ouvrage (MOA) : état d'acompte validé (A19), décompte général (A20).

Sur demande de l'entité publique, le cadre A6 permet au fournisseur d'envoyer directement sa facture de travaux au
service financier.

Prérequis : une structure par acteur dans Chorus Pro, et l'accès des utilisateurs à l'application
« Factures de travaux » en modification.""",
        "mots_cles": "projet de décompte mensuel travaux marché de travaux cadre facturation a4 a5 a7 a8 a13 a15 "
        "a17 a19 a20 moe moa maîtrise d'œuvre maîtrise d'ouvrage décompte état d'acompte ccag",
        "source": FORMATION,
        "lien_url": "travaux:listes_synthese",
        "lien_libelle": "Factures de travaux – Synthèse",
    },
    {
        "slug": "deposer-une-facture-de-travaux",
        "titre": "Déposer une pièce de facture de travaux",
        "theme": "TRAVAUX",
        "resume": (
            "« Factures de travaux » → « Déposer » : type de dépôt, fichier, cadre, MOE et MOA, références et "
            "montants."
        ),
        "corps": """- Dans le menu « Factures de travaux », cliquez sur « Déposer ».
- Choisissez le type de dépôt : « Dépôt initial » ou « A partir d'une pièce existante dans Chorus Pro », puis le
  fichier. Pour un PDF ou un XML, le format de dépôt est détecté automatiquement.
- Sélectionnez le cadre de facturation (par exemple A4 – projet de décompte mensuel).
- Identifiez les acteurs du marché : la maîtrise d'ouvrage (MOA ou service financier) et la maîtrise d'œuvre. Attention
  : n'indiquez pas le SIRET de l'État mais bien celui de la MOE du marché.
- Complétez les références (numéro, date, devise) et les montants totaux (montant HT, montant de TVA, net à payer), qui
  sont obligatoires, puis validez et envoyez.

En mode EDI, les étapes propres à la MOE et à la MOA ne sont pas possibles : un raccordement en API permet de tout
faire.""",
        "mots_cles": "déposer facture travaux projet de décompte mensuel dépôt travaux pièce travaux déposer décompte "
        "état acompte dépôt initial",
        "source": f"{FORMATION} (pas à pas « Déposer une facture »)",
        "lien_url": "travaux:depot_nouveau",
        "lien_libelle": "Déposer une pièce de travaux",
    },
    {
        "slug": "dossier-de-facturation-travaux",
        "titre": "Suivre un dossier de facturation de travaux",
        "theme": "TRAVAUX",
        "resume": "Onglet « Rechercher » puis l'icône « Dossier » : toutes les pièces et leurs statuts.",
        "corps": """Pour consulter le dossier de facturation d'une pièce, allez dans l'onglet « Rechercher » de
l'application « Factures de travaux », puis cliquez sur l'icône « Dossier » dans la colonne « Actions ».

Vous voyez toutes les pièces du dossier, avec pour chacune la liste des statuts par lesquels elle est passée.

Statuts fréquents : « Mise à disposition de la MOE » (projet de décompte déposé par le fournisseur), « Prise en compte
MOE », « Mise à disposition de la MOA » (état d'acompte ou projet de décompte général déposé par la MOE), « Associée »
(la pièce a été associée à la pièce suivante du dossier), « Mise à disposition du fournisseur » (décompte général
validé par la MOA).

L'onglet « Synthèse » liste les factures de travaux qui attendent une action de votre part.""",
        "mots_cles": "dossier de facturation suivre travaux statut travaux associée prise en compte moe "
        "mise à disposition moe pièces du dossier",
        "source": FORMATION,
        "lien_url": "travaux:listes_rechercher",
        "lien_libelle": "Rechercher une facture de travaux",
    },
    {
        "slug": "moe-delai-de-7-jours",
        "titre": "Le délai de 7 jours de la maîtrise d'œuvre (MOE)",
        "theme": "TRAVAUX",
        "resume": "Sans action de la MOE sous 7 jours, la MOA et le fournisseur reçoivent un courriel chaque jour.",
        "corps": """Lorsqu'un projet de décompte mensuel (cadre A4) n'est pas traité par la maîtrise d'œuvre (MOE) dans
le délai réglementaire de 7 jours, et qu'une maîtrise d'ouvrage (MOA) est mentionnée sur le projet de décompte, deux
courriels sont envoyés :

- à la MOA, pour l'informer que la MOE n'est pas intervenue dans les délais ;
- au fournisseur, pour l'informer du courriel transmis à la MOA.

Ce rappel du délai imposé à la MOE par l'article 12.2.2 du CCAG Travaux invite la MOA à prendre la main sur le projet
de décompte. Les courriels sont envoyés chaque jour tant que le projet de décompte reste « Mis à disposition de la MOE
».""",
        "mots_cles": "délai 7 jours moe retard relance maîtrise d'œuvre ne répond pas projet décompte bloqué "
        "courriel moa ccag",
        "source": NOTES_V3_2,
        "lien_url": "travaux:listes_synthese",
        "lien_libelle": "Factures de travaux – Synthèse",
    },
    {
        "slug": "refus-par-la-moe-motifs",
        "titre": "Refus d'un projet de décompte par la MOE : les motifs autorisés",
        "theme": "TRAVAUX",
        "resume": "Une MOE ne peut pas refuser un projet de décompte pour des montants erronés : elle les corrige.",
        "corps": """Une maîtrise d'œuvre (MOE) n'est pas autorisée à refuser un projet de décompte en raison de
montants erronés. Depuis le 19/02/2025, le motif « Erreur de montant » proposé lors du refus d'un projet de décompte
mensuel (A4 ou A13) ou final (A7 ou A14) ouvre une fenêtre qui invite la MOE à corriger les montants et à déposer la
pièce suivante.

Pour un projet de décompte mensuel, seuls les motifs « Mauvaise MOE » et « Mauvaise MOA » permettent le refus. Quand la
MOE refuse avec le motif « Mauvaise maîtrise d'ouvrage », la pièce passe à l'état « Refusée par la MOE pour mauvaise
maîtrise d'ouvrage ».

Les pièces refusées à titre définitif peuvent être retirées de la Synthèse avec « Traiter le rejet ».""",
        "mots_cles": "refuser refus moe motif refus erreur de montant mauvaise moe mauvaise moa refusée par la moe "
        "montant erroné décompte refusé",
        "source": f"{NOTES_V3_9}, § 1.4.2 et § 2",
        "lien_url": "travaux:listes_synthese",
        "lien_libelle": "Factures de travaux – Synthèse",
    },
    # ------------------------------------------------------------------ Raccordement
    {
        "slug": "portail-edi-ou-api",
        "titre": "Portail, EDI ou API : choisir son mode d'échange",
        "theme": "RACCORDEMENT",
        "resume": (
            "Trois modes de dépôt et de réception, ni exclusifs ni irréversibles ; l'API permet tout, l'EDI non."
        ),
        "corps": """On peut déposer et recevoir des factures sur Chorus Pro de trois façons : le portail, l'EDI
(échange de fichiers) et l'API. Le choix n'est ni exclusif ni irréversible, et le mode portail reste toujours
disponible avec un compte utilisateur actif.

En EDI, on ne peut pas envoyer les pièces de travaux propres aux étapes de maîtrise d'œuvre et de maîtrise d'ouvrage :
il est vivement recommandé de demander à votre éditeur de logiciel un raccordement en API, qui permet de tout faire.

Le domaine « Raccordement » donne accès aux raccordements EDI et API et à la gestion des comptes techniques. Plusieurs
comptes techniques peuvent être créés pour une même structure ; la création est prise en compte sous 30 minutes.""",
        "mots_cles": "edi api raccordement raccorder logiciel éditeur compte technique flux connexion logiciel "
        "comptable piste intégration automatique",
        "source": f"{FORMATION} ; {NOTES_V3_0}",
        "lien_url": "raccordement:accueil",
        "lien_libelle": "Comptes techniques et raccordements",
    },
    {
        "slug": "suivi-des-flux",
        "titre": "Suivre un flux et lire son compte-rendu d'intégration",
        "theme": "RACCORDEMENT",
        "resume": "L'onglet « Suivi des flux » donne le compte-rendu d'intégration, avec chaque erreur en entier.",
        "corps": """Les factures déposées par flux (EDI, API, ou fichier Factur-X) sont intégrées une à une. Le
compte-rendu d'intégration, consultable dans l'onglet « Suivi des flux », indique pour chaque facture si elle est
intégrée ou en erreur.

Les messages d'erreur sont restitués en intégralité, rattachés au bon numéro de facture, y compris les commentaires de
rejet des factures au format PDF/A-3 (Factur-X).

Par API, le service « consulterCRDetaillé » renvoie l'intégralité des erreurs d'un flux comportant plusieurs factures
en erreur.""",
        "mots_cles": "flux suivi des flux compte-rendu intégration cr erreur flux rejet flux fichier rejeté "
        "integration report factur-x",
        "source": f"{NOTES_V3_9}, § 1.4.1 et § 3",
        "lien_url": "raccordement:flux_liste",
        "lien_libelle": "Suivi des flux",
    },
    {
        "slug": "portail-de-qualification",
        "titre": "Le portail de qualification, un « bac à sable »",
        "theme": "RACCORDEMENT",
        "resume": (
            "Un environnement de test pour essayer un raccordement ou se former, avec un « matelas de données »."
        ),
        "corps": """Le portail de qualification Chorus Pro est un environnement de test qui reprend la quasi-totalité
des fonctionnalités (hors création de structures). Il permet de simuler l'utilisation de Chorus Pro sans émettre de
factures vers de véritables destinataires.

Il sert surtout à tester un raccordement technique (EDI ou API) avant d'activer ses flux, et à former les utilisateurs.

Son utilisation suit deux étapes : créer un compte personnel, puis générer un « matelas de données » : un tableau
d'utilisateurs fictifs (fournisseur, MOE, MOA, entité publique) avec leur identifiant et leur mot de passe. Le matelas
est utilisable sans limite de durée, mais l'outil demande périodiquement de changer les mots de passe.""",
        "mots_cles": "qualification test tester bac à sable environnement de test matelas de données recette "
        "démonstration formation essai",
        "source": FORMATION,
        "lien_url": "",
        "lien_libelle": "",
    },
    # ------------------------------------------------------------------ Support
    {
        "slug": "contacter-le-support",
        "titre": "Contacter le support et saisir une sollicitation",
        "theme": "SUPPORT",
        "resume": (
            "Connecté : « Suivi des tickets » → « Saisir une sollicitation » ; déconnecté : le formulaire de demande."
        ),
        "corps": """Pour toute question propre à votre compte ou à votre structure, contactez le support depuis le menu
« SUPPORT ». Trois modalités sont proposées :

- discuter avec l'assistant virtuel ;
- échanger en ligne avec un agent ;
- envoyer une demande d'aide au support en saisissant une sollicitation (un ticket).

En mode connecté, cliquez sur « Suivi des tickets » pour accéder à l'onglet « Saisir une sollicitation » de l'espace «
Sollicitations émises ». En mode déconnecté, cliquez sur « Compléter le formulaire de demande ».

Les tickets s'adressent au support ou aux services métiers ; vous pouvez suivre leur traitement et répondre aux
questions posées.""",
        "mots_cles": "support contacter aide assistance ticket sollicitation nous contacter humain agent conseiller "
        "problème réclamation demande d'aide joindre",
        "source": f"{NOTES_V3_0} ; {NOTES_V3_2}",
        "lien_url": "support:sollicitation_saisir",
        "lien_libelle": "Saisir une sollicitation",
    },
    {
        "slug": "notes-de-version",
        "titre": "Consulter les notes de version",
        "theme": "SUPPORT",
        "resume": "Le lien « Notes de version » est en bas de chaque page ; le numéro de version aussi.",
        "corps": """Les notes de version présentent les modifications apportées au portail à chaque livraison. Elles
sont accessibles en cliquant sur le lien « Notes de version » en bas de page, ou depuis le menu « COMMUNICATION ».

Le numéro de version applicative est affiché en bas de la page d'accueil.""",
        "mots_cles": "notes de version nouveautés évolutions version mise à jour changements release",
        "source": NOTES_V3_2,
        "lien_url": "support:notes_de_version",
        "lien_libelle": "Notes de version",
    },
]


def charger(Article):
    """Create or update every article of ARTICLES, by slug, on the model given (the migration's historical one)."""
    for ordre, donnees in enumerate(ARTICLES, start=1):
        Article.objects.update_or_create(slug=donnees["slug"], defaults={**donnees, "ordre": ordre, "publie": True})
