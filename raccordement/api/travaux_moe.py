"""`facturesTravaux/v1/completerMoe` (completerMoe, chorus-pro-api.md §2.2: 2017 path `factures/travaux/completermoe`,
« fills the MOE data »): the supplier names the maîtrise d'œuvre of a works piece that arrived by flux without it
(« À associer par la MOE », A_ASSOCIER_MOE), as on the portal's « Pièces à associer à une MOE » page, through the
same service (travaux.services.moe). The piece goes « Mise à disposition de la MOE » and the MOE's 7-day deadline
starts then.

The reference gives no field list: the names follow the other facturesTravaux answers (raccordement.api.
valideurs_travaux: idFactureTravaux, idMoe/identifiantMoe/designationMoe, identifiantServiceExecutant) and the
structures services (idStructure…).

Request: `idFactureTravaux` (required); the MOE by `idStructureMoe` (its idStructureCPP) or by `identifiantMoe`
(its SIRET, checked against the directory), one of the two; `codeServiceMoe` (optional, an active service of the MOE);
`commentaire` (optional, kept in the piece's history).
Answer: the piece (`idFactureTravaux`, `numeroFactureTravaux`, `numeroDossierFacturation`, `statutFactureTravaux`),
the MOE (`idMoe`, `identifiantMoe`, `designationMoe`, `codeServiceMoe`) and `dateTraitement`.
A piece the account does not act on as supplier answers 404 like a missing one; a piece that does not wait for its
MOE answers 409."""

from django.http import Http404

from chorus.exceptions import ApplicationError
from organisation.enums import StatutStructure
from organisation.models import Structure
from raccordement.api.schema import objet
from raccordement.api.valeurs import date_api, identifiant_demande
from raccordement.api.valideurs_travaux import ID_FACTURE_TRAVAUX
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ
from travaux.selectors.visibilite import pieces_visibles
from travaux.services.moe import moe_par_siret, piece_moe_associer, service_de_la_moe
from travaux.services.refus import PieceNonAccessible

# the service's fields → the request's
CHAMPS_REQUETE = {"moe": "identifiantMoe", "moe_siret": "identifiantMoe", "service_moe": "codeServiceMoe"}


def _moe(corps):
    pk = champ(corps, "idStructureMoe", type_=int)
    siret = champ(corps, "identifiantMoe", type_=str)
    if pk is None and siret is None:
        raise ErreurDonnees(
            "identifiantMoe : indiquez la maîtrise d'œuvre, par son SIRET (identifiantMoe) ou son identifiant "
            "Chorus Pro (idStructureMoe).",
            champ="identifiantMoe",
        )
    if pk is not None:
        moe = Structure.objects.filter(pk=pk, statut=StatutStructure.ACTIVE).first()
        if moe is None:
            raise ErreurDonnees(
                f"idStructureMoe : aucune structure active ne porte l'identifiant {pk}.", champ="idStructureMoe"
            )
        if siret is not None and siret.replace(" ", "") != moe.identifiant:
            raise ErreurDonnees(
                f"identifiantMoe : « {siret} » n'est pas l'identifiant de la structure {pk} ({moe.identifiant}).",
                champ="identifiantMoe",
            )
        return moe
    return moe_par_siret(siret, champ="identifiantMoe")


class CompleterMoe(ServiceCpro):
    """Le fournisseur indique la maîtrise d'œuvre d'une pièce de travaux reçue par flux sans elle (statut
    A_ASSOCIER_MOE) : `idStructureMoe` ou `identifiantMoe` (SIRET, vérifié dans l'annuaire), `codeServiceMoe`
    facultatif. La pièce passe « Mise à disposition de la MOE » ; le délai de 7 jours de la MOE court à partir de
    cet instant. Une pièce qui n'attend pas sa MOE répond 409 ; celle d'une autre structure, 404."""

    requete = objet(
        {
            **ID_FACTURE_TRAVAUX,
            "idStructureMoe": {"type": "integer"},
            "identifiantMoe": {"type": "string", "description": "SIRET de la maîtrise d'œuvre (14 chiffres)."},
            "codeServiceMoe": {"type": "string"},
            "commentaire": {"type": "string"},
        },
        ["idFactureTravaux"],
    )
    reponse = {
        "idFactureTravaux": {"type": "integer"},
        "numeroFactureTravaux": {"type": "string"},
        "numeroDossierFacturation": {"type": "string"},
        "statutFactureTravaux": {"type": "string"},
        "idMoe": {"type": "integer"},
        "identifiantMoe": {"type": "string"},
        "designationMoe": {"type": "string"},
        "codeServiceMoe": {"type": "string"},
        "dateTraitement": {"type": "string"},
    }

    def traiter(self, request, corps):
        pk = identifiant_demande(corps, "idFactureTravaux")
        commentaire = champ(corps, "commentaire", type_=str, defaut="")
        piece = pieces_visibles(request.user).filter(facture_id=pk).first()
        if piece is None:
            raise Http404("idFactureTravaux")
        try:
            moe = _moe(corps)
            service = service_de_la_moe(moe, champ(corps, "codeServiceMoe", type_=str), champ="codeServiceMoe")
            historique = piece_moe_associer(
                piece=piece, par=request.user, moe=moe, service_moe=service, commentaire=commentaire
            )
        except PieceNonAccessible:
            raise Http404("idFactureTravaux") from None
        except ErreurDonnees:
            raise
        except ApplicationError as erreur:
            if erreur.champ in CHAMPS_REQUETE:
                raise ErreurDonnees(erreur.message, champ=CHAMPS_REQUETE[erreur.champ]) from None
            raise
        facture, dossier = piece.facture, piece.dossier
        return {
            "idFactureTravaux": facture.pk,
            "numeroFactureTravaux": facture.numero,
            "numeroDossierFacturation": dossier.numero,
            "statutFactureTravaux": facture.statut,
            "idMoe": moe.pk,
            "identifiantMoe": moe.identifiant,
            "designationMoe": moe.raison_sociale,
            "codeServiceMoe": service.code if service else "",
            "dateTraitement": date_api(historique.le),
        }


SERVICES = [
    ("cpro/facturesTravaux/v1/completerMoe", CompleterMoe, "api_factures_travaux_completer_moe"),
]
