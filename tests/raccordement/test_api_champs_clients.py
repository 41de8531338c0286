"""The fields the real clients read, through the API as they call it (issue #14): chorus-api 1.0.6's response classes
(ConsulterCrResponse, ConsulterCrDetailleResponse, ConsulterStructureResponse, ListeFactures,
InformationSiretResponse) and the OCA connector's reads. Each service also shows that a technical account of another
structure learns nothing it should not."""

import base64
import io
import re
from datetime import date, datetime

import pytest
from django.utils import timezone
from pypdf import PdfReader

from facturation.models import DelegationFactures
from organisation.enums import StatutStructure
from organisation.matelas import siret_fictif
from organisation.models import Structure
from raccordement.api.structures import indicatif
from raccordement.compte_rendu_pdf import pdf_compte_rendu
from raccordement.enums import CanalFlux, ProtocoleRaccordement, TypeRaccordement
from raccordement.models import CompteTechnique, FicheRaccordement, Flux
from raccordement.selectors.flux import avec_rapport
from raccordement.services.flux import flux_recevoir
from tests.raccordement.flux_donnees import facture_cii, tar_gz
from tests.raccordement.test_api_socle import Integrateur, publique

pytestmark = pytest.mark.django_db


@pytest.fixture
def circuit(db):
    class Circuit:
        fournisseur = Integrateur()
        commune = publique(raison_sociale="Commune de Valbourg")
        autre = Integrateur()

    return Circuit


def _b64(contenu):
    return base64.b64encode(contenu).decode()


def _total_decale(xml):
    """The invoice with its BT-112 (GrandTotalAmount) shifted: refused by BR-CO-15 with both values."""
    return re.sub(rb"(<ram:GrandTotalAmount[^>]*>)[^<]+", rb"\g<1>999.99", xml, count=1)


