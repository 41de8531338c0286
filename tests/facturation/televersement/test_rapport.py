"""The explained refusal (issue #13 « What the portal refuses, it explains »): the Chorus Pro rules say the value
found and the value expected, the deposit page shows them in its table, and « Télécharger le rapport (CSV) » gives the
rows consulterCRDetaille lists for the same file, to the user who got the refusal only."""

import csv
import io
from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from facturation.formats.ecriture_cii import ecrire_cii
from facturation.formats.lecture import lire
from facturation.models import Facture
from facturation.rapport_depot import CHAMPS_API, CHAMPS_DETAIL, lignes_du_refus
from facturation.services.televersement import (
    COUCHE_CHORUS,
    FORMAT_AUTOMATIQUE,
    TeleversementRefuse,
    facture_televerser,
)
from facturation.views.televersement import rapport
from organisation.enums import Application, Niveau
from organisation.models import Habilitation, Service
from raccordement.enums import CanalFlux
from raccordement.selectors.flux import compte_rendu_detaille
from raccordement.services.flux import flux_integrer, flux_recevoir
from tests.conftest import connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.televersement.conftest import SIRET_ACHETEUR_FNFE, SIRET_VENDEUR_FNFE, structure
from tests.raccordement.flux_donnees import facture_cii

pytestmark = pytest.mark.django_db
URL = "/factures/emises/deposer/"
URL_CSV = "/factures/emises/deposer/rapport.csv"
AUTRE_VENDEUR = "12345678200010"


@pytest.fixture
def acheteur(db):
    acheteur = structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True)
    Service.objects.create(structure=acheteur, code="ACHATS", libelle="Achats")
    Service.objects.create(structure=acheteur, code="COMPTA", libelle="Comptabilité")
    Service.objects.create(structure=acheteur, code="FERME", libelle="Fermé", actif=False)
    return acheteur


def xml_refuse(marche="M" * 60):
    """A CII whose seller is not the depositing structure, whose code service the buyer lacks and whose contract
    number (BT-12) is longer than Chorus Pro takes: three Chorus Pro rules, each with a value found and expected."""
    xml = facture_cii("RAPPORT-1", vendeur=AUTRE_VENDEUR, acheteur=SIRET_ACHETEUR_FNFE, code_service="INCONNU")
    _syntaxe, neutre, _xml = lire(xml)
    return ecrire_cii(replace(neutre, marche=marche))


def refuser(deposant, vendeur, contenu, nom="refusee.xml"):
    with pytest.raises(TeleversementRefuse) as exc:
        facture_televerser(
            par=deposant,
            fournisseur=vendeur,
            fichier=SimpleUploadedFile(nom, contenu, content_type="text/xml"),
            format_choisi=FORMAT_AUTOMATIQUE,
        )
    return exc.value


def test_les_regles_chorus_disent_la_valeur_trouvee_et_l_attendue(deposant, vendeur, acheteur):
    refus = refuser(deposant, vendeur, xml_refuse())

    valeurs = {e.code: (e.champ, e.valeur_trouvee, e.valeur_attendue) for e in refus.bloquantes}
    assert {e.couche for e in refus.bloquantes} == {COUCHE_CHORUS}
    assert valeurs["SIRET_VENDEUR"] == (
        "BT-30 (SIRET du vendeur)",
        AUTRE_VENDEUR,
        f"{SIRET_VENDEUR_FNFE} (SIRET de Fournisseur FNFE, la structure qui dépose)",
    )
    assert valeurs["LONGUEUR"] == ("BT-12 (numéro de marché)", "60 caractères", "50 caractères au plus")
    # the inactive service is not offered
    assert valeurs["ACHEMINEMENT"] == (
        "BT-10 (code service / référence acheteur)",
        "INCONNU",
        "un code service actif du destinataire : ACHATS, COMPTA",
    )


