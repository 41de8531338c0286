import factory
from django.utils import timezone

from organisation.enums import StatutRattachement, TypeIdentifiant
from organisation.matelas import siret_fictif
from organisation.models import Habilitation, Rattachement, Structure, Utilisateur
from organisation.services.structures import structure_creer


class UtilisateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Utilisateur
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@exemple.fr")
    prenom = "Camille"
    nom = factory.Sequence(lambda n: f"Martin{n}")
    telephone = "01 23 45 67 89"
    is_active = True
    conditions_acceptees_le = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "Un-mot-de-passe-solide-2026")
        if create:
            obj.save(update_fields=["password"])


class StructureFactory(factory.django.DjangoModelFactory):
    """A structure reached through the service, so its gestionnaire principal has every profile."""

    class Meta:
        model = Structure

    @classmethod
    def _create(cls, model_class, *args, gestionnaire=None, **kwargs):
        graine = Structure.objects.count() + 1000
        return structure_creer(
            par=gestionnaire or UtilisateurFactory(),
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant=kwargs.get("identifiant") or siret_fictif(graine),
            raison_sociale=kwargs.get("raison_sociale") or f"Structure {graine}",
            est_publique=kwargs.get("est_publique", False),
        )


def rattacher(utilisateur, structure, *habilitations, statut=StatutRattachement.ACTIF):
    """Attach a user with the given (application, niveau[, service]) profiles."""
    rattachement = Rattachement.objects.create(utilisateur=utilisateur, structure=structure, statut=statut)
    for application, niveau, *service in habilitations:
        Habilitation.objects.create(
            rattachement=rattachement, application=application, niveau=niveau, service=(service or [None])[0]
        )
    return rattachement
