"""« Suivi des flux »: the list (filters, sort, export, pagination), the deposit form, the report page; who sees what
(Factures émises or Raccordement on the flux's structure, 404 for anyone else) and a fixed number of queries."""

import csv
import html
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.enums import Application, Niveau
from organisation.models import Service
from raccordement.enums import CanalFlux, EtatFlux
from raccordement.models import Flux
from raccordement.selectors.flux import compte_rendu_detaille
from raccordement.services.flux import flux_integrer, flux_recevoir
from tests.conftest import connecter
from tests.exports.outils import exporter_xlsx
from tests.factories import StructureFactory, UtilisateurFactory, rattacher
from tests.facturation.televersement.conftest import structure
from tests.raccordement.flux_donnees import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, facture_cii, tar_gz


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
    utilisateur = UtilisateurFactory(prenom="Dora", nom="Déposante")
    rattacher(utilisateur, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    return utilisateur


def cii(numero, **champs):
    champs.setdefault("vendeur", SIRET_VENDEUR_FNFE)
    champs.setdefault("acheteur", SIRET_ACHETEUR_FNFE)
    return facture_cii(numero, **champs)


def recu(vendeur, deposant, contenu, nom="f.xml", integrer=True):
    flux = flux_recevoir(structure=vendeur, contenu=contenu, nom_fichier=nom, canal=CanalFlux.PORTAIL, par=deposant)
    if integrer:
        flux_integrer(flux_id=flux.pk)
    flux.refresh_from_db()
    return flux


def melange():
    return tar_gz([("ok.xml", cii("PAGE-OK")), ("ko.xml", cii("PAGE-KO", code_service="SERV-FANTOME"))])


def test_la_liste_montre_les_flux_de_la_structure_et_leurs_comptes(client, vendeur, acheteur, deposant):
    flux = recu(vendeur, deposant, melange(), "lot.tar.gz")
    connecter(client, deposant)

    reponse = client.get(reverse("raccordement:flux_liste"))

    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert flux.numero in page and "Intégré partiellement" in page and "lot.tar.gz" in page
    (ligne,) = reponse.context["page_obj"].object_list
    assert (ligne.nb_integrees, ligne.nb_rejetees) == (1, 1)
    assert "Déposer un flux" in page


def test_un_utilisateur_raccordement_voit_les_flux_mais_pas_un_autre(client, vendeur, acheteur, deposant):
    flux = recu(vendeur, deposant, cii("VISIBLE-1"))
    technicien = UtilisateurFactory()
    rattacher(technicien, vendeur, (Application.RACCORDEMENT, Niveau.CONSULTATION))
    etranger = StructureFactory().rattachements.get().utilisateur  # every profile, on its own structure

    connecter(client, technicien)
    assert flux.numero in client.get(reverse("raccordement:flux_liste")).content.decode()
    assert client.get(reverse("raccordement:flux_consulter", args=[flux.pk])).status_code == 200
    assert "Déposer un flux" not in client.get(reverse("raccordement:flux_liste")).content.decode()

    connecter(client, etranger)
    assert flux.numero not in client.get(reverse("raccordement:flux_liste")).content.decode()
    assert client.get(reverse("raccordement:flux_consulter", args=[flux.pk])).status_code == 404
    assert client.get(reverse("raccordement:flux_etat", args=[flux.pk])).status_code == 404
    export = client.get(reverse("raccordement:flux_export") + "?format=csv")
    assert flux.numero not in b"".join(export.streaming_content).decode("utf-8-sig")


def test_filtres_tri_et_export(client, vendeur, acheteur, deposant):
    integre = recu(vendeur, deposant, cii("FILTRE-1"))
    rejete = recu(vendeur, deposant, cii("FILTRE-2", acheteur="11111111100011"))
    connecter(client, deposant)
    url = reverse("raccordement:flux_liste")

    reponse = client.get(url, {"etat": EtatFlux.IN_REJETE})
    assert [f.numero for f in reponse.context["page_obj"]] == [rejete.numero]
    reponse = client.get(url, {"tri": "recu"})
    assert [f.numero for f in reponse.context["page_obj"]] == [integre.numero, rejete.numero]
    hier = (timezone.localdate() - timezone.timedelta(days=1)).isoformat()
    assert client.get(url, {"au": hier}).context["page_obj"].paginator.count == 0

    export = client.get(reverse("raccordement:flux_export"), {"etat": EtatFlux.IN_INTEGRE, "format": "csv"})
    lignes = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][:3] == ["Numéro de flux", "Date de dépôt", "Structure"]
    assert [ligne[0] for ligne in lignes[1:]] == [integre.numero]
    assert [
        ligne["Numéro de flux"] for ligne in exporter_xlsx(client, "suivi_flux", {"etat": EtatFlux.IN_REJETE})
    ] == [rejete.numero]
    assert client.get(reverse("raccordement:flux_export"), {"format": "pdf"}).status_code == 404


