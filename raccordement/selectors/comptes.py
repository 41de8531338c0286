"""Reads of the Raccordement pages: the structures a user manages the connection of, and their technical accounts,
API clients and connection records. Every read starts from a structure the policy lets the user see
(organisation.habilitations, Application.RACCORDEMENT); anything else is a 404."""

from django.db import models
from django.db.models import Case, Count, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from organisation.enums import Application, Niveau
from organisation.habilitations import objet_visible_ou_404, peut, structures_visibles
from raccordement.models import ClientApi, CompteTechnique, FicheRaccordement


class EtatCompte(models.TextChoices):
    EN_ATTENTE = "EN_ATTENTE", "En attente"
    ACTIF = "ACTIF", "Actif"
    EXPIRE = "EXPIRE", "Mot de passe expiré"
    DESACTIVE = "DESACTIVE", "Désactivé"


class EtatFiche(models.TextChoices):
    QUALIFICATION = "QUALIFICATION", "En qualification"
    PRODUCTION = "PRODUCTION", "En production"
    DESACTIVEE = "DESACTIVEE", "Désactivée"


def _nombre(modele):
    # a subquery each, not three joins multiplying each other's rows
    lignes = modele.objects.filter(structure=OuterRef("pk")).order_by().values("structure")
    return Coalesce(Subquery(lignes.annotate(n=Count("pk")).values("n")), 0)


def structures_raccordement(user):
    """The structures whose Raccordement `user` may at least consult, with how much each one has."""
    return (
        structures_visibles(user, Application.RACCORDEMENT, Niveau.CONSULTATION)
        .annotate(
            nb_comptes=_nombre(CompteTechnique), nb_clients=_nombre(ClientApi), nb_fiches=_nombre(FicheRaccordement)
        )
        .order_by("raison_sociale", "pk")
    )


def structure_ou_404(user, pk):
    return objet_visible_ou_404(structures_visibles(user, Application.RACCORDEMENT, Niveau.CONSULTATION), pk=pk)


def peut_modifier(user, structure):
    return peut(user, Application.RACCORDEMENT, Niveau.MODIFICATION, structure)


def _etat_compte(maintenant):
    return Case(
        When(desactive_le__isnull=False, then=Value(EtatCompte.DESACTIVE)),
        When(actif_le__gt=maintenant, then=Value(EtatCompte.EN_ATTENTE)),
        When(mot_de_passe_expire_le__lte=maintenant, then=Value(EtatCompte.EXPIRE)),
        default=Value(EtatCompte.ACTIF),
        output_field=models.CharField(),
    )


TRIS_COMPTES = {
    "login": "login",
    "creation": "cree_le",
    "expiration": "mot_de_passe_expire_le",
    "utilisation": "derniere_utilisation_le",
}


def comptes_de(structure, *, etat="", tri="-creation"):
    """The structure's technical accounts with their state (`etat`) computed in SQL, filtered and sorted."""
    qs = CompteTechnique.objects.filter(structure=structure).annotate(etat=_etat_compte(timezone.now()))
    if etat:
        qs = qs.filter(etat=etat)
    cle = TRIS_COMPTES.get(tri.lstrip("-"), "cree_le")
    return qs.order_by(f"-{cle}" if tri.startswith("-") else cle, "-pk")


def compte_ou_404(structure, pk):
    return objet_visible_ou_404(
        CompteTechnique.objects.filter(structure=structure).annotate(etat=_etat_compte(timezone.now())), pk=pk
    )


def clients_de(structure):
    return ClientApi.objects.filter(structure=structure).order_by("-actif", "nom", "pk")


def client_ou_404(structure, pk):
    return objet_visible_ou_404(ClientApi.objects.filter(structure=structure), pk=pk)


def _etat_fiche():
    return Case(
        When(desactivee_le__isnull=False, then=Value(EtatFiche.DESACTIVEE)),
        When(environnement="PRODUCTION", then=Value(EtatFiche.PRODUCTION)),
        default=Value(EtatFiche.QUALIFICATION),
        output_field=models.CharField(),
    )


def fiches_de(structure, *, type_raccordement="", etat=""):
    qs = FicheRaccordement.objects.filter(structure=structure).annotate(etat=_etat_fiche())
    if type_raccordement:
        qs = qs.filter(type_raccordement=type_raccordement)
    if etat:
        qs = qs.filter(etat=etat)
    return qs.order_by("-cree_le", "-pk")


def fiche_ou_404(structure, pk):
    return objet_visible_ou_404(
        FicheRaccordement.objects.filter(structure=structure).annotate(etat=_etat_fiche()), pk=pk
    )


def clients_actifs_choix(structure):
    return [(c.client_id, f"{c.nom} ({c.client_id})") for c in clients_de(structure).filter(actif=True)]
