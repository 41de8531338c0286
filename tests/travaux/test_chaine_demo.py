"""The works chain of the demo data set, loaded as `make run` loads it (manage.py charger_matelas): the MOE takes
the supplier's pending projet de décompte mensuel into account and deposits its état d'acompte from it, the MOA its
état d'acompte validé, which goes to the payer."""

import datetime
import html
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from facturation import acheminement
from facturation.matelas import _structure
from facturation.models import Facture
from facturation.services.depot import DepotRefuse
from organisation.enums import Application, Niveau, RoleDemo
from tests.conftest import connecter, demo_du_module
from tests.factories import UtilisateurFactory, rattacher
from tests.travaux.conftest import LIGNES, piece
from travaux.models import PieceTravaux
from travaux.services.depot import piece_deposer

pytestmark = pytest.mark.django_db

URL = "/factures-travaux/deposer/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data set, once for the module (tests/conftest.py demo_du_module: each test rolls back its writes)."""
    yield from demo_du_module(django_db_blocker, tmp_path_factory.mktemp("demo"))


def _client(client, role):
    client.logout()
    return connecter(client, _structure(role)[1])


def _valeur(page, nom):
    champ = re.search(rf'<input[^>]*name="{nom}"[^>]*>', page)
    assert champ, f"pas de champ {nom}"
    trouve = re.search(r'value="([^"]*)"', champ.group(0))
    return trouve.group(1) if trouve else ""


def _suivante(client, piece, role, cadre, numero, montants=("18500,00", "3700,00", "22200,00", "22200,00")):
    page = client.get(f"{URL}?piece_precedente={piece.pk}").content.decode()
    assert 'name="numero_engagement"' in page
    ht, tva, ttc, net = montants
    structure = _structure(RoleDemo.MOE if role == "moe" else RoleDemo.MOA)[0]
    return client.post(
        URL,
        {
            "action": "valider",
            "role": role,
            "structure": structure.pk,
            "type_depot": "association",
            "piece_precedente": piece.pk,
            "cadre": cadre,
            "numero": numero,
            "date_facture": _valeur(page, "date_facture") or "01/01/2026",
            "numero_engagement": _valeur(page, "numero_engagement"),
            "montant_ht": ht,
            "montant_tva": tva,
            "montant_ttc": ttc,
            "net_a_payer": net,
            "pdf": SimpleUploadedFile(f"{numero}.pdf", PDF, content_type="application/pdf"),
        },
    )


def test_la_chaine_moe_moa_de_la_demo_va_jusquau_payeur(client, demo):
    pdm = PieceTravaux.objects.get(facture__numero="PDM-2026-02")
    _client(client, RoleDemo.MOE)
    reponse = client.post(f"/factures-travaux/dossiers/pieces/{pdm.pk}/prendre-en-compte/")
    assert reponse.status_code == 302

    page = client.get(f"{URL}?piece_precedente={pdm.pk}").content.decode()
    # the recipient's service DIR-PATRIMOINE requires an engagement: offered, prefilled, not optional
    assert _valeur(page, "numero_engagement") == "EJ-2026-0042"
    etiquette = re.search(r'<label[^>]*for="id_numero_engagement"[^>]*>(.*?)</label>', page, re.S).group(1)
    assert "Optionnel" not in etiquette and "facultatif" not in etiquette.lower()

    reponse = _suivante(client, pdm, "moe", "A15", "EA-2026-02", ("18 500,00", "3 700,00", "22 200,00", "22200.00"))
    assert reponse.status_code == 302, re.findall(r"fr-error-text[^>]*>([^<]*)", reponse.content.decode())
    a15 = PieceTravaux.objects.get(facture__numero="EA-2026-02")
    assert a15.facture.numero_engagement == "EJ-2026-0042"
    assert a15.facture.statut == "MISE_A_DISPOSITION_MOA"

    _client(client, RoleDemo.MOA)
    reponse = _suivante(client, a15, "moa", "A19", "EAV-2026-02")
    assert reponse.status_code == 302, re.findall(r"fr-error-text[^>]*>([^<]*)", reponse.content.decode())
    a19 = Facture.objects.get(numero="EAV-2026-02")
    assert a19.statut == "MISE_A_DISPOSITION"
    assert a19.numero_engagement == "EJ-2026-0042"


def _pdf_lu(contenu):
    """The text of a PDF, read as a person reading it would (a PDF that does not open fails here)."""
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)


def _telecharger(client, url):
    reponse = client.get(url)
    if reponse.status_code != 200:
        return reponse.status_code, b""
    contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    return 200, contenu


def _zip_lu(contenu):
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        return {nom: archive.read(nom) for nom in archive.namelist()}


