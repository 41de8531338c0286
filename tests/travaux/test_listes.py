"""The « Factures de travaux » lists: Synthèse (filters, « Traiter le rejet »), Rechercher (each criterion, sort,
exports with the validator columns), Tableau de bord (stock); who sees what; a fixed number of queries."""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from facturation.models import Facture
from organisation.enums import Application, Niveau
from organisation.models import Service
from raccordement.api.factures_travaux import RechercherFactureTravauxATraiter
from raccordement.api.valideurs_travaux import RechercherFactureTravaux
from tests.conftest import connecter
from tests.exports.outils import exporter_xlsx
from tests.factories import UtilisateurFactory, rattacher
from tests.travaux.test_depot import associer, initial
from travaux.regles import CADRES_TRAVAUX

pytestmark = pytest.mark.django_db

SYNTHESE = "/factures-travaux/"
RECHERCHE = "/factures-travaux/rechercher/"
EXPORT = "/factures-travaux/rechercher/export/"
TRAITER = "/factures-travaux/traiter-le-rejet/"
STOCK = "/factures-travaux/tableau-de-bord/"
MESSAGE_NON_ELIGIBLE = (
    "Des factures n&#x27;ont pu être traitées en raison de leur statut. Seuls les statuts suivants sont pris en "
    "compte par le bouton Traiter le rejet : Rejetée, Refusée par la MOA pour un autre motif, Refusée par la MOE pour "
    "un autre motif, Refusée par le fournisseur, Refusée par niveau 1, Refusée par niveau 2"
)


def statut(piece, code, il_y_a=0, **champs):
    Facture.objects.filter(pk=piece.facture_id).update(
        statut=code, statut_depuis=timezone.now() - timedelta(days=il_y_a), **champs
    )


def page(client, user, url, **params):
    connecter(client, user)
    reponse = client.get(url, params)
    assert reponse.status_code == 200
    return reponse.content.decode()


# --- Synthèse ------------------------------------------------------------------------------------------------------


def test_synthese_par_role(client, chantier):
    a4 = initial(chantier, numero="PDM-001")
    autre = initial(chantier, numero="PDM-002")
    a15 = associer(chantier.u_moe, "moe", "A15", autre, "EA-002")
    moe = page(client, chantier.u_moe, SYNTHESE)
    assert "PDM-001" in moe and "EA-002" not in moe and "PDM-002" not in moe
    moa = page(client, chantier.u_moa, SYNTHESE)
    assert "EA-002" in moa and "PDM-001" not in moa
    fournisseur = page(client, chantier.u_fournisseur, SYNTHESE)
    assert "Aucune pièce n'attend d'action de votre part." in fournisseur
    statut(a4, "REFUSEE_MOE")
    statut(a15, "A_ASSOCIER_FOURNISSEUR")
    fournisseur = page(client, chantier.u_fournisseur, SYNTHESE)
    assert "PDM-001" in fournisseur and "EA-002" in fournisseur
    assert "Refusée par la MOE pour un autre motif" in fournisseur


def test_le_rejet_d_une_piece_de_la_moe_est_dans_la_synthese_de_la_moe(client, chantier):
    a4 = initial(chantier, numero="PDM-001")
    a15 = associer(chantier.u_moe, "moe", "A15", a4, "EA-001")
    statut(a15, "REFUSEE_MOA")
    moe = page(client, chantier.u_moe, SYNTHESE)
    assert "EA-001" in moe and f'id="selection-{a15.pk}"' in moe
    fournisseur = page(client, chantier.u_fournisseur, SYNTHESE)
    assert "EA-001" not in fournisseur
    reponse = client.post(TRAITER, {"pieces": [a15.pk]})
    assert reponse.status_code == 404  # the supplier does not close the MOE's rejection
    connecter(client, chantier.u_moe)
    client.post(TRAITER, {"pieces": [a15.pk]})
    assert "EA-001" not in page(client, chantier.u_moe, SYNTHESE)


