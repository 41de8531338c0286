"""`transverses/v1/…`: the reference lists, served from the same tables the portal uses (chorus-pro-api.md §2.5)."""

from facturation.enums import ModeDepot, StatutFacture, lire_table
from facturation.referentiels import DEVISES, TAUX_TVA
from facturation.workflow import TRAITEMENTS
from raccordement.api import enveloppe
from raccordement.api.schema import liste, objet
from raccordement.api.vues import ErreurDonnees, ServiceLecture, champ

# typeDemandePaiement → the « famille » of facturation/regles/cadres.csv and the statuses' families it shows
TYPES_DEMANDE_PAIEMENT = {
    "FACTURE": ("facture",),
    "FACTURE_TRAVAUX": ("travaux",),
}
FAMILLES_DE_STATUTS = {
    "FACTURE": ("principal", "validation"),
    "FACTURE_TRAVAUX": ("principal", "validation", "travaux"),
}


def _type_demande(corps):
    valeur = champ(corps, "typeDemandePaiement", type_=str, defaut="FACTURE")
    if valeur not in TYPES_DEMANDE_PAIEMENT:
        raise ErreurDonnees(
            f"typeDemandePaiement : « {valeur} » inconnu ({', '.join(TYPES_DEMANDE_PAIEMENT)}).",
            champ="typeDemandePaiement",
        )
    return valeur


TYPE_DEMANDE = objet({"typeDemandePaiement": {"type": "string", "enum": list(TYPES_DEMANDE_PAIEMENT)}})


class HealthCheck(ServiceLecture):
    """GET transverses/v1/health-check: the one GET of the API (chorus-pro-api.md §1). The real gateway answers a
    serialized Spring `ResponseEntity` (`headers`, `body`, `statusCode`, `statusCodeValue`), which is what the
    clients read (chorus-api 1.0.6 `HealthCheckResponse`); the envelope and `statut` stay for the others."""

    http_method_names = ["get", "options"]
    reponse = {
        "statut": {"type": "string", "enum": ["OK"]},
        "headers": {"type": "object"},
        "body": {"type": "string"},
        "statusCode": {"type": "string", "enum": ["OK"]},
        "statusCodeValue": {"type": "integer", "enum": [200]},
    }

    def get(self, request):
        return enveloppe.succes(
            {"statut": "OK", "headers": {}, "body": "OK", "statusCode": "OK", "statusCodeValue": 200}
        )


class RecupererCadreFacturation(ServiceLecture):
    """Les cadres de facturation d'un type de demande de paiement."""

    requete = TYPE_DEMANDE
    reponse = {"listeCadreFacturation": liste({"codeCadreFacturation": {"type": "string"}})}

    def traiter(self, request, corps):
        familles = TYPES_DEMANDE_PAIEMENT[_type_demande(corps)]
        cadres = [ligne["api_value"] for ligne in lire_table("cadres.csv") if ligne["famille"] in familles]
        return {"listeCadreFacturation": [{"codeCadreFacturation": code} for code in cadres]}


class RecupererEtatParTypeDemandePaiement(ServiceLecture):
    """Les statuts d'un type de demande de paiement."""

    requete = TYPE_DEMANDE
    reponse = {"listeEtatDemandePaiement": liste({"etatDemandePaiement": {"type": "string"}})}

    def traiter(self, request, corps):
        familles = FAMILLES_DE_STATUTS[_type_demande(corps)]
        statuts = [ligne["code"] for ligne in lire_table("statuts.csv") if ligne["famille"] in familles]
        return {"listeEtatDemandePaiement": [{"etatDemandePaiement": s} for s in statuts if s != "BROUILLON"]}


class RecupererEtatsPossiblesPourTraitement(ServiceLecture):
    """Les statuts que le destinataire peut donner à une facture depuis son statut courant (la table de
    traitement du portail)."""

    requete = objet({"statutCourant": {"type": "string"}}, ["statutCourant"])
    reponse = {"listeStatutsPossiblesPourTraitement": liste({"statutPossiblePourTraitement": {"type": "string"}})}

    def traiter(self, request, corps):
        statut = champ(corps, "statutCourant", type_=str, obligatoire=True)
        if statut not in StatutFacture.values:
            raise ErreurDonnees(f"statutCourant : « {statut} » n'est pas un statut de facture.", champ="statutCourant")
        cibles = []
        for ligne in TRAITEMENTS:
            if (
                ligne["from_status"] == statut
                and ligne["acteur"] == "destinataire"
                and ligne["to_status"] not in cibles
            ):
                cibles.append(ligne["to_status"])
        return {"listeStatutsPossiblesPourTraitement": [{"statutPossiblePourTraitement": c} for c in cibles]}


class RecupererDevises(ServiceLecture):
    """Les devises acceptées."""

    requete = objet({"codeLangue": {"type": "string"}})
    reponse = {"listeDevises": liste({"codeDevise": {"type": "string"}, "libelleDevise": {"type": "string"}})}

    def traiter(self, request, corps):
        return {
            "listeDevises": [
                {"codeDevise": code, "libelleDevise": libelle.split(" – ", 1)[-1]} for code, libelle in DEVISES
            ]
        }


class RecupererTauxTva(ServiceLecture):
    """Les taux de TVA proposés."""

    requete = objet()
    reponse = {"listeTauxTva": liste({"tauxTva": {"type": "string"}})}

    def traiter(self, request, corps):
        return {"listeTauxTva": [{"tauxTva": taux} for taux in TAUX_TVA]}


class RecupererModeDepot(ServiceLecture):
    """Les modes de dépôt."""

    requete = objet()
    reponse = {"listeModeDepot": liste({"modeDepot": {"type": "string"}})}

    def traiter(self, request, corps):
        return {"listeModeDepot": [{"modeDepot": mode} for mode in ModeDepot.values]}
