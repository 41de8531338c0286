"""Redis unreachable (stopped, restarting): the shared cache lets throttled requests through and a task queued after
a commit does not turn the committed request into an error (tests/fiabilite/test_redis_arrete.py runs the outage on
a real server; these pin the two behaviours without one)."""

from datetime import timedelta

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from chorus import debits
from chorus.cache import CacheRedisTolerante
from chorus.celery import app as celery_app
from chorus.tasks import envoyer_courriel
from tests.fiabilite.serveurs import port_libre

FERME = f"redis://127.0.0.1:{port_libre()}/0"


def test_le_cache_redis_injoignable_laisse_passer(settings):
    with pytest.raises(RedisConnectionError):
        RedisCache(FERME, {}).get("x")  # Django's own: every throttled page would answer 500
    cache = CacheRedisTolerante(FERME, {})
    assert cache.get("x", 0) == 0
    assert cache.add("x", 1) is False  # a window's one mail is not sent again on every request
    with pytest.raises(ValueError):
        cache.incr("x")
    cache.set("x", 1)
    cache.delete("x")
    settings.CACHES = {"default": {"BACKEND": "chorus.cache.CacheRedisTolerante", "LOCATION": FERME}}
    assert debits.compter(debits.cle("essai"), timedelta(minutes=1)) == 1


@pytest.mark.django_db(transaction=True)
def test_une_tache_refusee_par_le_broker_apres_le_commit_n_est_pas_une_erreur(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", FERME)
    # Celery reads the broker from the environment before its configuration (celery/app/utils.py, broker_url): CI
    # sets CELERY_BROKER_URL to its Redis
    monkeypatch.setenv("CELERY_BROKER_URL", FERME)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    try:
        with pytest.raises(OperationalError):
            envoyer_courriel.delay(0)
        with transaction.atomic():
            envoyer_courriel.delay_on_commit(0)  # logged, left to the sweeper
    finally:
        celery_app._pool = None
