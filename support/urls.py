from django.urls import path

from support import views
from support.views import agent, demandeur, public, recues

app_name = "support"

urlpatterns = [
    path("notes-de-version/", views.notes_de_version, name="notes_de_version"),
    # « Suivi des tickets »: the requester's side (logged in)
    path("sollicitations/", demandeur.emises, name="emises"),
    path("sollicitations/saisir/", views.sollicitation_saisir, name="sollicitation_saisir"),
    path("sollicitations/<int:pk>/", demandeur.emise, name="emise"),
    path("sollicitations/<int:pk>/pieces-jointes/<int:piece_pk>/", demandeur.emise_piece, name="emise_piece"),
    # « Sollicitations reçues »: the recipient structure's side
    path("sollicitations/recues/", recues.recues, name="recues"),
    path("sollicitations/recues/<int:pk>/", recues.recue, name="recue"),
    path("sollicitations/recues/<int:pk>/pieces-jointes/<int:piece_pk>/", recues.recue_piece, name="recue_piece"),
    # « Compléter le formulaire de demande »: logged out, followed through signed links
    path("demande/", views.sollicitation_publique, name="sollicitation_publique"),
    path("demande/envoyee/", public.demande_envoyee, name="demande_envoyee"),
    path("demande/confirmer/<str:jeton>/", public.demande_confirmer, name="demande_confirmer"),
    path("demande/suivi/<str:jeton>/", public.demande_suivi, name="demande_suivi"),
    path("demande/suivi/<str:jeton>/pieces-jointes/<int:piece_pk>/", public.demande_piece, name="demande_piece"),
    # the support's back office
    path("support/sollicitations/", agent.file, name="agent_file"),
    path("support/sollicitations/<int:pk>/", agent.sollicitation, name="agent_sollicitation"),
    path("support/sollicitations/<int:pk>/pieces-jointes/<int:piece_pk>/", agent.piece, name="agent_piece"),
    path("support/sollicitations/categories/", agent.categories, name="agent_categories"),
    path("support/sollicitations/categories/<int:pk>/", agent.categorie, name="agent_categorie"),
    path("support/sollicitations/sous-categories/<int:pk>/", agent.sous_categorie, name="agent_sous_categorie"),
    path("support/sollicitations/reponses-types/", agent.reponses_types, name="agent_reponses_types"),
    path("support/sollicitations/reponses-types/nouvelle/", agent.reponse_type, name="agent_reponse_type_nouvelle"),
    path("support/sollicitations/reponses-types/<int:pk>/", agent.reponse_type, name="agent_reponse_type"),
]
