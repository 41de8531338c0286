"""`utilisateurs/v1/monCompte/recuperer/rattachements` (chorus-pro-api.md §2.6): the calling account's structures
and services — what connectors use as a cheap « test connection »."""

from django.db.models import Prefetch

from organisation.enums import StatutRattachement
from organisation.models import Rattachement, Service
from raccordement.api.schema import liste, objet
from raccordement.api.vues import ServiceCpro


class RecupererRattachements(ServiceCpro):
    """Les structures et services du compte technique : le test de connexion des logiciels."""

    lecture_seule = True

    requete = objet({"parametresRecherche": objet()})
    reponse = {
        "listeStructureRattachement": liste(
            {
                "idStructure": {"type": "integer"},
                "identifiantStructure": {"type": "string"},
                "designationStructure": {"type": "string"},
                "listeServicesRattache": {"type": "array"},
            }
        )
    }

    def traiter(self, request, corps):
        # only the columns the answer reads: a structure has about forty, and the ORM pays for each selected column
        # on every call (this is the connectors' « test connection », called before every batch)
        services = Service.objects.only(
            "structure_id", "code", "libelle", "actif", "date_debut_validite", "date_fin_validite"
        ).order_by("code")
        rattachements = (
            Rattachement.objects.filter(utilisateur=request.user, statut=StatutRattachement.ACTIF)
            .select_related("structure")
            .only(
                "statut",
                "structure__identifiant",
                "structure__type_identifiant",
                "structure__raison_sociale",
                "structure__prenom",
                "structure__nom",
            )
            .prefetch_related(Prefetch("structure__services", queryset=services))
            .order_by("structure__raison_sociale", "pk")
        )
        return {
            "listeStructureRattachement": [
                {
                    "idStructure": r.structure.pk,
                    "identifiantStructure": r.structure.identifiant,
                    "typeIdentifiantStructure": r.structure.type_identifiant,
                    "designationStructure": r.structure.designation,
                    "idRattachementStructure": r.pk,
                    "roleUtilisateur": "UTILISATEUR_TECHNIQUE",
                    "statutRattachementStructure": r.statut,
                    "statutUtilisateur": "ACTIF" if request.user.is_active else "INACTIF",
                    "listeServicesRattache": [
                        {
                            "idService": s.pk,
                            "codeService": s.code,
                            "libelleService": s.libelle,
                            "estActif": s.actif,
                            "statutService": "ACTIF" if s.actif else "INACTIF",
                            "statutRattachementService": r.statut,
                            "dateDbtService": s.date_debut_validite.isoformat() if s.date_debut_validite else None,
                            "dateFinService": s.date_fin_validite.isoformat() if s.date_fin_validite else None,
                        }
                        for s in r.structure.services.all()
                    ],
                }
                for r in rattachements
            ]
        }
