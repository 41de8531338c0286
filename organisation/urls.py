from django.urls import path

from organisation.views import (
    cle_securite,
    compte,
    connexion,
    facteurs,
    informations,
    inscription,
    mot_de_passe,
)
from organisation.views.annuaire.urls import urlpatterns as annuaire
from organisation.views.structures.urls import urlpatterns as structures
from organisation.views.support.urls import urlpatterns as support
from organisation.views.utilisateurs.urls import urlpatterns as utilisateurs

app_name = "organisation"

urlpatterns = (
    [
        path("compte/creer/", inscription.inscription, name="inscription"),
        path("compte/creer/envoye/", inscription.inscription_envoyee, name="inscription_envoyee"),
        path("compte/activer/<str:jeton>/", inscription.activer, name="activer"),
        path("compte/activation/renvoyer/", inscription.activation_renvoyer, name="activation_renvoyer"),
        path("connexion/", connexion.connexion, name="connexion"),
        path("connexion/code/", connexion.code, name="code"),
        path("connexion/code/renvoyer/", connexion.code_renvoyer, name="code_renvoyer"),
        path("connexion/cle/debut/", cle_securite.authentification_debut, name="cle_connexion_debut"),
        path("connexion/cle/fin/", cle_securite.authentification_fin, name="cle_connexion_fin"),
        path("deconnexion/", connexion.deconnexion, name="deconnexion"),
        path("mot-de-passe/oublie/", mot_de_passe.MotDePasseOublie.as_view(), name="mot_de_passe_oublie"),
        path("mot-de-passe/envoye/", mot_de_passe.MotDePasseEnvoye.as_view(), name="mot_de_passe_envoye"),
        path(
            "mot-de-passe/nouveau/<uidb64>/<token>/",
            mot_de_passe.MotDePasseNouveau.as_view(),
            name="mot_de_passe_nouveau",
        ),
        path("mot-de-passe/change/", mot_de_passe.MotDePasseChange.as_view(), name="mot_de_passe_change"),
        path("mon-compte/", compte.mon_compte, name="mon_compte"),
        path("mon-compte/informations/", informations.modifier_informations, name="modifier_informations"),
        path("mon-compte/adresse/", compte.changer_adresse, name="changer_adresse"),
        path("mon-compte/adresse/confirmer/<str:jeton>/", compte.adresse_confirmer, name="adresse_confirmer"),
        path("mon-compte/mot-de-passe/", compte.changer_mot_de_passe, name="changer_mot_de_passe"),
        path("mon-compte/facteurs/", facteurs.facteurs, name="facteurs"),
        path("mon-compte/facteurs/application/", facteurs.ajouter_application, name="ajouter_application"),
        path(
            "mon-compte/facteurs/application/supprimer/",
            facteurs.supprimer_application,
            name="supprimer_application",
        ),
        path("mon-compte/facteurs/cles/debut/", cle_securite.enregistrement_debut, name="cle_ajout_debut"),
        path("mon-compte/facteurs/cles/fin/", cle_securite.enregistrement_fin, name="cle_ajout_fin"),
        path("mon-compte/facteurs/cles/<int:pk>/supprimer/", facteurs.supprimer_cle, name="supprimer_cle"),
    ]
    + structures
    + utilisateurs
    + annuaire
    + support
)
