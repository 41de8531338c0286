from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chorus.mail import lire_boite
from organisation import selectors

CLE_PANNEAU_FERME = "panneau_premiere_connexion_ferme"

# (name, description, URL name of its entry page once built, or None)
DOMAINES = [
    ("Marché", "Consulter les marchés publics et leurs pièces.", None),
    ("Commande", "Recevoir et suivre les bons de commande des entités publiques.", None),
    (
        "Facturation",
        "Déposer, saisir, suivre et traiter les factures, les factures de travaux et les mémoires.",
        "facturation:emises_accueil",
    ),
    (
        "Organisation",
        "Gérer vos structures, leurs services, leurs utilisateurs et leurs habilitations.",
        "organisation:structures",
    ),
    ("Raccordement", "Raccorder votre logiciel par API ou EDI et suivre vos flux.", None),
    ("Outils", "Consulter et télécharger l'annuaire des destinataires.", "organisation:annuaire"),
]


@login_not_required
def accueil(request):
    panneau = (
        request.user.is_authenticated
        and not request.user.est_agent_support
        and not request.session.get(CLE_PANNEAU_FERME)
        and not selectors.a_une_structure(request.user)
    )
    return render(request, "chorus/accueil.html", {"domaines": DOMAINES, "panneau_premiere_connexion": panneau})


@require_POST
def fermer_panneau(request):
    """ "Fermer" on the first-login panel: it stays closed for this session, as on Chorus Pro."""
    request.session[CLE_PANNEAU_FERME] = True
    return redirect("accueil")


@login_not_required
def accessibilite(request):
    return render(request, "chorus/accessibilite.html")


@login_not_required
def boite_mail(request):
    """The demo mailbox: the mails the portal sent, newest first, so links and codes can be followed."""
    if not settings.DEMO:
        raise Http404
    return render(request, "chorus/boite_mail.html", {"messages_recus": lire_boite()})
