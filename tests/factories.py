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


def facture_deposee(
    fournisseur,
    destinataire,
    *,
    numero=None,
    statut="MISE_A_DISPOSITION",
    service=None,
    cadre="A1",
    montant_ht="1000.00",
    taux_tva="20.00",
    deposee_le=None,
    **champs,
):
    """A deposited invoice with one line, its totals and the history row of its deposit (test data only)."""
    from decimal import Decimal

    from facturation.models import Facture, FactureHistorique, LigneFacture

    ht = Decimal(montant_ht)
    tva = (ht * Decimal(taux_tva) / 100).quantize(Decimal("0.01"))
    quand = deposee_le or timezone.now()
    facture = Facture.objects.create(
        numero=numero or f"F-{Facture.objects.count() + 1:05d}",
        cadre=cadre,
        date_facture=quand.date(),
        fournisseur=fournisseur,
        destinataire=destinataire,
        service_destinataire=service,
        total_ht=ht,
        total_tva=tva,
        total_ttc=ht + tva,
        net_a_payer=ht + tva,
        statut=statut,
        statut_depuis=quand,
        deposee_le=quand,
        mode_depot=champs.pop("mode_depot", "SAISIE_PORTAIL"),
        delai_paiement_jours=destinataire.delai_global_paiement,
        **champs,
    )
    LigneFacture.objects.create(
        facture=facture,
        numero=1,
        designation="Prestation",
        quantite=1,
        prix_unitaire_ht=ht,
        taux_tva=Decimal(taux_tva),
        montant_ht=ht,
    )
    FactureHistorique.objects.create(facture=facture, action="deposer", de_statut="", vers_statut=statut)
    return facture
