"""Test settings: the same as production's shape, with fast hashing and eager tasks by default."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DEMO", "1")
os.environ.setdefault("CHORUS_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "var", "test"))
# Under pytest-xdist each worker (gw0, gw1…) gets a var/ of its own: its SQLite test database, file cache (cleared by
# every test), media, mailbox and file broker. The processes a test starts (Celery workers, subprocesses) inherit both
# variables and so land in the same directory; the name check keeps them from nesting it once more.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and os.path.basename(os.path.normpath(os.environ["CHORUS_VAR_DIR"])) != XDIST_WORKER:
    os.environ["CHORUS_VAR_DIR"] = os.path.join(os.environ["CHORUS_VAR_DIR"], XDIST_WORKER)
    os.environ.pop("CELERY_QUEUE_DIR", None)
os.environ.setdefault("CELERY_QUEUE_DIR", os.path.join(os.environ["CHORUS_VAR_DIR"], "celery"))

from chorus.settings.base import *  # noqa: E402,F403
from chorus.settings.base import CELERY_BROKER_URL, DATABASES, VAR_DIR  # noqa: E402

# Throttles count in a file cache of the tests' own, even when the broker is Redis: Redis expires entries on its own
# clock (time_machine cannot move it), and clearing the cache between tests would flush the broker's database.
CACHES = {"default": {"BACKEND": "chorus.cache.CacheFichiers", "LOCATION": str(VAR_DIR / "cache")}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
# read at import time by django-simple-captcha (stack-verified.md pitfall 5): "PASSED" passes.
CAPTCHA_TEST_MODE = True
STORAGES = {
    "default": {"BACKEND": "chorus.stockage.StockageMedias"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that a Celery worker started by a test sees the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
if XDIST_WORKER and CELERY_BROKER_URL.startswith("redis"):
    # One Redis database for every xdist worker: the real Celery workers a test starts would take each other's
    # messages. A key prefix per xdist worker gives each its own queues (the workers it starts inherit it).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{XDIST_WORKER}:"}
