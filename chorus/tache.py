"""The portal's Celery task class: a task queued after a commit whose publish fails (broker stopped or restarting)
is not an error for the request that committed it. The row it works on is saved; the beat sweepers (flux,
mails, delayed changes) find rows left without their task and queue them again once the broker is back."""

import functools
import logging

from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def _publier(envoi, nom, *args, **kwargs):
    try:
        envoi(*args, **kwargs)
    except OperationalError:
        # the request already committed: a 500 now would make the client send again what is saved
        logger.warning("Broker injoignable : la tâche %s attend le balayeur.", nom, exc_info=True)


def publier(tache, *args, **kwargs):
    """Queue `tache` now (outside a transaction: a task queuing its own continuation); a broker that refuses leaves
    the work to the sweepers, as after a commit."""
    _publier(tache.delay, tache.name, *args, **kwargs)


class TacheChorus(DjangoTask):
    def delay_on_commit(self, *args, **kwargs):
        transaction.on_commit(functools.partial(_publier, self.delay, self.name, *args, **kwargs))

    def apply_async_on_commit(self, *args, **kwargs):
        transaction.on_commit(functools.partial(_publier, self.apply_async, self.name, *args, **kwargs))
