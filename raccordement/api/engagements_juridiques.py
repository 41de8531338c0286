"""`engagementsJuridiques/v1/…` (chorus-pro-api.md §2.6): the search a connector makes before it sends an invoice
(OCA's Odoo connector: `{structureReceptriceEngagementJuridique: <its own idStructureCPP>, numeroEngagementJuridique,
etatCourantEngagementJuridique: "COMMANDE"}` → `listeEngagementJuridique[]`, one row when the number is right), and
the consult of one EJ. Read through engagements.selectors: a technical account sees the EJs its structure issued or
received, nothing else."""

from chorus.chiffres import que_des_chiffres
from engagements.enums import EtatEngagement
from engagements.selectors import engagements_visibles
from organisation.habilitations import objet_visible_ou_404
from raccordement.api import enveloppe
from raccordement.api.pagination import paginer
from raccordement.api.schema import PARAMETRES_RETOUR, liste, objet, pagination
from raccordement.api.valeurs import date_api
from raccordement.api.vues import ErreurDonnees, ServiceLecture, champ

TRIS = {
    "NumeroEngagementJuridique": ("numero",),
    "DateEngagementJuridique": ("date_engagement",),
    "MontantTTC": ("montant_ttc",),
}
STRUCTURE = objet(
    {
        "idStructureCPP": {"type": "integer"},
        "identifiantStructure": {"type": "string"},
        "designationStructure": {"type": "string"},
    }
)
ENGAGEMENT_LISTE = {
    "idEngagementJuridique": {"type": "integer"},
    "numeroEngagementJuridique": {"type": "string"},
    "dateEngagementJuridique": {"type": "string", "format": "date"},
    "etatCourantEngagementJuridique": {"type": "string", "enum": EtatEngagement.values},
    "structureEmettriceEngagementJuridique": STRUCTURE,
    "codeServiceEmetteur": {"type": "string"},
    "structureReceptriceEngagementJuridique": STRUCTURE,
    "devise": {"type": "string"},
    "montantHT": {"type": "number"},
    "montantTVA": {"type": "number"},
    "montantTTC": {"type": "number"},
}


def _structure(s):
    return {"idStructureCPP": s.pk, "identifiantStructure": s.identifiant, "designationStructure": s.raison_sociale}


def _en_ligne(ej):
    return {
        "idEngagementJuridique": ej.pk,
        "numeroEngagementJuridique": ej.numero,
        "dateEngagementJuridique": date_api(ej.date_engagement),
        "etatCourantEngagementJuridique": ej.etat,
        "structureEmettriceEngagementJuridique": _structure(ej.structure),
        "codeServiceEmetteur": ej.service.code if ej.service else None,
        "structureReceptriceEngagementJuridique": _structure(ej.fournisseur),
        "devise": ej.devise,
        "montantHT": float(ej.montant_ht),
        "montantTVA": float(ej.montant_tva),
        "montantTTC": float(ej.montant_ttc),
    }


def _filtre_structure(qs, corps, cle, chemin):
    """A structure given by its idStructureCPP (what OCA sends, as a string) or by its SIRET."""
    valeur = champ(corps, cle, type_=str)
    if valeur is None:
        return qs
    valeur = valeur.strip()
    chiffres = que_des_chiffres(valeur)
    if chiffres and len(valeur) == 14:
        return qs.filter(**{f"{chemin}__identifiant": valeur})
    if chiffres and len(valeur) < 19:
        return qs.filter(**{f"{chemin}_id": int(valeur)})
    raise ErreurDonnees(f"{cle} : un idStructureCPP ou un SIRET est attendu, pas « {valeur} ».", champ=cle)


class RechercherEngagementJuridique(ServiceLecture):
    """Les engagements juridiques émis ou reçus par la structure du compte technique : par numéro, fournisseur
    (structure réceptrice), structure émettrice et état. Un engagement d'une autre structure n'est pas trouvé."""

    requete = objet(
        {
            "structureReceptriceEngagementJuridique": {
                "type": "string",
                "description": "Le fournisseur : idStructureCPP (ce qu'envoie le connecteur Odoo) ou SIRET.",
            },
            "structureEmettriceEngagementJuridique": {
                "type": "string",
                "description": "L'entité publique : idStructureCPP ou SIRET.",
            },
            "numeroEngagementJuridique": {"type": "string", "maxLength": 50},
            "etatCourantEngagementJuridique": {"type": "string", "enum": EtatEngagement.values},
            **pagination("parametres"),
        }
    )
    reponse = {"listeEngagementJuridique": liste(ENGAGEMENT_LISTE), **PARAMETRES_RETOUR}

    def traiter(self, request, corps):
        qs = engagements_visibles(request.user)
        qs = _filtre_structure(qs, corps, "structureReceptriceEngagementJuridique", "fournisseur")
        qs = _filtre_structure(qs, corps, "structureEmettriceEngagementJuridique", "structure")
        if numero := champ(corps, "numeroEngagementJuridique", type_=str):
            qs = qs.filter(numero=numero.strip())
        if etat := champ(corps, "etatCourantEngagementJuridique", type_=str):
            if etat not in EtatEngagement.values:
                raise ErreurDonnees(
                    f"etatCourantEngagementJuridique : « {etat} » inconnu ({', '.join(EtatEngagement.values)}).",
                    champ="etatCourantEngagementJuridique",
                )
            qs = qs.filter(etat=etat)
        lignes, parametres = paginer(corps, "parametres", qs, TRIS, "NumeroEngagementJuridique")
        reponse = {"listeEngagementJuridique": [_en_ligne(ej) for ej in lignes], "parametresRetour": parametres}
        if not lignes:
            reponse.update(codeRetour=enveloppe.AUCUN_RESULTAT, libelle=enveloppe.LIBELLE_AUCUN_RESULTAT)
        return reponse


class ConsulterEngagementJuridique(ServiceLecture):
    """Un engagement juridique, avec ses lignes, s'il a été émis ou reçu par la structure du compte technique."""

    requete = objet({"idEngagementJuridique": {"type": "integer"}}, obligatoires=["idEngagementJuridique"])
    reponse = {
        **ENGAGEMENT_LISTE,
        "lignesEngagementJuridique": liste(
            {
                "numeroLigne": {"type": "integer"},
                "designation": {"type": "string"},
                "quantite": {"type": "number"},
                "unite": {"type": "string"},
                "prixUnitaireHT": {"type": "number"},
                "tauxTva": {"type": "number"},
                "montantHT": {"type": "number"},
            }
        ),
    }

    def traiter(self, request, corps):
        identifiant = champ(corps, "idEngagementJuridique", type_=int, obligatoire=True)
        ej = objet_visible_ou_404(engagements_visibles(request.user), pk=identifiant)
        return {
            **_en_ligne(ej),
            "lignesEngagementJuridique": [
                {
                    "numeroLigne": ligne.numero,
                    "designation": ligne.designation,
                    "quantite": float(ligne.quantite),
                    "unite": ligne.unite,
                    "prixUnitaireHT": float(ligne.prix_unitaire_ht),
                    "tauxTva": float(ligne.taux_tva),
                    "montantHT": float(ligne.montant_ht),
                }
                for ligne in ej.lignes.all()
            ],
        }


SERVICES = [
    (
        "cpro/engagementsJuridiques/v1/rechercher",
        RechercherEngagementJuridique,
        "api_engagements_juridiques_rechercher",
    ),
    (
        "cpro/engagementsJuridiques/v1/consulter",
        ConsulterEngagementJuridique,
        "api_engagements_juridiques_consulter",
    ),
]
