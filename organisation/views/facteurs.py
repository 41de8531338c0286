import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from chorus.exceptions import ApplicationError, erreur_dans_le_formulaire
from organisation.forms import AjoutApplicationForm, CodeForm, SuppressionApplicationForm
from organisation.models import CodeCourriel
from organisation.services import cle_securite, second_facteur

CLE_SESSION = "application_en_cours"


def facteurs(request):
    return render(
        request,
        "organisation/facteurs.html",
        {
            "application": second_facteur.application_declaree(request.user),
            "cles": cle_securite.cles_de(request.user),
            "nom_cle_max": cle_securite.NOM_CLE_LONGUEUR_MAX,
        },
    )


def _qr_svg(url):
    tampon = BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(tampon)
    return "data:image/svg+xml;base64," + base64.b64encode(tampon.getvalue()).decode()


@require_http_methods(["GET", "POST"])
def ajouter_application(request):
    """Scan the QR code (or type the secret), then prove it with the current code and name the device."""
    actuelle = second_facteur.application_declaree(request.user)
    cle = request.session.get(CLE_SESSION)
    if request.method == "GET" or not cle:
        cle = second_facteur.nouvelle_cle()
        request.session[CLE_SESSION] = cle
    form = AjoutApplicationForm(request.POST or None, remplacement=actuelle is not None)
    if request.method == "POST" and form.is_valid():
        try:
            nouvelle = second_facteur.application_declarer(
                utilisateur=request.user,
                cle_hex=cle,
                code=form.cleaned_data["code"],
                nom=form.cleaned_data["nom"],
                code_actuel=form.cleaned_data.get("code_actuel"),
            )
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur)
        else:
            del request.session[CLE_SESSION]
            otp_login(request, nouvelle)  # the session stays verified, now by the new device
            messages.success(
                request,
                "Votre application d'authentification est déclarée : elle vous donnera désormais le code "
                "demandé à chaque connexion.",
            )
            return redirect("organisation:facteurs")
    url = second_facteur.url_configuration(utilisateur=request.user, cle_hex=cle)
    contexte = {
        "form": form,
        "actuelle": actuelle,
        "qr": _qr_svg(url),
        "secret": second_facteur.cle_en_base32(cle),
    }
    return render(request, "organisation/ajouter_application.html", contexte)


@require_http_methods(["GET", "POST"])
def supprimer_application(request):
    actuelle = second_facteur.application_declaree(request.user)
    if actuelle is None:
        return redirect("organisation:facteurs")
    form = SuppressionApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_facteur.application_supprimer(utilisateur=request.user, code=form.cleaned_data["code"])
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur, sinon="code")
        else:
            otp_login(request, second_facteur.appareil_code_courriel(request.user))
            messages.success(
                request, "L'application est supprimée : les codes de connexion vous seront envoyés par courriel."
            )
            return redirect("organisation:facteurs")
    return render(request, "organisation/supprimer_application.html", {"form": form, "actuelle": actuelle})


@require_http_methods(["GET", "POST"])
def supprimer_cle(request, pk):
    cle = get_object_or_404(cle_securite.WebAuthnCredential, pk=pk, user=request.user)
    appareil = second_facteur.facteur_de_connexion(request.user)
    par_courriel = isinstance(appareil, CodeCourriel)
    if request.method == "GET" and par_courriel:
        second_facteur.code_courriel_envoyer(utilisateur=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verifie = cle_securite.cle_supprimer(utilisateur=request.user, cle=cle, code=form.cleaned_data["code"])
        except ApplicationError as erreur:
            erreur_dans_le_formulaire(form, erreur, sinon="code")
        else:
            # the session may have been verified by the removed key: it stays verified by the factor just used
            otp_login(request, verifie)
            messages.success(request, f"La clé de sécurité « {cle.name} » est supprimée.")
            return redirect("organisation:facteurs")
    contexte = {
        "form": form,
        "cle": cle,
        "par_courriel": par_courriel,
        "appareil": appareil,
        "minutes": int(settings.CODE_COURRIEL_VALIDITE.total_seconds() // 60),
    }
    return render(request, "organisation/supprimer_cle.html", contexte)
