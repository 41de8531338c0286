from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("notes-de-version/", views.notes_de_version, name="notes_de_version"),
]
