"""Counters in the shared cache (settings.CACHES: Redis in production, chorus.cache.CacheFichiers otherwise) for
throttles and lock-outs: every process of the portal sees the same counts."""

import hashlib

from django.core.cache import cache


def cle(*parties):
    """A cache key from free text (an address, a login, an IP): hashed, so that any text makes a valid key and the
    cache keeps no address in clear."""
    return "debit:" + hashlib.sha256("\x1f".join(str(p).lower() for p in parties).encode()).hexdigest()


def compter(cle_, fenetre):
    """One more event in a window of `fenetre` (a timedelta) opened by the first one; returns the window's count."""
    secondes = int(fenetre.total_seconds())
    cache.add(cle_, 0, secondes)
    try:
        return cache.incr(cle_)
    except ValueError:  # the window closed between the two calls
        cache.add(cle_, 1, secondes)
        return 1


def compte(cle_):
    return cache.get(cle_, 0)


def premiere_fois(cle_, fenetre):
    """Whether this is the first call for `cle_` in the window (atomic: of two processes, one only gets True)."""
    return cache.add(cle_, True, int(fenetre.total_seconds()))


def oublier(cle_):
    cache.delete(cle_)
