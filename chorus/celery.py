import os

from celery import Celery
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings.base")


def _deposer_entier(self, queue, payload, **kwargs):
    """kombu's filesystem transport creates the message file, then writes it: a worker polling meanwhile moves and
    reads an empty file, and dies of a JSONDecodeError (the demo's worker then sends no more login codes). Written
    under a name the worker does not read, then renamed: a reader sees whole messages only."""
    nom = f"{int(round(filesystem.monotonic() * 1000))}_{filesystem.uuid.uuid4()}.{queue}.msg"
    chemin = os.path.join(self.data_folder_out, nom)
    temporaire = os.path.join(self.data_folder_out, f".{nom}.tmp")
    try:
        with open(temporaire, "wb") as fichier:
            fichier.write(str_to_bytes(dumps(payload)))
        os.replace(temporaire, chemin)
    except OSError as exc:
        raise filesystem.ChannelError(f"Cannot add file {chemin!r} to directory") from exc


filesystem.Channel._put = _deposer_entier

app = Celery("chorus", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
