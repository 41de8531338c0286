"""On PostgreSQL the CSV of the invoice lists is written by PostgreSQL (COPY … TO STDOUT over the list's own query):
byte for byte the file the Python path writes, for the demo invoices and the awkward ones (accents, « ; » and
quotes in names, a line break in a comment, null dates, negative and credit-note amounts, a currency without
decimals, a cell starting like a formula); and a user of another structure exports none of them."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from demo.comptes import charger_comptes
from exports import copie, genres
from exports.colonnes import libelles, valeurs_lignes
from exports.ecriture import blocs_csv
from facturation.matelas import charger_factures
from facturation.models import Facture
from organisation.matelas import COMPTES
from organisation.models import Utilisateur
from tests.conftest import connecter
from tests.factories import StructureFactory, facture_deposee
from tests.facturation.recues.conftest import structure_publique_active

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite keeps the Python path"),
]

# (list, whose: 0 the demo supplier, 1 the demo commune, the fewest rows expected)
GENRES = [("factures_recues", 1, 10), ("factures_emises", 0, 10), ("factures_a_valider", 0, 1)]


@pytest.fixture
def demo(db):
    charger_comptes()
    charger_factures()
    fanny = Utilisateur.objects.get(email=COMPTES[0].login)
    paul = Utilisateur.objects.get(email=COMPTES[1].login)
    fournisseur = fanny.rattachements.get().structure
    commune = paul.rattachements.get().structure
    service = commune.services.first()
    ete = datetime.datetime(2026, 7, 1, 22, 30, tzinfo=timezone.get_default_timezone())  # 22:30 Paris, 20:30 UTC
    hiver = datetime.datetime(2026, 1, 1, 0, 5, tzinfo=timezone.get_default_timezone())  # the day before in UTC
    bizarre = StructureFactory(raison_sociale='Éts « Lœuf » ; fils & "Cie"\nsuccursale')
    formule = StructureFactory(raison_sociale='=HYPERLINK("http://x")')
    cas = [
        facture_deposee(bizarre, commune, numero="BIZ-1;2", service=service, deposee_le=ete),
        facture_deposee(formule, commune, numero="=1+1", deposee_le=hiver),
        facture_deposee(fournisseur, commune, numero="AV-Ωμέγα", type_facture="AVOIR", montant_ht="-1234.565"),
        facture_deposee(fournisseur, commune, numero="JPY-1", devise="JPY", montant_ht="1234.5"),
        facture_deposee(fournisseur, commune, numero="ZERO-NEG", montant_ht="-0.001", taux_tva="0"),
        facture_deposee(fournisseur, commune, numero="SANS-DATES", statut="REJETEE"),
    ]
    Facture.objects.filter(numero="SANS-DATES").update(
        date_facture=None,
        statut_depuis=None,
        motif_statut="Montant « erroné » ; voir pièce",
        commentaire_statut='Ligne 1\nLigne 2 "citée"\r\nfin',
        rejet_traite_le=ete,
        numero_mandat="-5",
        telechargee=True,
    )
    Facture.objects.filter(numero="BIZ-1;2").update(valideur_1=bizarre, date_validation_1=ete, valideur_2=formule)
    assert len(cas) == 6
    return fanny, paul


def python_csv(qs, colonnes):
    return "".join(blocs_csv(libelles(colonnes), valeurs_lignes(qs, colonnes))).encode()


@pytest.mark.parametrize(("cle", "qui", "au_moins"), GENRES)
def test_copie_identique_au_csv_python(demo, cle, qui, au_moins):
    genre = genres.genre(cle)
    qs = genre.requete(demo[qui], QueryDict(), None)
    assert copie.copie_possible(qs, genre.colonnes)
    attendu = python_csv(qs, genre.colonnes)
    obtenu = b"".join(copie.blocs_copie(qs, genre.colonnes, lignes_par_bloc=7))
    assert obtenu.count(b"\r\n") >= 1 + au_moins  # rows from the demo data, not an empty list
    assert obtenu == attendu


def test_les_cas_limites_sont_dans_le_fichier(demo, client):
    connecter(client, demo[1])
    reponse = client.get(reverse("facturation:recues_export", args=["csv"]))
    assert reponse.status_code == 200
    contenu = b"".join(reponse.streaming_content)
    assert contenu == python_csv(genres.genre("factures_recues").requete(demo[1], QueryDict(), None), _colonnes())
    texte = contenu.decode()
    assert '"Éts « Lœuf » ; fils & ""Cie""\nsuccursale"' in texte
    assert "'=1+1;" in texte and "'=HYPERLINK" in texte
    assert "Avoir" in texte and "-1234,57" in texte and "-0,00" in texte and ";1234;" not in texte
    assert "1235,00" not in texte and "JPY-1" in texte


def _colonnes():
    return genres.genre("factures_recues").colonnes


def test_les_dates_et_montants_a_la_francaise(demo):
    qs = genres.genre("factures_recues").requete(demo[1], QueryDict("numero=BIZ-1"), None)
    texte = b"".join(copie.blocs_copie(qs, _colonnes())).decode()
    entete, ligne = csv.reader(io.StringIO(texte.lstrip("\ufeff")), delimiter=";")
    cellules = dict(zip(entete, ligne, strict=True))
    assert cellules["Fournisseur"] == 'Éts « Lœuf » ; fils & "Cie"\nsuccursale'
    assert cellules["Date de dépôt"] == "01/07/2026 22:30"
    assert cellules["Montant HT"] == "1000,00"


def test_un_utilisateur_d_une_autre_structure_n_exporte_rien_des_notres(demo, client):
    etranger = structure_publique_active(raison_sociale="Département du Nord-Ouest").rattachements.get().utilisateur
    connecter(client, etranger)
    for url in (
        reverse("facturation:recues_export", args=["csv"]),
        reverse("facturation:emises_export") + "?format=csv",
        reverse("facturation:validation_export_csv"),
    ):
        contenu = b"".join(client.get(url).streaming_content).decode()
        assert contenu.count("\r\n") == 1, url  # the header alone


def test_une_recherche_qui_ne_peut_rien_trouver_donne_l_entete(demo):
    genre = genres.genre("factures_recues")
    for qs in (Facture.objects.none(), Facture.objects.filter(pk__in=[])):
        contenu = b"".join(b if isinstance(b, bytes) else b.encode() for b in copie.blocs(qs, genre.colonnes))
        assert contenu.decode().count("\r\n") == 1 and contenu.startswith("\ufeffNuméro de facture;".encode())


def test_la_copie_compte_comme_une_requete(demo, django_assert_num_queries):
    """Logged by Django's debug cursor like any query: the query-count tests and the benches see it."""
    genre = genres.genre("factures_recues")
    qs = genre.requete(demo[1], QueryDict(), None)
    with django_assert_num_queries(1) as requetes:
        b"".join(copie.blocs_copie(qs, genre.colonnes))
    assert requetes.captured_queries[0]["sql"].startswith("COPY (SELECT ")
