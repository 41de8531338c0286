"""Chorus Pro's limits as one table: every figure has a source and agrees with the reference's table."""

import csv
from datetime import timedelta

import pytest

from chorus import limites
from facturation.services import televersement
from organisation import regles
from raccordement import archives
from raccordement.services import flux
from tests.conftest import REFERENCE, partage_requis

SOURCES = (
    "chorus-pro-api.md §",
    "chorus-pro-features.md #",
    "security-and-reliability.md §",
    "000_",
    "001_",
    "002_",
    "003_",
    "004_",
)


def test_chaque_limite_a_une_source_dans_la_reference():
    assert limites.LIMITES
    for ligne in limites.LIMITES.values():
        assert any(source in ligne.source for source in SOURCES), ligne


def test_les_limites_du_projet_sont_celles_de_la_reference():
    fichier = partage_requis(REFERENCE / "tables" / "limites.csv")
    with fichier.open(encoding="utf-8", newline="") as f:
        reference = {ligne["rule"]: ligne for ligne in csv.DictReader(f)}
    communes = [ligne for code, ligne in limites.LIMITES.items() if code in reference]
    assert len(communes) >= 18
    for ligne in communes:
        attendu = reference[ligne.code]
        assert (ligne.valeur, ligne.unite) == (int(attendu["valeur"]), attendu["unite"]), ligne.code
    # a figure the reference's table does not hold comes from another reference file (the ASVS levels for sessions)
    for code, ligne in limites.LIMITES.items():
        if code not in reference:
            assert ligne.source.startswith("security-and-reliability.md §"), code


def test_une_valeur_est_typee_par_son_unite():
    assert limites.octets("flux_fichier_taille_max") == 10 * 1024 * 1024
    assert limites.duree("oauth_jeton_duree") == timedelta(hours=1)
    assert limites.nombre("pj_nom_longueur_max") == 50


def test_une_limite_absente_est_nommee():
    with pytest.raises(limites.LimiteInconnue, match="« taille_inventee » absente de .*limites.csv"):
        limites.octets("taille_inventee")
    with pytest.raises(limites.LimiteInconnue, match="unité « Mo » n'est pas attendue"):
        limites.duree("flux_fichier_taille_max")


def test_une_table_sans_source_est_refusee(tmp_path):
    fichier = tmp_path / "limites.csv"
    fichier.write_text("code,valeur,unite,source\nx,1,Mo,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="« x » n'a pas de source"):
        limites.lire(fichier)


def test_le_plafond_de_10_mo_du_flux_est_lu_une_fois():
    # the cap was written three times before the table: the upload, the flux and its archive members read one figure
    plafond = limites.octets("flux_fichier_taille_max")
    assert televersement.TAILLE_MAX_OCTETS == flux.TAILLE_FICHIER_MAX == archives.MEMBRE_TAILLE_MAX == plafond
    assert limites.octets("pj_taille_max_exclusive") == regles.PJ_TAILLE_MAX_OCTETS
