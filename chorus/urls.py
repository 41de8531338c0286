from captcha import views as captcha_views
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from chorus import captcha_audio, views

urlpatterns = [
    # The API first: a call is resolved among the API's ~95 routes (plain strings, compared as such) instead of after
    # the portal's 326 (0.2 to 0.5 ms of a call); no portal route starts with cpro/ or api/.
    path("", include("raccordement.api.urls")),
    path("", views.accueil, name="accueil"),
    path("premiere-connexion/fermer/", views.fermer_panneau, name="fermer_panneau"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    # the admin has no login of its own: it would skip the second factor
    path("admin/login/", RedirectView.as_view(pattern_name="organisation:connexion", query_string=True)),
    path("admin/", admin.site.urls),
    # the CAPTCHA is shown on the sign-up form, before any login
    re_path(
        r"^captcha/image/(?P<key>\w+)/$",
        login_not_required(captcha_views.captcha_image),
        name="captcha-image",
        kwargs={"scale": 1},
    ),
    # the same code spoken, for who cannot see the image (WCAG 1.1.1)
    re_path(r"^captcha/audio/(?P<key>\w+)\.wav$", captcha_audio.audio, name="captcha-audio"),
    re_path(r"^captcha/refresh/$", login_not_required(captcha_views.captcha_refresh), name="captcha-refresh"),
    path("", include("organisation.urls")),
    path("", include("support.urls")),
    path("", include("assistant.urls")),
    path("", include("communication.urls")),
    path("", include("exports.urls")),
    path("", include("facturation.urls")),
    path("", include("engagements.urls")),
    path("", include("travaux.urls")),
    path("", include("raccordement.urls")),
    path("", include("demo.urls")),
]

# Only without DEBUG (the demo and production): French DSFR pages, the JSON envelope under /cpro/ and /api/.
handler400 = "chorus.erreurs.requete_invalide"
handler403 = "chorus.erreurs.acces_refuse"
handler404 = "chorus.erreurs.page_non_trouvee"
handler500 = "chorus.erreurs.erreur_serveur"
