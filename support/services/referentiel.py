"""The agents' referentials: categories and sub-categories of tickets, canned answers. A category or an answer in
use is never deleted, only withdrawn (« proposée » unchecked), so old tickets keep their labels."""

from django.db import IntegrityError, transaction

from chorus.exceptions import ApplicationError
from support.acces import est_agent
from support.models import Categorie, ReponseType, SousCategorie


def _exiger_agent(par):
    if not est_agent(par):
        raise ApplicationError("Seul un agent du support peut modifier ce référentiel.")


def _enregistrer(objet, champs, doublon):
    for nom, valeur in champs.items():
        setattr(objet, nom, valeur)
    try:
        with transaction.atomic():
            objet.save()
    except IntegrityError:
        raise ApplicationError(doublon, champ="libelle" if "libelle" in champs else "titre") from None
    return objet


@transaction.atomic
def categorie_enregistrer(*, par, categorie=None, libelle, destination, ordre=0, active=True):
    _exiger_agent(par)
    libelle = libelle.strip()
    return _enregistrer(
        categorie or Categorie(),
        {"libelle": libelle, "destination": destination, "ordre": ordre, "active": active},
        f"Une catégorie s'appelle déjà « {libelle} ».",
    )


@transaction.atomic
def sous_categorie_enregistrer(*, par, categorie, sous_categorie=None, libelle, ordre=0, active=True):
    _exiger_agent(par)
    libelle = libelle.strip()
    return _enregistrer(
        sous_categorie or SousCategorie(categorie=categorie),
        {"libelle": libelle, "ordre": ordre, "active": active},
        f"La catégorie « {categorie.libelle} » a déjà une sous-catégorie « {libelle} ».",
    )


@transaction.atomic
def reponse_type_enregistrer(*, par, reponse=None, titre, corps, active=True):
    _exiger_agent(par)
    titre = titre.strip()
    return _enregistrer(
        reponse or ReponseType(),
        {"titre": titre, "corps": corps.strip(), "active": active},
        f"Une réponse type s'intitule déjà « {titre} ».",
    )
