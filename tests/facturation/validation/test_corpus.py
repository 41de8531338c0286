"""Accord du validateur avec le corpus d'acceptation : verdict attendu = celui de verdicts_corpus.csv s'il y en a un,
sinon la colonne `expected` de MANIFEST.tsv.

verdicts_corpus.csv est la seule table où le verdict du manifeste est remplacé, fichier par fichier, avec la règle qui
décide et la raison pour laquelle le verdict de la source ne vaut pas pour ce portail. Aucun xfail : un fichier que le
portail refuse à tort se corrige dans le validateur, pas ici.
"""

import csv
from pathlib import Path

import facturx
import pytest

from facturation.validation import valider
from tests.conftest import CORPUS, corpus_complet_requis

SYNTAXES = ("cii", "ubl-invoice", "ubl-creditnote", "factur-x-pdf")
VERDICTS = Path(__file__).with_name("verdicts_corpus.csv")

# ZUGFeRD 1.0 n'est pas de l'EN 16931 : refusé (FORMAT_NON_PRIS_EN_CHARGE ou PROFIL_INCONNU, voir verdicts_corpus.csv).
PREFIXE_ZUGFERD_1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"


def _verdicts():
    with VERDICTS.open(encoding="utf-8") as f:
        return {ligne["path"]: ligne for ligne in csv.DictReader(f)}


VERDICTS_DU_PORTAIL = _verdicts()


def verdict_attendu(ligne) -> str:
    """« valid » ou « invalid » : le verdict de la table s'il y en a un, sinon celui du manifeste."""
    remplace = VERDICTS_DU_PORTAIL.get(ligne["path"])
    return remplace["verdict"] if remplace else ligne["expected"]


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
    return [pytest.param(ligne, id=ligne["path"].removeprefix("files/")) for ligne in LIGNES]


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
    obtenu = "valid" if rapport.est_valide else "invalid"
    assert obtenu == verdict_attendu(ligne), "\n".join(a.message for a in rapport.erreurs)
    if obtenu == "invalid":
        assert all(a.message for a in rapport.erreurs)
    remplace = VERDICTS_DU_PORTAIL.get(ligne["path"])
    if remplace and obtenu == "invalid":
        # la règle de la table est bien l'une de celles qui refusent le fichier
        assert remplace["rule"] in {a.code for a in rapport.erreurs}, sorted({a.code for a in rapport.erreurs})


def test_la_table_ne_nomme_que_des_fichiers_du_manifeste_avec_regle_et_raison():
    corpus_complet_requis()  # the table names files that tests/corpus does not hold
    par_chemin = {ligne["path"]: ligne for ligne in LIGNES}
    assert set(VERDICTS_DU_PORTAIL) <= set(par_chemin)
    for chemin, remplace in VERDICTS_DU_PORTAIL.items():
        assert remplace["verdict"] in ("valid", "invalid"), chemin
        assert remplace["verdict"] != par_chemin[chemin]["expected"], f"{chemin} : la table redit le manifeste"
        assert remplace["rule"].strip() and len(remplace["reason"].strip()) > 40, chemin


def test_zugferd_1_n_est_jamais_valide_comme_un_profil_factur_x():
    """Racine ZUGFeRD 1.0 : format refusé ; CII D16B dont BT-24 est ZUGFeRD 1.0 : profil inconnu. Jamais d'autre
    anomalie : le portail ne valide pas ces fichiers contre un artefact qu'ils ne désignent pas."""
    zugferd_1 = [ligne for ligne in LIGNES if ligne["guideline"].startswith(PREFIXE_ZUGFERD_1)]
    if not zugferd_1:
        pytest.skip(f"corpus absent : {CORPUS}")
    for ligne in zugferd_1:
        codes = [a.code for a in valider(*_xml_et_syntaxe(ligne)).erreurs]
        assert codes in (["FORMAT_NON_PRIS_EN_CHARGE"], ["PROFIL_INCONNU"]), (ligne["path"], codes)
