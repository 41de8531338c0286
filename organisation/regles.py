"""Chorus Pro's rules as data (limits: chorus/regles/limites.csv; extensions:
../shared/reference/tables/extensions_pj.csv)."""

from chorus import limites

PJ_NOM_LONGUEUR_MAX = limites.nombre("pj_nom_longueur_max")
PJ_TAILLE_MAX_OCTETS = limites.octets("pj_taille_max_exclusive")  # strictly below 10 Mo
# extensions_pj.csv
PJ_EXTENSIONS = frozenset(
    [
        "BMP",
        "GIF",
        "FAX",
        "ODT",
        "PPT",
        "TIFF",
        "XLS",
        "BZ2",
        "GZ",
        "JPEG",
        "P7S",
        "RTF",
        "TXT",
        "XML",
        "CSV",
        "GZIP",
        "JPG",
        "PDF",
        "SVG",
        "XHTML",
        "XLSX",
        "DOC",
        "HTM",
        "ODP",
        "PNG",
        "TGZ",
        "XLC",
        "ZIP",
        "DOCX",
        "HTML",
        "ODS",
        "PPS",
        "TIF",
        "XLM",
        "PPTX",
    ]
)

# The profile a user attached after the creation does not receive (chorus-pro-features.md row 22).
PROFIL_RESERVE_AUX_GESTIONNAIRES = ("ORGANISATION", "MODIFICATION")

# Reserved service code (chorus-pro-api.md §4.5): public-to-public invoicing only.
CODE_SERVICE_RESERVE = "FACTURES_PUBLIQUES"
