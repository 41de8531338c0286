"""Flux files for the tests and bench/flux.py: CII EN 16931 invoices written by the project's one CII writer, and
tar.gz archives built in memory."""

import datetime
import io
import tarfile
import uuid
from decimal import Decimal

from facturation.formats.ecriture_cii import ecrire_cii
from facturation.formats.modele import FactureNeutre, LigneNeutre, Partie, Totaux
from tests.facturation.donnees import DONNEES


def numero_unique(prefixe):
    """An invoice number no other deposit uses, within Chorus Pro's 20 characters (BT-1): a clock would do until
    its digits grow (time.monotonic_ns() passes 14 digits after 2 h 47 of uptime and the number is refused)."""
    return f"{prefixe}-{uuid.uuid4().hex}"[:20]


SIRET_VENDEUR_FNFE = "99999999800010"
SIRET_ACHETEUR_FNFE = "78787878400035"
SIRET_ACHETEUR_DOM_FNFE = "34343434600010"

FNFE_BASICWL = DONNEES / "Facture_FR_BASICWL.pdf"  # mis au profil Factur-X actuel
FNFE_INVALIDE = "files/zugferd-corpus/ZUGFeRDv2/fail/FNFE-factur-x-examples/Facture_FR_BASIC.pdf"
UBL = "files/akretion-factur-x/xml/ubl-21-en16931.xml"


def facture_cii(numero, *, vendeur, acheteur, lignes=3, code_service=None, engagement=None, prix="12.34"):
    """A CII invoice of `lignes` lines (alternately 20 % and 5.5 %) from `vendeur` to `acheteur` (SIRETs)."""
    details, total_ht, total_tva = [], Decimal(0), Decimal(0)
    for i in range(1, lignes + 1):
        taux = Decimal("20") if i % 2 else Decimal("5.5")
        montant = (Decimal(i) * Decimal(prix)).quantize(Decimal("0.01"))
        details.append(
            LigneNeutre(
                id=str(i),
                designation=f"Article {i}",
                quantite=Decimal(i),
                unite="C62",
                prix_unitaire_ht=Decimal(prix),
                montant_ht=montant,
                taux_tva=taux,
                categorie_tva="S",
            )
        )
        total_ht += montant
    par_taux = {}
    for ligne in details:
        par_taux[ligne.taux_tva] = par_taux.get(ligne.taux_tva, Decimal(0)) + ligne.montant_ht
    total_tva = sum(((base * taux / 100).quantize(Decimal("0.01")) for taux, base in par_taux.items()), Decimal(0))
    return ecrire_cii(
        FactureNeutre(
            numero=numero,
            date=datetime.date(2026, 3, 15),
            type_code="380",
            devise="EUR",
            reference_acheteur=code_service,
            engagement=engagement,
            vendeur=Partie(nom="Fournisseur du flux", siret=vendeur, tva="FR11999999998", pays="FR"),
            acheteur=Partie(nom="Acheteur public", siret=acheteur, pays="FR"),
            lignes=tuple(details),
            totaux=Totaux(
                total_lignes_ht=total_ht,
                total_ht=total_ht,
                total_tva=total_tva,
                total_ttc=total_ht + total_tva,
                net_a_payer=total_ht + total_tva,
            ),
        )
    )


def tar_gz(membres, *, liens=()):
    """A tar.gz of (name, bytes) members, plus symbolic links (name, target)."""
    tampon = io.BytesIO()
    with tarfile.open(fileobj=tampon, mode="w:gz") as archive:
        for nom, contenu in membres:
            info = tarfile.TarInfo(nom)
            info.size = len(contenu)
            archive.addfile(info, io.BytesIO(contenu))
        for nom, cible in liens:
            info = tarfile.TarInfo(nom)
            info.type, info.linkname = tarfile.SYMTYPE, cible
            archive.addfile(info)
    return tampon.getvalue()
