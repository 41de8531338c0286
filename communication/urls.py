from django.urls import path

from communication import views

app_name = "communication"

urlpatterns = [
    path("mes-messages/", views.mes_messages, name="mes_messages"),
    path("mes-messages/non-lus/", views.non_lus, name="non_lus"),
    path("mes-messages/tout-marquer-lu/", views.tout_marquer_lu, name="tout_marquer_lu"),
    path("mes-messages/<int:pk>/", views.ouvrir, name="ouvrir"),
    path("mes-messages/<int:pk>/marquer-lu/", views.marquer_lue, name="marquer_lue"),
]
