import os

from celery import Celery, signals

from chorus.broker_fichiers import installer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")

installer()
app = Celery("chorus", task_cls="chorus.tache:TacheChorus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _refuser_une_production_dangereuse(**kwargs):
    # the worker and beat are servers too: no start without a key, nor with DEBUG or DEMO on a public portal
    from django.core.exceptions import ImproperlyConfigured

    from chorus.production import refuser_si_production_dangereuse

    try:
        refuser_si_production_dangereuse()
    except ImproperlyConfigured as refus:
        # Celery logs and swallows a signal handler's exception: only leaving stops the start
        raise SystemExit(f"Démarrage refusé : {refus}") from None
