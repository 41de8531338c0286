"""facturation.validation.montants agrees with the official artefacts: on every corpus file (valid and invalid), it
finds broken exactly the calculation rules the artefact of the file's profile reports, no more, no fewer."""

import csv
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from facturation.formats import detection
from facturation.formats.erreurs import FormatInvalide
from facturation.formats.lecture import lire
from facturation.validation import couches, montants
from tests.conftest import CORPUS, partage_requis

SYNTAXES = ("cii", "ubl-invoice", "ubl-creditnote", "factur-x-pdf")


def _fichiers():
    manifeste = CORPUS / "MANIFEST.tsv"
    if not manifeste.is_file():
        return []
    with manifeste.open(encoding="utf-8") as f:
        return [ligne["path"] for ligne in csv.DictReader(f, delimiter="\t") if ligne["syntax"] in SYNTAXES]


def _regle(anomalie):
    # the MINIMUM and BASIC stylesheets number their asserts FX-SCH-A-…: the rule is the « [BR-…] » of the message
    if anomalie.code.startswith("FX-SCH-"):
        trouve = re.search(r"\[(BR-[A-Z0-9-]+)\]", anomalie.message)
        return trouve.group(1) if trouve else anomalie.code
    return anomalie.code


@pytest.mark.parametrize("chemin", _fichiers())
def test_le_module_et_l_artefact_refusent_les_memes_regles_de_calcul(chemin):
    try:
        syntaxe, neutre, xml = lire((CORPUS / chemin).read_bytes(), taille_max=10 * 1024 * 1024)
    except FormatInvalide:
        pytest.skip("illisible : aucune règle de calcul ne s'applique")
    if xml is None:
        pytest.skip("PDF sans XML")
    syntaxe_xml = detection.detecter(xml).syntaxe if syntaxe == detection.FACTURX_PDF else syntaxe
    rapport = couches.valider(xml, syntaxe_xml)
    if rapport.profil is None:
        pytest.skip("aucun artefact : profil inconnu ou format non pris en charge")
    couvertes = {code for code, _ in montants.regles(montants.artefact(syntaxe_xml, rapport.profil))}

    # errors and warnings alike: the EXTENDED « …-08ini » and « …-08rev » are the artefacts' warnings
    artefact = {_regle(a) for a in rapport.anomalies if a.couche == couches.COUCHE_EN16931}
    module = {e.regle for e in montants.controler(neutre, syntaxe_xml, rapport.profil)}

    assert module == artefact & couvertes


def test_le_corpus_montre_des_regles_de_calcul_enfreintes():
    # the agreement above is not only « nothing on both sides »: the CEN full-model UBL breaks BR-CO-10 and BR-CO-15
    chemin = (
        "files/zugferd-corpus/XML-Rechnung/UBL/not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.ubl.xml"
    )
    _, neutre, _ = lire(partage_requis(CORPUS / chemin).read_bytes(), taille_max=10 * 1024 * 1024)
    ecarts = {e.regle: e for e in montants.controler(neutre, "ubl-invoice", "en16931")}
    assert set(ecarts) == {"BR-CO-10", "BR-CO-15"}
    assert ecarts["BR-CO-10"].valeur_attendue == "BT-106 = Σ BT-131 = 1 000,00 + 1 000,00 = 2 000,00 EUR"


@pytest.mark.parametrize(
    ("artefact", "chemin"),
    [(f"cii:{profil}", chemin) for profil, chemin in couches.XSLT_CII.items()]
    + [(f"ubl:{profil}", chemin) for profil, chemin in couches.XSLT_UBL.items()],
)
def test_la_table_ne_nomme_que_des_regles_de_l_artefact(artefact, chemin):
    texte = Path(couches._ressource(chemin)).read_text(encoding="utf-8")
    for code, _verification in montants.regles(artefact):
        assert f"[{code}]" in texte, f"{code} absent de {chemin}"


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [(D("2.345"), D("2.35")), (D("-2.345"), D("-2.34")), (D("-2.355"), D("-2.35")), (D("100"), D("100"))],
)
def test_arrondi_xpath_au_demi_vers_plus_l_infini(valeur, attendu):
    assert montants._round2(valeur) == attendu


@pytest.mark.parametrize(
    ("valeur", "texte"),
    [
        (D("1234.5"), "1 234,50"),
        (D("-9"), "−9,00"),
        (D("18679"), "18 679,00"),
        (D("0.125"), "0,125"),
        (None, "absent"),
    ],
)
def test_montants_ecrits_en_francais(valeur, texte):
    assert montants.nombre(valeur) == texte
