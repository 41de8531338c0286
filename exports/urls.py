from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("mes-exports/", views.mes_exports, name="mes_exports"),
    path("mes-exports/demander/<slug:genre>/", views.demander, name="demander"),
    path("mes-exports/<int:pk>/etat/", views.etat, name="etat"),
    path("mes-exports/<int:pk>/telecharger/", views.telecharger, name="telecharger"),
]
