from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("notes-de-version/", views.notes_de_version, name="notes_de_version"),
    # Placeholders until the tickets land this session (the assistant links to them): replaced by the real forms.
    path("sollicitations/saisir/", views.sollicitation_saisir, name="sollicitation_saisir"),
    path("demande/", views.sollicitation_publique, name="sollicitation_publique"),
]
