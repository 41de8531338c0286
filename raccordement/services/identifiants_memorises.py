"""A password checked once is not checked again by the slow hasher on every API call (issue #16).

Every API call carries the technical account's password (`cpro-account`), and the portal's hasher is made slow on
purpose (PBKDF2, over a million iterations: about 350 ms a check), so a client's batch of 1 000 calls waited minutes
for the hashing alone. After a full check that succeeded, the portal remembers, for `DUREE_MEMOIRE`, that this
password matches this stored hash, in the shared cache (settings.CACHES: Redis in production, chorus.cache's file
cache on the embedded default), so that every process of the portal benefits from one check.

- The entry's key is an HMAC-SHA256 keyed by a secret derived from SECRET_KEY (django.utils.crypto.salted_hmac) of
  (scope, login, password, the stored hash). The password is never stored, and whoever reads the cache cannot test
  guesses against the keys without SECRET_KEY; an entry cannot be forged without both SECRET_KEY and the password.
- The stored hash is part of the key: a new password (« Renouveler ») changes the hash, so the old password finds no
  entry at the very next call and goes through the hasher, which refuses it.
- Only the password's match is remembered, never the account's state: the caller still loads the account's row on
  every call and checks it (disabled, not yet active, expired), and checks the lock-out (verrouillage) before.
- Only a success is remembered. A wrong password finds no entry (its key differs) and costs the full hasher, as an
  unknown login does against a dummy hash: the time of a refusal tells nothing. A fast answer only ever comes to who
  sent the right password, which then learns nothing new.
- The HMAC is faster than PBKDF2 for whoever would hold SECRET_KEY, the cache and the database all at once; the
  passwords remembered are generated ones (comptes.generer_mot_de_passe: 24 characters among 65, about 144 bits;
  the demo's fixed ones aside) and the client secrets are 32 random bytes, which no guessing reaches at any hash
  speed: the slow hasher protects human passwords, which these are not.
"""

import json
from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.utils.crypto import salted_hmac

# Five minutes: a client's batch (the case of issue #16) pays one check per five minutes and per account instead of
# one per call, i.e. at most one hasher run per 1 200 calls at the API's rate (DEBIT_PAR_COMPTE). Revocation does
# not depend on it (a new password or a disabled account is refused at once, see above); kept short all the same so
# that the cache holds few entries and a remembered password does not outlive the batch that used it by much.
DUREE_MEMOIRE = timedelta(minutes=5)

PORTEE_COMPTE_TECHNIQUE = "compte-technique"
PORTEE_CLIENT_API = "client-api"


def cle(portee, identifiant, mot_de_passe, empreinte):
    """The entry's key; comptes.authentifier_compte reads it with the lock-out's counters in one round trip."""
    # JSON keeps the parts apart whatever they contain (a login may hold any character but ":", a password any)
    message = json.dumps([identifiant, mot_de_passe, empreinte])
    signature = salted_hmac(f"raccordement.identifiants_memorises.{portee}", message, algorithm="sha256")
    return f"identifiant-verifie:{portee}:{signature.hexdigest()}"


def mot_de_passe_correspond(portee, identifiant, mot_de_passe, empreinte):
    """Whether `mot_de_passe` matches the stored hash `empreinte`: from the memory when this very triple was checked
    less than DUREE_MEMOIRE ago, else by the hasher (and then remembered if it matches)."""
    cle_ = cle(portee, identifiant or "", mot_de_passe or "", empreinte or "")
    if cache.get(cle_) is True:
        return True
    if not check_password(mot_de_passe or "", empreinte):
        return False
    cache.set(cle_, True, int(DUREE_MEMOIRE.total_seconds()))
    return True
