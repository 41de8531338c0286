"""Every write of engagements juridiques. A public entity loads its EJs from a file: all of them or none."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from chorus.exceptions import ApplicationError
from engagements.chargement import TAILLE_MAX, ErreurLigne, Lecteur, decoder
from engagements.models import EngagementJuridique, LigneEngagement
from organisation.enums import Application, Niveau
from organisation.habilitations import peut


class ChargementRefuse(ApplicationError):
    """The file is refused: `erreurs` lists every error (line, column, message); nothing was saved."""

    def __init__(self, erreurs):
        self.erreurs = list(erreurs)
        nombre = len(self.erreurs)
        super().__init__(
            f"Le fichier est refusé : {nombre} erreur{'s' if nombre > 1 else ''}. Aucun engagement n'a été chargé."
        )


@transaction.atomic
def engagements_charger(*, par, structure, nom_fichier, contenu):
    """Load the EJs of `contenu` (bytes of a CSV file) for the public `structure`. Returns the created EJs."""
    if not structure.est_publique or not peut(par, Application.ENGAGEMENTS, Niveau.MODIFICATION, structure):
        raise PermissionDenied("Vous ne pouvez pas charger d'engagements pour cette structure.")
    if not nom_fichier.lower().endswith(".csv"):
        raise ChargementRefuse([ErreurLigne(0, "fichier", f"« {nom_fichier} » : un fichier .csv est attendu.")])
    if len(contenu) > TAILLE_MAX:
        raise ChargementRefuse(
            [ErreurLigne(0, "fichier", f"Le fichier dépasse {TAILLE_MAX // (1024 * 1024)} Mo : découpez-le.")]
        )
    texte = decoder(contenu)
    if isinstance(texte, ErreurLigne):
        raise ChargementRefuse([texte])
    lecteur = Lecteur(structure)
    lecteur.lire(texte)
    return engagements_enregistrer(lecteur=lecteur, par=par, nom_fichier=nom_fichier)


@transaction.atomic
def engagements_enregistrer(*, lecteur, par, nom_fichier):
    """Save what `lecteur` (engagements.chargement.Lecteur) read from a file, all of it or, when it found an error,
    nothing (ChargementRefuse). The caller has checked who loads: engagements_charger for a user's file."""
    if lecteur.erreurs:
        raise ChargementRefuse(lecteur.erreurs)
    structure = lecteur.structure
    crees = []
    for lu in lecteur.engagements.values():
        engagement = EngagementJuridique.objects.create(
            structure=structure,
            service=lu.service,
            fournisseur=lu.fournisseur,
            numero=lu.numero,
            date_engagement=lu.date_engagement,
            etat=lu.etat,
            montant_ht=lu.montant_ht,
            montant_tva=lu.montant_tva,
            montant_ttc=lu.montant_ht + lu.montant_tva,
            charge_par=par,
            fichier=nom_fichier[:255],
        )
        LigneEngagement.objects.bulk_create(
            LigneEngagement(
                engagement=engagement,
                numero=ligne.numero,
                designation=ligne.designation,
                quantite=ligne.quantite,
                unite=ligne.unite,
                prix_unitaire_ht=ligne.prix_unitaire_ht,
                taux_tva=ligne.taux_tva,
                montant_ht=ligne.montant_ht,
            )
            for ligne in lu.lignes
        )
        crees.append(engagement)
    return crees