def test_synthese_masquer_les_rejetees_depuis_plus_de_10_jours(client, chantier):
    ancienne, recente = initial(chantier, numero="ANC-001"), initial(chantier, numero="REC-001")
    statut(ancienne, "REJETEE", il_y_a=11)
    statut(recente, "REJETEE", il_y_a=9)
    contenu = page(client, chantier.u_fournisseur, SYNTHESE)
    assert "Masquer les factures rejetées depuis plus de 10 jours" in contenu
    assert "ANC-001" in contenu and "REC-001" in contenu
    contenu = page(client, chantier.u_fournisseur, SYNTHESE, masquer_rejetees="on")
    assert "ANC-001" not in contenu and "REC-001" in contenu


def test_synthese_masquer_les_telechargees(client, chantier):
    initial(chantier, numero="TEL-001")
    Facture.objects.filter(numero="TEL-001").update(telechargee=True)
    initial(chantier, numero="NTE-001")
    contenu = page(client, chantier.u_moe, SYNTHESE, masquer_telechargees="on")
    assert "Masquer les factures téléchargées" in contenu
    assert "TEL-001" not in contenu and "NTE-001" in contenu


def test_synthese_par_structure(client, chantier):
    initial(chantier, numero="PDM-001")
    cabinet = chantier.moe
    rattacher(chantier.u_moe, chantier.etrangere, (Application.FACTURES_TRAVAUX, Niveau.MODIFICATION))
    assert "PDM-001" in page(client, chantier.u_moe, SYNTHESE, structure=cabinet.pk)
    assert "PDM-001" not in page(client, chantier.u_moe, SYNTHESE, structure=chantier.etrangere.pk)


def test_synthese_export(client, chantier):
    initial(chantier, numero="PDM-001")
    connecter(client, chantier.u_moe)
    reponse = client.get("/factures-travaux/export/", {"format": "csv"})
    assert "PDM-001" in b"".join(reponse.streaming_content).decode("utf-8-sig")


# --- Traiter le rejet -----------------------------------------------------------------------------------------------


def test_traiter_le_rejet_eligibles_et_non_eligibles(client, chantier):
    refusee, rejetee, en_attente = (initial(chantier, numero=f"P-00{i}") for i in range(1, 4))
    statut(refusee, "REFUSEE_MOE")
    statut(rejetee, "ERREUR_FOURNISSEUR_SUR_MOE")
    statut(en_attente, "A_ASSOCIER_FOURNISSEUR")
    connecter(client, chantier.u_fournisseur)
    reponse = client.post(TRAITER, {"pieces": [refusee.pk, rejetee.pk, en_attente.pk]}, follow=True)
    contenu = reponse.content.decode()
    assert "2 rejets traités" in contenu
    assert MESSAGE_NON_ELIGIBLE in contenu
    traites = dict(Facture.objects.values_list("numero", "rejet_traite_le"))
    assert traites["P-001"] and traites["P-002"] and traites["P-003"] is None
    # processed rejections leave the Synthèse; the other piece stays
    assert "P-001" not in contenu and "P-003" in contenu


def test_traiter_le_rejet_seulement_non_eligibles(client, chantier):
    piece = initial(chantier)
    statut(piece, "ERREUR_FOURNISSEUR_SUR_MOA")
    connecter(client, chantier.u_fournisseur)
    contenu = client.post(TRAITER, {"pieces": [piece.pk]}, follow=True).content.decode()
    assert MESSAGE_NON_ELIGIBLE in contenu and "rejet traité" not in contenu
    assert Facture.objects.get(pk=piece.facture_id).rejet_traite_le is None


def test_traiter_le_rejet_sans_selection(client, chantier):
    connecter(client, chantier.u_fournisseur)
    assert "Sélectionnez au moins une facture." in client.post(TRAITER, follow=True).content.decode()


