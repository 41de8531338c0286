"""The dossier page, its archive, and the piece page with the actions of the actor who holds the piece."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from facturation.models import Facture, FactureHistorique, PieceJointeFacture
from organisation.enums import Application, Niveau
from tests.conftest import connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.travaux.conftest import piece
from tests.travaux.test_depot import associer, deposer, initial
from travaux.models import PieceTravaux

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def chaine(chantier):
    a4 = initial(chantier)
    a15 = associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    a19 = associer(chantier.u_moa, "moa", "A19", a15, "EAV-001")
    return a4, a15, a19


def statut(p):
    return Facture.objects.get(pk=p.facture_id).statut


def url_piece(p, action=""):
    return reverse(f"travaux:dossier_{action or 'piece'}", args=[p.pk])


def test_le_dossier_montre_les_pieces_de_la_chaine_avec_leur_historique(client, chantier):
    a4, a15, a19 = chaine(chantier)
    reponse = connecter(client, chantier.u_fournisseur).get(reverse("travaux:dossier_consulter", args=[a4.dossier_id]))
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert a4.dossier.numero in html and "Commune de Villeneuve" in html and "Cabinet d&#x27;architectes" in html
    assert "Télécharger les pièces du dossier de facturation" in html
    positions = [html.index(f'id="piece-{p.pk}"') for p in (a4, a15, a19)]
    assert positions == sorted(positions)
    for p in (a4, a15, a19):
        assert url_piece(p) in html
    assert [p.pk for p in reponse.context["pieces"]] == [a4.pk, a15.pk, a19.pk]
    assert html.count("Associée") >= 2 and "Mise à disposition de la MOE" in html
    assert "A4 – " in html and "A15 – " in html and "A19 – " in html
    assert html.count("piece-historique") == 3


def test_l_archive_contient_les_fichiers_de_chaque_piece(client, chantier):
    a4 = deposer(
        chantier.u_fournisseur,
        "fournisseur",
        "A4",
        piece(chantier.fournisseur, "PDM/001"),
        moe=chantier.moe,
        moa=chantier.moa,
        pdf=PDF,
        nom_pdf="pdm.pdf",
    )
    PieceJointeFacture.objects.create(
        facture=a4.facture, nom="metre.txt", fichier=ContentFile(b"metre", name="metre.txt"), taille=5
    )
    associer(chantier.u_moe, "moe", "A15", a4, "EA-001", pdf=PDF)
    reponse = connecter(client, chantier.u_moa).get(reverse("travaux:dossier_archive", args=[a4.dossier_id]))
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(reponse.content))
    assert sorted(archive.namelist()) == ["A15_EA-001.pdf", "A4_PDM_001.pdf", "A4_PDM_001/metre.txt"]
    assert archive.read("A4_PDM_001.pdf") == PDF and archive.read("A4_PDM_001/metre.txt") == b"metre"


def test_l_archive_trop_lourde_est_refusee_en_francais(client, chantier, monkeypatch):
    a4 = initial(chantier)
    PieceJointeFacture.objects.create(
        facture=a4.facture, nom="plans.pdf", fichier=ContentFile(b"x", name="plans.pdf"), taille=121 * 1024 * 1024
    )
    url = reverse("travaux:dossier_archive", args=[a4.dossier_id])
    reponse = connecter(client, chantier.u_moe).get(url, follow=True)
    assert "dépassent 120 Mo" in reponse.content.decode()


def test_la_moe_prend_en_compte(client, chantier):
    a4 = initial(chantier)
    connecter(client, chantier.u_moe)
    page = client.get(url_piece(a4)).content.decode()
    assert "Prendre en compte" in page and "Mauvaise MOA" in page and "Autre motif sans erreur" not in page
    reponse = client.post(url_piece(a4, "prendre_en_compte"), follow=True)
    assert "Prise en compte MOE" in reponse.content.decode()
    assert statut(a4) == "PRISE_EN_COMPTE_MOE"
    dernier = FactureHistorique.objects.filter(facture_id=a4.facture_id).latest("le", "pk")
    assert (dernier.de_statut, dernier.vers_statut, dernier.par) == (
        "MISE_A_DISPOSITION_MOE",
        "PRISE_EN_COMPTE_MOE",
        chantier.u_moe,
    )
    assert "Prendre en compte" not in client.get(url_piece(a4)).content.decode()
    assert client.post(url_piece(a4, "prendre_en_compte")).status_code == 403


@pytest.mark.parametrize(
    ("motif", "attendu"),
    [
        ("Mauvaise MOE", "ERREUR_FOURNISSEUR_SUR_MOE"),
        ("Mauvaise MOA", "ERREUR_FOURNISSEUR_SUR_MOA"),
    ],
)
def test_la_moe_refuse_un_a4(client, chantier, motif, attendu):
    a4 = initial(chantier)
    connecter(client, chantier.u_moe)
    donnees = {"refuser-motif": motif, "refuser-commentaire": "Voir le marché"}
    reponse = client.post(url_piece(a4, "refuser"), donnees, follow=True)
    assert statut(a4) == attendu
    dernier = FactureHistorique.objects.filter(facture_id=a4.facture_id).latest("le", "pk")
    assert (dernier.motif, dernier.commentaire) == (motif, "Voir le marché")
    html = reponse.content.decode()
    assert "form-refuser" not in html
    dossier = client.get(reverse("travaux:dossier_consulter", args=[a4.dossier_id])).content.decode()
    assert motif in dossier and "Voir le marché" in dossier


def test_erreur_de_montant_ne_refuse_pas_et_invite_a_corriger(client, chantier):
    a4 = initial(chantier)
    avant = FactureHistorique.objects.count()
    reponse = connecter(client, chantier.u_moe).post(url_piece(a4, "refuser"), {"refuser-motif": "Erreur de montant"})
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert 'id="correction-montants"' in html and "Corriger les montants" in html
    assert "modale_au_chargement.js" in html
    assert statut(a4) == "MISE_A_DISPOSITION_MOE" and FactureHistorique.objects.count() == avant


def test_un_motif_interdit_ou_absent_est_une_erreur_de_formulaire(client, chantier):
    a4 = initial(chantier)
    connecter(client, chantier.u_moe)
    reponse = client.post(url_piece(a4, "refuser"), {"refuser-motif": ""})
    assert reponse.status_code == 400
    html = reponse.content.decode()
    assert 'id="resume-erreurs"' in html and "Motif du refus : Choisissez le motif du refus." in html
    reponse = client.post(url_piece(a4, "refuser"), {"refuser-motif": "Autre motif sans erreur du montant"})
    assert reponse.status_code == 400 and "Choisissez un motif de la liste." in reponse.content.decode()
    assert statut(a4) == "MISE_A_DISPOSITION_MOE"


def test_la_moa_refuse_et_peut_deposer_la_suite(client, chantier):
    a4 = initial(chantier)
    a15 = associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    connecter(client, chantier.u_moa)
    page = client.get(url_piece(a15))
    assert page.context["actions"].cadres_suivants == ["A19"]
    assert page.context["actions"].acteur == "moa" and not page.context["actions"].prendre_en_compte
    html = page.content.decode()
    assert 'id="piece-precedente"' in html and url_piece(a4) in html
    client.post(url_piece(a15, "refuser"), {"refuser-motif": "Autre motif", "refuser-commentaire": "Incomplet"})
    assert statut(a15) == "REFUSEE_MOA"


def test_le_fournisseur_refuse_le_decompte_general(client, chantier):
    a7 = initial(chantier, "A7", "PDF-001")
    a17 = associer(chantier.u_moe, "moe", "A17", a7, "PDG-001")
    a20 = associer(chantier.u_moa, "moa", "A20", a17, "DG-001")
    connecter(client, chantier.u_fournisseur)
    assert client.get(url_piece(a20)).context["actions"].cadres_suivants == ["A8"]
    client.post(url_piece(a20, "refuser"), {"refuser-motif": "Autre motif"})
    assert statut(a20) == "REFUSEE_FOURNISSEUR"


def test_l_acteur_qui_n_a_pas_la_piece_n_a_pas_d_action(client, chantier):
    a4 = initial(chantier)
    connecter(client, chantier.u_moa)
    html = client.get(url_piece(a4)).content.decode()
    assert 'id="actions-piece"' not in html
    assert client.post(url_piece(a4, "refuser"), {"refuser-motif": "Mauvaise MOA"}).status_code == 403
    assert client.post(url_piece(a4, "prendre_en_compte")).status_code == 403
    assert statut(a4) == "MISE_A_DISPOSITION_MOE"


def test_un_etranger_recoit_404_partout(client, chantier):
    a4 = initial(chantier)
    connecter(client, chantier.u_etranger)
    assert client.get(reverse("travaux:dossier_consulter", args=[a4.dossier_id])).status_code == 404
    assert client.get(reverse("travaux:dossier_archive", args=[a4.dossier_id])).status_code == 404
    assert client.get(url_piece(a4)).status_code == 404
    assert client.post(url_piece(a4, "prendre_en_compte")).status_code == 404
    assert client.post(url_piece(a4, "refuser"), {"refuser-motif": "Mauvaise MOA"}).status_code == 404
    jointe = PieceJointeFacture.objects.create(
        facture=a4.facture, nom="m.txt", fichier=ContentFile(b"m", name="m.txt"), taille=1
    )
    url = reverse("travaux:dossier_piece_jointe", args=[a4.facture_id, jointe.pk])
    assert client.get(url).status_code == 404
    assert statut(a4) == "MISE_A_DISPOSITION_MOE"
    assert connecter(client, chantier.u_moe).get(url).status_code == 200


def test_un_profil_consultation_voit_sans_agir(client, chantier):
    a4 = initial(chantier)
    lecteur = UtilisateurFactory()
    rattacher(lecteur, chantier.moe, (Application.FACTURES_TRAVAUX, Niveau.CONSULTATION))
    connecter(client, lecteur)
    assert client.get(reverse("travaux:dossier_consulter", args=[a4.dossier_id])).status_code == 200
    reponse = client.get(url_piece(a4))
    assert reponse.status_code == 200 and 'id="actions-piece"' not in reponse.content.decode()
    assert client.post(url_piece(a4, "prendre_en_compte")).status_code == 403
    assert client.post(url_piece(a4, "refuser"), {"refuser-motif": "Mauvaise MOA"}).status_code == 403
    assert statut(a4) == "MISE_A_DISPOSITION_MOE"


def _ajouter_pieces(chantier, a4, nombre):
    """Copies hung on the dossier of `a4` (the page reads, it does not chain)."""
    for i in range(nombre):
        facture = Facture.objects.create(
            numero=f"PDM-{i + 2:03d}",
            cadre="A4",
            fournisseur=chantier.fournisseur,
            destinataire=chantier.moa,
            statut="MISE_A_DISPOSITION_MOE",
            deposee_le=timezone.now(),
        )
        FactureHistorique.objects.create(
            facture=facture, action="deposer", de_statut="BROUILLON", vers_statut="DEPOSEE", par=chantier.u_fournisseur
        )
        PieceTravaux.objects.create(facture=facture, dossier=a4.dossier, role_deposant="fournisseur")


def _requetes(client, url):
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


def test_nombre_de_requetes_fixe_avec_1_et_10_pieces(client, chantier):
    a4 = initial(chantier)
    connecter(client, chantier.u_moe)
    urls = [
        reverse("travaux:dossier_consulter", args=[a4.dossier_id]),
        url_piece(a4),
        reverse("travaux:dossier_archive", args=[a4.dossier_id]),
    ]
    client.get(urls[0])  # the first request of a session also reads and refreshes the session
    avec_une = [_requetes(client, url) for url in urls]
    _ajouter_pieces(chantier, a4, 9)
    assert PieceTravaux.objects.filter(dossier=a4.dossier).count() == 10
    assert [_requetes(client, url) for url in urls] == avec_une
    assert avec_une[0] <= 14
