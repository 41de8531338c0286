"""Depositing works pieces through the service: the two flows with their statuses and history, the refusals."""

import re

import pytest

from chorus.exceptions import ApplicationError
from facturation.models import Facture
from facturation.services.depot import DepotRefuse
from tests.travaux.conftest import LIGNES, piece, structure
from travaux.models import DossierFacturation, PieceTravaux
from travaux.services.depot import PIECE_INTROUVABLE, piece_deposer


def deposer(par, role, cadre, facture, *, type_depot="initial", canal="portail", **options):
    options.setdefault("lignes", LIGNES)
    return piece_deposer(
        par=par, role=role, cadre=cadre, type_depot=type_depot, canal=canal, facture=facture, **options
    )


def initial(chantier, cadre="A4", numero="PDM-001"):
    return deposer(
        chantier.u_fournisseur,
        "fournisseur",
        cadre,
        piece(chantier.fournisseur, numero),
        moe=chantier.moe,
        moa=chantier.moa,
        service_moa=chantier.service_moa,
    )


def associer(par, role, cadre, precedente, numero, **options):
    return deposer(
        par, role, cadre, piece(None, numero), type_depot="association", piece_precedente=precedente, **options
    )


def historique(piece_travaux):
    facture = Facture.objects.get(pk=piece_travaux.facture_id)
    return [(h.action, h.de_statut, h.vers_statut) for h in facture.historique.order_by("le", "pk")]


def statut(piece_travaux):
    return Facture.objects.get(pk=piece_travaux.facture_id).statut


def test_flux_en_cours_de_marche_a4_a15_a19(chantier):
    a4 = initial(chantier)
    dossier = a4.dossier
    assert re.fullmatch(r"DF-\d{4}-\d{6}", dossier.numero)
    assert (dossier.fournisseur, dossier.moe, dossier.moa, dossier.service_moa) == (
        chantier.fournisseur,
        chantier.moe,
        chantier.moa,
        chantier.service_moa,
    )
    assert a4.facture.destinataire == chantier.moa and a4.facture.service_destinataire == chantier.service_moa
    assert a4.facture.total_ttc == 12000 and a4.facture.mode_depot == "DEPOT_PDF_PORTAIL"
    assert historique(a4) == [
        ("deposer", "BROUILLON", "DEPOSEE"),
        ("acheminer", "DEPOSEE", "MISE_A_DISPOSITION_MOE"),
    ]

    a15 = associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    assert a15.dossier == dossier and a15.piece_precedente == a4 and a15.role_deposant == "moe"
    assert a15.facture.fournisseur == chantier.fournisseur and a15.facture.destinataire == chantier.moa
    assert statut(a15) == "MISE_A_DISPOSITION_MOA"
    assert statut(a4) == "ASSOCIEE"
    assert historique(a4)[-1] == ("associer", "MISE_A_DISPOSITION_MOE", "ASSOCIEE")

    a19 = associer(chantier.u_moa, "moa", "A19", a15, "EAV-001", canal="service")
    assert statut(a19) == "MISE_A_DISPOSITION" and statut(a15) == "ASSOCIEE"
    assert historique(a19) == [
        ("deposer", "BROUILLON", "DEPOSEE"),
        ("acheminer", "DEPOSEE", "MISE_A_DISPOSITION"),
    ]
    assert list(dossier.pieces.order_by("pk").values_list("facture__cadre", flat=True)) == ["A4", "A15", "A19"]
    assert DossierFacturation.objects.count() == 1


def test_flux_de_fin_de_marche_a7_a17_a20_a8(chantier):
    a7 = initial(chantier, "A7", "PDF-001")
    assert statut(a7) == "MISE_A_DISPOSITION_MOE"
    a17 = associer(chantier.u_moe, "moe", "A17", a7, "PDG-001")
    assert (statut(a7), statut(a17)) == ("ASSOCIEE", "MISE_A_DISPOSITION_MOA")
    a20 = associer(chantier.u_moa, "moa", "A20", a17, "DG-001")
    assert (statut(a17), statut(a20)) == ("ASSOCIEE", "A_ASSOCIER_FOURNISSEUR")
    assert Facture.objects.get(pk=a20.facture_id).get_statut_display() == "Mise à disposition du fournisseur"
    a8 = associer(chantier.u_fournisseur, "fournisseur", "A8", a20, "DGD-001")
    assert (statut(a20), statut(a8)) == ("ASSOCIEE", "MISE_A_DISPOSITION")
    assert historique(a20) == [
        ("deposer", "BROUILLON", "DEPOSEE"),
        ("acheminer", "DEPOSEE", "A_ASSOCIER_FOURNISSEUR"),
        ("associer", "A_ASSOCIER_FOURNISSEUR", "ASSOCIEE"),
    ]
    assert a8.dossier == a7.dossier and a8.type_depot == "association"


def test_deux_dossiers_ont_deux_numeros(chantier):
    premier = initial(chantier, numero="PDM-001").dossier.numero
    second = initial(chantier, numero="PDM-002").dossier.numero
    assert premier != second and int(second[-6:]) == int(premier[-6:]) + 1


