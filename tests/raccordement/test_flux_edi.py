"""The EDI drop directory (<EDI_DEPOT_DIR>/<SIRET>/depot/) and the consulterCR / consulterCRDetaille data."""

import pytest
from django.utils import timezone

from organisation.models import Service
from raccordement.enums import CanalFlux, EtatFlux, ProtocoleRaccordement, TypeRaccordement
from raccordement.models import FicheRaccordement, Flux
from raccordement.selectors.flux import compte_rendu, compte_rendu_detaille, flux_de_structure
from raccordement.services.flux_edi import depots_edi_relever
from raccordement.tasks import relever_depots_edi
from tests.facturation.televersement.conftest import structure
from tests.raccordement.flux_donnees import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, facture_cii, tar_gz


@pytest.fixture(autouse=True)
def repertoires(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EDI_DEPOT_DIR = tmp_path / "edi"
    return settings.EDI_DEPOT_DIR


@pytest.fixture
def vendeur(db):
    return structure(SIRET_VENDEUR_FNFE, "Fournisseur FNFE")


@pytest.fixture
def acheteur(db):
    acheteur = structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True)
    Service.objects.create(structure=acheteur, code="SERV-ACHATS", libelle="Achats")
    return acheteur


def fiche_edi(structure, **champs):
    return FicheRaccordement.objects.create(
        structure=structure, type_raccordement=TypeRaccordement.EDI, protocole=ProtocoleRaccordement.SFTP, **champs
    )


def cii(numero, **champs):
    champs.setdefault("vendeur", SIRET_VENDEUR_FNFE)
    champs.setdefault("acheteur", SIRET_ACHETEUR_FNFE)
    return facture_cii(numero, **champs)


def test_un_fichier_depose_en_edi_devient_un_flux_puis_est_range(
    repertoires, vendeur, acheteur, django_capture_on_commit_callbacks
):
    fiche_edi(vendeur)
    depot = repertoires / SIRET_VENDEUR_FNFE / "depot"
    depot.mkdir(parents=True)
    (depot / "lot.tar.gz").write_bytes(tar_gz([("a.xml", cii("EDI-1")), ("b.xml", cii("EDI-2"))]))
    (depot / ".en-cours.xml.part").write_bytes(b"<moitie")  # still being written: left alone
    (depot / "faux.xml").write_bytes(b"%PDF-1.4 pas du xml")

    with django_capture_on_commit_callbacks(execute=True):
        relever_depots_edi()

    flux = Flux.objects.get()
    assert flux.canal == CanalFlux.EDI and flux.depose_par is None and flux.compte_technique is None
    assert flux.etat == EtatFlux.IN_INTEGRE
    assert flux.factures.filter(integree=True).count() == 2
    assert flux.factures.first().facture.mode_depot == "EDI"
    assert sorted(p.name for p in depot.iterdir()) == [".en-cours.xml.part"]
    assert (depot.parent / "traites" / f"{flux.numero}-lot.tar.gz").is_file()
    refus = (depot.parent / "refuses" / "faux.xml.erreur.txt").read_text()
    assert "n'est pas un document XML : c'est un PDF" in refus
    assert depots_edi_relever() == []  # nothing left to take


def test_sans_raccordement_edi_actif_rien_n_est_pris(repertoires, vendeur, acheteur):
    fiche_edi(vendeur, desactivee_le=timezone.now())
    depot = repertoires / SIRET_VENDEUR_FNFE / "depot"
    depot.mkdir(parents=True)
    (depot / "f.xml").write_bytes(cii("EDI-INACTIF"))

    assert depots_edi_relever() == []
    assert (depot / "f.xml").is_file() and not Flux.objects.exists()


def test_consulter_cr_et_cr_detaille(vendeur, acheteur, django_capture_on_commit_callbacks):
    from raccordement.services.flux import flux_recevoir

    fiche_edi(vendeur)
    archive = tar_gz([("ok.xml", cii("CR-OK")), ("ko.xml", cii("CR-KO", acheteur="11111111100011"))])
    with django_capture_on_commit_callbacks(execute=True):
        flux = flux_recevoir(structure=vendeur, contenu=archive, nom_fichier="cr.tar.gz", canal=CanalFlux.EDI)
    flux.refresh_from_db()

    assert compte_rendu(flux) == {
        "numeroFluxDepot": flux.numero,
        "dateDepotFlux": flux.recu_le.date().isoformat(),
        "dateHeureEtatCourantFlux": flux.traitement_fin_le.isoformat(),
        "nomFichierFlux": "cr.tar.gz",
        "syntaxeFlux": "IN_DP_E1_CII_16B",
        # CII D16B has no interface of its own: the generic deposit's
        "codeInterfaceFlux": "FSO1100",
        "designationPartenaire": vendeur.designation,
        "codeAppliPartenaire": "EDI",
        "etatCourantFlux": "IN_INTEGRE_PARTIEL",
        "libelle": "Intégré partiellement",
    }
    detail = compte_rendu_detaille(flux)
    assert detail["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL" and detail["listeErreurTechnique"] == []
    assert detail["listeErreurDP"]
    for erreur in detail["listeErreurDP"]:
        assert erreur["numeroDP"] == "CR-KO"
        assert erreur["identifiantFournisseur"] == SIRET_VENDEUR_FNFE
        assert erreur["identifiantDestinataire"] == "11111111100011"
    assert any("11111111100011" in e["libelleErreurDP"] for e in detail["listeErreurDP"])
    assert list(flux_de_structure(vendeur)) == [flux] and not flux_de_structure(acheteur).exists()