def test_un_etranger_ne_traite_pas_le_rejet_d_une_autre_piece(client, chantier):
    piece = initial(chantier)
    statut(piece, "REFUSEE_MOE")
    for intrus in (chantier.u_etranger, chantier.u_moe):
        connecter(client, intrus)
        assert client.post(TRAITER, {"pieces": [piece.pk]}).status_code == 404
    assert Facture.objects.get(pk=piece.facture_id).rejet_traite_le is None


# --- Rechercher -----------------------------------------------------------------------------------------------------


def test_le_cadre_ne_propose_que_les_cadres_de_travaux(client, chantier):
    contenu = page(client, chantier.u_fournisseur, RECHERCHE)
    for cadre in CADRES_TRAVAUX:
        assert f'value="{cadre}"' in contenu
    for cadre in ("A1", "A2", "A3", "A9", "A12", "A21"):
        assert f'value="{cadre}"' not in contenu
    assert set(CADRES_TRAVAUX) == {
        f"A{n}" for n in (4, 5, 6, 7, 8, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 22, 23, 24, 25)
    }


@pytest.fixture
def deux_dossiers(chantier):
    a4 = initial(chantier, numero="PDM-001")
    a7 = initial(chantier, "A7", numero="PDF-001")
    a17 = associer(chantier.u_moe, "moe", "A17", a7, "PDG-001")
    Facture.objects.filter(pk=a4.facture_id).update(deposee_le=timezone.now() - timedelta(days=40))
    return a4, a7, a17


@pytest.mark.parametrize(
    "criteres, attendus",
    [
        ({}, {"PDM-001", "PDF-001", "PDG-001"}),
        ({"role": "moe"}, {"PDM-001", "PDF-001", "PDG-001"}),
        ({"type_piece": "Projet de décompte mensuel"}, {"PDM-001"}),
        ({"cadre": "A17"}, {"PDG-001"}),
        ({"statut": "MISE_A_DISPOSITION_MOA"}, {"PDG-001"}),
        ({"statut": "ASSOCIEE"}, {"PDF-001"}),
        ({"destinataire": "Villeneuve"}, {"PDM-001", "PDF-001", "PDG-001"}),
        ({"destinataire": "Inconnue"}, set()),
        ({"code_service": "travaux"}, {"PDM-001", "PDF-001", "PDG-001"}),
        ({"code_service": "AUTRE"}, set()),
        ({"depot_du": "SEMAINE"}, {"PDF-001", "PDG-001"}),
        ({"depot_au": "SEMAINE"}, {"PDM-001"}),
    ],
)
def test_chaque_critere(client, chantier, deux_dossiers, criteres, attendus):
    semaine = (timezone.localdate() - timedelta(days=7)).isoformat()
    criteres = {k: semaine if v == "SEMAINE" else v for k, v in criteres.items()}
    contenu = page(client, chantier.u_moe, RECHERCHE, **criteres)
    assert {n for n in ("PDM-001", "PDF-001", "PDG-001") if n in contenu} == attendus


def test_destinataire_par_siret_et_par_siren(client, chantier, deux_dossiers):
    siret = chantier.moa.identifiant
    assert "PDM-001" in page(client, chantier.u_moe, RECHERCHE, destinataire=siret)
    assert "PDM-001" not in page(client, chantier.u_moe, RECHERCHE, destinataire=siret[:9])
    assert "PDM-001" in page(client, chantier.u_moe, RECHERCHE, destinataire=siret[:9], recherche_siren="on")


def test_numero_de_dossier_role_et_structure(client, chantier, deux_dossiers):
    a4, a7, _a17 = deux_dossiers
    contenu = page(client, chantier.u_moe, RECHERCHE, numero_dossier=a7.dossier.numero)
    assert "PDF-001" in contenu and "PDG-001" in contenu and "PDM-001" not in contenu
    assert "PDM-001" not in page(client, chantier.u_moe, RECHERCHE, role="moa")
    assert "PDM-001" in page(client, chantier.u_moe, RECHERCHE, role="moe", structure=chantier.moe.pk)
    assert "PDM-001" not in page(client, chantier.u_moe, RECHERCHE, role="fournisseur")


