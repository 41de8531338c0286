"""The demo data set ("matelas de données", as on Chorus Pro's qualification portal): fictitious structures and
accounts for every role, and the table of their logins written to var/matelas.csv. Later domains add their data."""

import csv
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from stdnum import luhn

from organisation.enums import RoleDemo, StatutStructure, TypeIdentifiant
from organisation.models import CoordonneeBancaire, Rattachement, Service, Structure, Utilisateur
from organisation.services.structures import gestionnaire_principal_rattacher, structure_creer, structure_valider


def CHEMIN_MATELAS():
    return settings.VAR_DIR / "matelas.csv"


def siret_fictif(graine):
    """A SIRET that passes the checks (Luhn on SIREN and SIRET) in a range no real company uses here."""
    siren = luhn.calc_check_digit(f"99{graine:06d}")
    siren = f"99{graine:06d}{siren}"
    nic = f"0001{luhn.calc_check_digit(siren + '0001')}"
    return siren + nic


@dataclass(frozen=True)
class CompteDemo:
    role: str
    prenom: str
    nom: str
    login: str
    mot_de_passe: str
    structure: str = ""
    publique: bool = False
    graine: int = 0


COMPTES = [
    CompteDemo(
        RoleDemo.FOURNISSEUR,
        "Fanny",
        "Fournier",
        "fournisseur@demo.chorus-pro.example",
        "Matelas-Fournisseur-2026",
        "Fournitures Démo SAS",
        False,
        101,
    ),
    CompteDemo(
        RoleDemo.ENTITE_PUBLIQUE,
        "Paul",
        "Public",
        "entite.publique@demo.chorus-pro.example",
        "Matelas-EntitePublique-2026",
        "Commune de Démoville",
        True,
        202,
    ),
    CompteDemo(
        RoleDemo.MOE,
        "Maëlle",
        "Œuvre",
        "moe@demo.chorus-pro.example",
        "Matelas-MaitreOeuvre-2026",
        "Cabinet Démo Maîtrise d'œuvre",
        False,
        303,
    ),
    CompteDemo(
        RoleDemo.MOA,
        "Mathieu",
        "Ouvrage",
        "moa@demo.chorus-pro.example",
        "Matelas-MaitreOuvrage-2026",
        "Département de Démo",
        True,
        404,
    ),
    CompteDemo(
        RoleDemo.COTRAITANT,
        "Corinne",
        "Cotraite",
        "cotraitant@demo.chorus-pro.example",
        "Matelas-Cotraitant-2026",
        "Démo Cotraitance SARL",
        False,
        505,
    ),
    CompteDemo(
        RoleDemo.SOUS_TRAITANT,
        "Samuel",
        "Soustrait",
        "sous-traitant@demo.chorus-pro.example",
        "Matelas-SousTraitant-2026",
        "Démo Sous-traitance SARL",
        False,
        606,
    ),
    CompteDemo(
        RoleDemo.AGENT_SUPPORT, "Sophie", "Support", "support@demo.chorus-pro.example", "Matelas-AgentSupport-2026"
    ),
]


# The seller of the French FNFE examples of the acceptance corpus (facturation.matelas.STRUCTURES_FNFE): its user
# deposits those invoices in the portal, and its technical account through the API, as a real supplier would.
COMPTE_FNFE = CompteDemo(
    RoleDemo.FOURNISSEUR_FNFE,
    "Félix",
    "Exemplaire",
    "fournisseur.fnfe@demo.chorus-pro.example",
    "Matelas-FournisseurFNFE-2026",
    "Fournisseur des exemples FNFE",
)


