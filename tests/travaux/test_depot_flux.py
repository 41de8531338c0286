"""Works pieces deposited by flux (Factur-X FSO1137A, E4): a real works Factur-X (the project's CII writer and
Factur-X renderer, the cadre in BT-23) goes through flux_recevoir and the integration task, and becomes a works piece
through the works deposit's own service: its dossier, MOA, MOE (or « À associer par la MOE »), the dossier BT-25
names, and the flux report's errors named by the file's fields."""

from decimal import Decimal

import pytest

from facturation.enums import FormatDepot, ModeDepot, StatutFacture
from organisation.enums import Application, Niveau
from organisation.models import Habilitation
from raccordement.enums import CanalFlux, EtatFlux, SyntaxeFlux
from raccordement.models import FluxErreur, FluxFacture
from raccordement.selectors.flux import compte_rendu_detaille
from raccordement.services.flux import flux_recevoir
from tests.factories import rattacher
from tests.raccordement.flux_travaux_donnees import facturx_travaux
from tests.raccordement.test_flux_edi import fiche_edi
from tests.travaux.conftest import LIGNES, piece
from travaux.models import PieceTravaux
from travaux.services.depot import piece_deposer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def deposer(django_capture_on_commit_callbacks, chantier):
    """Deposit a works Factur-X of the chantier's supplier by flux; the integration runs after commit."""
    # the supplier's user also deposits invoices (a flux is deposited with « Factures émises – modification »)
    Habilitation.objects.create(
        rattachement=chantier.u_fournisseur.rattachements.get(structure=chantier.fournisseur),
        application=Application.FACTURES_EMISES,
        niveau=Niveau.MODIFICATION,
    )

    def deposer(numero, *, cadre="A4", moe=None, canal=CanalFlux.PORTAIL, **references):
        references.setdefault("code_service", "TRAVAUX")
        contenu = facturx_travaux(
            numero,
            vendeur=chantier.fournisseur.identifiant,
            acheteur=chantier.moa.identifiant,
            cadre=cadre,
            moe=moe,
            **references,
        )
        par = chantier.u_fournisseur if canal == CanalFlux.PORTAIL else None
        with django_capture_on_commit_callbacks(execute=True):
            flux = flux_recevoir(
                structure=chantier.fournisseur, contenu=contenu, nom_fichier=f"{numero}.pdf", canal=canal, par=par
            )
        flux.refresh_from_db()
        return flux

    return deposer


def erreurs(flux):
    return list(FluxErreur.objects.filter(flux=flux).order_by("rang"))


def piece_du_flux(flux):
    return PieceTravaux.objects.select_related("facture", "dossier").get(facture__flux_facture__flux=flux)


def test_un_a4_avec_sa_moe_devient_une_piece_mise_a_disposition_de_la_moe(deposer, chantier):
    flux = deposer("PDM-FLUX-001", moe=chantier.moe.identifiant, marche="MARCHE-COLLEGE")

    assert flux.etat == EtatFlux.IN_INTEGRE, [e.message for e in erreurs(flux)]
    assert flux.syntaxe == SyntaxeFlux.IN_DP_E4_CII_FACTURX
    ligne = FluxFacture.objects.get(flux=flux)
    assert ligne.integree and ligne.numero_facture == "PDM-FLUX-001"
    piece_ = piece_du_flux(flux)
    facture, dossier = piece_.facture, piece_.dossier
    assert facture.cadre == "A4" and facture.statut == StatutFacture.MISE_A_DISPOSITION_MOE
    assert facture.mode_depot == ModeDepot.UPLOAD_PORTAIL and facture.format_depot == FormatDepot.FACTURX
    assert facture.fichier_pdf and facture.fichier_xml and facture.cree_par == chantier.u_fournisseur
    assert facture.total_ttc == Decimal("22200.00") and facture.lignes.count() == 1
    assert (dossier.fournisseur, dossier.moe, dossier.moa) == (chantier.fournisseur, chantier.moe, chantier.moa)
    assert dossier.service_moa == chantier.service_moa and dossier.numero_marche == "MARCHE-COLLEGE"
    assert piece_.role_deposant == "fournisseur" and piece_.type_depot == "initial"
    # the history reads as a web deposit's: BROUILLON → DEPOSEE → the works status
    assert list(facture.historique.order_by("pk").values_list("vers_statut", flat=True))[-1] == (
        StatutFacture.MISE_A_DISPOSITION_MOE
    )


def test_un_a4_sans_moe_par_edi_attend_sa_moe(deposer, chantier):
    fiche_edi(chantier.fournisseur)

    flux = deposer("PDM-FLUX-EDI", canal=CanalFlux.EDI)

    assert flux.etat == EtatFlux.IN_INTEGRE, [e.message for e in erreurs(flux)]
    piece_ = piece_du_flux(flux)
    assert piece_.facture.statut == StatutFacture.A_ASSOCIER_MOE
    assert piece_.facture.get_statut_display() == "À associer par la MOE"
    assert piece_.dossier.moe is None and piece_.dossier.moa == chantier.moa
    assert piece_.facture.mode_depot == ModeDepot.EDI and piece_.facture.cree_par is None
    rapport = compte_rendu_detaille(flux)
    assert rapport["etatCourantDepotFlux"] == "IN_INTEGRE" and rapport["listeErreurDP"] == []


