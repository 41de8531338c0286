"""The embedded default's broker delivers whole messages while a worker polls (chorus/broker_fichiers.py)."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from kombu import Connection
from kombu.exceptions import ChannelError

NOMBRE = 300


@pytest.fixture
def canaux(tmp_path):
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "polling_interval": 0}
    with (
        Connection("filesystem://", transport_options=options) as ecrivain,
        Connection("filesystem://", transport_options=options) as lecteur,
    ):
        yield ecrivain.default_channel, lecteur.default_channel, tmp_path


def test_filesystem_designe_le_transport_du_portail():
    import chorus.celery  # noqa: F401  (what the web process and the worker import)
    from chorus.broker_fichiers import Transport

    with Connection("filesystem://") as connexion:
        assert isinstance(connexion.transport, Transport)


def test_un_worker_qui_interroge_pendant_l_ecriture_ne_lit_que_des_messages_entiers(canaux):
    ecrivain, lecteur, _ = canaux
    corps = "x" * 200_000  # large enough that a write takes several system calls
    lus, erreurs = [], []

    def lire():
        from queue import Empty

        while len(lus) < NOMBRE:
            try:
                lus.append(lecteur._get("celery"))
            except Empty:
                continue
            except (ValueError, ChannelError) as exc:  # a half-written message: JSONDecodeError is a ValueError
                erreurs.append(exc)
                return

    fil = threading.Thread(target=lire)
    fil.start()
    for rang in range(NOMBRE):
        ecrivain._put("celery", {"rang": rang, "corps": corps})
    fil.join(timeout=60)
    assert erreurs == []
    assert sorted(m["rang"] for m in lus) == list(range(NOMBRE))
    assert all(m["corps"] == corps for m in lus)


def test_un_message_en_cours_d_ecriture_est_invisible(canaux):
    from queue import Empty

    ecrivain, lecteur, dossier = canaux
    (dossier / "1_abc.celery.msg.ecriture").write_bytes(b'{"inacheve": ')
    with pytest.raises(Empty):
        lecteur._get("celery")
    ecrivain._put("celery", {"ok": 1})
    assert lecteur._get("celery") == {"ok": 1}
    assert sorted(p.name for p in dossier.iterdir()) == ["1_abc.celery.msg.ecriture"]


def test_les_tables_d_echange_du_broker_fichiers_sont_sous_var(tmp_path):
    # kombu writes the pidbox exchange tables (a `celery control` broadcast, a worker's start) in the working directory
    # unless told otherwise: they go under var/celery/control, never into the checkout
    racine = Path(__file__).resolve().parents[1]
    repertoire = tmp_path / "repertoire_courant"
    repertoire.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(racine),
        "DJANGO_SETTINGS_MODULE": "chorus.settings.base",
        "CELERY_BROKER_URL": "filesystem://",
        "CHORUS_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "1",
    }
    # what a worker does at start: its pidbox queue bound to the fanout exchange, written to the exchange's table
    script = (
        "from chorus.celery import app\n"
        "with app.connection_for_write() as conn:\n"
        "    noeud = app.control.mailbox(conn).Node(hostname='essai@hote', channel=conn.default_channel)\n"
        "    noeud.listen(callback=lambda *a: None)\n"
    )
    env.pop("CELERY_QUEUE_DIR", None)  # the test settings set it for their own var/: the default is tested here
    subprocess.run([sys.executable, "-c", script], cwd=repertoire, env=env, check=True, timeout=60)
    assert not (repertoire / "control").exists()
    assert [f.name for f in (tmp_path / "var" / "celery" / "control").iterdir()] == ["celery.pidbox.exchange"]