def test_destinataire_inconnu_et_obligations(deposant, vendeur):
    refus = refuser(deposant, vendeur, facture_cii("RAPPORT-2", vendeur=SIRET_VENDEUR_FNFE, acheteur="11111111100011"))
    (erreur,) = refus.bloquantes
    assert (erreur.valeur_trouvee, erreur.valeur_attendue) == (
        "11111111100011",
        "le SIRET d'une structure publique connue de Chorus Pro",
    )

    structure("11111111100011", "Exigeante", est_publique=True, engagement_obligatoire=True)
    refus = refuser(deposant, vendeur, facture_cii("RAPPORT-2", vendeur=SIRET_VENDEUR_FNFE, acheteur="11111111100011"))
    (erreur,) = refus.bloquantes
    assert erreur.champ.startswith("BT-13")
    assert (erreur.valeur_trouvee, erreur.valeur_attendue) == ("absent", "un numéro d'engagement")


def test_les_lignes_du_rapport_sont_celles_de_consulter_cr_detaille(
    django_capture_on_commit_callbacks, settings, tmp_path, deposant, vendeur, acheteur
):
    settings.MEDIA_ROOT = tmp_path / "media"
    contenu = xml_refuse()
    lignes = lignes_du_refus(refuser(deposant, vendeur, contenu))

    with django_capture_on_commit_callbacks(execute=True):
        flux = flux_recevoir(
            structure=vendeur, contenu=contenu, nom_fichier="refusee.xml", canal=CanalFlux.PORTAIL, par=deposant
        )
    flux_integrer(flux_id=flux.pk)
    liste = compte_rendu_detaille(flux)["listeErreurDP"]

    assert [{k: ligne[k] for k in CHAMPS_API} for ligne in lignes] == liste
    # Chorus Pro's four fields, nothing a client does not know
    assert all(set(e) == set(CHAMPS_API) for e in liste)
    (siret,) = [e for e in liste if "SIRET_VENDEUR" in e["libelleErreurDP"]]
    assert (siret["identifiantFournisseur"], siret["identifiantDestinataire"], siret["numeroDP"]) == (
        AUTRE_VENDEUR,
        SIRET_ACHETEUR_FNFE,
        "RAPPORT-1",
    )
    assert siret["libelleErreurDP"].startswith("[Règles Chorus Pro | SIRET_VENDEUR | BT-30 (SIRET du vendeur)] ")
    assert (
        f"Valeur trouvée : {AUTRE_VENDEUR}. Valeur attendue : {SIRET_VENDEUR_FNFE} (SIRET de"
        in (siret["libelleErreurDP"])
    )


# --- the page and its CSV ----------------------------------------------------------------------------------------


def deposer(client, vendeur, contenu, nom="refusee.xml"):
    fichier = SimpleUploadedFile(nom, contenu, content_type="text/xml")
    return client.post(URL, {"fournisseur": vendeur.pk, "format_depot": "AUTO", "fichier": fichier})


def lire_csv(reponse):
    octets = b"".join(reponse.streaming_content)
    assert octets.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents
    return list(csv.reader(io.StringIO(octets.decode("utf-8-sig")), delimiter=";"))