def test_bt25_rattache_la_piece_au_dossier_et_a_ses_acteurs(deposer, chantier):
    a7 = piece_deposer(
        par=chantier.u_fournisseur,
        role="fournisseur",
        cadre="A7",
        type_depot="initial",
        canal="portail",
        facture=piece(chantier.fournisseur, "PDF-001"),
        lignes=LIGNES,
        moe=chantier.moe,
        moa=chantier.moa,
    )

    # a projet de décompte général tacite (A22) naming the A7 in BT-25, no MOE in the file: the dossier's is kept
    flux = deposer("PDG-TACITE-001", cadre="A22", precedente="PDF-001")

    assert flux.etat == EtatFlux.IN_INTEGRE, [e.message for e in erreurs(flux)]
    a22 = piece_du_flux(flux)
    assert a22.dossier == a7.dossier and a22.piece_precedente == a7 and a22.type_depot == "association"
    assert a22.facture.statut == StatutFacture.MISE_A_DISPOSITION_MOE
    a7.facture.refresh_from_db()
    assert a7.facture.statut == StatutFacture.REMPLACEE_PAR_A22


def test_bt25_peut_nommer_le_dossier_de_facturation(deposer, chantier):
    a7 = piece_deposer(
        par=chantier.u_fournisseur,
        role="fournisseur",
        cadre="A7",
        type_depot="initial",
        canal="portail",
        facture=piece(chantier.fournisseur, "PDF-002"),
        lignes=LIGNES,
        moe=chantier.moe,
        moa=chantier.moa,
    )

    flux = deposer("PDG-TACITE-002", cadre="A22", precedente=a7.dossier.numero)

    assert flux.etat == EtatFlux.IN_INTEGRE, [e.message for e in erreurs(flux)]
    assert piece_du_flux(flux).piece_precedente == a7


def test_la_matrice_edi_refuse_l_association_et_le_rapport_le_dit(deposer, chantier):
    fiche_edi(chantier.fournisseur)
    piece_deposer(
        par=chantier.u_fournisseur,
        role="fournisseur",
        cadre="A7",
        type_depot="initial",
        canal="portail",
        facture=piece(chantier.fournisseur, "PDF-003"),
        lignes=LIGNES,
        moe=chantier.moe,
        moa=chantier.moa,
    )

    flux = deposer("PDG-TACITE-003", cadre="A22", precedente="PDF-003", canal=CanalFlux.EDI)

    assert flux.etat == EtatFlux.IN_REJETE
    messages = {e.message: e.champ for e in erreurs(flux)}
    assert messages == {
        "Le cadre A22 ne peut pas être déposé par EDI à partir d'une pièce existante dans Chorus Pro.": (
            "BT-23 (cadre de facturation)"
        )
    }
    assert not PieceTravaux.objects.filter(facture__numero="PDG-TACITE-003").exists()


def test_les_erreurs_du_fichier_sont_nommees_par_ses_champs(deposer, chantier):
    inconnue = deposer("PDM-FLUX-MOE", moe="12345678200010")
    precedente = deposer("PDM-FLUX-BT25", moe=chantier.moe.identifiant, precedente="INCONNUE-1")
    moe = deposer("EA-FLUX-001", cadre="A15", moe=chantier.moe.identifiant)

    for flux in (inconnue, precedente, moe):
        assert flux.etat == EtatFlux.IN_REJETE
        assert not FluxFacture.objects.get(flux=flux).facture_id
    ((message, champ),) = [(e.message, e.champ) for e in erreurs(inconnue)]
    assert "SIRET 12345678200010" in message and champ == "BuyerAgentTradeParty (maîtrise d'œuvre)"
    ((message, champ),) = [(e.message, e.champ) for e in erreurs(precedente)]
    assert "« INCONNUE-1 » (BT-25)" in message and champ == "BT-25 (pièce précédente)"
    ((message, champ),) = [(e.message, e.champ) for e in erreurs(moe)]
    assert "Le cadre A15 est déposé par la maîtrise d'œuvre" in message and champ == "BT-23 (cadre de facturation)"
    assert not PieceTravaux.objects.exists()


def test_sans_profil_travaux_le_rapport_le_dit(django_capture_on_commit_callbacks, chantier):
    """The flux's depositor holds « Factures émises » only: the works deposit's own rule refuses the piece."""
    from tests.factories import UtilisateurFactory

    emetteur = UtilisateurFactory()
    rattacher(emetteur, chantier.fournisseur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    contenu = facturx_travaux(
        "PDM-SANS-PROFIL", vendeur=chantier.fournisseur.identifiant, acheteur=chantier.moa.identifiant
    )
    with django_capture_on_commit_callbacks(execute=True):
        flux = flux_recevoir(
            structure=chantier.fournisseur,
            contenu=contenu,
            nom_fichier="piece.pdf",
            canal=CanalFlux.PORTAIL,
            par=emetteur,
        )
    flux.refresh_from_db()

    assert flux.etat == EtatFlux.IN_REJETE
    ((message,),) = FluxErreur.objects.filter(flux=flux).values_list("message")
    assert "« Factures de travaux – modification »" in message
