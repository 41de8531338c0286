"""The embedded default's shared cache: Django's file cache, with add() and incr() atomic across processes, as
Redis's are in production. Throttles rely on both: add() decides who sends the one mail of a window, incr() counts
failures; Django's file cache does each as a read then a write, and its incr() would reset the entry's expiry."""

import os
import pickle
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class CacheFichiers(FileBasedCache):
    @contextmanager
    def _verrou(self):
        self._createdir()
        # a file without the cache's suffix: clear() leaves it
        with open(os.path.join(self._dir, "verrou"), "ab") as fichier:
            locks.lock(fichier, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(fichier)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._verrou():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._verrou():
            try:
                with open(self._key_to_file(key, version), "rb") as fichier:
                    expiration = pickle.load(fichier)
                    valeur = pickle.loads(zlib.decompress(fichier.read())) + delta
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found") from None
            if expiration is not None and expiration < time.time():
                raise ValueError(f"Key '{key}' not found")
            reste = None if expiration is None else max(expiration - time.time(), 0.001)
            self.set(key, valeur, reste, version)
            return valeur
