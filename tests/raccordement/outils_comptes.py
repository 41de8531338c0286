"""Test data of the Raccordement domain: X.509 certificates made on the fly with `cryptography` (no file checked
in), and an integrator with the « Raccordement » profile."""

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from organisation.enums import Application, Niveau
from tests.factories import StructureFactory, UtilisateurFactory, rattacher

_CLE = None


def cle():
    global _CLE
    if _CLE is None:
        _CLE = ec.generate_private_key(ec.SECP256R1())
    return _CLE


def certificat(
    *,
    debut=None,
    fin=None,
    usage="signature",
    nom="as2.fournisseur.exemple",
    emetteur="AC de test",
    encodage=serialization.Encoding.PEM,
):
    """A self-contained certificate: valid from yesterday for a year unless told otherwise; `usage` is "signature"
    (digitalSignature), "chiffrement" (keyEncipherment), "ca" (keyCertSign only) or None (no keyUsage extension)."""
    maintenant = datetime.now(UTC)
    debut = debut or maintenant - timedelta(days=1)
    fin = fin or maintenant + timedelta(days=365)
    builder = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, nom),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Fournitures Démo"),
                ]
            )
        )
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, emetteur)]))
        .public_key(cle().public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(debut)
        .not_valid_after(fin)
    )
    if usage:
        drapeaux = dict.fromkeys(
            [
                "digital_signature",
                "content_commitment",
                "key_encipherment",
                "data_encipherment",
                "key_agreement",
                "key_cert_sign",
                "crl_sign",
                "encipher_only",
                "decipher_only",
            ],
            False,
        )
        drapeaux[
            {"signature": "digital_signature", "chiffrement": "key_encipherment", "ca": "key_cert_sign"}[usage]
        ] = True
        builder = builder.add_extension(x509.KeyUsage(**drapeaux), critical=True)
    return builder.sign(cle(), hashes.SHA256()).public_bytes(encodage)


def cle_privee_pem():
    return cle().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def cle_privee_der():
    return cle().private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def integrateur(structure=None, niveau=Niveau.MODIFICATION):
    """A user holding Raccordement at `niveau` (and nothing else) on `structure` (a new one by default)."""
    structure = structure or StructureFactory()
    utilisateur = UtilisateurFactory()
    rattacher(utilisateur, structure, (Application.RACCORDEMENT, niveau))
    return utilisateur, structure
