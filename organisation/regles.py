"""Chorus Pro's rules as data (sources: ../shared/reference/tables/limites.csv and extensions_pj.csv)."""

# limites.csv: pj_nom_longueur_max, pj_taille_max_exclusive, pj_taille_min_exclusive
PJ_NOM_LONGUEUR_MAX = 50
PJ_TAILLE_MAX_OCTETS = 10 * 1024 * 1024  # strictly below 10 Mo
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