def tva_intracommunautaire(siren):
    """The French VAT number of a SIREN: FR + key (12 + 3 × (SIREN mod 97)) mod 97 + SIREN."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _utilisateur(compte, **extra):
    utilisateur, _ = Utilisateur.objects.update_or_create(
        email=compte.login,
        defaults={"prenom": compte.prenom, "nom": compte.nom, "is_active": True, **extra},
    )
    utilisateur.set_password(compte.mot_de_passe)
    utilisateur.save(update_fields=["password"])
    return utilisateur


SERVICES = {
    RoleDemo.ENTITE_PUBLIQUE: [
        ("SERVICE-ACHATS", "Service des achats", False),
        ("SERVICE-TRAVAUX", "Direction des travaux", True),
    ],
    RoleDemo.MOA: [("DIR-PATRIMOINE", "Direction du patrimoine", True)],
}
# Demo IBANs with valid check digits (French test bank codes).
IBANS = {
    RoleDemo.FOURNISSEUR: "FR7630006000011234567890189",
    RoleDemo.COTRAITANT: "FR7630004000031234567890143",
    RoleDemo.SOUS_TRAITANT: "FR7610107001011234567890129",
}

# Fictitious postal addresses (postcodes beginning with 00 exist nowhere in France): the demo invoices print them.
ADRESSES = {
    RoleDemo.FOURNISSEUR: ("12 rue des Artisans", "Zone d'activités du Moulin", "", "00100", "Démoville"),
    RoleDemo.ENTITE_PUBLIQUE: ("1 place de la Mairie", "Hôtel de ville", "", "00100", "Démoville"),
    RoleDemo.MOE: ("8 avenue des Architectes", "", "", "00200", "Démoville-sur-Loire"),
    RoleDemo.MOA: ("3 boulevard de la Préfecture", "Hôtel du Département", "", "00300", "Démo-Préfecture"),
    RoleDemo.COTRAITANT: ("25 chemin des Entrepreneurs", "", "", "00400", "Démoville"),
    RoleDemo.SOUS_TRAITANT: ("7 impasse des Métiers", "Bâtiment B", "", "00500", "Démoville"),
}


def _completer(structure, compte):
    """What makes the demo structures look used: recipient services and rules, suppliers' bank details. Written
    directly, not as delayed modifications: this is the initial state, not a change."""
    for code, libelle, engagement in SERVICES.get(compte.role, []):
        Service.objects.get_or_create(
            structure=structure, code=code, defaults={"libelle": libelle, "engagement_obligatoire": engagement}
        )
    if compte.role == RoleDemo.ENTITE_PUBLIQUE and not structure.code_service_obligatoire:
        structure.code_service_obligatoire = True
        structure.save(update_fields=["code_service_obligatoire"])
    if compte.role in IBANS and not structure.numero_tva:
        # a supplier's invoices carry its VAT number (EN 16931 BR-S-02)
        structure.numero_tva = tva_intracommunautaire(structure.identifiant[:9])
        structure.save(update_fields=["numero_tva"])
    if compte.role in ADRESSES and not structure.adresse:
        champs = ("adresse", "complement_1", "complement_2", "code_postal", "ville")
        for champ, valeur in zip(champs, ADRESSES[compte.role], strict=True):
            setattr(structure, champ, valeur)
        structure.pays = "FR"
        structure.save(update_fields=[*champs, "pays"])
    if compte.role in IBANS:
        CoordonneeBancaire.objects.get_or_create(
            structure=structure, iban=IBANS[compte.role], defaults={"titulaire": structure.raison_sociale}
        )


# The French FNFE Factur-X examples of the acceptance corpus (seller 99999999800010; buyers 78787878400035 and
# 34343434600010), public and active so that those invoices integrate end to end (by flux or upload). Their SIRETs
# are example numbers whose check digits are wrong: created directly, not through the portal's SIRET check. The
# examples name no code service (BT-10 empty), so the buyers require none; they carry an engagement number (BT-13:
# PO445, BC543), which the buyers accept without requiring it. The seller's user and technical account come with the
# demo accounts (charger_fournisseur_fnfe below): a client deposits the examples through the API; facturation's
# demo invoices and engagements' demo EJs are addressed to these structures.
SIRET_VENDEUR_FNFE = "99999999800010"
STRUCTURES_FNFE = [
    (SIRET_VENDEUR_FNFE, "Fournisseur des exemples FNFE", False),
    ("78787878400035", "Acheteur public des exemples FNFE", True),
    ("34343434600010", "Acheteur public des exemples FNFE (outre-mer)", True),
]
# their postal addresses as the examples give them (BG-5, BG-8: adresse, code postal, ville, pays)
ADRESSES_FNFE = {
    SIRET_VENDEUR_FNFE: ("1242 chemin de l'olive", "84340", "Malaucène", "FR"),
    "78787878400035": ("35 rue de la République", "69001", "Lyon", "FR"),
    "34343434600010": ("42 rue du stade", "97400", "Saint Denis", "RE"),
}


def charger_structures_fnfe():
    for siret, raison_sociale, publique in STRUCTURES_FNFE:
        structure, _ = Structure.objects.get_or_create(
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant=siret,
            defaults={
                "raison_sociale": raison_sociale,
                "est_publique": publique,
                "statut": StatutStructure.ACTIVE,
                "code_service_obligatoire": False,
                "engagement_obligatoire": False,
            },
        )
        if structure.statut != StatutStructure.ACTIVE:
            structure.statut = StatutStructure.ACTIVE
            structure.save(update_fields=["statut"])
        if not structure.adresse:
            structure.adresse, structure.code_postal, structure.ville, structure.pays = ADRESSES_FNFE[siret]
            structure.save(update_fields=["adresse", "code_postal", "ville", "pays"])


def charger_fournisseur_fnfe():
    """The FNFE examples' seller and buyers, and the seller's user: its gestionnaire principal, with every profile
    (« Factures émises », « Raccordement »…), as whoever registers a structure. Returns (structure, CSV row)."""
    charger_structures_fnfe()
    structure = Structure.objects.get(type_identifiant=TypeIdentifiant.SIRET, identifiant=SIRET_VENDEUR_FNFE)
    utilisateur = _utilisateur(COMPTE_FNFE)
    if not Rattachement.objects.filter(utilisateur=utilisateur, structure=structure).exists():
        gestionnaire_principal_rattacher(utilisateur=utilisateur, structure=structure)
    return structure, {
        "role": COMPTE_FNFE.role.label,
        "structure": structure.raison_sociale,
        "identifiant": structure.identifiant,
        "login": COMPTE_FNFE.login,
        "mot_de_passe": COMPTE_FNFE.mot_de_passe,
    }


@transaction.atomic
def charger_structures_et_comptes():
    """Create (or reset) every demo account; running it twice gives the same data. Returns the table rows and the
    structures that get a demo technical account ([(role, structure)]: raccordement.matelas adds them)."""
    agent_compte = next(c for c in COMPTES if c.role == RoleDemo.AGENT_SUPPORT)
    agent = _utilisateur(agent_compte, est_agent_support=True)
    lignes = []
    raccordees = []  # the structures that get a demo technical account (issue #6)
    for compte in COMPTES:
        if compte.role == RoleDemo.AGENT_SUPPORT:
            lignes.append(
                {
                    "role": compte.role.label,
                    "structure": "",
                    "identifiant": "",
                    "login": compte.login,
                    "mot_de_passe": compte.mot_de_passe,
                }
            )
            continue
        utilisateur = _utilisateur(compte)
        siret = siret_fictif(compte.graine)
        structure = Structure.objects.filter(type_identifiant=TypeIdentifiant.SIRET, identifiant=siret).first()
        if structure is None:
            structure = structure_creer(
                par=utilisateur,
                type_identifiant=TypeIdentifiant.SIRET,
                identifiant=siret,
                raison_sociale=compte.structure,
                est_publique=compte.publique,
            )
        if structure.statut == StatutStructure.EN_ATTENTE_VALIDATION:
            structure_valider(structure=structure, par=agent, commentaire="Structure du jeu de démonstration")
        _completer(structure, compte)
        if compte.role in (RoleDemo.FOURNISSEUR, RoleDemo.ENTITE_PUBLIQUE):
            raccordees.append((compte.role, structure))
        lignes.append(
            {
                "role": compte.role.label,
                "structure": compte.structure,
                "identifiant": siret,
                "login": compte.login,
                "mot_de_passe": compte.mot_de_passe,
            }
        )
    structure_fnfe, ligne_fnfe = charger_fournisseur_fnfe()
    lignes.append(ligne_fnfe)
    raccordees.append((COMPTE_FNFE.role, structure_fnfe))
    return lignes, raccordees


def ecrire_matelas(lignes, chemin=None):
    chemin = chemin or CHEMIN_MATELAS()
    chemin.parent.mkdir(parents=True, exist_ok=True)
    with chemin.open("w", newline="", encoding="utf-8") as fichier:
        writer = csv.DictWriter(fichier, fieldnames=["role", "structure", "identifiant", "login", "mot_de_passe"])
        writer.writeheader()
        writer.writerows(lignes)
    return chemin