def _deposer(circuit, client, django_capture_on_commit_callbacks, entetes):
    siret, commune = circuit.fournisseur.structure.identifiant, circuit.commune.identifiant
    archive = tar_gz(
        [
            ("bon.xml", facture_cii("CHP-001", vendeur=siret, acheteur=commune)),
            ("decale.xml", _total_decale(facture_cii("CHP-002", vendeur=siret, acheteur=commune))),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        depot = circuit.fournisseur.appeler(
            client,
            "factures/v1/deposer/flux",
            {"fichierFlux": _b64(archive), "nomFichier": "lot-champs.tar.gz", "syntaxeFlux": "IN_DP_E1_CII_16B"},
            **entetes,
        )
    assert depot.status_code == 200, depot.content
    return depot.json()


def _texte_pdf(contenu):
    texte = "".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return re.sub(r"\s+", "", texte)


def test_consulter_cr_donne_le_flux_et_son_compte_rendu_en_pdf(client, circuit, django_capture_on_commit_callbacks):
    entetes = circuit.fournisseur.entetes(client)
    depot = _deposer(circuit, client, django_capture_on_commit_callbacks, entetes)
    # deposerFluxFacture's dateDepot is a date (OCA stores it in a Date field)
    assert date.fromisoformat(depot["dateDepot"]) == timezone.now().date()
    flux = Flux.objects.get(numero=depot["numeroFluxDepot"])

    cr = circuit.fournisseur.appeler(
        client, "transverses/v1/consulterCR", {"numeroFluxDepot": flux.numero}, **entetes
    ).json()
    assert cr["etatCourantFlux"] == "IN_INTEGRE_PARTIEL" and "dateDepot" not in cr
    assert cr["dateDepotFlux"] == depot["dateDepot"]
    assert datetime.fromisoformat(cr["dateHeureEtatCourantFlux"]) == flux.traitement_fin_le
    assert cr["nomFichierFlux"] == "lot-champs.tar.gz"
    assert cr["designationPartenaire"] == "Fournisseur intégré"
    assert cr["codeAppliPartenaire"] == circuit.fournisseur.compte.login
    assert cr["codeInterfaceFlux"] == "FSO1100"

    pdf = base64.b64decode(cr["fichierCR"], validate=True)
    assert pdf.startswith(b"%PDF-")
    texte = _texte_pdf(pdf)
    assert flux.numero in texte and "Intégrépartiellement" in texte and "lot-champs.tar.gz" in texte
    erreurs = list(flux.erreurs.exclude(flux_facture=None))
    assert erreurs and any(e.valeur_trouvee and e.valeur_attendue for e in erreurs)
    for erreur in erreurs:  # every error, with its rule, its field and both values
        for valeur in (erreur.code, erreur.champ, erreur.valeur_trouvee, erreur.valeur_attendue):
            assert re.sub(r"\s+", "", valeur) in texte, valeur

    # another structure's account gets the same answer as for a flux that does not exist
    autre = circuit.autre.entetes(client)
    for service in ("consulterCR", "consulterCRDetaille"):
        ailleurs = circuit.autre.appeler(
            client, f"transverses/v1/{service}", {"numeroFluxDepot": flux.numero}, **autre
        )
        absent = circuit.autre.appeler(client, f"transverses/v1/{service}", {"numeroFluxDepot": "CPP0"}, **autre)
        assert ailleurs.status_code == absent.status_code == 404 and ailleurs.json() == absent.json()
        assert "fichierCR" not in ailleurs.json()


def test_consulter_cr_detaille_nomme_le_fichier_l_interface_et_la_nature_des_erreurs(
    client, circuit, django_capture_on_commit_callbacks
):
    entetes = circuit.fournisseur.entetes(client)
    xml = facture_cii(
        "CHP-UBL", vendeur=circuit.fournisseur.structure.identifiant, acheteur=circuit.commune.identifiant
    )
    corps = {"fichierFlux": _b64(xml), "nomFichier": "facture.xml", "syntaxeFlux": "IN_DP_E1_UBL_INVOICE"}
    # the same file twice: the second flux is rejected as a whole, a technical error
    with django_capture_on_commit_callbacks(execute=True):
        circuit.fournisseur.appeler(client, "factures/v1/deposer/flux", corps, **entetes)
        depot = circuit.fournisseur.appeler(client, "factures/v1/deposer/flux", corps, **entetes).json()
    flux = Flux.objects.get(numero=depot["numeroFluxDepot"])
    assert flux.doublon_de_id and flux.etat == "IN_REJETE"

    detail = circuit.fournisseur.appeler(
        client, "transverses/v1/consulterCRDetaille", {"numeroFluxDepot": flux.numero}, **entetes
    ).json()
    assert detail["nomFichier"] == "facture.xml"
    assert detail["dateDepotFlux"] == depot["dateDepot"]
    assert detail["codeInterfaceDepotFlux"] == "FSO1140A"
    assert datetime.fromisoformat(detail["dateHeureEtatCourantFlux"]) == flux.traitement_fin_le
    assert detail["etatCourantDepotFlux"] == "IN_REJETE"
    [erreur] = detail["listeErreurTechnique"]
    assert erreur["codeErreur"] == "FLUX_DOUBLON" and erreur["natureErreur"] == "Technique"
    assert "déjà été déposé" in erreur["libelleErreur"]


def test_consulter_structure_donne_les_parametres_et_le_compte_technique(client, circuit):
    moi, commune = circuit.fournisseur.structure, circuit.commune
    Structure.objects.filter(pk=moi.pk).update(telephone="+33 2 99 00 00 00", pays="FR")
    Structure.objects.filter(pk=commune.pk).update(telephone="02 99 11 11 11", moa_uniquement=True)
    FicheRaccordement.objects.create(
        structure=moi,
        type_raccordement=TypeRaccordement.EDI,
        protocole=ProtocoleRaccordement.SFTP,
        formats_recus=["CPP_CYCLE_VIE"],
    )
    DelegationFactures.objects.create(delegant=commune, delegue=moi, droit="VALIDATION")
    # two duplicates of the commune: a public one everyone sees, a private one of another structure
    doublon = publique(raison_sociale="Commune de Valbourg (doublon)")
    Structure.objects.filter(pk__in=[doublon.pk, circuit.autre.structure.pk]).update(structure_origine=commune)
    entetes = circuit.fournisseur.entetes(client)

    mienne = circuit.fournisseur.appeler(client, "structures/v1/consulter", {"idStructureCPP": moi.pk}, **entetes)
    parametres, infos = mienne.json()["parametres"], mienne.json()["informationGenerales"]
    assert "estMOAUniquement" not in parametres and parametres["estMoaUniquement"] is False
    assert parametres["connexionEDI"] is parametres["recevoirDonneesViaEDI"] is True
    assert parametres["estValideurDelegue"] is infos["estValideurDeleguee"] is True
    assert parametres["aMoa"] is False and parametres["nonDiffusibleInsee"] is False
    compte = CompteTechnique.objects.get(pk=circuit.fournisseur.compte.pk)
    expiration = timezone.localdate(compte.mot_de_passe_expire_le)
    assert date.fromisoformat(infos["dateExpirationMotPasseCompteTech"]) == expiration
    assert infos["listeStructureDupliquees"] == []
    adresse = mienne.json()["adressePostaleDuSiege"]
    assert adresse["indicatifTelephone"] == "+33" and adresse["fax"] == adresse["indicatifFax"] == ""

    publique_ = circuit.fournisseur.appeler(
        client, "structures/v1/consulter", {"idStructureCPP": commune.pk}, **entetes
    ).json()
    assert publique_["parametres"]["estMoaUniquement"] is publique_["parametres"]["aMoa"] is True
    assert publique_["parametres"]["connexionEDI"] is publique_["parametres"]["estValideurDelegue"] is False
    # a national number: the country's calling code
    assert publique_["adressePostaleDuSiege"]["indicatifTelephone"] == "+33"
    # another structure's technical accounts are none of the caller's business
    assert publique_["informationGenerales"]["dateExpirationMotPasseCompteTech"] is None
    assert publique_["informationGenerales"]["listeStructureDupliquees"] == [{"structureDupliquee": doublon.pk}]

    # the other integrator sees neither the structure nor its technical account
    autre = circuit.autre.appeler(client, "structures/v1/consulter", {"idStructureCPP": moi.pk})
    assert autre.status_code == 404 and "informationGenerales" not in autre.json()
    sa_commune = circuit.autre.appeler(client, "structures/v1/consulter", {"idStructureCPP": commune.pk}).json()
    assert sa_commune["informationGenerales"]["dateExpirationMotPasseCompteTech"] is None
    sienne = circuit.autre.appeler(
        client, "structures/v1/consulter", {"idStructureCPP": circuit.autre.structure.pk}
    ).json()
    assert sienne["parametres"]["connexionEDI"] is False
    assert sienne["informationGenerales"]["dateExpirationMotPasseCompteTech"] == (
        timezone.localdate(circuit.autre.compte.mot_de_passe_expire_le).isoformat()
    )


def test_rechercher_fournisseur_donne_les_champs_des_clients(client, circuit, django_capture_on_commit_callbacks):
    entetes = circuit.fournisseur.entetes(client)
    depot = _deposer(circuit, client, django_capture_on_commit_callbacks, entetes)
    reponse = circuit.fournisseur.appeler(
        client, "factures/v1/rechercher/fournisseur", {"numeroFluxDepot": depot["numeroFluxDepot"]}, **entetes
    ).json()
    [ligne] = reponse["listeFactures"]
    moi = circuit.fournisseur.structure
    assert ligne["numeroFacture"] == "CHP-001" and ligne["typeDemandePaiement"] == "FACTURE"
    assert ligne["codeFournisseur"] == moi.identifiant and ligne["typeIdentifiantFournisseur"] == "SIRET"
    assert ligne["designationFournisseur"] == "Fournisseur intégré"
    assert ligne["idDestinataire"] == circuit.commune.pk
    facture = circuit.fournisseur.compte.flux.get().factures.get(integree=True).facture
    assert ligne["taille"] == facture.fichier_xml.size > 0
    # deposited by a flux over the API: its technical account
    assert ligne["nomPrenomUtilisateurCreateur"] == f"Compte technique {circuit.fournisseur.compte.login}"
    # dateDepot: a timestamp in a search (a date in deposerFluxFacture)
    assert datetime.fromisoformat(ligne["dateDepot"]) == facture.deposee_le
    assert "T" in ligne["dateDepot"] and len(depot["dateDepot"]) == 10

    ailleurs = circuit.autre.appeler(
        client, "factures/v1/rechercher/fournisseur", {"numeroFluxDepot": depot["numeroFluxDepot"]}
    ).json()
    assert ailleurs["listeFactures"] == [] and ailleurs["codeRetour"] == 20000


def test_consulter_information_siret(client, circuit):
    entetes = circuit.fournisseur.entetes(client)
    commune = circuit.commune
    Structure.objects.filter(pk=commune.pk).update(adresse="1 place de la Mairie", code_postal="35000", ville="Rennes")

    def siret(valeur, integrateur=circuit.fournisseur, **autres):
        return integrateur.appeler(
            client, "transverses/v1/consulter/information/siret", {"siretStructure": valeur}, **autres
        )

    fiche = siret(commune.identifiant, **entetes).json()
    assert fiche["codeRetour"] == 0 and len(fiche) == 18
    assert fiche["siret"] == commune.identifiant and fiche["siren"] == commune.identifiant[:9]
    assert fiche["numeroInterneClassement"] == commune.identifiant[9:]
    assert fiche["raisonSociale"] == "Commune de Valbourg" and fiche["estActif"] is True
    assert fiche["adresse"]["codePostal"] == "35000" and fiche["adresse"]["ville"] == "Rennes"
    assert fiche["nonDiffusibleInsee"] is False
    # spaces as people type them
    espaces = (
        f"{commune.identifiant[:3]} {commune.identifiant[3:6]} {commune.identifiant[6:9]} {commune.identifiant[9:]}"
    )
    assert siret(espaces, **entetes).json() == fiche

    assert siret(circuit.fournisseur.structure.identifiant, **entetes).json()["raisonSociale"] == "Fournisseur intégré"
    Structure.objects.filter(pk=commune.pk).update(statut=StatutStructure.INACTIVE)
    assert siret(commune.identifiant, **entetes).json()["estActif"] is False

    # a private structure of another: the same answer as a SIRET nobody has
    cachee = siret(circuit.autre.structure.identifiant, **entetes)
    inconnue = siret(siret_fictif(987654), **entetes)
    assert cachee.status_code == inconnue.status_code == 200 and cachee.json() == inconnue.json()
    assert inconnue.json()["codeRetour"] == 20000 and inconnue.json()["siret"] is None
    assert inconnue.json()["libelle"] == "La recherche n'a retourné aucun résultat"

    invalide = siret("12345", **entetes)
    assert invalide.status_code == 400 and invalide.json()["champ"] == "siretStructure"
    assert "14 chiffres" in invalide.json()["libelle"]
    absent = circuit.fournisseur.appeler(client, "transverses/v1/consulter/information/siret", {}, **entetes)
    assert absent.status_code == 400 and absent.json()["champ"] == "siretStructure"

    # described and documented like every service
    chemin = "/cpro/transverses/v1/consulter/information/siret"
    description = client.get("/cpro/openapi.json").json()["paths"][chemin]["post"]
    assert {"siretStructure"} == set(description["requestBody"]["content"]["application/json"]["schema"]["required"])
    assert chemin in client.get("/cpro/documentation/").content.decode()


def test_le_compte_rendu_pdf_d_un_flux_en_cours(client, circuit):
    """A flux not yet integrated has its report too: its state and no invoice yet."""

    flux = flux_recevoir(
        structure=circuit.fournisseur.structure,
        contenu=b"<Invoice/>",
        nom_fichier="attente.xml",
        canal=CanalFlux.API,
        compte_technique=circuit.fournisseur.compte,
    )
    texte = _texte_pdf(pdf_compte_rendu(avec_rapport(flux)))
    assert flux.numero in texte and "Reçu" in texte and "aucunefactureencoretraitée" in texte


@pytest.mark.parametrize(
    ("numero", "pays", "attendu"),
    [
        ("+33 1 23 45 67 89", "DE", "+33"),  # the number's own prefix wins over the country
        ("+590590123456", "FR", "+590"),  # no separator: the longest known code
        ("+262262123456", "FR", "+262"),
        ("0590 12 34 56", "GP", "+590"),
        ("01 23 45 67 89", "ZZ", ""),  # a country whose code the table does not hold: said unknown, not guessed
        ("", "FR", ""),
    ],
)
def test_indicatif_telephone(numero, pays, attendu):
    assert indicatif(numero, pays) == attendu
