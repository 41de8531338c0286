"""Reading a deposited tar.gz safely, in memory (security-and-reliability.md §3.5, items 38–40).

Nothing is ever written to disk and no path of the archive is honoured: a member is only a name (its last component)
and its bytes. Only regular files are read; a symbolic or hard link, a device or a FIFO rejects the archive. The
gzip stream is inflated by bounded chunks, so a gzip bomb stops as soon as the uncompressed total passes the limit,
before tarfile sees anything; the member count and each member's size are checked from the headers before reading.
"""

import io
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

MEMBRES_MAX = 1000
TOTAL_DECOMPRESSE_MAX = 100 * 1024 * 1024
MEMBRE_TAILLE_MAX = 10 * 1024 * 1024  # limites.csv flux_fichier_taille_max : 10 Mo par fichier
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


def decompresser_gzip(contenu: bytes, *, limite: int = TOTAL_DECOMPRESSE_MAX) -> bytes:
    """The inflated bytes of a (possibly multi-member) gzip stream; ArchiveInvalide past `limite`."""
    sortie = bytearray()
    reste = contenu
    while reste:
        inflateur = zlib.decompressobj(wbits=31)
        entree = reste
        try:
            while True:
                # max_length bounds what one call may produce: a bomb never inflates more than a chunk past the limit
                morceau = inflateur.decompress(entree, _MORCEAU)
                sortie += morceau
                if len(sortie) > limite:
                    raise ArchiveInvalide(
                        f"L'archive décompressée dépasse {_mo(limite)} : elle est refusée sans être lue plus avant "
                        "(archive piégée ou trop volumineuse ; déposez plusieurs flux)."
                    )
                entree = inflateur.unconsumed_tail
                if inflateur.eof or (not entree and not morceau):
                    break
        except zlib.error as exc:
            raise ArchiveInvalide(f"Le fichier n'est pas un gzip lisible : {exc}.") from exc
        if not inflateur.eof:
            raise ArchiveInvalide("Le fichier gzip est tronqué : déposez de nouveau l'archive complète.")
        reste = inflateur.unused_data.lstrip(b"\x00")
    return bytes(sortie)


def lire_tar_gz(
    contenu: bytes,
    *,
    membres_max: int = MEMBRES_MAX,
    total_max: int = TOTAL_DECOMPRESSE_MAX,
    membre_max: int = MEMBRE_TAILLE_MAX,
) -> list[Membre]:
    """The regular files of a tar.gz, in archive order; ArchiveInvalide for anything else."""
    if not est_gzip(contenu):
        raise ArchiveInvalide(
            "Le fichier n'est pas une archive tar.gz : il ne commence pas par la signature gzip (1F 8B)."
        )
    tar = decompresser_gzip(contenu, limite=total_max)
    try:
        archive = tarfile.open(fileobj=io.BytesIO(tar), mode="r:")  # noqa: SIM115 — closed by the with below
    except tarfile.TarError as exc:
        raise ArchiveInvalide(f"Le fichier gzip ne contient pas une archive tar lisible : {exc}.") from exc
    membres = []
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
                if len(membres) >= membres_max:
                    raise ArchiveInvalide(
                        f"L'archive contient plus de {membres_max} fichiers : déposez plusieurs flux."
                    )
                nom = PurePosixPath(info.name.replace("\\", "/")).name
                if info.size > membre_max:
                    raise ArchiveInvalide(
                        f"Le fichier « {nom} » de l'archive pèse {_mo(info.size)} : un fichier de facture ne doit pas "
                        f"dépasser {_mo(membre_max)}."
                    )
                lu = archive.extractfile(info)
                donnees = lu.read() if lu is not None else b""
                membres.append(Membre(rang=len(membres) + 1, nom=nom, chemin=info.name, contenu=donnees))
        except tarfile.TarError as exc:
            raise ArchiveInvalide(f"L'archive tar est endommagée : {exc}.") from exc
    if not membres:
        raise ArchiveInvalide("L'archive ne contient aucun fichier.")
    return membres
