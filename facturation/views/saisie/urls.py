from django.urls import path

from facturation.views.saisie import brouillons, formulaire, recapitulatif, recherche

urlpatterns = [
    path("", formulaire.nouvelle, name="saisie_nouvelle"),
    path("brouillons/", brouillons.liste, name="saisie_brouillons"),
    path("brouillons/<int:pk>/", formulaire.brouillon, name="saisie_brouillon"),
    path("brouillons/<int:pk>/supprimer/", brouillons.supprimer, name="saisie_brouillon_supprimer"),
    path("<int:pk>/recapitulatif/", recapitulatif.recapitulatif, name="saisie_recapitulatif"),
    path("<int:pk>/facture.pdf", recapitulatif.telecharger_pdf, name="saisie_telecharger_pdf"),
    path("<int:pk>/facture.xml", recapitulatif.telecharger_xml, name="saisie_telecharger_xml"),
    path("<int:pk>/certificat-de-depot.pdf", recapitulatif.certificat, name="saisie_certificat"),
    path("destinataires/", recherche.destinataires, name="saisie_destinataires"),
    path("services/", recherche.services, name="saisie_services"),
]
