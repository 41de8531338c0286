from django.urls import path

from organisation.views.annuaire import pages, telechargements

urlpatterns = [
    path("organisation/annuaire/", pages.liste, name="annuaire"),
    path("organisation/annuaire/<int:pk>/", pages.structure, name="annuaire_structure"),
    path("organisation/annuaire/annuaire.csv", telechargements.csv_telecharger, name="annuaire_csv"),
    path("organisation/annuaire/annuaire.xml", telechargements.xml_telecharger, name="annuaire_xml"),
]
