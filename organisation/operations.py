"""What each delayed modification does when its time comes (registered with chorus.differe)."""

from datetime import date

from chorus.differe import operation
from chorus.exceptions import ApplicationError
from organisation.models import CoordonneeBancaire, Habilitation, MandatFacturation, Service

CHAMPS_DATE = {"date_debut_validite", "date_fin_validite", "date_debut", "date_fin"}


def _valeurs(donnees):
    return {k: (date.fromisoformat(v) if k in CHAMPS_DATE and v else v) for k, v in donnees.items()}


def _affecter(objet, donnees):
    for champ, valeur in _valeurs(donnees).items():
        setattr(objet, champ, valeur)
    objet.save(update_fields=list(donnees))


@operation("structure.modifier")
def structure_modifier(structure, donnees):
    _affecter(structure, donnees)


@operation("service.creer")
def service_creer(structure, donnees):
    if Service.objects.filter(structure=structure, code=donnees["code"]).exists():
        raise ApplicationError(f"Le service {donnees['code']} existe déjà.")
    Service.objects.create(structure=structure, **_valeurs(donnees))


@operation("service.modifier")
def service_modifier(service, donnees):
    _affecter(service, donnees)


@operation("coordonnee_bancaire.ajouter")
def coordonnee_bancaire_ajouter(structure, donnees):
    CoordonneeBancaire.objects.create(structure=structure, **donnees)


@operation("coordonnee_bancaire.modifier")
def coordonnee_bancaire_modifier(coordonnee, donnees):
    _affecter(coordonnee, donnees)


@operation("mandat.ajouter")
def mandat_ajouter(structure, donnees):
    MandatFacturation.objects.create(structure=structure, **_valeurs(donnees))


@operation("mandat.modifier")
def mandat_modifier(mandat, donnees):
    _affecter(mandat, donnees)


@operation("utilisateur.modifier")
def utilisateur_modifier(utilisateur, donnees):
    _affecter(utilisateur, donnees)


@operation("habilitations.remplacer")
def habilitations_remplacer(rattachement, donnees):
    """The profiles of one attached user, replaced as a whole (list of [application, niveau, service_id])."""
    services = set(rattachement.structure.services.values_list("pk", flat=True))
    rattachement.habilitations.all().delete()
    Habilitation.objects.bulk_create(
        Habilitation(rattachement=rattachement, application=application, niveau=niveau, service_id=service_id)
        for application, niveau, service_id in donnees["habilitations"]
        if service_id is None or service_id in services  # a service deleted meanwhile is skipped
    )
