"""The flux pipeline end to end, synchronously: reception (flux_recevoir) then integration (the Celery task, run
eagerly after commit in the test settings), each syntax, the tar.gz, resubmission, hostile files."""

import time
from datetime import timedelta

import facturx
import pytest
from django.utils import timezone

from chorus.exceptions import ApplicationError
from facturation.enums import ModeDepot
from facturation.formats.facturx import generer_facturx
from facturation.formats.lecture import lire
from facturation.models import Facture
from organisation.enums import Application, Niveau
from organisation.models import Service
from raccordement.enums import CanalFlux, EtatFlux, SyntaxeFlux
from raccordement.models import Flux, FluxErreur, FluxFacture
from raccordement.selectors.flux import compte_rendu_detaille
from raccordement.services.flux import flux_integrer, flux_recevoir
from raccordement.tasks import relancer_flux_en_souffrance
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.televersement.conftest import corpus_octets, structure
from tests.raccordement.flux_donnees import (
    FNFE_BASICWL,
    FNFE_INVALIDE,
    SIRET_ACHETEUR_FNFE,
    SIRET_VENDEUR_FNFE,
    UBL,
    facture_cii,
    tar_gz,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def vendeur(db):
    return structure(SIRET_VENDEUR_FNFE, "Fournisseur FNFE")


@pytest.fixture
def acheteur(db):
    acheteur = structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True)
    Service.objects.create(structure=acheteur, code="SERV-ACHATS", libelle="Achats")
    return acheteur


@pytest.fixture
def deposant(vendeur):
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    return utilisateur


@pytest.fixture
def deposer(django_capture_on_commit_callbacks, vendeur, deposant):
    """Deposit like the portal does; the integration task runs after commit (eager Celery in the tests)."""

    def deposer(contenu, nom, *, structure=None, par=None, **champs):
        with django_capture_on_commit_callbacks(execute=True):
            flux = flux_recevoir(
                structure=structure or vendeur,
                contenu=contenu,
                nom_fichier=nom,
                canal=champs.pop("canal", CanalFlux.PORTAIL),
                par=par or deposant,
                **champs,
            )
        flux.refresh_from_db()
        return flux

    return deposer


def cii(numero, **champs):
    champs.setdefault("vendeur", SIRET_VENDEUR_FNFE)
    champs.setdefault("acheteur", SIRET_ACHETEUR_FNFE)
    return facture_cii(numero, **champs)


def erreurs_de(flux, rang):
    return list(FluxErreur.objects.filter(flux=flux, flux_facture__rang=rang).order_by("rang"))


# --- each syntax -------------------------------------------------------------------------------------------------


def test_un_cii_est_recu_puis_integre(deposer, vendeur, acheteur, deposant):
    flux = deposer(cii("FLUX-CII-1", lignes=5), "facture.xml")

    assert flux.etat == EtatFlux.IN_INTEGRE
    assert flux.syntaxe == SyntaxeFlux.IN_DP_E1_CII_16B
    assert flux.numero.startswith(f"CPP{timezone.localdate():%Y%m%d}")
    assert len(flux.sha256) == 64 and flux.taille > 0 and flux.tentatives == 1
    assert flux.traitement_debut_le and flux.traitement_fin_le
    (ligne,) = FluxFacture.objects.filter(flux=flux)
    assert ligne.integree and ligne.numero_facture == "FLUX-CII-1"
    assert (ligne.identifiant_fournisseur, ligne.identifiant_destinataire) == (SIRET_VENDEUR_FNFE, SIRET_ACHETEUR_FNFE)
    facture = ligne.facture
    assert facture.fournisseur == vendeur and facture.destinataire == acheteur
    assert facture.mode_depot == ModeDepot.UPLOAD_PORTAIL and facture.format_depot == "CII"
    assert facture.lignes.count() == 5
    assert facture.fichier_xml and not facture.fichier_pdf  # a structured flux renders no PDF
    assert facture.cree_par == deposant
    assert not FluxErreur.objects.filter(flux=flux).exists()


