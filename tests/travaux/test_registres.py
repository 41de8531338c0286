"""« Liste fiscale » and « Archives » of « Factures de travaux » (features row 66): what each actor sees, the period,
the totals, the closed dossiers, the exports, an outsider, a fixed number of queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from exports import copie, genres
from exports.colonnes import libelles, valeurs_lignes
from exports.ecriture import blocs_csv
from facturation.models import Facture
from tests.conftest import connecter
from tests.exports.outils import exporter_xlsx
from tests.travaux.test_depot import associer, initial

pytestmark = pytest.mark.django_db

FISCALE = "/factures-travaux/liste-fiscale/"
ARCHIVES = "/factures-travaux/archives/"


@pytest.fixture(autouse=True)
def _fichiers_isoles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def statut(piece, code, **champs):
    Facture.objects.filter(pk=piece.facture_id).update(statut=code, **champs)


def jusqu_au_payeur(chantier, numero):
    """A4 → A15 → A19: the A19 is with the payer, the two others associated."""
    a4 = initial(chantier, numero=f"PDM-{numero}")
    a15 = associer(chantier.u_moe, "moe", "A15", a4, f"EA-{numero}")
    return associer(chantier.u_moa, "moa", "A19", a15, f"EAV-{numero}")


def corps(reponse):
    return b"".join(reponse.streaming_content) if reponse.streaming else reponse.content


def texte(client, user, url, **params):
    connecter(client, user)
    reponse = client.get(url, params)
    assert reponse.status_code == 200
    return reponse.content.decode()


# --- Liste fiscale -------------------------------------------------------------------------------------------------


def test_la_liste_fiscale_ne_tient_que_les_pieces_du_payeur_avec_leurs_totaux(client, chantier):
    jusqu_au_payeur(chantier, "001")
    jusqu_au_payeur(chantier, "002")
    initial(chantier, numero="PDM-003")  # still with the MOE
    for user in (chantier.u_fournisseur, chantier.u_moe, chantier.u_moa):
        page = texte(client, user, FISCALE)
        assert "EAV-001" in page and "EAV-002" in page
        assert "PDM-003" not in page and "EA-001<" not in page
        assert "2 pièces." in page
    # two pieces of 10 000 € HT at 20 %
    pied = page[page.index('id="totaux"') :]
    assert "20\u202f000,00\u00a0EUR" in pied and "4\u202f000,00\u00a0EUR" in pied and "24\u202f000,00\u00a0EUR" in pied
    assert "Aucune pièce transmise" in texte(client, chantier.u_etranger, FISCALE)


def test_la_periode_de_la_liste_fiscale(client, chantier):
    ancienne = jusqu_au_payeur(chantier, "001")
    Facture.objects.filter(pk=ancienne.facture_id).update(deposee_le=timezone.now() - timedelta(days=400))
    jusqu_au_payeur(chantier, "002")
    debut = (timezone.localdate() - timedelta(days=30)).isoformat()
    page = texte(client, chantier.u_fournisseur, FISCALE, depot_du=debut)
    assert "EAV-002" in page and "EAV-001" not in page and "1 pièce." in page
    erreur = texte(client, chantier.u_fournisseur, FISCALE, depot_du=debut, depot_au="2020-01-01")
    assert "La date de fin doit être postérieure ou égale à la date de début." in erreur


def test_l_export_de_la_liste_fiscale(client, chantier):
    jusqu_au_payeur(chantier, "001")
    connecter(client, chantier.u_moa)
    lignes = list(
        csv.reader(
            io.StringIO(corps(client.get(FISCALE + "export/", {"format": "csv"})).decode("utf-8-sig")), delimiter=";"
        )
    )
    entete, ligne = lignes[0], dict(zip(lignes[0], lignes[1], strict=True))
    assert "Montant de TVA" in entete and "Net à payer" in entete and len(lignes) == 2
    assert ligne["Numéro de pièce"] == "EAV-001" and ligne["Montant de TVA"] in ("2000,00", "2000.00", "2000")
    # Excel through « Mes exports » (the task reads the list again with the user's rights)
    assert "Préparer l'export Excel" in corps(client.get(FISCALE + "export/", {"format": "xlsx"})).decode()
    (ligne_xlsx,) = exporter_xlsx(client, "travaux_liste_fiscale")
    assert ligne_xlsx["Numéro de pièce"] == "EAV-001" and ligne_xlsx["Montant de TVA"] == 2000
    connecter(client, chantier.u_etranger)
    assert exporter_xlsx(client, "travaux_liste_fiscale") == []
    connecter(client, chantier.u_moa)
    assert client.get(FISCALE + "export/", {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("nombre", [1, 25])
def test_requetes_de_la_liste_fiscale(client, chantier, django_assert_max_num_queries, nombre):
    for n in range(nombre):
        jusqu_au_payeur(chantier, f"{n:03d}")
    connecter(client, chantier.u_fournisseur)
    with django_assert_max_num_queries(14):
        assert client.get(FISCALE).status_code == 200


# --- Archives ------------------------------------------------------------------------------------------------------


def test_les_archives_tiennent_les_dossiers_clos(client, chantier):
    paye = jusqu_au_payeur(chantier, "001")
    statut(paye, "MISE_EN_PAIEMENT")
    chez_le_payeur = jusqu_au_payeur(chantier, "002")
    rejetee_traitee = initial(chantier, numero="PDM-003")
    statut(rejetee_traitee, "REFUSEE_MOE", rejet_traite_le=timezone.now())
    rejetee = initial(chantier, numero="PDM-004")
    statut(rejetee, "REFUSEE_MOE")

    for user in (chantier.u_fournisseur, chantier.u_moe, chantier.u_moa):
        page = texte(client, user, ARCHIVES)
        assert paye.dossier.numero in page and rejetee_traitee.dossier.numero in page
        assert chez_le_payeur.dossier.numero not in page and rejetee.dossier.numero not in page
        assert "2 dossiers clos." in page
    assert f'href="/factures-travaux/dossiers/{paye.dossier_id}/telecharger/"' in page
    assert "0 dossier clos." in texte(client, chantier.u_etranger, ARCHIVES)


def test_rechercher_et_exporter_les_archives(client, chantier):
    paye = jusqu_au_payeur(chantier, "001")
    statut(paye, "MISE_EN_PAIEMENT")
    autre = initial(chantier, numero="PDM-002")
    statut(autre, "REJETEE", rejet_traite_le=timezone.now())
    page = texte(client, chantier.u_fournisseur, ARCHIVES, numero=paye.dossier.numero)
    assert paye.dossier.numero in page and autre.dossier.numero not in page
    connecter(client, chantier.u_fournisseur)
    contenu = corps(client.get(ARCHIVES + "export/", {"format": "csv", "tri": "dossier"})).decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(contenu), delimiter=";"))
    assert lignes[0][:2] == ["Numéro de dossier de facturation", "Numéro de marché"]
    assert [ligne[0] for ligne in lignes[1:]] == sorted([paye.dossier.numero, autre.dossier.numero])
    assert [ligne[6] for ligne in lignes[1:]] == ["3", "1"]
    assert lignes[1][2].endswith(f"({chantier.fournisseur.identifiant})")
    classeur = exporter_xlsx(client, "travaux_archives", {"tri": "dossier"})
    assert [ligne["Numéro de dossier de facturation"] for ligne in classeur] == [ligne[0] for ligne in lignes[1:]]
    assert [ligne["Nombre de pièces"] for ligne in classeur] == [3, 1]
    if connection.vendor == "postgresql":  # the file written by COPY is the Python path's, byte for byte
        qs = genres.genre("travaux_archives").requete(chantier.u_fournisseur, QueryDict("tri=dossier"), None)
        colonnes = genres.genre("travaux_archives").colonnes
        assert copie.copie_possible(qs, colonnes)
        python = "".join(blocs_csv(libelles(colonnes), valeurs_lignes(qs, colonnes))).encode()
        assert b"".join(copie.blocs_copie(qs, colonnes)) == python
    connecter(client, chantier.u_etranger)
    assert corps(client.get(ARCHIVES + "export/", {"format": "csv"})).decode("utf-8-sig").count("\n") == 1
    assert exporter_xlsx(client, "travaux_archives") == []


@pytest.mark.parametrize("nombre", [1, 25])
def test_requetes_des_archives(client, chantier, django_assert_max_num_queries, nombre):
    for n in range(nombre):
        statut(jusqu_au_payeur(chantier, f"{n:03d}"), "MISE_EN_PAIEMENT")
    connecter(client, chantier.u_moe)
    with django_assert_max_num_queries(12):
        assert client.get(ARCHIVES).status_code == 200