def test_tri(client, chantier, deux_dossiers):
    contenu = page(client, chantier.u_moe, RECHERCHE, tri="numero")
    assert contenu.index("PDF-001") < contenu.index("PDG-001") < contenu.index("PDM-001")
    contenu = page(client, chantier.u_moe, RECHERCHE, tri="-numero")
    assert contenu.index("PDM-001") < contenu.index("PDG-001") < contenu.index("PDF-001")
    assert 'aria-sort="descending"' in contenu
    # an unknown sort falls back to the default
    assert "PDM-001" in page(client, chantier.u_moe, RECHERCHE, tri="facture__fournisseur__password")


def test_chaque_ligne_mene_au_dossier(client, chantier, deux_dossiers):
    a4 = deux_dossiers[0]
    contenu = page(client, chantier.u_moe, RECHERCHE)
    try:
        url = reverse("travaux:dossier_consulter", args=[a4.dossier_id])
    except NoReverseMatch:  # the dossier page is another package's: the number alone is shown
        assert a4.dossier.numero in contenu
    else:
        assert f'<a href="{url}">{a4.dossier.numero}</a>' in contenu


def _piece_validee(chantier):
    a4 = initial(chantier, numero="PDM-001")
    maintenant = timezone.now()
    Facture.objects.filter(pk=a4.facture_id).update(
        valideur_1=chantier.moe, date_validation_1=maintenant, valideur_2=chantier.moa
    )
    return f"{chantier.moe.raison_sociale} ({timezone.localtime(maintenant):%d/%m/%Y})"


def test_export_csv_avec_les_valideurs(client, chantier):
    valideur_1 = _piece_validee(chantier)
    connecter(client, chantier.u_moe)
    reponse = client.get(EXPORT, {"format": "csv", "cadre": "A4"})
    lignes = list(csv.reader(io.StringIO(b"".join(reponse.streaming_content).decode("utf-8-sig")), delimiter=";"))
    entete = lignes[0]
    assert "Valideur 1 (date de validation)" in entete and "Valideur 2 (date de validation)" in entete
    ligne = dict(zip(entete, lignes[1], strict=True))
    assert ligne["Numéro de pièce"] == "PDM-001"
    assert ligne["Valideur 1 (date de validation)"] == valideur_1
    assert ligne["Valideur 2 (date de validation)"] == chantier.moa.raison_sociale
    assert len(lignes) == 2


def test_export_xlsx_avec_les_valideurs(client, chantier):
    valideur_1 = _piece_validee(chantier)
    connecter(client, chantier.u_moe)
    ligne, *_autres = exporter_xlsx(client, "factures_travaux")
    assert ligne["Valideur 1 (date de validation)"] == valideur_1
    assert ligne["Valideur 2 (date de validation)"] == chantier.moa.raison_sociale


def test_export_format_inconnu(client, chantier):
    connecter(client, chantier.u_moe)
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 404


# --- Tableau de bord ------------------------------------------------------------------------------------------------


def test_tableau_de_bord_par_role_et_statut(client, chantier, deux_dossiers):
    contenu = page(client, chantier.u_moe, STOCK)
    assert "Maîtrise d&#x27;œuvre : 3 pièces" in contenu
    assert "Mise à disposition de la MOE" in contenu and "Associée" in contenu
    assert f"{RECHERCHE}?role=moe&amp;statut=MISE_A_DISPOSITION_MOA" in contenu
    fournisseur = page(client, chantier.u_fournisseur, STOCK)
    assert "Fournisseur : 3 pièces" in fournisseur and "Maîtrise d&#x27;œuvre :" not in fournisseur


# --- Who sees what --------------------------------------------------------------------------------------------------


def test_un_etranger_ne_voit_rien(client, chantier, deux_dossiers):
    for url in (SYNTHESE, RECHERCHE, STOCK):
        contenu = page(client, chantier.u_etranger, url)
        assert "PDM-001" not in contenu and "PDG-001" not in contenu
    reponse = client.get(EXPORT, {"format": "csv"})
    assert len(b"".join(reponse.streaming_content).decode("utf-8-sig").splitlines()) == 1


