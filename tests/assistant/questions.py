"""The labelled questions: phrased as users phrase them (typos of accents, no punctuation, spoken French), each with
the article that answers it. The ranking is judged on this set on SQLite and on PostgreSQL."""

QUESTIONS = [
    # compte et connexion
    ("comment je crée mon compte ?", "creer-un-compte-utilisateur"),
    ("je veux m'inscrire sur chorus pro", "creer-un-compte-utilisateur"),
    ("le lien d'activation a expiré", "activer-son-compte"),
    ("j'ai pas reçu le mail pour activer mon compte", "activer-son-compte"),
    ("c'est quoi la double authentification", "double-authentification"),
    ("je ne reçois pas le code de sécurité", "code-de-securite-non-recu"),
    ("code securite expire", "code-de-securite-non-recu"),
    ("comment ajouter google authenticator", "declarer-une-application-d-authentification"),
    ("scanner le QR code avec mon téléphone", "declarer-une-application-d-authentification"),
    ("changer mon adresse mail de connexion", "modifier-son-adresse-de-connexion"),
    ("j'ai oublié mon mot de passe", "mot-de-passe-oublie"),
    ("identifiant qui finit par -xt", "comptes-pigp"),
    # structures et utilisateurs
    ("créer une structure pour mon entreprise", "creer-une-structure"),
    ("rejoindre la structure de ma société qui existe déjà", "se-rattacher-a-une-structure"),
    ("donner le droit de modification à un collègue", "profils-et-droits-des-utilisateurs"),
    ("je pars à la retraite, qui sera gestionnaire ?", "transferer-le-gestionnaire-principal"),
    ("le gestionnaire principal a quitté l'entreprise", "transferer-le-gestionnaire-principal"),
    ("j'ai modifié mon RIB mais ce n'est pas pris en compte", "modifications-differees-30-minutes"),
    # factures
    ("est-ce obligatoire d'envoyer mes factures par chorus", "obligation-de-facturation-electronique"),
    ("comment envoyer une facture à une mairie", "deposer-ou-saisir-une-facture"),
    ("déposer un PDF", "deposer-ou-saisir-une-facture"),
    ("où trouver le code service du destinataire", "donnees-d-acheminement"),
    ("suivre le statut de ma facture", "suivre-une-facture"),
    ("que veut dire mandatée", "statuts-des-factures"),
    ("facture a recycler que faire", "facture-a-recycler"),
    ("ma facture est suspendue il manque une pièce jointe", "facture-suspendue"),
    ("pourquoi ma facture a été rejetée", "facture-rejetee-traiter-le-rejet"),
    ("comment masquer les factures rejetées de la synthèse", "facture-rejetee-traiter-le-rejet"),
    ("je suis une collectivité, faut-il rejeter ou suspendre ?", "entites-publiques-eviter-les-rejets"),
    ("déléguer la validation de nos factures reçues", "delegation-de-validation"),
    ("facture de sous-traitant à valider par le mandataire", "cotraitance-et-sous-traitance"),
    # travaux
    ("quel cadre de facturation pour un projet de décompte mensuel", "factures-de-travaux-cadres-de-facturation"),
    ("déposer une facture de travaux", "deposer-une-facture-de-travaux"),
    ("voir le dossier de facturation de mon chantier", "dossier-de-facturation-travaux"),
    ("la MOE ne répond pas depuis 7 jours", "moe-delai-de-7-jours"),
    ("la maîtrise d'oeuvre peut-elle refuser pour erreur de montant", "refus-par-la-moe-motifs"),
    # raccordement
    ("raccorder notre logiciel comptable en API", "portail-edi-ou-api"),
    ("mon flux est en erreur, où voir le compte rendu", "suivi-des-flux"),
    ("environnement de test pour essayer", "portail-de-qualification"),
    # support
    ("comment contacter le support", "contacter-le-support"),
    ("parler à un conseiller", "contacter-le-support"),
    ("quelles sont les nouveautés de la dernière version", "notes-de-version"),
]
