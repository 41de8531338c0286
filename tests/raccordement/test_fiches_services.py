"""Connection records (issue #6): EDI or API, protocol, formats sent and received, qualification then production;
the EDI certificate uploaded, checked, replaced; production needs a valid certificate."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from chorus.exceptions import ApplicationError
from raccordement.models import FicheRaccordement
from raccordement.services.clients_api import client_api_creer, client_api_desactiver
from raccordement.services.fiches import (
    fiche_certificat_deposer,
    fiche_creer,
    fiche_desactiver,
    fiche_passer_en_production,
)
from tests.raccordement.outils_comptes import certificat, integrateur

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _medias(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _fiche_edi(user, structure, **champs):
    donnees = {
        "type_raccordement": "EDI",
        "protocole": "AS2",
        "adresse": "https://as2.fournisseur.exemple/as2",
        "formats_emis": ["IN_DP_E1_UBL_INVOICE", "IN_DP_E2_CII_FACTURX"],
        "formats_recus": ["FEN1200A", "CDAR"],
        **champs,
    }
    return fiche_creer(par=user, structure=structure, **donnees)


def _erreur(fonction, **kwargs):
    with pytest.raises(ApplicationError) as erreur:
        fonction(**kwargs)
    return erreur.value.champ, erreur.value.message


def test_fiche_edi_en_qualification_puis_certificat_puis_production():
    user, structure = integrateur()
    fiche = _fiche_edi(user, structure)
    assert (fiche.environnement, fiche.protocole, fiche.formats_recus) == (
        "QUALIFICATION",
        "AS2",
        ["FEN1200A", "CDAR"],
    )
    assert fiche.qualifiee_le and not fiche.production_le

    champ, message = _erreur(fiche_passer_en_production, par=user, fiche=fiche)
    assert champ == "certificat"
    assert message.startswith("Certificat : un raccordement EDI ne passe en production qu'avec un certificat valide.")

    fiche = fiche_certificat_deposer(par=user, fiche=fiche, contenu=certificat())
    fiche.refresh_from_db()
    assert fiche.certificat_sujet == "O=Fournitures Démo,CN=as2.fournisseur.exemple"
    assert len(fiche.certificat_empreinte) == 64 and fiche.certificat_fin > timezone.now()
    premier = fiche.certificat.name
    assert fiche.certificat.storage.exists(premier)

    fiche = fiche_passer_en_production(par=user, fiche=fiche)
    assert fiche.environnement == "PRODUCTION" and fiche.production_le
    champ, message = _erreur(fiche_passer_en_production, par=user, fiche=fiche)
    assert message.startswith("Cette fiche de raccordement est en production depuis le")

    # certificate update on a fiche in production: the old file goes once the new one is saved
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        fiche = fiche_certificat_deposer(par=user, fiche=fiche, contenu=certificat(nom="as2-bis.exemple"))
    fiche.refresh_from_db()
    assert "as2-bis.exemple" in fiche.certificat_sujet
    assert not fiche.certificat.storage.exists(premier) and fiche.certificat.storage.exists(fiche.certificat.name)


def test_un_certificat_refuse_ne_change_rien():
    user, structure = integrateur()
    fiche = _fiche_edi(user, structure)
    fin = datetime(2025, 1, 1, tzinfo=UTC)
    champ, message = _erreur(
        fiche_certificat_deposer, par=user, fiche=fiche, contenu=certificat(debut=fin - timedelta(days=30), fin=fin)
    )
    assert champ == "certificat" and message.startswith("Certificat : ce certificat a expiré le 01/01/2025")
    fiche.refresh_from_db()
    assert not fiche.certificat and not fiche.certificat_empreinte


def test_production_refusee_quand_le_certificat_a_expire_depuis():
    user, structure = integrateur()
    fiche = fiche_certificat_deposer(par=user, fiche=_fiche_edi(user, structure), contenu=certificat())
    hier = timezone.now() - timedelta(days=1)
    FicheRaccordement.objects.filter(pk=fiche.pk).update(certificat_fin=hier)
    champ, message = _erreur(fiche_passer_en_production, par=user, fiche=fiche)
    assert champ == "certificat" and "Certificat : le certificat de cette fiche a expiré le" in message


def test_fiche_api_s_appuie_sur_un_client_api_de_la_structure():
    user, structure = integrateur()
    champ, message = _erreur(
        fiche_creer,
        par=user,
        structure=structure,
        type_raccordement="API",
        client_api="x",
        formats_emis=["IN_DP_E1_CII"],
    )
    assert champ == "client_api" and message.startswith("Client API : choisissez l'un des clients API")
    client, _ = client_api_creer(par=user, structure=structure, nom="ERP")
    fiche = fiche_creer(
        par=user,
        structure=structure,
        type_raccordement="API",
        protocole="AS2",  # ignored: an API connection is API
        client_api=client.client_id,
        formats_emis=["IN_DP_E1_CII"],
    )
    assert (fiche.protocole, fiche.adresse) == ("API", client.client_id)
    champ, message = _erreur(fiche_certificat_deposer, par=user, fiche=fiche, contenu=certificat())
    assert message.startswith("Certificat : seul un raccordement EDI porte un certificat")
    client_api_desactiver(par=user, client=client)
    champ, message = _erreur(fiche_passer_en_production, par=user, fiche=fiche)
    assert message == "Client API : le client « ERP » est désactivé."


@pytest.mark.parametrize(
    ("champs", "champ", "debut"),
    [
        ({"protocole": "API"}, "protocole", "Protocole : un raccordement EDI passe par AS/2, SFTP ou PeSIT-E"),
        ({"adresse": ""}, "adresse", "Adresse du partenaire : saisissez"),
        ({"adresse": "as2.exemple.fr"}, "adresse", "Adresse du partenaire : en AS/2, l'adresse est une URL"),
        ({"protocole": "SFTP", "adresse": "pas une adresse"}, "adresse", "Adresse du partenaire : indiquez un nom"),
        ({"formats_emis": ["XML"]}, "formats_emis", "Formats envoyés : format inconnu « XML »."),
        ({"formats_recus": ["PDF"]}, "formats_recus", "Formats reçus : format inconnu « PDF »."),
        ({"formats_emis": [], "formats_recus": []}, "formats_emis", "Formats envoyés : choisissez au moins un format"),
        ({"type_raccordement": "FTP"}, "type_raccordement", "Type de raccordement : choisissez EDI ou API."),
    ],
)
def test_chaque_erreur_de_saisie_nomme_son_champ(champs, champ, debut):
    user, structure = integrateur()
    trouve, message = _erreur(_fiche_edi, user=user, structure=structure, **champs)
    assert trouve == champ and message.startswith(debut)
    assert not FicheRaccordement.objects.exists()


def test_sftp_et_pesit_acceptent_un_hote_et_son_port():
    user, structure = integrateur()
    assert _fiche_edi(user, structure, protocole="SFTP", adresse="sftp.fournisseur.exemple:22").adresse
    assert _fiche_edi(user, structure, protocole="PESIT", adresse="192.0.2.10:6330").adresse


def test_desactivee_plus_rien_ne_change():
    user, structure = integrateur()
    fiche = fiche_desactiver(par=user, fiche=_fiche_edi(user, structure))
    assert fiche.desactivee_le
    for fonction, extra in (
        (fiche_desactiver, {}),
        (fiche_passer_en_production, {}),
        (fiche_certificat_deposer, {"contenu": certificat()}),
    ):
        _champ, message = _erreur(fonction, par=user, fiche=fiche, **extra)
        assert message.startswith("Cette fiche de raccordement est désactivée depuis le")


def test_habilitation():
    user, structure = integrateur()
    etranger, _ = integrateur()
    _champ, message = _erreur(_fiche_edi, user=etranger, structure=structure)
    assert "Raccordement – modification" in message
    fiche = _fiche_edi(user, structure)
    for fonction in (fiche_desactiver, fiche_passer_en_production):
        assert "Raccordement – modification" in _erreur(fonction, par=etranger, fiche=fiche)[1]
