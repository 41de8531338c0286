"""La page « Déposer une facture » : formulaire, rapport d'erreurs par couche, suite du parcours."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from facturation.models import Facture
from organisation.enums import Application, Niveau
from tests.conftest import connecter
from tests.factories import UtilisateurFactory, rattacher
from tests.facturation.televersement.conftest import (
    FNFE,
    SIRET_ACHETEUR_FNFE,
    fichier,
    fichiers_enregistres,
    structure,
)
from tests.facturation.televersement.pdf import pdf_texte

pytestmark = pytest.mark.django_db
URL = "/factures/emises/deposer/"


def _url_ou_skip(nom, pk):
    try:
        return reverse(nom, args=[pk])
    except NoReverseMatch:
        pytest.skip(f"la page {nom} (saisie web, écrite par un autre lot) n'existe pas encore")


def test_formulaire(client, deposant, vendeur):
    autre = structure("33333333300033", "Structure d'un autre")
    reponse = connecter(client, deposant).get(URL)

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert reverse("facturation:depot_fichier") == URL
    assert "Fournisseur FNFE (99999999800010)" in contenu
    assert autre.raison_sociale not in contenu
    for libelle in ("PDF non signé", "PDF signé PAdES", "PDF signé XAdES", "Factur-X / XML (format détecté"):
        assert libelle in contenu
    assert 'accept=".pdf,.xml' in contenu and 'enctype="multipart/form-data"' in contenu
    assert "Contrôle du fichier en cours…" in contenu and "js/depot_fichier.js" in contenu


def test_chaque_erreur_affichee_par_couche_et_rien_enregistre(client, deposant, vendeur, media):
    structure(SIRET_ACHETEUR_FNFE, "Collectivité FNFE", est_publique=True, code_service_obligatoire=True)

    reponse = connecter(client, deposant).post(
        URL, {"fournisseur": vendeur.pk, "format_depot": "PDF_SIGNE_PADES", "fichier": fichier(FNFE)}
    )

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert 'id="resume-erreurs"' in contenu
    assert "Le fichier est refusé : 2 erreurs. Rien n'a été enregistré." in contenu
    assert "Signature : 1 anomalie" in contenu and "Règles Chorus Pro : 1 anomalie" in contenu
    assert "Le code service est obligatoire pour le destinataire 78787878400035 (Collectivité FNFE)." in contenu
    assert "BT-10 (code service / référence acheteur)" in contenu
    assert "ne contient aucune signature électronique" in contenu
    for entete in ("Couche", "Règle", "Champ (BT/BG)", "Valeur trouvée", "Valeur attendue", "Message", "Emplacement"):
        assert f'<th scope="col">{entete}</th>' in contenu
    assert not Facture.objects.exists() and fichiers_enregistres(media) == []


def test_regles_en16931_affichees_entieres(client, deposant, vendeur, acheteur, media):
    from tests.facturation.televersement.conftest import FNFE_INVALIDE

    reponse = connecter(client, deposant).post(
        URL, {"fournisseur": vendeur.pk, "format_depot": "AUTO", "fichier": fichier(FNFE_INVALIDE)}
    )

    contenu = reponse.content.decode()
    # 16 erreurs (BT-24 hors liste, 15 @currencyID hors profil), un avertissement non bloquant
    assert "Règles EN 16931 : 17 anomalies" in contenu
    assert "FX-SCH-A-000026" in contenu and "Non bloquant" in contenu
    assert "…" not in contenu.split('id="resume-erreurs"')[1].split("Déposer un autre fichier")[0]


def test_structure_d_un_autre_refusee(client, vendeur, acheteur, media):
    etranger = UtilisateurFactory()
    rattacher(
        etranger, structure("44444444400044", "Sa structure"), (Application.FACTURES_EMISES, Niveau.MODIFICATION)
    )

    reponse = connecter(client, etranger).post(
        URL, {"fournisseur": vendeur.pk, "format_depot": "AUTO", "fichier": fichier(FNFE)}
    )

    assert reponse.status_code == 200
    assert "Vous ne pouvez pas déposer de facture pour cette structure." in reponse.content.decode()
    assert "Fournisseur FNFE" not in reponse.content.decode()
    assert not Facture.objects.exists() and fichiers_enregistres(media) == []


def test_consultation_seule_ne_depose_pas(client, vendeur, acheteur, media):
    lecteur = UtilisateurFactory()
    rattacher(lecteur, vendeur, (Application.FACTURES_EMISES, Niveau.CONSULTATION))

    reponse = connecter(client, lecteur).post(
        URL, {"fournisseur": vendeur.pk, "format_depot": "AUTO", "fichier": fichier(FNFE)}
    )

    assert "Vous ne pouvez pas déposer de facture pour cette structure." in reponse.content.decode()
    assert not Facture.objects.exists()


def test_fichier_valide_mene_au_recapitulatif(client, deposant, vendeur, acheteur, media):
    reponse = connecter(client, deposant).post(
        URL, {"fournisseur": vendeur.pk, "format_depot": "AUTO", "fichier": fichier(FNFE)}
    )

    facture = Facture.objects.get()
    assert facture.numero == "FA-2017-0010"
    attendu = _url_ou_skip("facturation:saisie_recapitulatif", facture.pk)
    assert reponse.status_code == 302 and reponse.url == attendu


def test_pdf_simple_mene_a_la_saisie_du_brouillon(client, deposant, vendeur, acheteur, media):
    pdf = pdf_texte(["Facture n° FA-2026-0042", f"SIRET client : {SIRET_ACHETEUR_FNFE}"])

    reponse = connecter(client, deposant).post(
        URL,
        {
            "fournisseur": vendeur.pk,
            "format_depot": "PDF_NON_SIGNE",
            "fichier": SimpleUploadedFile("facture.pdf", pdf, content_type="application/pdf"),
        },
    )

    brouillon = Facture.objects.get()
    assert (brouillon.statut, brouillon.numero) == ("BROUILLON", "FA-2026-0042")
    attendu = _url_ou_skip("facturation:saisie_brouillon", brouillon.pk)
    assert reponse.status_code == 302 and reponse.url == attendu


def test_pdf_simple_sans_siret_lisible_demande_le_siret(client, deposant, vendeur, acheteur, media):
    pdf = pdf_texte(["Facture n° FA-2026-0043"])

    reponse = connecter(client, deposant).post(
        URL, {"fournisseur": vendeur.pk, "format_depot": "PDF_NON_SIGNE", "fichier": fichier(pdf, "f.pdf")}
    )

    contenu = reponse.content.decode()
    assert "saisissez-le dans le champ « SIRET du destinataire »" in contenu
    assert not Facture.objects.exists()
    # the field this PDF needs is no longer called optional
    debut = contenu.index('<label for="id_siret_destinataire"')
    libelle = contenu[debut : contenu.index("</label>", debut)]
    assert "(Optionnel)" not in libelle
    assert "Obligatoire pour ce PDF : le SIRET du destinataire n'a pas pu y être lu." in libelle

    reponse = client.post(
        URL,
        {
            "fournisseur": vendeur.pk,
            "format_depot": "PDF_NON_SIGNE",
            "fichier": fichier(pdf, "f.pdf"),
            "siret_destinataire": SIRET_ACHETEUR_FNFE,
        },
    )
    assert Facture.objects.get().destinataire == acheteur


def test_fichier_absent(client, deposant, vendeur):
    reponse = connecter(client, deposant).post(URL, {"fournisseur": vendeur.pk, "format_depot": "AUTO"})
    assert "Choisissez le fichier de la facture." in reponse.content.decode()


def test_pdf_simple_le_brouillon_demande_ce_que_le_destinataire_exige(client, deposant, vendeur, acheteur, media):
    """A plain PDF carries no code service: the draft it opens asks for it, as required, before the deposit."""
    from organisation.models import Service

    acheteur.code_service_obligatoire = True
    acheteur.save()
    Service.objects.create(structure=acheteur, code="ACHATS", libelle="Achats")
    Service.objects.create(structure=acheteur, code="TRAVAUX", libelle="Travaux", engagement_obligatoire=True)
    pdf = pdf_texte(["Facture n° FA-2026-0044", f"SIRET client : {SIRET_ACHETEUR_FNFE}"])
    reponse = connecter(client, deposant).post(
        URL, {"fournisseur": vendeur.pk, "format_depot": "PDF_NON_SIGNE", "fichier": fichier(pdf, "f.pdf")}
    )
    contenu = client.get(reponse.url).content.decode()
    assert "Collectivité FNFE exige un code service : choisissez l&#x27;un de ses services." in contenu
    assert "Le numéro d&#x27;engagement est obligatoire pour le service « TRAVAUX »." in contenu
    assert '<option value="" selected>Choisissez un service</option>' in contenu
    debut = contenu.index('<label for="id_code_service"')
    assert (
        '<span class="mention-optionnel" hidden> (Optionnel)</span>'
        in contenu[debut : contenu.index("</label>", debut)]
    )