def test_association_d_un_mauvais_cadre(chantier):
    a4 = initial(chantier)
    with pytest.raises(DepotRefuse) as refus:
        associer(chantier.u_moa, "moa", "A19", a4, "EAV-001")
    assert [(e.champ, str(e)) for e in refus.value.erreurs] == [
        ("piece_precedente", "Le cadre A19 ne peut pas être associé à une pièce A4 : il suit une pièce A5, A15.")
    ]
    assert statut(a4) == "MISE_A_DISPOSITION_MOE" and PieceTravaux.objects.count() == 1


def test_association_d_une_piece_deja_associee(chantier):
    a4 = initial(chantier)
    associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    with pytest.raises(DepotRefuse) as refus:
        associer(chantier.u_moe, "moe", "A15", a4, "EA-002")
    messages = [str(e) for e in refus.value.erreurs]
    assert (
        "La pièce A4 N° PDM-001 est au statut « Associée » : elle ne peut pas recevoir de pièce suivante." in messages
    )
    assert "La pièce A4 N° PDM-001 a déjà une pièce suivante." in messages
    assert not Facture.objects.filter(numero="EA-002").exists()


def test_une_moe_etrangere_au_dossier_ne_peut_pas_associer(chantier):
    a4 = initial(chantier)
    with pytest.raises(ApplicationError) as refus:
        associer(chantier.u_etranger, "moe", "A15", a4, "EA-001")
    assert str(refus.value) == PIECE_INTROUVABLE
    assert statut(a4) == "MISE_A_DISPOSITION_MOE" and not Facture.objects.filter(numero="EA-001").exists()


def test_un_fournisseur_etranger_ne_peut_pas_signer_le_dg_d_un_autre(chantier):
    a7 = initial(chantier, "A7", "PDF-001")
    a17 = associer(chantier.u_moe, "moe", "A17", a7, "PDG-001")
    a20 = associer(chantier.u_moa, "moa", "A20", a17, "DG-001")
    with pytest.raises(ApplicationError) as refus:
        deposer(
            chantier.u_etranger,
            "fournisseur",
            "A8",
            piece(chantier.etrangere, "DGD-001"),
            type_depot="association",
            piece_precedente=a20,
        )
    assert str(refus.value) == PIECE_INTROUVABLE
    assert statut(a20) == "A_ASSOCIER_FOURNISSEUR"


def test_on_ne_depose_pas_pour_une_structure_a_laquelle_on_n_est_pas_rattache(chantier):
    with pytest.raises(ApplicationError) as refus:
        deposer(
            chantier.u_etranger,
            "fournisseur",
            "A4",
            piece(chantier.fournisseur, "PDM-001"),
            moe=chantier.moe,
            moa=chantier.moa,
        )
    assert refus.value.champ == "fournisseur"
    assert "Vous n'êtes pas habilité à déposer des factures de travaux pour la structure Bâtiments Durand" in str(
        refus.value
    )
    with pytest.raises(ApplicationError) as refus:
        deposer(
            chantier.u_fournisseur,
            "moe",
            "A15",
            piece(chantier.fournisseur, "EA-001"),
            moe=chantier.moe,
            moa=chantier.moa,
        )
    assert refus.value.champ == "moe"
    assert not Facture.objects.exists() and not DossierFacturation.objects.exists()


def test_toutes_les_erreurs_a_la_fois(chantier):
    privee = structure(601, "SARL Privée")
    facture = piece(chantier.fournisseur, "PDM-001")
    with pytest.raises(DepotRefuse) as refus:
        deposer(chantier.u_fournisseur, "fournisseur", "A5", facture, canal="edi", moa=privee, lignes=[])
    erreurs = {(e.champ, str(e)) for e in refus.value.erreurs}
    assert ("cadre", "Le cadre A5 ne peut pas être déposé par EDI.") in erreurs
    assert (
        "moa",
        f"Le destinataire {privee.identifiant} (SARL Privée) n'est pas une structure publique : il ne peut "
        "pas recevoir de factures.",
    ) in erreurs
    assert ("lignes", "Lignes de la facture : saisissez au moins une ligne.") in erreurs
    assert facture.pk is None and not Facture.objects.exists()


def test_la_moe_est_obligatoire_quand_la_piece_va_a_la_moe(chantier):
    with pytest.raises(DepotRefuse) as refus:
        deposer(chantier.u_fournisseur, "fournisseur", "A4", piece(chantier.fournisseur, "PDM-001"), moa=chantier.moa)
    assert [(e.champ, str(e)) for e in refus.value.erreurs] == [
        ("moe", "La maîtrise d'œuvre (SIRET) est obligatoire pour le cadre A4.")
    ]
    # A6 goes straight to the financial service: no MOE needed
    a6 = deposer(chantier.u_fournisseur, "fournisseur", "A6", piece(chantier.fournisseur, "A6-001"), moa=chantier.moa)
    assert statut(a6) == "MISE_A_DISPOSITION" and a6.dossier.moe is None


def test_une_moe_ne_depose_pas_par_edi(chantier):
    a4 = initial(chantier)
    with pytest.raises(DepotRefuse) as refus:
        associer(chantier.u_moe, "moe", "A15", a4, "EA-001", canal="edi")
    assert [str(e) for e in refus.value.erreurs] == [
        "Le cadre A15 ne peut pas être déposé par EDI à partir d'une pièce existante dans Chorus Pro."
    ]
    assert statut(a4) == "MISE_A_DISPOSITION_MOE"
