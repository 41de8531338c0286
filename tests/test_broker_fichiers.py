"""The embedded default's broker delivers whole messages while a worker polls (chorus/broker_fichiers.py)."""

import threading

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