def test_la_page_montre_le_tableau_et_le_csv_donne_les_memes_lignes(client, deposant, vendeur, acheteur):
    connecter(client, deposant)
    reponse = deposer(client, vendeur, xml_refuse(), nom="Facture refusée.xml")

    contenu = reponse.content.decode()
    assert "Le fichier est refusé : 3 erreurs. Rien n'a été enregistré." in contenu
    assert contenu.index('id="resume-erreurs"') < contenu.index("<table")  # the summary stays at the top
    for entete in (
        "Couche",
        "Règle",
        "Champ (BT/BG)",
        "Valeur trouvée",
        "Valeur attendue",
        "Message",
        "Emplacement",
    ):
        assert f'<th scope="col">{entete}</th>' in contenu
    assert "<caption>Règles Chorus Pro — 3 anomalies</caption>" in contenu
    assert '<td class="valeur-trouvee">60 caractères</td>' in contenu
    assert '<td class="valeur-attendue">un code service actif du destinataire : ACHATS, COMPTA</td>' in contenu
    assert f'href="{URL_CSV}" download>Télécharger le rapport (CSV)' in contenu
    assert not Facture.objects.exists()

    telechargement = client.get(URL_CSV)

    assert telechargement.status_code == 200
    assert telechargement["Content-Type"] == "text/csv; charset=utf-8"
    assert telechargement["Content-Disposition"] == 'attachment; filename="rapport-depot-facture-refusee.csv"'
    entete, *lignes = lire_csv(telechargement)
    assert entete == list(CHAMPS_API + CHAMPS_DETAIL)
    assert len(lignes) == 3
    par_regle = {ligne[entete.index("regle")]: dict(zip(entete, ligne, strict=True)) for ligne in lignes}
    longueur = par_regle["LONGUEUR"]
    assert (longueur["numeroDP"], longueur["identifiantFournisseur"]) == ("RAPPORT-1", AUTRE_VENDEUR)
    assert (longueur["champ"], longueur["valeurTrouvee"], longueur["valeurAttendue"]) == (
        "BT-12 (numéro de marché)",
        "60 caractères",
        "50 caractères au plus",
    )
    assert longueur["libelleErreurDP"].endswith(
        "Valeur trouvée : 60 caractères. Valeur attendue : 50 caractères au plus."
    )


def test_le_rapport_ne_sert_qu_a_celui_qui_a_eu_le_refus(client, deposant, vendeur, acheteur):
    collegue = UtilisateurFactory()
    rattacher(collegue, vendeur, (Application.FACTURES_EMISES, Niveau.MODIFICATION))
    connecter(client, deposant)
    deposer(client, vendeur, xml_refuse())
    assert client.get(URL_CSV).status_code == 200

    # another user, even of the same structure, has their own session: nothing to download
    assert connecter(client.__class__(), collegue).get(URL_CSV).status_code == 404
    # a session that says another user (never so in practice) is not trusted either
    session = client.session
    session[rapport.CLE_SESSION]["utilisateur"] = collegue.pk
    session.save()
    assert client.get(URL_CSV).status_code == 404


def test_sans_habilitation_de_depot_le_rapport_est_introuvable(client, deposant, vendeur, acheteur):
    connecter(client, deposant)
    deposer(client, vendeur, xml_refuse())
    Habilitation.objects.filter(rattachement__utilisateur=deposant).update(niveau=Niveau.CONSULTATION)

    assert client.get(URL_CSV).status_code == 404


def test_sans_refus_rien_a_telecharger_et_un_depot_reussi_l_oublie(client, deposant, vendeur, acheteur):
    connecter(client, deposant)
    assert client.get(URL_CSV).status_code == 404

    deposer(client, vendeur, xml_refuse())
    assert client.get(URL_CSV).status_code == 200
    bonne = facture_cii("RAPPORT-OK", vendeur=SIRET_VENDEUR_FNFE, acheteur=SIRET_ACHETEUR_FNFE, code_service="ACHATS")
    reponse = deposer(client, vendeur, bonne, nom="bonne.xml")
    assert reponse.status_code == 302 and Facture.objects.filter(numero="RAPPORT-OK").exists()
    assert client.get(URL_CSV).status_code == 404


def test_le_rapport_garde_en_session_est_borne(client, deposant, vendeur, acheteur, settings):
    lignes = [{"libelleErreurDP": "x" * 1000, "message": "x" * 1000} for _ in range(400)]

    gardees = rapport._borner(lignes)

    assert len(gardees) < 400
    assert sum(len(str(ligne)) for ligne in gardees) < rapport.TAILLE_MAX + 3000
    assert gardees[-1]["libelleErreurDP"].startswith(f"Rapport limité : {400 - len(gardees) + 1} erreurs de plus")
