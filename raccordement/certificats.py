"""The certificate of an EDI connection (chorus-pro-features.md rows 89–90): read a PEM or DER X.509 file with the
`cryptography` package and check what Chorus Pro checks before accepting it: a certificate (not a private key), in
its validity period, whose key may sign or encipher keys. Every refusal is an ApplicationError on the « certificat »
field whose message starts with « Certificat : » and says what is wrong, so that a partner knows what to send."""

import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils import timezone
from django.utils.dateformat import format as formater_date

from chorus.exceptions import ApplicationError

CHAMP = "certificat"
# A certificate is a few kilobytes; a chain of three still fits. A larger file is something else (project rule).
TAILLE_MAX = 50 * 1024
_PEM_CERTIFICAT = b"-----BEGIN CERTIFICATE-----"


@dataclass(frozen=True)
class CertificatLu:
    sujet: str
    emetteur: str
    debut: object  # aware datetime (UTC)
    fin: object
    empreinte: str  # SHA-256 of the DER encoding, hexadecimal, lower case
    extension: str  # "pem" or "der": how the file came


def _refus(message):
    return ApplicationError(f"Certificat : {message}", champ=CHAMP)


def _date(valeur):
    return formater_date(timezone.localtime(valeur), r"d/m/Y à H \h i")


def _est_une_cle_privee(contenu):
    if b"PRIVATE KEY-----" in contenu:
        return True
    if contenu.lstrip().startswith(b"-----BEGIN"):
        return False
    try:
        serialization.load_der_private_key(contenu, password=None)
    except TypeError:
        return True  # a DER key protected by a password is still a private key
    except Exception:  # noqa: BLE001 - anything else that fails to load is not a private key
        return False
    return True


def _charger(contenu):
    try:
        if contenu.lstrip().startswith(b"-----BEGIN"):
            if _PEM_CERTIFICAT not in contenu:
                raise ValueError("pas de bloc CERTIFICATE")
            # a PEM file may carry the chain: the first block is the partner's own certificate
            return x509.load_pem_x509_certificates(contenu)[0], "pem"
        return x509.load_der_x509_certificate(contenu), "der"
    except (ValueError, TypeError):
        raise _refus(
            "ce fichier n'est pas un certificat X.509 lisible. Déposez le certificat au format PEM (texte commençant "
            "par « -----BEGIN CERTIFICATE----- ») ou DER (binaire)."
        ) from None


def _verifier_usage(certificat):
    try:
        usage = certificat.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return  # RFC 5280 §4.2.1.3: no keyUsage extension, no restriction on the key
    if not (usage.digital_signature or usage.key_encipherment):
        raise _refus(
            "l'usage de la clé (keyUsage) de ce certificat n'autorise ni la signature numérique (digitalSignature) "
            "ni le chiffrement de clé (keyEncipherment) : il ne peut servir aux échanges EDI. Demandez à votre "
            "autorité de certification un certificat avec l'un de ces usages."
        )


def lire_certificat(contenu, *, maintenant=None):
    """Parse and check `contenu` (bytes of the uploaded file); returns a CertificatLu or raises ApplicationError."""
    if not contenu:
        raise _refus("le fichier est vide.")
    if len(contenu) > TAILLE_MAX:
        raise _refus(
            f"le fichier fait {len(contenu) / 1024:.0f} Ko ; un certificat fait {TAILLE_MAX // 1024} Ko au plus."
        )
    if _est_une_cle_privee(contenu):
        raise _refus(
            "ce fichier contient une clé privée, pas un certificat. Ne transmettez jamais votre clé privée : "
            "déposez le certificat (la partie publique), au format PEM ou DER."
        )
    certificat, extension = _charger(contenu)
    maintenant = maintenant or timezone.now()
    debut, fin = certificat.not_valid_before_utc, certificat.not_valid_after_utc
    if fin < maintenant:
        raise _refus(f"ce certificat a expiré le {_date(fin)}. Déposez un certificat en cours de validité.")
    if debut > maintenant:
        raise _refus(f"ce certificat n'est valable qu'à partir du {_date(debut)}. Déposez-le à partir de cette date.")
    _verifier_usage(certificat)
    der = certificat.public_bytes(serialization.Encoding.DER)
    return CertificatLu(
        sujet=certificat.subject.rfc4514_string(),
        emetteur=certificat.issuer.rfc4514_string(),
        debut=debut,
        fin=fin,
        empreinte=hashlib.sha256(der).hexdigest(),
        extension=extension,
    )


def empreinte_lisible(empreinte):
    """AB:CD:… as certificate tools show a fingerprint."""
    return ":".join(empreinte[i : i + 2] for i in range(0, len(empreinte), 2)).upper()
