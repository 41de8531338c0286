"""The EDI certificate checks (issue #6): PEM or DER X.509, ≤ 50 Ko, in its validity period, with a key usage
allowing digitalSignature or keyEncipherment, never a private key; each refusal names the field « Certificat »."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from chorus.exceptions import ApplicationError
from raccordement.certificats import empreinte_lisible, lire_certificat
from tests.raccordement.outils_comptes import certificat, cle_privee_der, cle_privee_pem


def _refus(contenu):
    with pytest.raises(ApplicationError) as erreur:
        lire_certificat(contenu)
    assert erreur.value.champ == "certificat" and erreur.value.message.startswith("Certificat : ")
    return erreur.value.message


@pytest.mark.parametrize("encodage", [serialization.Encoding.PEM, serialization.Encoding.DER])
def test_un_certificat_valide_est_lu(encodage):
    contenu = certificat(encodage=encodage)
    lu = lire_certificat(contenu)
    der = x509.load_pem_x509_certificate(contenu) if encodage == serialization.Encoding.PEM else None
    der = der.public_bytes(serialization.Encoding.DER) if der else contenu
    assert lu.empreinte == hashlib.sha256(der).hexdigest()
    assert lu.sujet == "O=Fournitures Démo,CN=as2.fournisseur.exemple" and lu.emetteur == "CN=AC de test"
    assert lu.debut < datetime.now(UTC) < lu.fin
    assert lu.extension == ("pem" if encodage == serialization.Encoding.PEM else "der")
    assert empreinte_lisible("ab12cd") == "AB:12:CD"


def test_chiffrement_de_cle_ou_sans_keyusage_acceptes():
    assert lire_certificat(certificat(usage="chiffrement")).empreinte
    assert lire_certificat(certificat(usage=None)).empreinte


def test_expire():
    fin = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    message = _refus(certificat(debut=fin - timedelta(days=365), fin=fin))
    assert message.startswith("Certificat : ce certificat a expiré le 01/03/2025 à 13 h 00.")


def test_pas_encore_valable():
    debut = datetime.now(UTC) + timedelta(days=10)
    message = _refus(certificat(debut=debut, fin=debut + timedelta(days=365)))
    assert "n'est valable qu'à partir du" in message


def test_usage_de_cle_sans_signature_ni_chiffrement():
    message = _refus(certificat(usage="ca"))
    assert "digitalSignature" in message and "keyEncipherment" in message


@pytest.mark.parametrize("contenu", [cle_privee_pem(), cle_privee_der()], ids=["pem", "der"])
def test_une_cle_privee_est_refusee(contenu):
    assert "ce fichier contient une clé privée, pas un certificat" in _refus(contenu)


@pytest.mark.parametrize(
    "contenu",
    [b"bonjour", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", b"\x30\x82\x01\x00abc"],
    ids=["texte", "pem-casse", "der-casse"],
)
def test_illisible(contenu):
    assert "n'est pas un certificat X.509 lisible" in _refus(contenu)


def test_vide_et_trop_gros():
    assert _refus(b"") == "Certificat : le fichier est vide."
    assert "50 Ko au plus" in _refus(b"x" * (50 * 1024 + 1))
