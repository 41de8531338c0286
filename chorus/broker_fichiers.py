"""The embedded default's Celery broker: kombu's filesystem transport, with messages that appear whole.

kombu writes a message in place under its final name, and its reader moves any file with that name away without
waiting for the writer's lock: a worker polling while the web process writes can read a half-written message, fail on
its JSON and stop consuming (seen in the demo: no login-code mail left after it). Here the message is written under a
name the reader ignores, then renamed, which a POSIX rename makes atomic within the folder.
"""

import os
import uuid
from time import monotonic

from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        nom = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, nom)
        # "….msg.ecriture": the reader only takes names whose part after the first dot is "<queue>.msg"
        provisoire = final + ".ecriture"
        try:
            with open(provisoire, "wb") as fichier:
                fichier.write(str_to_bytes(dumps(payload)))
            os.replace(provisoire, final)
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def installer():
    """`filesystem://` names this transport, for the web process and the worker alike (both import chorus.celery)."""
    TRANSPORT_ALIASES["filesystem"] = "chorus.broker_fichiers:Transport"