def test_un_cii_d22b_est_reconnu(deposer, acheteur):
    xml = cii("FLUX-D22B").replace(
        b"urn:cen.eu:en16931:2017</ram:ID>", b"urn.cpro.gouv.fr:1p0:extended-ctc-fr</ram:ID>"
    )

    flux = deposer(xml, "d22b.xml")

    assert flux.syntaxe == SyntaxeFlux.IN_DP_E1_CII


def test_un_ubl_est_integre(django_capture_on_commit_callbacks, db):
    vendeur = structure("99999999800019", "Vendeur UBL")
    acheteur = structure("78787878400018", "Acheteur UBL", est_publique=True)
    Service.objects.create(structure=acheteur, code="120943", libelle="Service 120943")
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    with django_capture_on_commit_callbacks(execute=True):
        flux = flux_recevoir(
            structure=vendeur,
            contenu=corpus_octets(UBL),
            nom_fichier="ubl.xml",
            canal=CanalFlux.PORTAIL,
            par=utilisateur,
        )
    flux.refresh_from_db()

    assert flux.etat == EtatFlux.IN_INTEGRE, list(FluxErreur.objects.values_list("message", flat=True))
    assert flux.syntaxe == SyntaxeFlux.IN_DP_E1_UBL_INVOICE
    facture = FluxFacture.objects.get(flux=flux).facture
    assert facture.format_depot == "UBL" and facture.service_destinataire.code == "120943"


def test_un_facturx_fnfe_est_integre_avec_son_pdf(deposer, acheteur):
    flux = deposer(corpus_octets(FNFE_BASICWL), "Facture_FR_BASICWL.pdf")

    assert flux.etat == EtatFlux.IN_INTEGRE, list(FluxErreur.objects.values_list("message", flat=True))
    assert flux.syntaxe == SyntaxeFlux.IN_DP_E2_CII_FACTURX
    facture = FluxFacture.objects.get(flux=flux).facture
    assert facture.numero == "FA-2017-0010" and facture.format_depot == "FACTURX"
    assert facture.fichier_pdf and facture.fichier_xml


def test_une_facture_de_travaux_facturx_est_reconnue_et_passe_par_le_depot_des_travaux(deposer, acheteur):
    """The works deposit itself is tested in tests/travaux/test_depot_flux.py: here, the syntax, and the works rule
    (« Factures de travaux – modification ») applied to a depositor holding « Factures émises » only."""
    xml = cii("FLUX-TRAVAUX")
    xml = xml.replace(
        b"<rsm:ExchangedDocumentContext>",
        b"<rsm:ExchangedDocumentContext><ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>A4</ram:ID>"
        b"</ram:BusinessProcessSpecifiedDocumentContextParameter>",
    )
    _syntaxe, neutre, _xml = lire(cii("FLUX-TRAVAUX"))
    pdf = facturx.generate_from_binary(generer_facturx(neutre), xml, flavor="factur-x", level="en16931")

    flux = deposer(pdf, "travaux.pdf")

    assert flux.syntaxe == SyntaxeFlux.IN_DP_E4_CII_FACTURX
    assert flux.etat == EtatFlux.IN_REJETE
    (erreur,) = erreurs_de(flux, 1)
    assert "« Factures de travaux – modification »" in erreur.message


def test_un_pdf_sans_facturx_est_rejete_clairement(deposer, acheteur):
    from tests.facturation.televersement.pdf import pdf_texte

    flux = deposer(pdf_texte("Facture simple"), "simple.pdf")

    assert flux.etat == EtatFlux.IN_REJETE
    (erreur,) = erreurs_de(flux, 1)
    assert erreur.code == "PDF_SANS_FACTURX" and "factur-x.xml" in erreur.message


# --- tar.gz: a mix of good and bad invoices -------------------------------------------------------------------