def test_chaque_piece_de_la_demo_passe_les_controles_du_depot(demo):
    pieces = list(PieceTravaux.objects.select_related("facture", "piece_precedente__facture"))
    assert len(pieces) == 4
    for depot in pieces:
        facture = depot.facture
        assert facture.mode_depot == "DEPOT_PDF_PORTAIL"
        assert facture.date_facture <= timezone.localdate(facture.deposee_le), facture.numero
        assert all(h.le >= facture.deposee_le for h in facture.historique.all()), facture.numero
        if depot.piece_precedente is not None:
            assert depot.piece_precedente.facture.deposee_le <= facture.deposee_le
        # the routing of a real deposit: engagement and service the MOA requires, a unique number
        controle = acheminement.controler(
            fournisseur=facture.fournisseur,
            numero=facture.numero,
            destinataire=facture.destinataire,
            service=facture.service_destinataire,
            numero_engagement=facture.numero_engagement,
            exclure=facture,
        )
        assert controle.erreurs == [], facture.numero
        with facture.fichier_pdf.open("rb") as fichier:
            assert facture.numero in _pdf_lu(fichier.read())
    # the story: February's projet de décompte mensuel has waited for the MOE 9 days, dated the day it was sent
    pdm = Facture.objects.get(numero="PDM-2026-02")
    assert (timezone.localdate() - pdm.date_facture).days == 9


def test_le_depot_refuse_une_piece_datee_apres_son_depot(chantier):
    facture = piece(chantier.fournisseur, "PDM-FUTUR")
    facture.date_facture = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DepotRefuse) as refus:
        piece_deposer(
            par=chantier.u_fournisseur,
            role="fournisseur",
            cadre="A4",
            type_depot="initial",
            canal="portail",
            facture=facture,
            lignes=LIGNES,
            moe=chantier.moe,
            moa=chantier.moa,
        )
    assert any(e.champ == "date_facture" and "postérieure à sa date de dépôt" in str(e) for e in refus.value.erreurs)
    assert not Facture.objects.filter(numero="PDM-FUTUR").exists()


def test_les_pdf_et_le_zip_du_dossier_pour_ses_acteurs_et_personne_d_autre(client, demo):
    pdm = PieceTravaux.objects.select_related("facture").get(facture__numero="PDM-2026-01")
    dossier = pdm.dossier
    noms = {"PDM-2026-01", "EA-2026-01"}
    url_pdf = f"/factures-travaux/deposer/{pdm.facture_id}/piece.pdf?telecharger=1"
    url_zip = f"/factures-travaux/dossiers/{dossier.pk}/telecharger/"
    for role in (RoleDemo.FOURNISSEUR, RoleDemo.MOE, RoleDemo.MOA):
        _client(client, role)
        page = html.unescape(client.get(f"/factures-travaux/dossiers/pieces/{pdm.pk}/").content.decode())
        assert "Télécharger la pièce A4 n° PDM-2026-01" in page
        statut, contenu = _telecharger(client, url_pdf)
        assert statut == 200 and "PDM-2026-01" in _pdf_lu(contenu), role
        statut, contenu = _telecharger(client, url_zip)
        fichiers = _zip_lu(contenu)
        assert {nom.split("_", 1)[1].removesuffix(".pdf") for nom in fichiers} == noms, role
        for nom, pdf in fichiers.items():
            assert nom.split("_", 1)[1].removesuffix(".pdf") in _pdf_lu(pdf)

    # users of other structures, even demo ones, learn nothing
    for role in (RoleDemo.ENTITE_PUBLIQUE, RoleDemo.SOUS_TRAITANT):
        _client(client, role)
        assert _telecharger(client, url_pdf)[0] == 404
        assert _telecharger(client, url_zip)[0] == 404

    # the co-contractor's piece: its mandataire (the demo supplier, its validator) reads it too
    a13 = PieceTravaux.objects.get(facture__numero="PDM-CT-2026-01")
    _client(client, RoleDemo.FOURNISSEUR)
    statut, contenu = _telecharger(client, f"/factures-travaux/deposer/{a13.facture_id}/piece.pdf")
    assert statut == 200 and "PDM-CT-2026-01" in _pdf_lu(contenu)
    assert "PDM-CT-2026-01" in "".join(
        _zip_lu(_telecharger(client, f"/factures-travaux/dossiers/{a13.dossier_id}/telecharger/")[1])
    )


def test_le_payeur_lit_les_pieces_du_dossier_qui_lui_arrive(client, demo):
    moa, mathieu = _structure(RoleDemo.MOA)
    payeur = UtilisateurFactory()
    rattacher(payeur, moa, (Application.FACTURES_RECUES, Niveau.CONSULTATION))
    ea = PieceTravaux.objects.select_related("facture").get(facture__numero="EA-2026-01")
    url_zip = f"/factures-travaux/dossiers/{ea.dossier_id}/telecharger/"
    connecter(client, payeur)
    # nothing has reached the payer yet
    assert _telecharger(client, url_zip)[0] == 404

    client.logout()
    connecter(client, mathieu)
    assert _suivante(client, ea, "moa", "A19", "EAV-2026-01").status_code == 302
    client.logout()
    connecter(client, payeur)
    statut, contenu = _telecharger(client, url_zip)
    assert statut == 200
    assert {"A4_PDM-2026-01.pdf", "A15_EA-2026-01.pdf", "A19_EAV-2026-01.pdf"} <= set(_zip_lu(contenu))
    statut, contenu = _telecharger(client, f"/factures-travaux/deposer/{ea.facture_id}/piece.pdf")
    assert statut == 200 and "EA-2026-01" in _pdf_lu(contenu)
