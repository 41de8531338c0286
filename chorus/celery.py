import os

from celery import Celery

from chorus.broker_fichiers import installer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")

installer()
app = Celery("chorus", task_cls="chorus.tache:TacheChorus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