def test_la_liste_pagine(client, vendeur, acheteur, deposant):
    for i in range(21):
        recu(vendeur, deposant, cii(f"PAGE-{i}"), integrer=False)
    connecter(client, deposant)

    reponse = client.get(reverse("raccordement:flux_liste"), {"page": 2})

    assert len(reponse.context["page_obj"].object_list) == 1


@pytest.mark.parametrize("nombre", [1, 15])
def test_requetes_de_la_liste(client, vendeur, acheteur, deposant, django_assert_max_num_queries, nombre):
    for i in range(nombre):
        recu(vendeur, deposant, cii(f"REQ-{i}"), integrer=False)
    connecter(client, deposant)

    with django_assert_max_num_queries(13):  # +1: the header's menus (chorus/menus.py)
        assert client.get(reverse("raccordement:flux_liste")).status_code == 200


@pytest.mark.parametrize("nombre", [1, 12])
def test_requetes_du_compte_rendu(client, vendeur, acheteur, deposant, django_assert_max_num_queries, nombre):
    membres = [(f"f{i}.xml", cii(f"CR-{i}", code_service="FANTOME" if i % 2 else None)) for i in range(nombre)]
    flux = recu(vendeur, deposant, tar_gz(membres), "cr.tar.gz")
    connecter(client, deposant)

    with django_assert_max_num_queries(13):  # +1: the header's menus (chorus/menus.py)
        assert client.get(reverse("raccordement:flux_consulter", args=[flux.pk])).status_code == 200


def test_deposer_un_flux_montre_le_flux_recu_puis_son_compte_rendu(
    client, vendeur, acheteur, deposant, django_capture_on_commit_callbacks
):
    connecter(client, deposant)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fichier = SimpleUploadedFile("lot.tar.gz", melange(), content_type="application/gzip")
    # the integration is queued after commit; not running it shows the page as a user sees it at once
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        reponse = client.post(
            reverse("raccordement:flux_deposer"), {"structure": vendeur.pk, "fichier": fichier}, follow=True
        )
    assert len(rappels) == 1
    flux = Flux.objects.get()
    assert reponse.redirect_chain[-1][0] == reverse("raccordement:flux_consulter", args=[flux.pk])
    page = reponse.content.decode()
    assert f"Le flux {flux.numero} est reçu" in page
    assert "Reçu" in page and "se met à jour seule" in page and "suivi_flux.js" in page
    assert client.get(reverse("raccordement:flux_etat", args=[flux.pk])).json() == {
        "numero": flux.numero,
        "etat": "IN_RECU",
        "libelle": "Reçu",
        "final": False,
        "traitees": 0,
        "nombre": None,  # counted by the first run
        "progression": "0 facture traitée",
    }

    assert "0 facture traitée" in page

    rappels[0]()  # the task (eager)
    page = html.unescape(client.get(reverse("raccordement:flux_consulter", args=[flux.pk])).content.decode())
    assert "Intégré partiellement" in page and "suivi_flux.js" not in page
    assert "Facture PAGE-KO" in page and "« SERV-FANTOME » n'existe pas chez le destinataire" in page
    facture = flux.factures.get(integree=True).facture
    assert reverse("facturation:emises_consulter", args=[facture.pk]) in page


