from django.urls import path

from engagements import views

app_name = "engagements"

urlpatterns = [
    path("engagements/", views.liste, name="liste"),
    path("engagements/charger/", views.charger, name="charger"),
    path("engagements/<int:pk>/", views.consulter, name="consulter"),
]
