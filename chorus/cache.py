"""The shared caches. The embedded default's: Django's file cache, with add() and incr() atomic across processes,
as Redis's are in production. Throttles rely on both: add() decides who sends the one mail of a window, incr() counts
failures; Django's file cache does each as a read then a write, and its incr() would reset the entry's expiry."""

import logging
import os
import pickle
import tempfile
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.core.files import locks
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


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
                    # the cache's own files under VAR_DIR, written by set() as Django's FileBasedCache writes them
                    expiration = pickle.load(fichier)  # noqa: S301
                    valeur = pickle.loads(zlib.decompress(fichier.read())) + delta  # noqa: S301
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found") from None
            if expiration is not None and expiration < time.time():
                raise ValueError(f"Key '{key}' not found")
            reste = None if expiration is None else max(expiration - time.time(), 0.001)
            self.set(key, valeur, reste, version)
            return valeur

    def compter_dans_fenetre(self, key, secondes, version=None):
        """See compter_dans_fenetre below: one file written, in place of a read and a write (and the listing of the
        cache's folder that Django's set() does each time to cull it: the key is one per account, culling can wait
        for the other writes)."""
        nom = self._key_to_file(key, version)
        with self._verrou():
            maintenant = time.time()
            try:
                with open(nom, "rb") as fichier:
                    expiration = pickle.load(fichier)  # noqa: S301 — the cache's own file, as above
                    valeur = pickle.loads(zlib.decompress(fichier.read()))  # noqa: S301
            except (FileNotFoundError, EOFError, zlib.error, pickle.UnpicklingError):
                expiration = None
            if expiration is None or expiration <= maintenant or not isinstance(valeur, int):
                expiration, valeur = maintenant + secondes, 0
            valeur += 1
            descripteur, temporaire = tempfile.mkstemp(dir=self._dir)
            with open(descripteur, "wb") as fichier:
                fichier.write(pickle.dumps(expiration, self.pickle_protocol))
                fichier.write(zlib.compress(pickle.dumps(valeur, self.pickle_protocol)))
            os.replace(temporaire, nom)
            return valeur, expiration - maintenant


class CacheRedisTolerante(RedisCache):
    """Production's shared cache, Redis, which also carries the Celery broker: while it is stopped or restarting the
    portal keeps serving pages. Only throttles and lock-outs count there; without their counts they let requests
    through (get → the default, incr → not found, set/delete → nothing) and add() answers False, so that a window's
    one mail (a lock-out warning, a password reset) is not sent again on every request of the outage."""

    def _tolere(self, operation, repli, *args, **kwargs):
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except RedisError:
            logger.warning("Cache Redis injoignable (%s) : débits non comptés.", operation)
            if isinstance(repli, Exception):
                raise repli from None
            return repli

    def get(self, key, default=None, version=None):
        return self._tolere("get", default, key, default, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolere("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolere("set", None, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._tolere("incr", ValueError(f"Key '{key}' not found"), key, delta, version)

    def delete(self, key, version=None):
        return self._tolere("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._tolere("get_many", {}, keys, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tolere("touch", False, key, timeout, version)

    def compter_dans_fenetre(self, key, secondes, version=None):
        """See compter_dans_fenetre below, in one round trip: SET NX EX opens the window, INCR counts, TTL tells
        what is left of it. Redis unreachable: (0, secondes), nothing counted, as incr() is tolerated."""
        cle = self.make_and_validate_key(key, version=version)
        try:
            pipeline = self._cache.get_client(cle, write=True).pipeline(transaction=False)
            pipeline.set(cle, 0, ex=secondes, nx=True)
            pipeline.incr(cle)
            pipeline.ttl(cle)
            _, valeur, reste = pipeline.execute()
        except RedisError:
            logger.warning("Cache Redis injoignable (compter_dans_fenetre) : débits non comptés.")
            return 0, float(secondes)
        return valeur, float(reste if reste and reste > 0 else secondes)


def compter_dans_fenetre(cache, key, secondes):
    """One more event under `key` in a window of `secondes` opened by the first one: (the window's count, seconds
    left of it). The API's rate counts every call with it (raccordement.api.vues.DebitParCompteTechnique): one write
    of the shared cache per call, where DRF's throttle read then rewrote the list of the window's call times (up to
    1 200 floats pickled and compressed on every call). A cache without the method (the tests' memory cache) gets
    the same from add() and incr()."""
    if hasattr(cache, "compter_dans_fenetre"):
        return cache.compter_dans_fenetre(key, secondes)
    cache.add(key, 0, secondes)
    try:
        return cache.incr(key), float(secondes)
    except ValueError:  # the window closed between the two calls
        cache.add(key, 1, secondes)
        return 1, float(secondes)
