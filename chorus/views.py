from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chorus import menus

CLE_PANNEAU_FERME = "panneau_premiere_connexion_ferme"

# The portal's domains as a visitor discovers them before logging in; once logged in, the home page shows the spaces
# the user's profiles open instead (chorus/menus.py).
DOMAINES = [
    ("Marché", "Consulter les marchés publics et leurs pièces."),
    ("Commande", "Recevoir et suivre les bons de commande des entités publiques."),
    ("Facturation", "Déposer, saisir, suivre et traiter les factures, les factures de travaux et les mémoires."),
    ("Organisation", "Gérer vos structures, leurs services, leurs utilisateurs et leurs habilitations."),
    ("Raccordement", "Raccorder votre logiciel par API ou EDI et suivre vos flux."),
    ("Outils", "Consulter et télécharger l'annuaire des destinataires."),
]


@login_not_required
def accueil(request):
    visiteur = menus.visiteur(request)
    ouvertures = visiteur.ouvertures
    # an agent of the support works without a structure: nothing to create or join
    sans_structure = visiteur.connecte and not ouvertures.rattache and not ouvertures.est_agent
    contexte = {
        "domaines": DOMAINES,
        "tuiles": menus.tuiles(request) if visiteur.connecte else [],
        "sans_structure": sans_structure,
        "panneau_premiere_connexion": sans_structure and not request.session.get(CLE_PANNEAU_FERME),
        "demandes_en_attente": ouvertures.demandes_en_attente,
    }
    return render(request, "chorus/accueil.html", contexte)


@require_POST
def fermer_panneau(request):
    """ "Fermer" on the first-login panel: it stays closed for this session, as on Chorus Pro."""
    request.session[CLE_PANNEAU_FERME] = True
    return redirect("accueil")


@login_not_required
def accessibilite(request):
    return render(request, "chorus/accessibilite.html")
