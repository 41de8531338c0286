"""`transverses/v1/consulter/information/siret` (consulterInformationSIRET, chorus-pro-api.md §2.5): the SIRET record
the clients read (chorus-api's InformationSiretResponse, 18 fields), answered from the portal's structures — not
from INSEE, which the portal does not call.

What a technical account may learn is what it may find with rechercher: the public structures (the directory), and
its own private ones; an inactive public structure is found too, with estActif false. A SIRET the account may not
see answers exactly as one that does not exist.

Filled from the structure: siret; siren and numeroInterneClassement (the SIRET is the SIREN then the NIC);
raisonSociale (or the person's name); adresse (adresse, complements, codePostal, ville, pays); estActif (the
structure's status); nonDiffusibleInsee (false: a SIRET structure is an establishment whose identity is published,
the portal's non-diffusible ones are the PARTICULIER structures, which have no SIRET).

Null, because nothing in the portal holds them (`NON_TENUS`, the same reasons in the OpenAPI description) — they are
SIRENE data the portal does not import, and a guess would be a false answer to a client that files it:
- civilite: the portal keeps no civility, only a name for a person (and a company has none);
- siege, localisationSiege: which establishment of the SIREN is its head office is not recorded;
- categorieEntreprise (PME, ETI, GE), categorieJuridique (the INSEE legal category code): not recorded;
- dateCreationEntreprise, dateCreationEtablissement: the portal knows when the structure was registered with it,
  not when INSEE says the company or the establishment was created;
- dateReactivationEtablissement: the portal has no reactivation of a structure (its workflow never takes an
  inactive structure back);
- siretPredecesseurSuccesseur: a transfer of establishment is not recorded (the portal's duplicates are the same
  entity registered twice, not a predecessor)."""

from django.db.models import Q

from chorus.exceptions import ApplicationError
from organisation.enums import StatutStructure, TypeIdentifiant
from organisation.identifiants import verifier_siret
from organisation.models import Structure
from raccordement.api import enveloppe
from raccordement.api.schema import objet
from raccordement.api.structures import structures_accessibles
from raccordement.api.vues import ErreurDonnees, ServiceLecture, champ

CHAMP = "siretStructure"
TEXTE = {"type": "string", "nullable": True}
# field → why the portal answers null (see the module's docstring)
NON_TENUS = {
    "civilite": "Le portail ne tient pas de civilité (une personne morale n'en a pas).",
    "siege": "Le portail n'enregistre pas quel établissement du SIREN est le siège.",
    "localisationSiege": "Le portail n'enregistre pas quel établissement du SIREN est le siège.",
    "categorieEntreprise": "Catégorie d'entreprise INSEE (PME, ETI, GE) : non tenue par le portail.",
    "categorieJuridique": "Catégorie juridique INSEE : non tenue par le portail.",
    "dateCreationEntreprise": "Date de création INSEE de l'entreprise : non tenue par le portail.",
    "dateCreationEtablissement": "Date de création INSEE de l'établissement : non tenue par le portail.",
    "dateReactivationEtablissement": "Le portail ne réactive pas de structure : non tenue.",
    "siretPredecesseurSuccesseur": "Les transferts d'établissement ne sont pas enregistrés par le portail.",
}


def _non_tenu(champ, type_="string"):
    return {"type": type_, "nullable": True, "description": f"Toujours null. {NON_TENUS[champ]}"}


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


class ConsulterInformationSiret(ServiceLecture):
    """La fiche d'un SIRET : identité, adresse, activité, d'après les structures du portail (publiques, et les
    structures privées du compte technique). Un SIRET inconnu ou invisible de ce compte technique : codeRetour 20000
    (aucun résultat), les champs de la fiche à null. Les données INSEE que le portail ne tient pas sont à null."""

    requete = objet({CHAMP: {"type": "string"}}, [CHAMP])
    reponse = {
        "siret": TEXTE,
        "siren": TEXTE,
        "numeroInterneClassement": TEXTE,
        "raisonSociale": TEXTE,
        "civilite": _non_tenu("civilite"),
        "adresse": {**ADRESSE, "nullable": True},
        "estActif": {"type": "boolean", "nullable": True},
        "siege": _non_tenu("siege", "boolean"),
        "localisationSiege": _non_tenu("localisationSiege"),
        "nonDiffusibleInsee": {"type": "boolean", "nullable": True},
        "categorieEntreprise": _non_tenu("categorieEntreprise"),
        "categorieJuridique": _non_tenu("categorieJuridique"),
        "dateCreationEntreprise": _non_tenu("dateCreationEntreprise"),
        "dateCreationEtablissement": _non_tenu("dateCreationEtablissement"),
        "dateReactivationEtablissement": _non_tenu("dateReactivationEtablissement"),
        "siretPredecesseurSuccesseur": _non_tenu("siretPredecesseurSuccesseur"),
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
