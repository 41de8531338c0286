"""The media storage on a real full filesystem (a tiny tmpfs; skipped where it cannot be mounted): a write that runs
out of space removes its partial file, and the files saved before it in the same `ecriture()`."""

import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from chorus.stockage import StockagePlein, ecriture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def volume(tmp_path, settings):
    point = tmp_path / "medias"
    point.mkdir()
    monte = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(point)], check=False)
    if monte.returncode:
        pytest.skip("pas de tmpfs à monter (root requis)")
    settings.MEDIA_ROOT = point
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def _fichiers(point):
    return sorted(str(f.relative_to(point)) for f in point.rglob("*") if f.is_file())


def test_une_ecriture_sans_place_n_en_laisse_aucun_fichier(volume):
    plein = pytest.raises(StockagePlein, match="espace de stockage du portail est plein")
    with plein, ecriture(), transaction.atomic():
        default_storage.save("a/premier.bin", ContentFile(b"1" * 64 * 1024))
        default_storage.save("a/second.bin", ContentFile(b"2" * 1024 * 1024))  # more than the volume
    assert _fichiers(volume) == []


def test_le_fichier_partiel_part_meme_hors_d_une_ecriture(volume):
    garde = default_storage.save("garde.bin", ContentFile(b"g" * 1024))
    with pytest.raises(StockagePlein):
        default_storage.save("trop.bin", ContentFile(b"t" * 1024 * 1024))
    assert _fichiers(volume) == [garde]
