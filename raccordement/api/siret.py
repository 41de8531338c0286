"""`transverses/v1/consulter/information/siret` (consulterInformationSIRET, chorus-pro-api.md §2.5): the SIRET record
the clients read (chorus-api's InformationSiretResponse, 18 fields), answered from the portal's structures — not
from INSEE, which the portal does not call.

What a technical account may learn is what it may find with rechercher: the public structures (the directory), and
its own private ones; an inactive public structure is found too, with estActif false. A SIRET the account may not
see answers exactly as one that does not exist. The portal keeps no INSEE data beyond the identity and the address:
those fields are null rather than guessed."""

from django.db.models import Q

from chorus.exceptions import ApplicationError
from organisation.enums import StatutStructure, TypeIdentifiant
from organisation.identifiants import verifier_siret
from organisation.models import Structure
from raccordement.api import enveloppe
from raccordement.api.schema import objet
from raccordement.api.structures import structures_accessibles
from raccordement.api.vues import ErreurDonnees, ServiceCpro, champ

CHAMP = "siretStructure"
TEXTE = {"type": "string", "nullable": True}
INCONNU_INSEE = {"type": "string", "nullable": True, "description": "Donnée INSEE que le portail ne tient pas : null."}
ADRESSE = objet(
    {c: {"type": "string"} for c in ("adresse", "complementAdresse1", "complementAdresse2", "codePostal", "ville")}
    | {"pays": {"type": "string"}}
)
# the record's 16 fields (with codeRetour and libelle, the client's 18)
FICHE_VIDE = dict.fromkeys(
    (
        "siret",
        "siren",
        "numeroInterneClassement",
        "raisonSociale",
        "civilite",
        "adresse",
        "estActif",
        "siege",
        "localisationSiege",
        "nonDiffusibleInsee",
        "categorieEntreprise",
        "categorieJuridique",
        "dateCreationEntreprise",
        "dateCreationEtablissement",
        "dateReactivationEtablissement",
        "siretPredecesseurSuccesseur",
    )
)


def structures_par_siret(user):
    """The SIRET structures `user` may look up: those rechercher finds, and the inactive public ones."""
    publiques_inactives = Q(est_publique=True, statut=StatutStructure.INACTIVE)
    return Structure.objects.filter(
        Q(pk__in=structures_accessibles(user).values("pk")) | publiques_inactives,
        type_identifiant=TypeIdentifiant.SIRET,
    )


def _adresse(s):
    return {
        "adresse": s.adresse,
        "complementAdresse1": s.complement_1,
        "complementAdresse2": s.complement_2,
        "codePostal": s.code_postal,
        "ville": s.ville,
        "pays": s.pays,
    }


def fiche_siret(s):
    return {
        **FICHE_VIDE,
        "siret": s.identifiant,
        "siren": s.identifiant[:9],
        # the SIRET is the SIREN followed by the establishment's NIC
        "numeroInterneClassement": s.identifiant[9:],
        "raisonSociale": s.designation,
        "adresse": _adresse(s),
        "estActif": s.statut == StatutStructure.ACTIVE,
        # a SIRET structure is an establishment, never a private person: its identity is published
        "nonDiffusibleInsee": False,
    }


class ConsulterInformationSiret(ServiceCpro):
    """La fiche d'un SIRET : identité, adresse, activité, d'après les structures du portail (publiques, et les
    structures privées du compte technique). Un SIRET inconnu ou invisible de ce compte technique : codeRetour 20000
    (aucun résultat), les champs de la fiche à null. Les données INSEE que le portail ne tient pas sont à null."""

    requete = objet({CHAMP: {"type": "string"}}, [CHAMP])
    reponse = {
        "siret": TEXTE,
        "siren": TEXTE,
        "numeroInterneClassement": TEXTE,
        "raisonSociale": TEXTE,
        "civilite": INCONNU_INSEE,
        "adresse": {**ADRESSE, "nullable": True},
        "estActif": {"type": "boolean", "nullable": True},
        "siege": {"type": "boolean", "nullable": True, "description": "Inconnu du portail : null."},
        "localisationSiege": INCONNU_INSEE,
        "nonDiffusibleInsee": {"type": "boolean", "nullable": True},
        "categorieEntreprise": INCONNU_INSEE,
        "categorieJuridique": INCONNU_INSEE,
        "dateCreationEntreprise": INCONNU_INSEE,
        "dateCreationEtablissement": INCONNU_INSEE,
        "dateReactivationEtablissement": INCONNU_INSEE,
        "siretPredecesseurSuccesseur": INCONNU_INSEE,
    }

    def traiter(self, request, corps):
        siret = "".join(champ(corps, CHAMP, type_=str, obligatoire=True).split())
        structure = structures_par_siret(request.user).filter(identifiant=siret).first()
        if structure is not None:
            return fiche_siret(structure)
        try:
            verifier_siret(siret, champ=CHAMP)
        except ApplicationError as erreur:
            raise ErreurDonnees(f"{CHAMP} : {erreur.message}", champ=CHAMP) from None
        return {
            **FICHE_VIDE,
            "codeRetour": enveloppe.AUCUN_RESULTAT,
            "libelle": enveloppe.LIBELLE_AUCUN_RESULTAT,
        }
