"""The ticket lists' Excel export goes through « Mes exports » (built by the task, with the list's filters and the
user's rights as they are when it runs); the CSV is streamed. Nobody exports another side's or structure's tickets,
and only a support agent exports the support's queue."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from exports import copie, genres
from exports.colonnes import libelles, valeurs_lignes
from exports.ecriture import blocs_csv
from exports.models import DemandeExport
from support.models import Sollicitation
from support.services import sollicitations as services
from tests.conftest import connecter
from tests.exports.outils import demander_xlsx, exporter_xlsx
from tests.support.test_vues import metier, support

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fichiers_isoles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_de(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("text/csv")
    return b"".join(reponse.streaming_content).decode("utf-8-sig")


def test_le_demandeur_exporte_ses_sollicitations_en_excel_par_mes_exports(client, monde):
    a = support(monde)
    b = metier(monde)
    services.sollicitation_cloturer(sollicitation=a, par=monde.fournisseur_user)
    connecter(client, monde.fournisseur_user)
    page = client.get("/sollicitations/?statut=CLOTUREE").content.decode()
    assert 'action="/mes-exports/demander/sollicitations_emises/"' in page and 'value="statut=CLOTUREE"' in page

    lignes = exporter_xlsx(client, "sollicitations_emises", {"statut": "CLOTUREE"})
    assert [ligne["Numéro"] for ligne in lignes] == [a.numero]
    assert lignes[0]["Destinataire"] == "Support Chorus Pro" and lignes[0]["Statut"] == "Clôturée"
    assert isinstance(lignes[0]["Créée le"], timezone.datetime)
    toutes = exporter_xlsx(client, "sollicitations_emises")
    assert {ligne["Numéro"] for ligne in toutes} == {a.numero, b.numero}
    assert DemandeExport.objects.filter(demandeur=monde.fournisseur_user, etat="PRET").count() == 2


def test_le_traitant_exporte_les_sollicitations_de_sa_structure(client, monde):
    b = metier(monde)
    connecter(client, monde.traitant)
    lignes = exporter_xlsx(client, "sollicitations_recues")
    assert [ligne["Numéro"] for ligne in lignes] == [b.numero]
    assert lignes[0]["Destinataire"] == "Commune de Valbourg – service ACHATS"
    assert b.numero in csv_de(client, "/sollicitations/recues/?export=csv")


def test_un_utilisateur_d_une_autre_structure_n_exporte_rien_des_notres(client, monde):
    a = support(monde)
    b = metier(monde)
    connecter(client, monde.etranger)
    for genre in ("sollicitations_emises", "sollicitations_recues"):
        assert exporter_xlsx(client, genre) == []
    for url in ("/sollicitations/?export=csv", "/sollicitations/recues/?export=csv"):
        texte = csv_de(client, url)
        assert a.numero not in texte and b.numero not in texte and texte.count("\n") == 1


def test_seul_un_agent_exporte_la_file_du_support(client, monde):
    a = support(monde)
    connecter(client, monde.fournisseur_user)
    assert client.get("/support/sollicitations/?export=csv").status_code == 404
    # asked anyway (a forged form): the task reads the queue with the requester's rights, so nothing
    assert demander_xlsx(client, "file_support").status_code == 302
    assert exporter_xlsx(client, "file_support") == []
    connecter(client, monde.agent)
    assert [ligne["Numéro"] for ligne in exporter_xlsx(client, "file_support")] == [a.numero]
    texte = csv_de(client, "/support/sollicitations/?export=csv")
    assert a.numero in texte and texte.splitlines()[0].startswith("Numéro;Objet;Catégorie")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite keeps the Python path")
def test_sur_postgresql_la_copie_ecrit_le_meme_csv_que_python(monde):
    a = support(monde)
    services.sollicitation_attribuer(sollicitation=a, agent=monde.agent, par=monde.agent)
    b = metier(monde)
    Sollicitation.objects.filter(pk=b.pk).update(objet='=Objet ; "cité"\nsur deux lignes', demandeur_nom="Élodie Ñ")
    for qui, cle in ((monde.agent, "file_support"), (monde.fournisseur_user, "sollicitations_emises")):
        genre = genres.genre(cle)
        qs = genre.requete(qui, QueryDict("file=toutes"), None)
        assert copie.copie_possible(qs, genre.colonnes)
        attendu = "".join(blocs_csv(libelles(genre.colonnes), valeurs_lignes(qs, genre.colonnes))).encode()
        assert attendu.count(b"\r\n") >= 2
        assert b"".join(copie.blocs_copie(qs, genre.colonnes)) == attendu