def test_le_depot_refuse_dit_pourquoi_et_n_enregistre_rien(client, vendeur, deposant):
    connecter(client, deposant)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fichier = SimpleUploadedFile("facture.xml", b"%PDF-1.4 ...", content_type="application/xml")
    reponse = client.post(reverse("raccordement:flux_deposer"), {"structure": vendeur.pk, "fichier": fichier})

    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "resume-erreurs" in page and "n&#x27;est pas un document XML : c&#x27;est un PDF" in page
    assert not Flux.objects.exists()


def test_on_ne_depose_pas_pour_une_structure_ou_l_on_n_a_pas_le_droit(client, vendeur, deposant):
    autre = StructureFactory()
    connecter(client, deposant)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fichier = SimpleUploadedFile("f.xml", cii("INTRUS"))
    reponse = client.post(reverse("raccordement:flux_deposer"), {"structure": autre.pk, "fichier": fichier})

    assert reponse.status_code == 200 and not Flux.objects.exists()
    assert "structure" in reponse.context["form"].errors


def _csv(reponse):
    octets = b"".join(reponse.streaming_content)
    assert octets.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(octets.decode("utf-8-sig")), delimiter=";"))


def test_le_rapport_csv_du_flux_donne_les_lignes_de_consulter_cr_detaille(client, vendeur, acheteur, deposant):
    membres = [("bon.xml", cii("CSV-OK")), ("ko.xml", cii("CSV-KO", code_service="FANTOME"))]
    flux = recu(vendeur, deposant, tar_gz(membres), "csv.tar.gz")
    url = reverse("raccordement:flux_rapport_csv", args=[flux.pk])
    connecter(client, deposant)

    page = html.unescape(client.get(reverse("raccordement:flux_consulter", args=[flux.pk])).content.decode())
    assert f'href="{url}" download>Télécharger le rapport (CSV)' in page
    assert '<th scope="col">Valeur trouvée</th>' in page and "<td>FANTOME</td>" in page

    reponse = client.get(url)
    assert reponse.status_code == 200 and reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"] == f'attachment; filename="rapport-flux-{flux.numero}.csv"'
    entete, *lignes = _csv(reponse)
    assert entete[:4] == ["identifiantFournisseur", "identifiantDestinataire", "numeroDP", "libelleErreurDP"]
    assert [dict(zip(entete[:4], ligne[:4], strict=True)) for ligne in lignes] == (
        compte_rendu_detaille(flux)["listeErreurDP"]
    )
    (ligne,) = [dict(zip(entete, ligne, strict=True)) for ligne in lignes]
    assert (ligne["numeroDP"], ligne["regle"], ligne["valeurTrouvee"], ligne["valeurAttendue"]) == (
        "CSV-KO",
        "ACHEMINEMENT",
        "FANTOME",
        "un code service actif du destinataire : SERV-ACHATS",
    )


def test_le_rapport_csv_d_un_flux_rejete_entier_porte_ses_erreurs_techniques(client, vendeur, acheteur, deposant):
    contenu = cii("CSV-DOUBLON")
    recu(vendeur, deposant, contenu, "a.xml")
    doublon = recu(vendeur, deposant, contenu, "b.xml")
    connecter(client, deposant)

    entete, *lignes = _csv(client.get(reverse("raccordement:flux_rapport_csv", args=[doublon.pk])))

    (ligne,) = [dict(zip(entete, ligne, strict=True)) for ligne in lignes]
    assert (ligne["couche"], ligne["regle"], ligne["numeroDP"]) == ("Technique", "FLUX_DOUBLON", "")
    # the text listeErreurTechnique gives for it
    assert ligne["libelleErreurDP"] == compte_rendu_detaille(doublon)["listeErreurTechnique"][0]["libelleErreur"]


def test_le_rapport_csv_d_un_flux_d_une_autre_structure_est_introuvable(client, vendeur, acheteur, deposant):
    flux = recu(vendeur, deposant, cii("CSV-AUTRE", code_service="FANTOME"))
    etranger = StructureFactory().rattachements.get().utilisateur  # every profile, on its own structure
    consultation_seule = UtilisateurFactory()
    rattacher(consultation_seule, vendeur, (Application.RACCORDEMENT, Niveau.CONSULTATION))
    url = reverse("raccordement:flux_rapport_csv", args=[flux.pk])

    assert connecter(client, etranger).get(url).status_code == 404
    assert connecter(client, consultation_seule).get(url).status_code == 200
