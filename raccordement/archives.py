"""Reading a deposited tar.gz safely, as a stream (security-and-reliability.md §3.5, items 38–40; issue #15 fault 13).

Nothing is ever written to disk and no path of the archive is honoured: a member is only a name (its last component)
and its bytes. Only regular files are read; a symbolic or hard link, a device or a FIFO rejects the archive. The
gzip stream is inflated by bounded chunks as tarfile asks for them, so memory holds one member, and a gzip bomb stops
as soon as the uncompressed total passes the limit; the member count, each member's size and the announced total are
checked from the headers before a member is read.
"""

import io
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from chorus import limites

MEMBRES_MAX = 10_000  # a flux of 10 000 invoices is integrated by runs (raccordement.services.flux)
TOTAL_DECOMPRESSE_MAX = 100 * 1024 * 1024
MEMBRE_TAILLE_MAX = limites.octets("flux_fichier_taille_max")
_MORCEAU = 1024 * 1024


class ArchiveInvalide(ValueError):
    """The archive is refused as a whole; the message is French and says why."""


@dataclass(frozen=True)
class Membre:
    rang: int  # 1-based, in archive order, regular files only
    nom: str  # the member's last path component
    chemin: str  # the path as written in the archive (shown, never used)
    contenu: bytes


def est_gzip(contenu: bytes) -> bool:
    return contenu[:2] == b"\x1f\x8b"


def _mo(octets):
    return f"{octets / 1024 / 1024:.0f} Mo"


class _GzipLu(io.RawIOBase):
    """The inflated bytes of a (possibly multi-member) gzip stream, read on demand by bounded chunks: memory stays
    a chunk, whatever the archive's size; ArchiveInvalide past `limite` inflated bytes in all."""

    def __init__(self, contenu, limite):
        self._reste = contenu
        self._limite = limite
        self._total = 0
        self._inflateur = None
        self._entree = b""
        self._tampon = b""

    def readable(self):
        return True

    def _morceau(self):
        while True:
            if self._inflateur is None:
                if not self._reste:
                    return b""
                self._inflateur = zlib.decompressobj(wbits=31)
                self._entree, self._reste = self._reste, b""
            try:
                morceau = self._inflateur.decompress(self._entree, _MORCEAU)
            except zlib.error as exc:
                raise ArchiveInvalide(f"Le fichier n'est pas un gzip lisible : {exc}.") from exc
            self._entree = self._inflateur.unconsumed_tail
            self._total += len(morceau)
            if self._total > self._limite:
                raise ArchiveInvalide(
                    f"L'archive décompressée dépasse {_mo(self._limite)} : elle est refusée sans être lue plus avant "
                    "(archive piégée ou trop volumineuse ; déposez plusieurs flux)."
                )
            if self._inflateur.eof:
                # the next gzip member, after the zero padding some tools leave between members
                self._reste, self._inflateur = self._inflateur.unused_data.lstrip(b"\x00"), None
            elif not self._entree and not morceau:
                raise ArchiveInvalide("Le fichier gzip est tronqué : déposez de nouveau l'archive complète.")
            if morceau:
                return morceau

    def readinto(self, tampon):
        if not self._tampon:
            self._tampon = self._morceau()
        n = min(len(tampon), len(self._tampon))
        tampon[:n] = self._tampon[:n]
        self._tampon = self._tampon[n:]
        return n

    def vider(self):
        """Read the stream to its end (a tar ends before its gzip: the rest is still checked whole)."""
        while self._tampon or self._morceau():
            self._tampon = b""


def parcourir_tar_gz(
    contenu: bytes,
    *,
    lire: bool = True,
    membres_max: int = MEMBRES_MAX,
    total_max: int = TOTAL_DECOMPRESSE_MAX,
    membre_max: int = MEMBRE_TAILLE_MAX,
) -> Iterator[Membre]:
    """The regular files of a tar.gz one at a time, in archive order, inflated as they are read (memory: one member
    and a chunk, never the archive); ArchiveInvalide for anything else, raised when the stream reaches it — a flux
    runs a first pass with `lire=False` (the headers only, each member's bytes skipped) before integrating."""
    if not est_gzip(contenu):
        raise ArchiveInvalide(
            "Le fichier n'est pas une archive tar.gz : il ne commence pas par la signature gzip (1F 8B)."
        )
    flot = _GzipLu(contenu, total_max)
    try:
        archive = tarfile.open(fileobj=io.BufferedReader(flot, _MORCEAU), mode="r|")  # noqa: SIM115 — closed below
    except tarfile.TarError as exc:
        raise ArchiveInvalide(f"Le fichier gzip ne contient pas une archive tar lisible : {exc}.") from exc
    rang = 0
    annonce = 0  # the inflated size the headers announce: a bomb is refused before its bytes are inflated
    with archive:
        try:
            for info in archive:
                if info.isdir():
                    continue
                if info.issym() or info.islnk():
                    raise ArchiveInvalide(
                        f"L'archive contient un lien (« {info.name} » → « {info.linkname} ») : seuls des fichiers "
                        "sont admis."
                    )
                if not info.isfile():
                    raise ArchiveInvalide(
                        f"L'archive contient « {info.name} », qui n'est pas un fichier ordinaire : seuls des fichiers "
                        "sont admis."
                    )
                if rang >= membres_max:
                    raise ArchiveInvalide(
                        f"L'archive contient plus de {membres_max} fichiers : déposez plusieurs flux."
                    )
                nom = PurePosixPath(info.name.replace("\\", "/")).name
                if info.size > membre_max:
                    raise ArchiveInvalide(
                        f"Le fichier « {nom} » de l'archive pèse {_mo(info.size)} : un fichier de facture ne doit pas "
                        f"dépasser {_mo(membre_max)}."
                    )
                annonce += info.size + 512
                if annonce > total_max:
                    raise ArchiveInvalide(
                        f"L'archive décompressée dépasse {_mo(total_max)} : elle est refusée sans être lue plus avant "
                        "(archive piégée ou trop volumineuse ; déposez plusieurs flux)."
                    )
                donnees = b""
                if lire:
                    lu = archive.extractfile(info)
                    donnees = lu.read() if lu is not None else b""
                rang += 1
                yield Membre(rang=rang, nom=nom, chemin=info.name, contenu=donnees)
        except tarfile.TarError as exc:
            raise ArchiveInvalide(f"L'archive tar est endommagée : {exc}.") from exc
    if not rang:
        flot.vider()
        raise ArchiveInvalide("L'archive ne contient aucun fichier.")
    flot.vider()


def compter_tar_gz(contenu: bytes, **limites) -> int:
    """The number of files of the archive, every header checked (no member's bytes kept): ArchiveInvalide for the
    archive as a whole before any of its invoices is integrated."""
    return sum(1 for _ in parcourir_tar_gz(contenu, lire=False, **limites))


def lire_tar_gz(contenu: bytes, **limites) -> list[Membre]:
    """The regular files of a tar.gz, in archive order, all in memory (a PDFARCHIVE flux pairs each XML with its PDF;
    a large flux is read with parcourir_tar_gz); ArchiveInvalide for anything else."""
    return list(parcourir_tar_gz(contenu, **limites))