def test_un_utilisateur_de_la_moa_limite_a_un_autre_service_ne_voit_rien(client, chantier, deux_dossiers):
    autre = Service.objects.create(structure=chantier.moa, code="ECOLES", libelle="Écoles")
    user = UtilisateurFactory()
    rattacher(user, chantier.moa, (Application.FACTURES_TRAVAUX, Niveau.MODIFICATION, autre))
    for url in (SYNTHESE, RECHERCHE, STOCK):
        assert "PDG-001" not in page(client, user, url)
    # the MOA user of the dossier's service sees it
    assert "PDG-001" in page(client, chantier.u_moa, SYNTHESE)


# --- Fixed number of queries ----------------------------------------------------------------------------------------


def _requetes(client, url, params=None):
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url, params or {})
        assert reponse.status_code == 200
        if reponse.streaming:
            contenu = b"".join(reponse.streaming_content).decode("utf-8-sig")
        elif url != EXPORT:
            contenu = reponse.content.decode()
        else:
            contenu = ""
    return len(requetes), contenu


def _pieces(chantier, debut, fin):
    for i in range(debut, fin):
        a4 = initial(chantier, numero=f"P-{i:03d}")
        statut(a4, "MISE_A_DISPOSITION_MOE" if i % 2 else "REFUSEE_MOE")
        Facture.objects.filter(pk=a4.facture_id).update(valideur_1=chantier.moe, valideur_2=chantier.moa)


@pytest.mark.parametrize(
    "url, params",
    [
        (SYNTHESE, {}),
        (SYNTHESE, {"masquer_rejetees": "on", "masquer_telechargees": "on"}),
        (RECHERCHE, {"tri": "dossier"}),
        (STOCK, {}),
        (EXPORT, {"format": "csv"}),
        (EXPORT, {"format": "xlsx"}),
    ],
)
def test_nombre_de_requetes_fixe_avec_1_et_30_pieces(client, chantier, url, params):
    _pieces(chantier, 0, 1)
    connecter(client, chantier.u_fournisseur)
    client.get(STOCK)  # the session's first request pays the login's bookkeeping
    avec_une, contenu = _requetes(client, url, params)
    assert url in (STOCK, EXPORT) or "P-000" in contenu
    _pieces(chantier, 1, 30)
    avec_trente, contenu = _requetes(client, url, params)
    assert url in (STOCK, EXPORT) or "P-018" in contenu
    assert avec_une == avec_trente <= 12


# --- Fixed queries (issue #16) -------------------------------------------------------------------------------------


@pytest.mark.parametrize("nombre", [1, 25])
def test_les_listes_et_l_api_en_nombre_de_requetes_fixe(client, chantier, django_assert_max_num_queries, nombre):
    """A page reads its ids, then its rows by id with everything they show (listes.pour_la_page): the same queries
    for one piece as for a full page and more, the count asked or not."""
    for n in range(nombre):
        initial(chantier, numero=f"PDM-{n:03d}")
    connecter(client, chantier.u_moe)
    # where the database limits the parts of a UNION (PostgreSQL), the ids are read role by role, then put in order
    # (listes._par_role): one query more, whatever the number of pieces
    par_role = 1 if connection.features.supports_slicing_ordering_in_compound else 0
    for url, parametres in ((SYNTHESE, {}), (RECHERCHE, {}), (RECHERCHE, {"compter": "1"}), (STOCK, {})):
        with django_assert_max_num_queries(12 + par_role):
            contenu = client.get(url, parametres).content.decode()
        assert "PDM-0" in contenu or url == STOCK
    for service in (RechercherFactureTravaux, RechercherFactureTravauxATraiter):
        with django_assert_max_num_queries(4 + par_role):
            reponse = service().traiter(SimpleNamespace(user=chantier.u_moe), {})
        assert reponse["parametresRetour"]["total"] == nombre
        assert len(reponse["listeFacturesTravaux"]) == min(nombre, 10)