def test_une_archive_melangee_est_integree_partiellement_avec_chaque_erreur_sous_son_numero(deposer, acheteur):
    archive = tar_gz(
        [
            ("lot/bonne-1.xml", cii("LOT-OK-1", lignes=3)),
            ("lot/mauvais-destinataire.xml", cii("LOT-KO-DEST", acheteur="11111111100011")),
            ("lot/bonne-2.xml", cii("LOT-OK-2", lignes=20)),
            ("lot/service-inconnu.xml", cii("LOT-KO-SERV", code_service="SERV-INCONNU")),
            ("lot/bonne-3.pdf", corpus_octets(FNFE_BASICWL)),
            ("lot/illisible.xml", b"<Invoice><pas fermee>"),
            ("lot/invalide-en16931.pdf", corpus_octets(FNFE_INVALIDE)),
        ]
    )

    flux = deposer(archive, "lot.tar.gz")

    assert flux.etat == EtatFlux.IN_INTEGRE_PARTIEL
    lignes = {ligne.rang: ligne for ligne in FluxFacture.objects.filter(flux=flux)}
    assert [r for r, ligne in sorted(lignes.items()) if ligne.integree] == [1, 3, 5]
    assert lignes[2].numero_facture == "LOT-KO-DEST" and lignes[2].identifiant_destinataire == "11111111100011"
    assert lignes[2].nom_fichier == "mauvais-destinataire.xml"  # the path inside the archive is not kept
    assert any("11111111100011" in e.message and e.champ.startswith("BT-47") for e in erreurs_de(flux, 2))
    (service,) = [e for e in erreurs_de(flux, 4) if e.champ.startswith("BT-10")]
    assert "« SERV-INCONNU » n'existe pas chez le destinataire" in service.message
    assert any(e.code == "XML_MAL_FORME" and "ligne 1" in e.message for e in erreurs_de(flux, 6))
    assert lignes[7].numero_facture == "FA-2017-0010"
    assert any(e.couche == "Règles EN 16931" and e.code.startswith(("BR-", "FX-")) for e in erreurs_de(flux, 7))
    assert Facture.objects.filter(flux_facture__flux=flux).count() == 3

    rapport = compte_rendu_detaille(flux)
    assert rapport["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL"
    assert rapport["listeErreurTechnique"] == []
    numeros = {e["numeroDP"] for e in rapport["listeErreurDP"]}
    assert numeros == {"LOT-KO-DEST", "LOT-KO-SERV", "", "FA-2017-0010"}
    # never truncated: the longest message is served whole
    plus_long = max(FluxErreur.objects.filter(flux=flux), key=lambda e: len(e.message))
    assert any(plus_long.message in e["libelleErreurDP"] for e in rapport["listeErreurDP"])


def test_le_fournisseur_de_chaque_facture_doit_etre_la_structure_deposante(deposer, acheteur):
    flux = deposer(cii("AUTRE-VENDEUR", vendeur="12345678200010"), "autre.xml")

    assert flux.etat == EtatFlux.IN_REJETE
    (erreur,) = [e for e in erreurs_de(flux, 1) if e.code == "SIRET_VENDEUR"]
    assert "« 12345678200010 »" in erreur.message and erreur.champ.startswith("BT-30")
    ligne = FluxFacture.objects.get(flux=flux)
    assert ligne.identifiant_fournisseur == "12345678200010"


def test_le_code_service_du_vendeur_bt29_est_lu(deposer, vendeur, acheteur):
    service = Service.objects.create(structure=vendeur, code="VENTES-NORD", libelle="Ventes nord")
    xml = cii("AVEC-BT29").replace(b"<ram:SellerTradeParty>", b"<ram:SellerTradeParty><ram:ID>VENTES-NORD</ram:ID>", 1)

    flux = deposer(xml, "bt29.xml")

    assert flux.etat == EtatFlux.IN_INTEGRE, list(FluxErreur.objects.values_list("message", flat=True))
    assert FluxFacture.objects.get(flux=flux).facture.service_fournisseur == service


# --- resubmission, reception checks -----------------------------------------------------------------------------


def test_un_flux_redepose_est_detecte_et_rejete_en_nommant_le_premier(deposer, acheteur):
    contenu = cii("DOUBLON-1")
    premier = deposer(contenu, "a.xml")
    second = deposer(contenu, "b.xml")

    assert premier.etat == EtatFlux.IN_INTEGRE
    assert second.doublon_de == premier and second.etat == EtatFlux.IN_REJETE
    (erreur,) = FluxErreur.objects.filter(flux=second)
    assert erreur.flux_facture is None and erreur.code == "FLUX_DOUBLON"
    assert premier.numero in erreur.message
    assert f"{timezone.localtime(premier.recu_le):%d/%m/%Y}" in erreur.message
    assert Facture.objects.filter(numero="DOUBLON-1").count() == 1
    assert compte_rendu_detaille(second)["listeErreurTechnique"][0]["libelleErreur"] == erreur.message


def test_un_flux_rejete_peut_etre_redepose(deposer, acheteur):
    contenu = cii("REDEPOT", code_service="SERV-PAS-ENCORE")
    premier = deposer(contenu, "a.xml")
    Service.objects.create(structure=acheteur, code="SERV-PAS-ENCORE", libelle="Créé depuis")

    second = deposer(contenu, "a.xml")

    assert premier.etat == EtatFlux.IN_REJETE
    assert second.doublon_de is None and second.etat == EtatFlux.IN_INTEGRE


def test_un_fichier_de_50_mo_est_refuse_a_la_reception(deposer):
    contenu = b"<Invoice>" + b" " * (50 * 1024 * 1024)

    with pytest.raises(ApplicationError) as refus:
        deposer(contenu, "enorme.xml")

    assert "50 Mo" in refus.value.message and "10 Mo" in refus.value.message and refus.value.champ == "fichier"
    assert not Flux.objects.exists()


@pytest.mark.parametrize(
    ("nom", "contenu", "attendu"),
    [
        ("facture.xml", b"%PDF-1.7\n...", "porte l'extension .xml mais n'est pas un document XML : c'est un PDF"),
        ("lot.tar.gz", b"<Invoice/>", "porte l'extension .gz mais n'est pas une archive gzip (tar.gz) : c'est un"),
        ("facture.pdf", b"MZ\x90\x00", "porte l'extension .pdf mais n'est pas un PDF."),
        ("facture.exe", b"MZ\x90\x00", "ni un PDF Factur-X"),
        ("vide.xml", b"", "est vide"),
    ],
)
def test_un_fichier_qui_n_est_pas_ce_qu_il_dit_est_refuse(deposer, nom, contenu, attendu):
    with pytest.raises(ApplicationError) as refus:
        deposer(contenu, nom)

    assert attendu in refus.value.message
    assert not Flux.objects.exists()


def test_un_utilisateur_sans_factures_emises_modification_ne_depose_pas(deposer, vendeur):
    lecteur = UtilisateurFactory()
    rattacher(lecteur, vendeur, (Application.FACTURES_EMISES, Niveau.CONSULTATION))

    with pytest.raises(ApplicationError, match="habilité"):
        deposer(cii("X"), "x.xml", par=lecteur)


# --- hostile XML and archives -----------------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY e SYSTEM "file://%s">]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&e;
</rsm:CrossIndustryInvoice>"""

MILLIARD_DE_RIRES = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&lol9;</ID></Invoice>"""


def test_une_entite_externe_est_refusee_sans_rien_lire(deposer, tmp_path):
    canari = tmp_path / "canari.txt"
    canari.write_text("SECRET-CANARI")
    avant = canari.stat().st_atime_ns

    flux = deposer(XXE % str(canari).encode(), "xxe.xml")

    assert flux.etat == EtatFlux.IN_REJETE
    (erreur,) = erreurs_de(flux, 1)
    assert erreur.code == "XML_DOCTYPE" and "DOCTYPE" in erreur.message
    assert not FluxErreur.objects.filter(message__contains="SECRET-CANARI").exists()
    assert canari.stat().st_atime_ns == avant


def test_un_milliard_de_rires_est_refuse_vite(deposer):
    debut = time.perf_counter()
    flux = deposer(MILLIARD_DE_RIRES, "lol.xml")
    duree = time.perf_counter() - debut

    assert flux.etat == EtatFlux.IN_REJETE
    assert [e.code for e in erreurs_de(flux, 1)] == ["XML_DOCTYPE"]
    assert duree < 2  # the whole deposit and integration; the XML itself is refused before any parsing


def test_une_bombe_gzip_est_arretee_tot(deposer):
    bombe = tar_gz([("zero.xml", b"\0" * (9 * 1024 * 1024))] * 12)  # 108 Mo inflated, ~100 Ko compressed
    assert len(bombe) < 1024 * 1024

    debut = time.perf_counter()
    flux = deposer(bombe, "bombe.tar.gz")

    assert time.perf_counter() - debut < 5
    assert flux.etat == EtatFlux.IN_REJETE
    (erreur,) = FluxErreur.objects.filter(flux=flux)
    assert erreur.flux_facture is None and erreur.code == "ARCHIVE" and "100 Mo" in erreur.message


def test_un_lien_dans_l_archive_la_fait_refuser(deposer):
    archive = tar_gz([("a.xml", cii("LIEN-1"))], liens=[("b.xml", "/etc/passwd")])

    flux = deposer(archive, "liens.tar.gz")

    assert flux.etat == EtatFlux.IN_REJETE
    (erreur,) = FluxErreur.objects.filter(flux=flux)
    assert "lien" in erreur.message and "/etc/passwd" in erreur.message
    assert not Facture.objects.filter(numero="LIEN-1").exists()


def test_les_chemins_de_l_archive_ne_sont_pas_suivis(deposer, acheteur, tmp_path):
    flux = deposer(tar_gz([("../../../../tmp/evasion.xml", cii("CHEMIN-1"))]), "chemins.tar.gz")

    assert flux.etat == EtatFlux.IN_INTEGRE
    assert FluxFacture.objects.get(flux=flux).nom_fichier == "evasion.xml"


def test_une_archive_gzip_qui_n_est_pas_un_tar_est_rejetee(deposer):
    import gzip

    flux = deposer(gzip.compress(b"pas un tar " * 100), "pas-tar.tar.gz")

    assert flux.etat == EtatFlux.IN_REJETE
    assert "tar" in FluxErreur.objects.get(flux=flux).message


# --- idempotence and the sweeper --------------------------------------------------------------------------------


def test_une_integration_reprise_ne_depose_aucune_facture_deux_fois(vendeur, acheteur, deposant):
    archive = tar_gz([(f"f{i}.xml", cii(f"REPRISE-{i}")) for i in range(1, 5)])
    flux = flux_recevoir(structure=vendeur, contenu=archive, nom_fichier="r.tar.gz", canal="PORTAIL", par=deposant)
    # a worker killed after two invoices: their rows and invoices are committed, the flux is still « en cours »
    from raccordement.archives import lire_tar_gz
    from raccordement.services.flux import _integrer_facture

    for membre in lire_tar_gz(archive)[:2]:
        _integrer_facture(flux, membre, ModeDepot.UPLOAD_PORTAIL, connectee=False)
    Flux.objects.filter(pk=flux.pk).update(
        etat=EtatFlux.IN_EN_COURS_TRAITEMENT_CPP, tentatives=1, traitement_debut_le=timezone.now()
    )
    flux_integrer(flux_id=flux.pk)  # a second message while its run holds it (and commits): not another attempt
    assert Flux.objects.get(pk=flux.pk).tentatives == 1
    assert FluxFacture.objects.filter(flux=flux).count() == 2

    # the worker died: no invoice committed for longer than the sweeper waits
    il_y_a = timezone.now() - timedelta(minutes=10)
    Flux.objects.filter(pk=flux.pk).update(traitement_debut_le=il_y_a)
    FluxFacture.objects.filter(flux=flux).update(traitee_le=il_y_a)
    flux_integrer(flux_id=flux.pk)
    flux_integrer(flux_id=flux.pk)  # a duplicated message: nothing more happens

    flux.refresh_from_db()
    assert flux.etat == EtatFlux.IN_INTEGRE and flux.tentatives == 2
    assert FluxFacture.objects.filter(flux=flux).count() == 4
    assert Facture.objects.filter(numero__startswith="REPRISE-").count() == 4


def test_le_balayeur_relance_les_flux_oublies(vendeur, acheteur, deposant):
    # saved, but the message never reached the broker (no on_commit callback ran here)
    perdu = flux_recevoir(
        structure=vendeur, contenu=cii("PERDU-1"), nom_fichier="p.xml", canal="PORTAIL", par=deposant
    )
    recent = flux_recevoir(
        structure=vendeur, contenu=cii("RECENT-1"), nom_fichier="r.xml", canal="PORTAIL", par=deposant
    )
    Flux.objects.filter(pk=perdu.pk).update(recu_le=timezone.now() - timedelta(minutes=3))

    relancer_flux_en_souffrance()  # eager: the re-queued task runs here

    perdu.refresh_from_db()
    recent.refresh_from_db()
    assert perdu.etat == EtatFlux.IN_INTEGRE
    assert recent.etat == EtatFlux.IN_RECU  # just received: its own message is on its way


def test_un_flux_en_cours_sans_progres_est_repris_mais_pas_un_flux_actif(vendeur, acheteur, deposant):
    from raccordement.services.flux import flux_en_souffrance

    arrete = flux_recevoir(
        structure=vendeur, contenu=cii("ARRETE-1"), nom_fichier="a.xml", canal="PORTAIL", par=deposant
    )
    actif = flux_recevoir(
        structure=vendeur, contenu=cii("ACTIF-1"), nom_fichier="b.xml", canal="PORTAIL", par=deposant
    )
    il_y_a_10_min = timezone.now() - timedelta(minutes=10)
    Flux.objects.filter(pk__in=[arrete.pk, actif.pk]).update(
        etat=EtatFlux.IN_EN_COURS_TRAITEMENT_CPP, traitement_debut_le=il_y_a_10_min, recu_le=il_y_a_10_min
    )
    FluxFacture.objects.create(flux=actif, rang=1)  # committed just now: the integration is alive

    trouves = set(flux_en_souffrance(recu_depuis=timedelta(minutes=2), inactif_depuis=timedelta(minutes=5)))

    assert trouves == {arrete}


# --- a large flux: by runs, read as a stream ----------------------------------------------------------------------


def test_un_grand_flux_est_integre_par_passages_qui_ne_comptent_pas_comme_tentatives(
    vendeur, acheteur, deposant, monkeypatch
):
    from raccordement.selectors.flux import nombre_de_factures, progression
    from raccordement.services import flux as service

    monkeypatch.setattr(service, "PAR_PASSAGE", 2)
    archive = tar_gz([(f"f{i}.xml", cii(f"PASSAGE-{i}")) for i in range(5)])
    flux = flux_recevoir(structure=vendeur, contenu=archive, nom_fichier="p.tar.gz", canal="PORTAIL", par=deposant)

    premier = flux_integrer(flux_id=flux.pk)
    assert premier.etat == EtatFlux.IN_EN_COURS_TRAITEMENT_CPP
    assert progression(premier) == (2, 5) and nombre_de_factures(premier) == 5
    flux_integrer(flux_id=flux.pk, suite=True)
    dernier = flux_integrer(flux_id=flux.pk, suite=True)

    assert dernier.etat == EtatFlux.IN_INTEGRE and dernier.tentatives == 1
    assert dernier.syntaxe == SyntaxeFlux.IN_DP_E1_CII_16B
    assert sorted(FluxFacture.objects.filter(flux=flux).values_list("rang", flat=True)) == [1, 2, 3, 4, 5]


def test_la_tache_met_la_suite_du_flux_derriere_les_autres(vendeur, acheteur, deposant, monkeypatch):
    from raccordement import tasks
    from raccordement.services import flux as service

    monkeypatch.setattr(service, "PAR_PASSAGE", 2)
    publies = []
    monkeypatch.setattr(tasks, "publier", lambda tache, *args, **kwargs: publies.append((args, kwargs)))
    archive = tar_gz([(f"f{i}.xml", cii(f"SUITE-{i}")) for i in range(3)])
    flux = flux_recevoir(structure=vendeur, contenu=archive, nom_fichier="s.tar.gz", canal="PORTAIL", par=deposant)

    tasks.integrer_flux(flux.pk)
    assert publies == [((flux.pk,), {"suite": True})]
    tasks.integrer_flux(flux.pk, suite=True)
    assert len(publies) == 1  # the last run ends the flux: nothing more queued
    assert Flux.objects.get(pk=flux.pk).etat == EtatFlux.IN_INTEGRE
