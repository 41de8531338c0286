from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from chorus import views

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("demo/boite-mail/", views.boite_mail, name="boite_mail"),
    # the admin has no login of its own: it would skip the second factor
    path("admin/login/", RedirectView.as_view(pattern_name="organisation:connexion", query_string=True)),
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),
    path("", include("organisation.urls")),
    path("", include("support.urls")),
]
