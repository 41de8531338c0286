"""The media storage: a full volume (ENOSPC, or a quota: EDQUOT) leaves nothing half-saved.

Django's FileSystemStorage leaves the partial file of a failed write behind, and the files saved before it by the
same write (the PDF of an invoice whose XML did not fit) stay on disk once its transaction rolls back: orphans that
only use up more of a full disk. Here:
- the partial file is removed, and `StockagePlein` (a French message) propagates, rolling the rows back;
- the files saved inside an `ecriture()` block that fails for lack of space are removed too. The web layer opens one
  per request (chorus.middleware: the request is one transaction, ATOMIC_REQUESTS) and answers 503; the flux
  integration one per invoice (its own transaction), and puts the flux back to wait."""

import contextlib
import errno
import threading

from django.core.files.storage import FileSystemStorage

ESPACE_EPUISE = {errno.ENOSPC, errno.EDQUOT}
_fil = threading.local()


class StockagePlein(OSError):
    message = (
        "L'espace de stockage du portail est plein : votre fichier n'a pas pu être enregistré et rien n'a été "
        "enregistré. Déposez-le de nouveau dans quelques minutes."
    )

    def __init__(self):
        super().__init__(errno.ENOSPC, self.message)


def _ecritures():
    if not hasattr(_fil, "ecritures"):
        _fil.ecritures = []
    return _fil.ecritures


@contextlib.contextmanager
def ecriture():
    """One write that must succeed or leave no file: the files saved inside are removed if it fails for lack of
    space. Wrap exactly one transaction (its rows roll back with the same exception)."""
    noms = []
    _ecritures().append(noms)
    try:
        yield noms
    except StockagePlein:
        effacer(noms)
        raise
    finally:
        _ecritures().remove(noms)


def effacer(noms):
    from django.core.files.storage import default_storage

    for nom in noms:
        with contextlib.suppress(OSError):
            default_storage.delete(nom)
    noms.clear()


class StockageMedias(FileSystemStorage):
    def get_available_name(self, name, max_length=None):
        nom = super().get_available_name(name, max_length=max_length)
        _fil.tente = nom  # _save retries under this name when another process took the first one
        return nom

    def _save(self, name, content):
        _fil.tente = name
        try:
            nom = super()._save(name, content)
        except OSError as exc:
            if exc.errno not in ESPACE_EPUISE:
                raise
            # O_EXCL: a file at the attempted name after the failure is the one this call created
            with contextlib.suppress(OSError):
                self.delete(_fil.tente)
            raise StockagePlein() from exc
        for noms in _ecritures():
            noms.append(nom)
        return nom
