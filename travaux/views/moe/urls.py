from django.urls import path

from travaux.views.moe import pages

urlpatterns = [
    path("", pages.liste, name="moe_a_associer"),
    path("<int:pk>/", pages.associer, name="moe_associer"),
]
